// The default serializer for persisted values whose type Runnel does not know (state values, splits): the
// generic tagged binary format of `BinaryWriter.writeValue`.

import type { VersionedSerializer } from '@runnel/api';
import { decodeValue, encodeValue } from './value-codec.js';

/** Identifier of the generic binary format. @public */
export const GENERIC_SERIALIZER_ID = 'runnel.generic';

/**
 * Serializes any plain-data value (see `BinaryWriter.writeValue`) compactly and exactly: `-0`, `NaN`, bigints,
 * dates, byte arrays, maps and sets survive, unlike with JSON. Id `runnel.generic`, version 1.
 *
 * @public
 */
export const genericSerializer: VersionedSerializer<unknown> = Object.freeze({
  id: GENERIC_SERIALIZER_ID,
  version: 1,
  serialize(value: unknown): Uint8Array {
    return encodeValue(value);
  },
  deserialize(bytes: Uint8Array, version: number): unknown {
    if (version !== 1) {
      throw new RangeError(`${GENERIC_SERIALIZER_ID} cannot read version ${version} (this build reads version 1)`);
    }
    return decodeValue(bytes);
  },
});
