// A JSON-backed `VersionedSerializer` for the connector's own persisted state (splits, enumerator state). The
// bytes are `@runnel/codec`'s JSON format, but the identity is the connector's (`runnel.nexmark.split`, ...):
// the id names the *layout* of the value, so the compatibility checker can tell a Nexmark split from a datagen
// split, and `decode` (which receives the written version) validates the layout and migrates old versions.
// Split state is tiny and written once per checkpoint, so readability beats compactness.
import type { VersionedSerializer } from '@runnel/api';
import { jsonSerializer } from '@runnel/codec';

/**
 * Creates a serializer that writes JSON and reads it back through `decode`.
 *
 * @internal
 */
export function jsonVersionedSerializer<T>(
  id: string,
  version: number,
  decode: (value: unknown, version: number) => T,
): VersionedSerializer<T> {
  return {
    id,
    version,
    serialize(value: T): Uint8Array {
      return jsonSerializer.serialize(value);
    },
    deserialize(bytes: Uint8Array, writtenVersion: number): T {
      if (writtenVersion < 1 || writtenVersion > version) {
        throw new Error(`${id}: cannot read version ${writtenVersion} (this serializer reads 1..${version})`);
      }
      return decode(jsonSerializer.deserialize(bytes, 1), writtenVersion);
    },
  };
}
