// Serialization of operator state elements (source splits, sink committables and writer state) that checks the
// bytes read back: a value its own serializer rejects would make the checkpoint unrestorable — every restore from
// it would fail the same way — so the checkpoint that would hold it is declined instead. These elements are few and
// small (one per split, file or transaction), so reading them back costs next to nothing.
import type { VersionedSerializer } from '@runnel/api';

/**
 * Serializes `value` and checks that the serializer reads the bytes back.
 *
 * @param what - the state and operator, for the error message
 * @internal
 */
export function serializeReadable<T>(ser: VersionedSerializer<T>, value: T, what: string): Uint8Array {
  const bytes = ser.serialize(value);
  try {
    ser.deserialize(bytes, ser.version);
  } catch (e) {
    throw new Error(
      `${what}: serializer '${ser.id}' (version ${ser.version}) wrote a value it cannot read back (${(e as Error).message}); ` +
        'the checkpoint is declined rather than written unrestorable',
      { cause: e },
    );
  }
  return bytes;
}
