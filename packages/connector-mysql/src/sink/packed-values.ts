// Bound values packed into bytes: how a sink stages a checkpoint's rows and how its committables travel. Staging
// rows as JS strings kept every value of a checkpoint alive until the commit, so the young-generation collector
// copied and promoted hundreds of thousands of small objects per checkpoint (43 % of the exactly-once sink's CPU in
// garbage collection); packed, a row's values are garbage as soon as they are written, and the staged rows are one
// buffer outside the JS heap, which is also the committable's serialized form (no JSON of every value).
// A value is a tag byte, then: nothing (NULL), a float64 (a number; integers up to 2^53 exactly, -0 written as 0 so
// equal keys have equal bytes), or a uint32 length and the bytes (a string as UTF-8, or raw bytes). Little-endian.
import type { MySqlBindValue } from '../types/mysql-types.js';

const NULL = 0;
const NUMBER = 1;
const STRING = 2;
const BYTES = 3;

/**
 * A growing byte buffer that values are packed into (reused: `reset` keeps the memory).
 *
 * @internal
 */
export class PackedWriter {
  buf: Buffer;
  pos = 0;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  reset(): void {
    this.pos = 0;
  }

  /** Room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  write(v: MySqlBindValue): void {
    if (v === null) {
      this.ensure(1);
      this.buf[this.pos++] = NULL;
    } else if (typeof v === 'string') {
      // UTF-8 takes at most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
      this.ensure(5 + v.length * 3);
      const n = this.buf.write(v, this.pos + 5, 'utf8');
      this.buf[this.pos] = STRING;
      this.buf.writeUInt32LE(n, this.pos + 1);
      this.pos += 5 + n;
    } else if (typeof v === 'number') {
      this.ensure(9);
      this.buf[this.pos] = NUMBER;
      this.buf.writeDoubleLE(v === 0 ? 0 : v, this.pos + 1);
      this.pos += 9;
    } else {
      this.ensure(5 + v.length);
      this.buf[this.pos] = BYTES;
      this.buf.writeUInt32LE(v.length, this.pos + 1);
      v.copy(this.buf, this.pos + 5);
      this.pos += 5 + v.length;
    }
  }

  /** A copy of the bytes written. */
  take(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

/**
 * Packs rows of bound values (version 1 committables; tests).
 *
 * @internal
 */
export function packValues(values: readonly MySqlBindValue[]): Buffer {
  const w = new PackedWriter(1024);
  for (const v of values) w.write(v);
  return w.take();
}

/**
 * Reads `count` values from `bytes` at `offset` into `out` (from index 0); returns the offset after them. Bytes are
 * copies (never views of `bytes`).
 *
 * @internal
 */
export function unpackValues(bytes: Uint8Array, offset: number, count: number, out: MySqlBindValue[]): number {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = offset;
  for (let i = 0; i < count; i++) {
    const tag = b[p];
    if (tag === NULL) {
      out[i] = null;
      p += 1;
    } else if (tag === NUMBER) {
      out[i] = b.readDoubleLE(p + 1);
      p += 9;
    } else if (tag === STRING) {
      const n = b.readUInt32LE(p + 1);
      out[i] = b.toString('utf8', p + 5, p + 5 + n);
      p += 5 + n;
    } else {
      const n = b.readUInt32LE(p + 1);
      out[i] = Buffer.from(b.subarray(p + 5, p + 5 + n));
      p += 5 + n;
    }
  }
  return p;
}

/**
 * The offset after `count` values starting at `offset` (their sizes, without decoding them).
 *
 * @internal
 */
export function skipValues(bytes: Uint8Array, offset: number, count: number): number {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = offset;
  for (let i = 0; i < count; i++) {
    const tag = b[p];
    p += tag === NULL ? 1 : tag === NUMBER ? 9 : 5 + b.readUInt32LE(p + 1);
  }
  return p;
}

/**
 * Checks that `bytes` hold exactly `count` well-formed values (tags known, lengths inside the buffer); used when a
 * committable is restored, so that a corrupt payload fails there instead of becoming wrong rows.
 *
 * @returns a reason when they do not
 * @internal
 */
export function checkPacked(bytes: Uint8Array, count: number): string | undefined {
  const b = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p >= b.length) return `${count} values expected, ${i} found`;
    const tag = b[p]!;
    if (tag === NULL) p += 1;
    else if (tag === NUMBER) p += 9;
    else if (tag === STRING || tag === BYTES) {
      if (p + 5 > b.length) return `value ${i} is cut off`;
      p += 5 + b.readUInt32LE(p + 1);
    } else return `value ${i} has an unknown tag ${tag}`;
    if (p > b.length) return `value ${i} is cut off`;
  }
  if (p !== b.length) return `${b.length - p} bytes after the ${count} values`;
  return undefined;
}
