// One-shot helpers around BinaryWriter/BinaryReader for single values (state values, splits). They reuse one
// writer per thread; a nested call (a getter that itself encodes while being encoded) gets a fresh writer.

import { BinaryReader } from './binary-reader.js';
import { BinaryWriter } from './binary-writer.js';

// Keep the shared writer small: one huge value should not pin a huge buffer for the life of the thread.
const SHARED_CAPACITY = 4 * 1024;
const MAX_RETAINED_CAPACITY = 1024 * 1024;

let shared: BinaryWriter | undefined;
let sharedBusy = false;

/**
 * Encodes one value in the generic tagged format (`runnel.generic` v1) into a new, exactly-sized Uint8Array.
 *
 * @throws TypeError for values that are not plain data (see {@link BinaryWriter.writeValue}).
 * @public
 */
export function encodeValue(v: unknown): Uint8Array {
  if (sharedBusy) {
    const w = new BinaryWriter(SHARED_CAPACITY);
    w.writeValue(v);
    return new Uint8Array(w.take());
  }
  sharedBusy = true;
  const w = (shared ??= new BinaryWriter(SHARED_CAPACITY));
  try {
    w.writeValue(v);
    return new Uint8Array(w.take());
  } finally {
    w.reset();
    if (w.capacity > MAX_RETAINED_CAPACITY) shared = undefined;
    sharedBusy = false;
  }
}

/**
 * Decodes bytes produced by {@link encodeValue}. The bytes must hold exactly one value.
 *
 * @throws RangeError when the bytes are malformed, truncated or followed by trailing bytes.
 * @public
 */
export function decodeValue(b: Uint8Array): unknown {
  const r = new BinaryReader(b);
  const v = r.readValue();
  if (r.remaining !== 0) throw new RangeError(`Cannot decode: ${r.remaining} trailing bytes after the value`);
  return v;
}
