// The LevelDB layout of keyed state. Keys are
//
//   [key group: u16 BE][state id: u16 BE][state key: runnel.generic][namespace: runnel.generic]
//
// so a key group is one contiguous range (snapshots walk a key group, a rescaled restore writes whole groups),
// and within it a state and a state key are contiguous too (all namespaces of one key are one prefix range; the
// generic encoding is self-delimiting, so no key's bytes are a prefix of another key's). Values are
//
//   [value serializer version: u8][map-key serializer version: u8][canonical value: runnel.generic]
//
// where the canonical value is exactly the snapshot form of snapshot.ts (serializer-produced bytes inside it for
// states whose descriptor names a serializer; version 0 means "plain data, no user serializer"). Storing the
// canonical form makes snapshots and restores a decode/encode with no descriptor needed, and the per-value
// versions let entries written by an older serializer version live next to new ones until rewritten.
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';
import { BinaryReader, BinaryWriter, decodeValue, encodeValue } from '@runnel/codec';

/** Encoded void namespace (most state lives there). @internal */
export const VOID_NS_BYTES: Buffer = toBuffer(encodeValue(VOID_NAMESPACE));

/** Largest state id the 2-byte field holds. @internal */
export const MAX_STATE_ID = 0xffff;

function toBuffer(u8: Uint8Array): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
}

// Keys are encoded into one reused writer and copied into a pooled `Buffer.allocUnsafe` slice: `encodeValue`
// allocates an exactly-sized, unpooled ArrayBuffer per value, which measured ~1 µs per key (and GC pressure) on
// the miss path, where every new or evicted key is encoded. The writer's bytes are read through one long-lived
// view (`BinaryWriter.view()` allocates a typed array per call, measured ~4 % of the miss path).
let keyWriter = new BinaryWriter(256);
let keyWriterBusy = false;
let scratch = keyWriter.view();
let scratchCapacity = -1;
let scratchWriter: BinaryWriter | undefined;

/** Encodes a key into the shared writer; returns its length (the bytes are `keyScratch()[0, length)`). */
function encodeKey(key: unknown): number {
  let w = keyWriter;
  w.reset();
  if (w.capacity > 1 << 16) keyWriter = w = new BinaryWriter(256);
  w.writeValue(key);
  if (w !== scratchWriter || w.capacity !== scratchCapacity) {
    // (Re)bind the view after the writer grew (or was replaced): `view()` covers the written bytes only.
    const v = w.view();
    scratch = new Uint8Array(v.buffer, v.byteOffset, w.capacity);
    scratchCapacity = w.capacity;
    scratchWriter = w;
  }
  return w.length;
}

/** The generic encoding of a state key (or namespace). @internal */
export function encodeBytes(value: unknown): Buffer {
  return dbKey(-1, 0, value, EMPTY);
}

/**
 * Encodes a key for hashing it at once, without a copy: returns its length; the bytes are the first `length`
 * bytes of {@link keyScratch}, valid until the next key encoding. @internal
 */
export function encodeKeyScratch(value: unknown): number {
  return encodeKey(value);
}

/** The shared bytes of the last {@link encodeKeyScratch}. @internal */
export function keyScratch(): Uint8Array {
  return scratch;
}

/**
 * The LevelDB key of one (key group, state, key, namespace) entry; `keyGroup` -1 leaves the 4-byte header
 * out. The key is encoded straight into the shared writer and copied once. @internal
 */
export function dbKey(keyGroup: number, stateId: number, key: unknown, nsBytes: Uint8Array): Buffer {
  // A key whose encoding re-enters (it cannot: keys are plain data) would get a fresh writer.
  if (keyWriterBusy) {
    const bytes = encodeValue(key);
    return concatKey(keyGroup, stateId, bytes, bytes.length, nsBytes);
  }
  keyWriterBusy = true;
  try {
    const n = encodeKey(key);
    return concatKey(keyGroup, stateId, scratch, n, nsBytes);
  } finally {
    keyWriterBusy = false;
  }
}

function concatKey(keyGroup: number, stateId: number, keyBytes: Uint8Array, n: number, nsBytes: Uint8Array): Buffer {
  const h = keyGroup < 0 ? 0 : 4;
  const out = Buffer.allocUnsafe(h + n + nsBytes.length);
  if (h !== 0) {
    out[0] = keyGroup >>> 8;
    out[1] = keyGroup & 0xff;
    out[2] = stateId >>> 8;
    out[3] = stateId & 0xff;
  }
  // Keys and namespaces are a few bytes: a loop beats `set` (which needs a subarray view of the scratch).
  for (let i = 0; i < n; i++) out[h + i] = keyBytes[i]!;
  const o = h + n;
  for (let i = 0; i < nsBytes.length; i++) out[o + i] = nsBytes[i]!;
  return out;
}

/** The bytes of a namespace. @internal */
export function namespaceBytes(ns: StateNamespace): Buffer {
  return ns === VOID_NAMESPACE ? VOID_NS_BYTES : toBuffer(encodeValue(ns));
}

/** The prefix shared by all namespaces of one (key group, state, key). @internal */
export function keyPrefix(keyGroup: number, stateId: number, key: unknown): Buffer {
  return dbKey(keyGroup, stateId, key, EMPTY);
}

const EMPTY = new Uint8Array(0);

/** The first key after every key that starts with `prefix` (for `lt` bounds). @internal */
export function prefixEnd(prefix: Uint8Array): Buffer {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i]!++;
      return out.subarray(0, i + 1);
    }
  }
  throw new RangeError('a prefix of 0xff bytes has no upper bound');
}

/** The first key of a key group (a key group's range is `[groupStart(g), groupStart(g + 1))`). @internal */
export function groupStart(keyGroup: number): Buffer {
  return Buffer.from([keyGroup >>> 8, keyGroup & 0xff]);
}

/** A decoded LevelDB key. @internal */
export interface DecodedKey {
  readonly keyGroup: number;
  readonly stateId: number;
  readonly key: unknown;
  readonly namespace: StateNamespace;
}

/** Decodes a LevelDB key (the reader is reused by the caller across entries). @internal */
export function decodeDbKey(bytes: Uint8Array, reader: BinaryReader): DecodedKey {
  if (bytes.length < 6) throw new RangeError(`corrupt state key of ${bytes.length} bytes`);
  const keyGroup = (bytes[0]! << 8) | bytes[1]!;
  const stateId = (bytes[2]! << 8) | bytes[3]!;
  reader.reset(bytes.subarray(4));
  const key = reader.readValue();
  const namespace = reader.readValue() as StateNamespace;
  if (reader.remaining !== 0) throw new RangeError('corrupt state key: trailing bytes');
  return { keyGroup, stateId, key, namespace };
}

// One writer for all value encodings of the thread: header and body go into it, then one copy into a pooled
// Buffer (`encodeValue` would allocate and copy twice per value). Write-back is synchronous, so it is never
// re-entered; a value whose encoding calls back into this function cannot happen (canonical values are data).
let valueWriter = new BinaryWriter(4096);

/** Encodes a LevelDB value. @internal */
export function encodeDbValue(valueVersion: number, mapKeyVersion: number, canonical: unknown): Buffer {
  const w = valueWriter;
  try {
    w.writeUint8(valueVersion);
    w.writeUint8(mapKeyVersion);
    w.writeValue(canonical);
    const out = Buffer.allocUnsafe(w.length);
    out.set(w.view());
    return out;
  } finally {
    w.reset();
    // Do not pin the buffer of one huge value (a long list) for the life of the thread.
    if (w.capacity > 1 << 20) valueWriter = new BinaryWriter(4096);
  }
}

/** A decoded LevelDB value. @internal */
export interface DecodedValue {
  readonly valueVersion: number;
  readonly mapKeyVersion: number;
  readonly canonical: unknown;
}

/** Decodes a LevelDB value (with a caller's reader when decoding many). @internal */
export function decodeDbValue(bytes: Uint8Array, reader?: BinaryReader): DecodedValue {
  if (bytes.length < 3) throw new RangeError(`corrupt state value of ${bytes.length} bytes`);
  let canonical: unknown;
  if (reader === undefined) canonical = decodeValue(bytes.subarray(2));
  else {
    reader.reset(bytes.subarray(2));
    canonical = reader.readValue();
    if (reader.remaining !== 0) throw new RangeError('corrupt state value: trailing bytes');
  }
  return { valueVersion: bytes[0]!, mapKeyVersion: bytes[1]!, canonical };
}

/** Checks that a serializer version fits the one-byte version field. @internal */
export function checkVersion(stateName: string, version: number): number {
  if (!Number.isInteger(version) || version < 1 || version > 255) {
    throw new RangeError(`state '${stateName}': serializer version ${version} is outside 1..255`);
  }
  return version;
}
