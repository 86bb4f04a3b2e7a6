// BinaryReader: the decode half of the codec. It reads what a BinaryWriter wrote, in the same order, and rebuilds
// the per-batch object-shape table as it meets shape definitions. Input may come from another thread or from
// disk, so every read is bounds-checked and lengths are validated before anything is allocated for them.

import { readerShapeFor, type ReaderShape } from './shape-codegen.js';
import { utf8Slice } from './utf8.js';
import {
  MAX_VALUE_DEPTH,
  TAG_ARRAY,
  TAG_BIGINT,
  TAG_BYTES,
  TAG_DATE,
  TAG_FALSE,
  TAG_FIXINT,
  TAG_FLOAT64,
  TAG_INT,
  TAG_MAP,
  TAG_NULL,
  TAG_NULL_PROTO,
  TAG_OBJECT_DEF,
  TAG_OBJECT_REF,
  TAG_SET,
  TAG_STRING,
  TAG_TRUE,
  TAG_UNDEFINED,
} from './value-tags.js';

// Strings up to this many bytes are decoded in JS (ASCII check + String.fromCharCode over a reused array);
// longer ones by the native UTF-8 decoder, whose per-call overhead (~70 ns) only pays off beyond ~10 bytes
// (measured on Node 20 with 6/10/14-byte strings: 16 / 15 / 8 M strings/s in JS vs ~11 M/s native).
const SHORT_STRING = 10;
const CHAR_SCRATCH: number[][] = Array.from({ length: SHORT_STRING + 1 }, (_, n) => new Array<number>(n).fill(0));
const EMPTY = Buffer.alloc(0);

function corrupt(message: string): RangeError {
  return new RangeError(`Cannot decode: ${message}`);
}

/**
 * Reads the binary formats written by {@link BinaryWriter}. Create one per consumer and `reset` it per batch.
 *
 * Malformed or truncated input raises a RangeError (`Cannot decode: ...`) rather than yielding garbage.
 *
 * @public
 */
export class BinaryReader {
  private buf: Buffer = EMPTY;
  private dv: DataView = new DataView(EMPTY.buffer, EMPTY.byteOffset, 0);
  private pos = 0;
  private end = 0;
  private shapes: ReaderShape[] = [];
  private shapeCount = 0;

  /** @param bytes - the batch to read; omit and call {@link BinaryReader.reset} later. */
  constructor(bytes?: Uint8Array | ArrayBuffer) {
    if (bytes !== undefined) this.reset(bytes);
  }

  /** Starts reading a new batch (no copy) and forgets the shape table of the previous one. */
  reset(bytes: Uint8Array | ArrayBuffer): void {
    const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    this.buf = Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
    this.dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
    this.pos = 0;
    this.end = u8.byteLength;
    this.shapeCount = 0;
    if (this.shapes.length > 1024) this.shapes = [];
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.end - this.pos;
  }

  /** Reads one unsigned byte. */
  readUint8(): number {
    if (this.pos >= this.end) throw corrupt('unexpected end of input');
    return this.buf[this.pos++]!;
  }

  /** Reads a little-endian 32-bit signed integer. */
  readInt32(): number {
    this.need(4);
    const v = this.dv.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Reads a little-endian 32-bit unsigned integer. */
  readUint32(): number {
    this.need(4);
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** Reads a little-endian IEEE 754 double. */
  readFloat64(): number {
    this.need(8);
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Reads an unsigned LEB128 varint (at most 8 bytes, value below 2^53). */
  readVarUint(): number {
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    if (p >= end) throw corrupt('unexpected end of input');
    let b = buf[p++]!;
    if (b < 0x80) {
      this.pos = p;
      return b;
    }
    // Bit operators are 32-bit: gather the low 28 bits and the high bits (at most 25) separately as int32s.
    let lo = b & 0x7f;
    let shift = 7;
    do {
      if (p >= end) throw corrupt('unexpected end of input');
      b = buf[p++]!;
      lo |= (b & 0x7f) << shift;
      shift += 7;
    } while (b >= 0x80 && shift < 28);
    if (b < 0x80) {
      this.pos = p;
      return lo;
    }
    let hi = 0;
    shift = 0;
    do {
      if (p >= end) throw corrupt('unexpected end of input');
      b = buf[p++]!;
      hi |= (b & 0x7f) << shift;
      shift += 7;
    } while (b >= 0x80 && shift < 28);
    if (b >= 0x80) throw corrupt('varint longer than 8 bytes');
    if (hi >= 0x2000000) throw corrupt('varint above 2^53');
    this.pos = p;
    return hi * 0x10000000 + lo;
  }

  /** Reads a length-prefixed UTF-8 string. */
  readString(): string {
    const n = this.readVarUint();
    const start = this.pos;
    if (n > this.end - start) throw corrupt(`string of ${n} bytes exceeds the input`);
    const end = start + n;
    this.pos = end;
    if (n <= SHORT_STRING) {
      const buf = this.buf;
      const codes = CHAR_SCRATCH[n]!;
      for (let i = 0; i < n; i++) {
        const c = buf[start + i]!;
        if (c >= 0x80) return utf8Slice(buf, start, end);
        codes[i] = c;
      }
      return String.fromCharCode.apply(null, codes);
    }
    return utf8Slice(this.buf, start, end);
  }

  /** Reads a length-prefixed byte array into a new Uint8Array (a copy, independent of the batch). */
  readBytes(): Uint8Array {
    const n = this.readVarUint();
    if (n > this.end - this.pos) throw corrupt(`byte array of ${n} bytes exceeds the input`);
    const out = new Uint8Array(n);
    this.buf.copy(out, 0, this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Reads one value written by {@link BinaryWriter.writeValue}. */
  readValue(): unknown {
    return this._readValue(0);
  }

  /**
   * `readValue` at a nesting depth; called by generated shape decoders.
   *
   * @internal
   */
  _readValue(depth: number): unknown {
    if (this.pos >= this.end) throw corrupt('unexpected end of input');
    const tag = this.buf[this.pos++]!;
    if (tag >= TAG_FIXINT) return tag - TAG_FIXINT;
    switch (tag) {
      case TAG_INT: {
        const u = this.readVarUint();
        if (u <= 0xffffffff) return (u >>> 1) ^ -(u & 1);
        const half = Math.floor(u / 2);
        return u === half * 2 ? half : -half - 1;
      }
      case TAG_STRING:
        return this.readString();
      case TAG_OBJECT_REF: {
        const id = this.readVarUint();
        if (id >= this.shapeCount) throw corrupt(`unknown object shape ${id}`);
        return this.shapes[id]!.decode(this, checkDepth(depth));
      }
      case TAG_OBJECT_DEF:
        return this.readShapeDefinition(checkDepth(depth));
      case TAG_FLOAT64:
        return this.readFloat64();
      case TAG_NULL:
        return null;
      case TAG_UNDEFINED:
        return undefined;
      case TAG_TRUE:
        return true;
      case TAG_FALSE:
        return false;
      case TAG_ARRAY: {
        const d = checkDepth(depth);
        const n = this.readCount();
        const out: unknown[] = [];
        for (let i = 0; i < n; i++) out.push(this._readValue(d));
        return out;
      }
      case TAG_MAP: {
        const d = checkDepth(depth);
        const n = this.readCount();
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const key = this._readValue(d);
          out.set(key, this._readValue(d));
        }
        return out;
      }
      case TAG_SET: {
        const d = checkDepth(depth);
        const n = this.readCount();
        const out = new Set<unknown>();
        for (let i = 0; i < n; i++) out.add(this._readValue(d));
        return out;
      }
      case TAG_DATE:
        return new Date(this.readFloat64());
      case TAG_BYTES:
        return this.readBytes();
      case TAG_BIGINT:
        return this.readBigInt();
      case TAG_NULL_PROTO: {
        const next = this.pos < this.end ? this.buf[this.pos] : -1;
        if (next !== TAG_OBJECT_DEF && next !== TAG_OBJECT_REF) throw corrupt('null-prototype marker without an object');
        const o = this._readValue(depth) as object;
        Object.setPrototypeOf(o, null);
        return o;
      }
      default:
        throw corrupt(`unknown value tag 0x${tag.toString(16)} at offset ${this.pos - 1}`);
    }
  }

  private readShapeDefinition(depth: number): unknown {
    const n = this.readCount();
    const keys: string[] = [];
    for (let i = 0; i < n; i++) keys.push(this.readString());
    const shape = readerShapeFor(keys);
    this.shapes[this.shapeCount++] = shape;
    return shape.decode(this, depth);
  }

  private readBigInt(): bigint {
    const negative = this.readUint8() === 1;
    const n = this.readCount();
    let hex = '';
    // Magnitude bytes are little-endian; build the hex digits most significant first.
    for (let i = this.pos + n - 1; i >= this.pos; i--) hex += this.buf[i]!.toString(16).padStart(2, '0');
    this.pos += n;
    const magnitude = n === 0 ? 0n : BigInt('0x' + hex);
    return negative ? -magnitude : magnitude;
  }

  /** A count of items that each take at least one byte: reject counts the input cannot hold before allocating. */
  private readCount(): number {
    const n = this.readVarUint();
    if (n > this.end - this.pos) throw corrupt(`count ${n} exceeds the remaining ${this.end - this.pos} bytes`);
    return n;
  }

  private need(n: number): void {
    if (this.end - this.pos < n) throw corrupt('unexpected end of input');
  }
}

function checkDepth(depth: number): number {
  if (depth >= MAX_VALUE_DEPTH) throw corrupt(`value nested deeper than ${MAX_VALUE_DEPTH} levels`);
  return depth + 1;
}
