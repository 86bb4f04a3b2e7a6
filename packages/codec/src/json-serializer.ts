// A human-readable serializer for persisted values: UTF-8 JSON. Slower and lossier than the generic format
// (JSON has no undefined, -0, NaN, bigint, Date, Map or Set), but inspectable with any tool.

import type { VersionedSerializer } from '@runnel/api';

/** Identifier of the JSON format. @public */
export const JSON_SERIALIZER_ID = 'runnel.json';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Serializes values as UTF-8 JSON (`JSON.stringify`/`JSON.parse` semantics). A top-level `undefined` is written
 * as zero bytes and read back as `undefined`; values JSON cannot express throw (bigint) or change as `JSON`
 * defines (NaN becomes null, a Date becomes its ISO string). Id `runnel.json`, version 1.
 *
 * @public
 */
export const jsonSerializer: VersionedSerializer<unknown> = Object.freeze({
  id: JSON_SERIALIZER_ID,
  version: 1,
  serialize(value: unknown): Uint8Array {
    const text = JSON.stringify(value);
    return text === undefined ? new Uint8Array(0) : encoder.encode(text);
  },
  deserialize(bytes: Uint8Array, version: number): unknown {
    if (version !== 1) {
      throw new RangeError(`${JSON_SERIALIZER_ID} cannot read version ${version} (this build reads version 1)`);
    }
    if (bytes.length === 0) return undefined;
    return JSON.parse(decoder.decode(bytes)) as unknown;
  },
});

/**
 * A serializer for a value of one layout — a connector's splits, enumerator state, committables — written as
 * {@link jsonSerializer}'s UTF-8 JSON but under its own id and version: the id names the layout (so the
 * compatibility checker can tell one connector's split from another's, or from any other JSON value), and
 * `decode` validates what was read and migrates older layouts, so a corrupt or foreign payload fails loudly at
 * restore instead of becoming a wrong value. `decode` receives the parsed JSON and the version it was written with
 * (1 to `version`); `deserialize` refuses other versions. The bytes are exactly `jsonSerializer`'s.
 *
 * @param id - the persisted id of the layout; it must never change once checkpoints hold it
 * @param version - the version written; every version from 1 up to it is read
 * @public
 */
export function jsonVersionedSerializer<T>(
  id: string,
  version: number,
  decode: (value: unknown, writtenVersion: number) => T,
): VersionedSerializer<T> {
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`${id}: version must be a positive integer, got ${version}`);
  return Object.freeze({
    id,
    version,
    serialize(value: T): Uint8Array {
      return jsonSerializer.serialize(value);
    },
    deserialize(bytes: Uint8Array, writtenVersion: number): T {
      if (!Number.isSafeInteger(writtenVersion) || writtenVersion < 1 || writtenVersion > version) {
        throw new RangeError(`${id}: cannot read version ${writtenVersion} (this serializer reads versions 1 to ${version})`);
      }
      return decode(jsonSerializer.deserialize(bytes, 1), writtenVersion);
    },
  });
}
