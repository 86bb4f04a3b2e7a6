// BinaryWriter: appends primitives and generic values to one growable buffer. This is the encode half of the
// hottest path in Runnel: the exchange writes a batch of records here, `take()`s the bytes as a transferable
// ArrayBuffer and posts it to another worker. Everything is synchronous and allocation-free per record except
// where the value itself needs it (new shapes, growth).

import { compileEncoder, type ShapeEncoder } from './shape-codegen.js';
import { notPlainData } from './describe-value.js';
import { utf8Length, utf8Write } from './utf8.js';
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

const DEFAULT_CAPACITY = 64 * 1024;
// Strings up to this many UTF-16 units are copied by a JS loop (ASCII fast path); longer ones go through the
// native UTF-8 writer, whose call overhead (~100 ns) only pays off for longer strings (measured on Node 20).
const SHORT_STRING = 32;
// Above this length, reserving 3 bytes per UTF-16 unit could over-allocate a lot: measure exactly first.
const LONG_STRING = 1 << 16;
// Generate a per-shape encoder once a shape has been written this many times (one-off shapes stay generic).
const COMPILE_AFTER_USES = 4;
const MAX_COMPILED_SHAPES = 1024;
// The shape trie outlives batches (it is a cache of key lists); drop it on reset when it grows past this size.
const MAX_TRIE_NODES = 50_000;
const TWO_POW_32 = 4294967296;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
// Integers in [-2^52, 2^52) zig-zag into a safe (< 2^53) varint; larger ones are written as doubles.
const MAX_ZIGZAG = 2 ** 52;

/**
 * A node of the writer's shape trie: the key list from the root to here. Ids are per batch (an `epoch` stamp
 * says whether `id` belongs to the current batch), so `reset()` forgets the table in O(1) while the trie and the
 * compiled encoders survive for the next batch.
 */
class ShapeNode {
  id = -1;
  epoch = 0;
  uses = 0;
  encode: ShapeEncoder | undefined = undefined;
  // Children: the first one inline (most prefixes have a single continuation), the rest in a map.
  k1: string | undefined = undefined;
  n1: ShapeNode | undefined = undefined;
  more: Map<string, ShapeNode> | undefined = undefined;
  // The key list is materialised only for nodes that end an object: inner nodes of a wide object would
  // otherwise cost O(keys^2) memory.
  private keyList: string[] | undefined;
  constructor(
    readonly parent: ShapeNode | undefined,
    readonly key: string,
  ) {
    this.keyList = parent === undefined ? [] : undefined;
  }

  get keys(): readonly string[] {
    if (this.keyList === undefined) {
      const keys: string[] = [];
      for (let n: ShapeNode | undefined = this; n !== undefined && n.parent !== undefined; n = n.parent) keys.push(n.key);
      this.keyList = keys.reverse();
    }
    return this.keyList;
  }
}

/**
 * Appends binary data to a growable buffer (doubling, one copy per growth).
 *
 * Multi-byte numbers are little-endian. Varints are unsigned LEB128. Strings and byte arrays are prefixed by
 * their byte length as a varint. `writeValue` writes a self-describing tagged encoding (format `runnel.generic`
 * version 1) whose plain objects use a per-batch shape table; a batch (everything between two `reset()`/`take()`
 * calls) can therefore only be decoded as a whole, from its start, by one {@link BinaryReader}.
 *
 * Not thread-safe and not reentrant; use one writer per producer.
 *
 * @public
 */
export class BinaryWriter {
  private buf: Buffer;
  private dv: DataView;
  private pos = 0;
  private epoch = 1;
  private shapeCount = 0;
  private root = new ShapeNode(undefined, '');
  private trieNodes = 1;
  private compiledShapes = 0;

  /** @param initialCapacity - initial buffer size in bytes (default 64 KiB); the buffer doubles when full. */
  constructor(initialCapacity: number = DEFAULT_CAPACITY) {
    const cap = Math.max(16, Math.floor(initialCapacity) || 0);
    this.buf = Buffer.allocUnsafeSlow(cap);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, cap);
  }

  /** Number of bytes written since the last reset. */
  get length(): number {
    return this.pos;
  }

  /** Current buffer capacity in bytes. */
  get capacity(): number {
    return this.buf.length;
  }

  /** Empties the writer (capacity is kept) and forgets the object-shape table: the next batch starts afresh. */
  reset(): void {
    this.pos = 0;
    this.shapeCount = 0;
    this.epoch++;
    if (this.trieNodes > MAX_TRIE_NODES) {
      this.root = new ShapeNode(undefined, '');
      this.trieNodes = 1;
      this.compiledShapes = 0;
    }
  }

  /** Copies the written bytes into a fresh, exactly-sized ArrayBuffer (transferable) and resets the writer. */
  take(): ArrayBuffer {
    // allocUnsafeSlow gives an unpooled, exactly-sized, not zero-filled ArrayBuffer: `ArrayBuffer#slice` would
    // zero-fill before copying (measured ~15% of encoding time for 200-byte records).
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.reset();
    return out.buffer as ArrayBuffer;
  }

  /** A view of the written bytes (no copy; valid until the next write or reset). */
  view(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.pos);
  }

  private ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = Buffer.allocUnsafeSlow(cap);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.dv = new DataView(next.buffer, next.byteOffset, cap);
  }

  /** Writes one byte (`v & 0xff`). */
  writeUint8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  /** Writes a little-endian 32-bit signed integer. */
  writeInt32(v: number): void {
    this.ensure(4);
    this.dv.setInt32(this.pos, v, true);
    this.pos += 4;
  }

  /** Writes a little-endian 32-bit unsigned integer. */
  writeUint32(v: number): void {
    this.ensure(4);
    this.dv.setUint32(this.pos, v, true);
    this.pos += 4;
  }

  /** Writes a little-endian IEEE 754 double. */
  writeFloat64(v: number): void {
    this.ensure(8);
    this.dv.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /**
   * Writes a non-negative integer below 2^53 as an unsigned LEB128 varint (1 byte below 128, at most 8 bytes).
   *
   * @throws RangeError for negative, fractional or unsafe numbers.
   */
  writeVarUint(v: number): void {
    if (v >>> 0 === v) {
      this.ensure(5);
      this.putVarUint32(v);
    } else if (v >= 0 && v <= MAX_SAFE && Math.floor(v) === v) {
      this.ensure(8);
      this.putVarUint53(v);
    } else {
      throw new RangeError(`writeVarUint expects an integer in [0, 2^53), got ${v}`);
    }
  }

  /** Unchecked: `v` is a uint32 and 5 bytes are available. */
  private putVarUint32(v: number): void {
    const buf = this.buf;
    let p = this.pos;
    while (v >= 0x80) {
      buf[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[p++] = v;
    this.pos = p;
  }

  /** Unchecked: `v` is an integer in [2^32, 2^53) and 8 bytes are available. */
  private putVarUint53(v: number): void {
    const buf = this.buf;
    let p = this.pos;
    // Bit operators are 32-bit: the low 28 bits as four groups, then the rest (< 2^25) as one uint32.
    let lo = v >>> 0;
    const hi = (v - lo) / TWO_POW_32;
    buf[p++] = (lo & 0x7f) | 0x80;
    buf[p++] = ((lo >>> 7) & 0x7f) | 0x80;
    buf[p++] = ((lo >>> 14) & 0x7f) | 0x80;
    buf[p++] = ((lo >>> 21) & 0x7f) | 0x80;
    let rest = (lo >>> 28) | (hi << 4);
    while (rest >= 0x80) {
      buf[p++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    buf[p++] = rest;
    this.pos = p;
  }

  /** Writes a string as varint byte length + UTF-8 (lone surrogates become U+FFFD). */
  writeString(s: string): void {
    const n = s.length;
    if (n <= SHORT_STRING) {
      // Prefix 1 byte (n < 128); ASCII strings are written in place; the first non-ASCII char falls back.
      this.ensure(1 + n);
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === n) {
        buf[start - 1] = n;
        this.pos = start + n;
        return;
      }
    }
    this.writeLongString(s, n);
  }

  private writeLongString(s: string, n: number): void {
    if (n > LONG_STRING) {
      const bytes = utf8Length(s);
      this.writeVarUint(bytes);
      this.ensure(bytes);
      this.pos += utf8Write(this.buf, s, this.pos);
      return;
    }
    // The byte length is at least n; guess the prefix size from n, and shift the bytes in the rare case where
    // multi-byte characters push the length over a varint size boundary.
    const guess = varUintSize(n);
    this.ensure(5 + 3 * n);
    const start = this.pos + guess;
    const written = utf8Write(this.buf, s, start);
    const actual = varUintSize(written);
    if (actual !== guess) this.buf.copyWithin(this.pos + actual, start, start + written);
    this.writeVarUint(written);
    this.pos += written;
  }

  /** Writes a byte array as varint length + bytes. */
  writeBytes(b: Uint8Array): void {
    const n = b.length;
    this.writeVarUint(n);
    this.ensure(n);
    this.buf.set(b, this.pos);
    this.pos += n;
  }

  /**
   * Writes any plain-data value in the tagged generic encoding; {@link BinaryReader.readValue} reads it back.
   *
   * Supported: undefined, null, booleans, numbers (all of them, including -0, NaN and ±Infinity), strings,
   * bigints, Date, Uint8Array (and Buffer), dense arrays (holes become undefined), plain objects (prototype
   * `Object.prototype` or null; own and inherited enumerable string keys, in enumeration order), Map, Set.
   *
   * @throws TypeError for functions, symbols and objects with any other prototype (class instances), naming what
   *   was found; Error when containers nest deeper than {@link MAX_VALUE_DEPTH} (also the symptom of a cycle).
   *   After a throw the batch is incomplete: `reset()` the writer.
   */
  writeValue(v: unknown): void {
    this._writeValue(v, 0);
  }

  /**
   * `writeValue` at a nesting depth; called by generated shape encoders.
   *
   * @internal
   */
  _writeValue(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'number':
        this.writeNumber(v);
        return;
      case 'string':
        this.ensure(1);
        this.buf[this.pos++] = TAG_STRING;
        this.writeString(v);
        return;
      case 'object':
        if (v === null) {
          this.ensure(1);
          this.buf[this.pos++] = TAG_NULL;
        } else {
          this.writeObjectValue(v, depth);
        }
        return;
      case 'boolean':
        this.ensure(1);
        this.buf[this.pos++] = v ? TAG_TRUE : TAG_FALSE;
        return;
      case 'undefined':
        this.ensure(1);
        this.buf[this.pos++] = TAG_UNDEFINED;
        return;
      case 'bigint':
        this.writeBigInt(v);
        return;
      default:
        throw notPlainData(v);
    }
  }

  private writeNumber(v: number): void {
    this.ensure(10);
    const i = v | 0;
    if (i === v) {
      if (i >= 0) {
        if (i < 0x80 && (i !== 0 || 1 / v > 0)) {
          this.buf[this.pos++] = TAG_FIXINT | i;
          return;
        }
        if (i === 0) {
          this.writeDouble(v); // -0
          return;
        }
      }
      this.buf[this.pos++] = TAG_INT;
      this.putVarUint32(((i << 1) ^ (i >> 31)) >>> 0);
      return;
    }
    if (Math.floor(v) === v && v < MAX_ZIGZAG && v >= -MAX_ZIGZAG) {
      this.buf[this.pos++] = TAG_INT;
      // |v| >= 2^31 here, so the zig-zag value is at least 2^32.
      this.putVarUint53(v >= 0 ? v * 2 : -2 * v - 1);
      return;
    }
    this.writeDouble(v);
  }

  private writeDouble(v: number): void {
    this.buf[this.pos] = TAG_FLOAT64;
    this.dv.setFloat64(this.pos + 1, v, true);
    this.pos += 9;
  }

  private writeBigInt(v: bigint): void {
    this.writeUint8(TAG_BIGINT);
    const negative = v < 0n;
    let hex = (negative ? -v : v).toString(16);
    if (hex.length % 2 === 1) hex = '0' + hex;
    const n = hex.length / 2;
    this.writeUint8(negative ? 1 : 0);
    this.writeVarUint(n);
    this.ensure(n);
    // Little-endian magnitude bytes.
    for (let i = 0; i < n; i++) {
      const at = hex.length - 2 * (i + 1);
      this.buf[this.pos++] = parseInt(hex.slice(at, at + 2), 16);
    }
  }

  private writeObjectValue(v: object, depth: number): void {
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto === Object.prototype) {
      this.writePlainObject(v as Record<string, unknown>, depth);
    } else if (Array.isArray(v)) {
      this.writeArray(v, depth);
    } else if (proto === null) {
      this.writeUint8(TAG_NULL_PROTO);
      this.writePlainObject(v as Record<string, unknown>, depth);
    } else if (v instanceof Uint8Array) {
      this.writeUint8(TAG_BYTES);
      this.writeBytes(v);
    } else if (v instanceof Date) {
      this.ensure(9);
      this.buf[this.pos] = TAG_DATE;
      this.dv.setFloat64(this.pos + 1, v.getTime(), true);
      this.pos += 9;
    } else if (v instanceof Map) {
      checkDepth(depth);
      this.writeUint8(TAG_MAP);
      this.writeVarUint(v.size);
      for (const [key, value] of v) {
        this._writeValue(key, depth + 1);
        this._writeValue(value, depth + 1);
      }
    } else if (v instanceof Set) {
      checkDepth(depth);
      this.writeUint8(TAG_SET);
      this.writeVarUint(v.size);
      for (const value of v) this._writeValue(value, depth + 1);
    } else {
      throw notPlainData(v);
    }
  }

  private writeArray(v: unknown[], depth: number): void {
    checkDepth(depth);
    const n = v.length;
    this.ensure(1);
    this.buf[this.pos++] = TAG_ARRAY;
    this.writeVarUint(n);
    for (let i = 0; i < n; i++) this._writeValue(v[i], depth + 1);
  }

  private writePlainObject(v: Record<string, unknown>, depth: number): void {
    checkDepth(depth);
    // Walk the trie along the object's keys. `for...in` uses V8's enum cache and allocates nothing; comparing
    // with the inline child is a pointer comparison for internalized property names.
    let node = this.root;
    for (const k in v) {
      node = node.k1 === k ? node.n1! : this.childOf(node, k);
    }
    const keys = node.keys;
    if (node.epoch === this.epoch) {
      this.ensure(6);
      this.buf[this.pos++] = TAG_OBJECT_REF;
      this.putVarUint32(node.id);
    } else {
      node.epoch = this.epoch;
      node.id = this.shapeCount++;
      this.ensure(1);
      this.buf[this.pos++] = TAG_OBJECT_DEF;
      this.writeVarUint(keys.length);
      for (let i = 0; i < keys.length; i++) this.writeString(keys[i]!);
    }
    const encode = node.encode;
    if (encode !== undefined) {
      encode(this, v, depth + 1);
      return;
    }
    if (++node.uses === COMPILE_AFTER_USES && this.compiledShapes < MAX_COMPILED_SHAPES) {
      node.encode = compileEncoder(keys);
      if (node.encode !== undefined) this.compiledShapes++;
    }
    for (let i = 0; i < keys.length; i++) this._writeValue(v[keys[i]!], depth + 1);
  }

  private childOf(node: ShapeNode, k: string): ShapeNode {
    if (node.k1 === undefined) {
      node.k1 = k;
      node.n1 = this.newNode(node, k);
      return node.n1;
    }
    node.more ??= new Map();
    let child = node.more.get(k);
    if (child === undefined) {
      child = this.newNode(node, k);
      node.more.set(k, child);
    }
    return child;
  }

  private newNode(parent: ShapeNode, k: string): ShapeNode {
    this.trieNodes++;
    return new ShapeNode(parent, k);
  }
}

function checkDepth(depth: number): void {
  if (depth >= MAX_VALUE_DEPTH) {
    throw new Error(
      `Cannot serialize a value nested deeper than ${MAX_VALUE_DEPTH} levels (is there a reference cycle?)`,
    );
  }
}

/** Bytes of the unsigned LEB128 encoding of `v` (v < 2^53). */
function varUintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}
