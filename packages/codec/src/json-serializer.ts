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
