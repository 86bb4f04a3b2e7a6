import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter } from '../src/index.js';

describe('BinaryWriter / BinaryReader primitives', () => {
  it('round-trips fixed-width numbers, varints, strings and bytes in order', () => {
    const w = new BinaryWriter(16);
    w.writeUint8(0);
    w.writeUint8(255);
    w.writeInt32(-2147483648);
    w.writeInt32(2147483647);
    w.writeUint32(4294967295);
    w.writeFloat64(-0);
    w.writeFloat64(Math.PI);
    const varints = [0, 1, 127, 128, 16383, 16384, 2 ** 28 - 1, 2 ** 28, 2 ** 32 - 1, 2 ** 32, 2 ** 49 + 3, Number.MAX_SAFE_INTEGER];
    for (const v of varints) w.writeVarUint(v);
    const strings = ['', 'a', 'hello world', 'x'.repeat(32), 'y'.repeat(33), 'z'.repeat(200), 'héllo', '日本語テキスト', '😀 emoji', 'é'.repeat(70)];
    for (const s of strings) w.writeString(s);
    w.writeBytes(new Uint8Array([1, 2, 3]));
    w.writeBytes(new Uint8Array(0));

    const r = new BinaryReader(w.take());
    expect(r.readUint8()).toBe(0);
    expect(r.readUint8()).toBe(255);
    expect(r.readInt32()).toBe(-2147483648);
    expect(r.readInt32()).toBe(2147483647);
    expect(r.readUint32()).toBe(4294967295);
    expect(Object.is(r.readFloat64(), -0)).toBe(true);
    expect(r.readFloat64()).toBe(Math.PI);
    for (const v of varints) expect(r.readVarUint()).toBe(v);
    for (const s of strings) expect(r.readString()).toBe(s);
    expect(r.readBytes()).toEqual(new Uint8Array([1, 2, 3]));
    expect(r.readBytes()).toEqual(new Uint8Array(0));
    expect(r.remaining).toBe(0);
  });

  it('encodes varints as LEB128 with the expected sizes', () => {
    const w = new BinaryWriter();
    const sizes: [number, number][] = [[0, 1], [127, 1], [128, 2], [16383, 2], [16384, 3], [2 ** 32, 5], [Number.MAX_SAFE_INTEGER, 8]];
    for (const [v, size] of sizes) {
      w.writeVarUint(v);
      expect(w.length).toBe(size);
      w.reset();
    }
    w.writeVarUint(300);
    expect([...w.view()]).toEqual([0xac, 0x02]);
  });

  it('rejects varints outside [0, 2^53) and non-integers', () => {
    const w = new BinaryWriter();
    expect(() => w.writeVarUint(-1)).toThrow(RangeError);
    expect(() => w.writeVarUint(1.5)).toThrow(RangeError);
    expect(() => w.writeVarUint(2 ** 53)).toThrow(RangeError);
  });

  it('prefixes strings with their UTF-8 byte length, also across a varint size boundary', () => {
    const w = new BinaryWriter();
    // 100 UTF-16 units (1-byte prefix guess) but 200 UTF-8 bytes (2-byte prefix): the bytes must be shifted.
    const s = 'é'.repeat(100);
    w.writeString(s);
    const bytes = w.view();
    expect(bytes.length).toBe(202);
    expect([bytes[0], bytes[1]]).toEqual([0xc8, 0x01]);
    expect(Buffer.from(bytes.subarray(2)).toString('utf8')).toBe(s);
  });

  it('replaces lone surrogates with U+FFFD', () => {
    const w = new BinaryWriter();
    w.writeString('a\ud800b');
    w.writeString('\udc00'.repeat(40));
    const r = new BinaryReader(w.view());
    expect(r.readString()).toBe('a\ufffdb');
    expect(r.readString()).toBe('\ufffd'.repeat(40));
  });

  it('grows by doubling and keeps earlier bytes', () => {
    const w = new BinaryWriter(16);
    for (let i = 0; i < 10_000; i++) w.writeUint32(i);
    expect(w.length).toBe(40_000);
    expect(w.capacity).toBe(65_536);
    const r = new BinaryReader(w.view());
    for (let i = 0; i < 10_000; i++) expect(r.readUint32()).toBe(i);
  });

  it('take() returns an exactly-sized transferable copy and resets the writer', () => {
    const w = new BinaryWriter();
    w.writeString('abc');
    const taken = w.take();
    expect(taken).toBeInstanceOf(ArrayBuffer);
    expect(taken.byteLength).toBe(4);
    expect(w.length).toBe(0);
    // The copy is independent of the writer's buffer.
    w.writeString('xyz');
    expect(new BinaryReader(taken).readString()).toBe('abc');
    // And it can be transferred.
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(taken, [taken]);
    expect(taken.byteLength).toBe(0);
    port1.close();
    port2.close();
  });

  it('view() shows the written bytes without copying', () => {
    const w = new BinaryWriter();
    w.writeUint8(7);
    const v = w.view();
    expect([...v]).toEqual([7]);
    w.reset();
    w.writeUint8(9);
    expect(v[0]).toBe(9);
  });

  it('reads from a Uint8Array with an offset into a larger buffer', () => {
    const w = new BinaryWriter();
    w.writeString('inner');
    w.writeVarUint(123_456);
    const inner = w.view();
    const outer = new Uint8Array(inner.length + 10);
    outer.set(inner, 5);
    const r = new BinaryReader(outer.subarray(5, 5 + inner.length));
    expect(r.offset).toBe(0);
    expect(r.readString()).toBe('inner');
    expect(r.readVarUint()).toBe(123_456);
    expect(r.remaining).toBe(0);
  });

  it('readBytes returns a copy independent of the batch', () => {
    const w = new BinaryWriter();
    w.writeBytes(new Uint8Array([5, 6]));
    const batch = new Uint8Array(w.take());
    const got = new BinaryReader(batch).readBytes();
    batch.fill(0);
    expect([...got]).toEqual([5, 6]);
    expect(Buffer.isBuffer(got)).toBe(false);
  });

  it('throws on truncated or malformed input instead of returning garbage', () => {
    const w = new BinaryWriter();
    w.writeString('hello');
    const bytes = w.view().slice(0, 3);
    expect(() => new BinaryReader(bytes).readString()).toThrow(/Cannot decode/);
    expect(() => new BinaryReader(new Uint8Array(0)).readUint8()).toThrow(/Cannot decode/);
    expect(() => new BinaryReader(new Uint8Array([1, 2])).readInt32()).toThrow(/Cannot decode/);
    expect(() => new BinaryReader(new Uint8Array([0x80, 0x80])).readVarUint()).toThrow(/Cannot decode/);
    expect(() => new BinaryReader(new Uint8Array(9).fill(0xff)).readVarUint()).toThrow(/longer than 8 bytes/);
    expect(() => new BinaryReader(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f])).readVarUint()).toThrow(/above 2\^53/);
  });
});
