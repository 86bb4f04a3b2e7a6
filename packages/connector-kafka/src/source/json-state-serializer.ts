// The serializers of the source's persisted state (splits, enumerator state) write UTF-8 JSON under their own id
// and version: a savepoint can be read by hand, the id tells a Kafka split from any other JSON, and `decode`
// validates what it reads, so a corrupt or foreign payload fails at restore instead of becoming a wrong position.
// Splits are tiny (a topic, a partition, two offsets), so JSON's speed does not matter here.
import type { VersionedSerializer } from '@runnel/api';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * A JSON serializer under its own id; `decode` validates (and migrates) what versions 1 to `version` wrote.
 *
 * @internal
 */
export function jsonStateSerializer<T>(id: string, version: number, decode: (value: unknown, writtenVersion: number) => T): VersionedSerializer<T> {
  return Object.freeze({
    id,
    version,
    serialize(value: T): Uint8Array {
      return encoder.encode(JSON.stringify(value));
    },
    deserialize(bytes: Uint8Array, writtenVersion: number): T {
      if (!Number.isSafeInteger(writtenVersion) || writtenVersion < 1 || writtenVersion > version) {
        throw new RangeError(`${id}: cannot read version ${writtenVersion} (this serializer reads versions 1 to ${version})`);
      }
      let value: unknown;
      try {
        value = JSON.parse(decoder.decode(bytes));
      } catch (e) {
        throw new Error(`${id}: invalid payload: ${(e as Error).message}`, { cause: e });
      }
      return decode(value, writtenVersion);
    },
  });
}

/**
 * Fails a payload check.
 *
 * @internal
 */
export function invalidPayload(id: string, what: string): never {
  throw new Error(`${id}: invalid payload: ${what}`);
}
