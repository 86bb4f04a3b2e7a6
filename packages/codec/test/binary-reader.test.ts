import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter, MAX_VALUE_DEPTH } from '../src/index.js';

function roundTrip(v: unknown): unknown {
  const w = new BinaryWriter();
  w.writeValue(v);
  const r = new BinaryReader(w.take());
  const out = r.readValue();
  expect(r.remaining).toBe(0);
  return out;
}

describe('writeValue / readValue', () => {
  it('round-trips primitives', () => {
    for (const v of [undefined, null, true, false, '', 'text', 0n, 1n, -1n]) {
      expect(roundTrip(v)).toBe(v);
    }
  });

  it('round-trips edge numbers exactly', () => {
    const numbers = [
      0, -0, 1, -1, 127, 128, -128, 255, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 32, -(2 ** 32) - 1, 2 ** 52, -(2 ** 52),
      2 ** 52 + 1, 2 ** 53, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 1_700_000_000_123, 0.1, -1.5,
      Number.EPSILON, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, NaN, Infinity, -Infinity,
    ];
    for (const v of numbers) expect(Object.is(roundTrip(v), v), `number ${v}`).toBe(true);
  });

  it('encodes small integers compactly', () => {
    const size = (v: unknown): number => {
      const w = new BinaryWriter();
      w.writeValue(v);
      return w.length;
    };
    expect(size(0)).toBe(1);
    expect(size(127)).toBe(1);
    expect(size(128)).toBe(3);
    expect(size(-1)).toBe(2);
    expect(size(-64)).toBe(2);
    expect(size(1_700_000_000_000)).toBe(7); // zig-zag varint of a millisecond timestamp
    expect(size(-0)).toBe(9);
    expect(size(0.5)).toBe(9);
  });

  it('round-trips unicode strings', () => {
    const strings = ['ascii', 'ünïcödé', '中文字符串', '🎉🚀 emoji', 'mixed ascii then 😀', '\u0000nul\u0000', 'x'.repeat(70_000) + 'é'];
    for (const s of strings) expect(roundTrip(s)).toBe(s);
  });

  it('replaces lone surrogates with U+FFFD', () => {
    expect(roundTrip('a\ud83d')).toBe('a\ufffd');
  });

  it('round-trips bigint of any size and sign', () => {
    for (const v of [2n ** 64n, -(2n ** 64n) + 1n, 123456789012345678901234567890n, -255n, 256n]) {
      expect(roundTrip(v)).toBe(v);
    }
  });

  it('round-trips Date, including invalid dates', () => {
    const d = new Date(1_700_000_000_123);
    const out = roundTrip(d) as Date;
    expect(out).toBeInstanceOf(Date);
    expect(out.getTime()).toBe(d.getTime());
    expect(Number.isNaN((roundTrip(new Date(NaN)) as Date).getTime())).toBe(true);
  });

  it('decodes Uint8Array and Buffer as plain Uint8Array', () => {
    const out = roundTrip(Buffer.from('bytes')) as Uint8Array;
    expect(Buffer.isBuffer(out)).toBe(false);
    expect(out).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(out).toString()).toBe('bytes');
    expect(roundTrip(new Uint8Array([0, 255, 1]))).toEqual(new Uint8Array([0, 255, 1]));
  });

  it('round-trips arrays; holes become undefined', () => {
    expect(roundTrip([1, 'a', null, [2, [3]]])).toEqual([1, 'a', null, [2, [3]]]);
    // eslint-disable-next-line no-sparse-arrays
    const holey = [1, , 3];
    const out = roundTrip(holey) as unknown[];
    expect(out).toHaveLength(3);
    expect(1 in out).toBe(true);
    expect(out[1]).toBeUndefined();
  });

  it('round-trips plain objects, keeping key order, undefined values and __proto__ as an own key', () => {
    const o = { b: 1, a: { nested: [1, 2] }, u: undefined, '': 'empty key', 2: 'int key' };
    const out = roundTrip(o) as Record<string, unknown>;
    expect(out).toEqual(o);
    expect(Object.keys(out)).toEqual(Object.keys(o));
    expect('u' in out).toBe(true);
    const tricky = JSON.parse('{"__proto__": {"polluted": true}, "x": 1}') as Record<string, unknown>;
    const back = roundTrip(tricky) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.keys(back)).toEqual(['__proto__', 'x']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('round-trips null-prototype objects', () => {
    const o = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    const out = roundTrip(o) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(out['a']).toBe(1);
  });

  it('round-trips Map and Set with any keys', () => {
    const m = new Map<unknown, unknown>([[1, 'one'], ['k', { v: 2 }], [null, [1]]]);
    expect(roundTrip(m)).toEqual(m);
    const s = new Set([1, 'two', 3n]);
    expect(roundTrip(s)).toEqual(s);
  });

  it('writes a shape once per batch and refers to it afterwards', () => {
    const w = new BinaryWriter();
    w.writeValue({ auction: 1, price: 2 });
    const first = w.length;
    w.writeValue({ auction: 3, price: 4 });
    const second = w.length - first;
    // tag + id + two fixints: the keys are not repeated.
    expect(second).toBe(4);
    expect(first).toBeGreaterThan(second + 'auction'.length);
  });

  it('decodes many objects with shared and different shapes in one batch', () => {
    const values: unknown[] = [];
    for (let i = 0; i < 500; i++) {
      switch (i % 5) {
        case 0: values.push({ key: i, ts: 1_700_000_000_000 + i, count: i % 7 }); break;
        case 1: values.push({ ts: i, key: `k${i}`, count: -i }); break; // same keys, other order: another shape
        case 2: values.push({ user: { id: i, tags: ['a', 'b'] }, at: new Date(i) }); break;
        case 3: values.push([{ key: i, ts: 0, count: 1 }, { x: i }]); break;
        default: values.push({}); break;
      }
    }
    const w = new BinaryWriter();
    for (const v of values) w.writeValue(v);
    const r = new BinaryReader(w.take());
    const out: unknown[] = [];
    while (r.remaining > 0) out.push(r.readValue());
    expect(out).toEqual(values);
    for (let i = 0; i < values.length; i++) {
      expect(Object.keys(out[i] as object)).toEqual(Object.keys(values[i] as object));
    }
  });

  it('makes every batch decodable on its own (shape ids restart per batch)', () => {
    const w = new BinaryWriter();
    w.writeValue({ a: 1, b: 'x' });
    w.writeValue({ c: true });
    const batch1 = w.take();
    w.writeValue({ c: false });
    w.writeValue({ a: 2, b: 'y' });
    const batch2 = w.take();

    // Decode the second batch first, with a fresh reader, then the first with a reused one.
    const r2 = new BinaryReader(batch2);
    expect([r2.readValue(), r2.readValue()]).toEqual([{ c: false }, { a: 2, b: 'y' }]);
    const r = new BinaryReader(batch1);
    expect([r.readValue(), r.readValue()]).toEqual([{ a: 1, b: 'x' }, { c: true }]);
    r.reset(batch2);
    expect([r.readValue(), r.readValue()]).toEqual([{ c: false }, { a: 2, b: 'y' }]);
  });

  it('forgets shapes on reset(): a reference to an unknown shape is rejected', () => {
    const w = new BinaryWriter();
    w.writeValue({ a: 1 });
    w.writeValue({ a: 2 });
    const bytes = new Uint8Array(w.take());
    const firstLength = 1 + 1 + 1 + 1 + 1 + 1; // tag, id-less def: count, key len, 'a', value
    const r = new BinaryReader(bytes.subarray(firstLength - 1));
    expect(() => r.readValue()).toThrow(/unknown object shape/);
  });

  it('handles wide objects and objects used as dictionaries (a new key list per object)', () => {
    const wide: Record<string, number> = {};
    for (let i = 0; i < 5000; i++) wide[`k${i}`] = i;
    expect(roundTrip(wide)).toEqual(wide);
    const w = new BinaryWriter();
    const dicts: Record<string, number>[] = [];
    for (let i = 0; i < 2000; i++) dicts.push({ [`user-${i}`]: i, [`user-${i + 1}`]: -i });
    for (const d of dicts) w.writeValue(d);
    const r = new BinaryReader(w.take());
    for (const d of dicts) expect(r.readValue()).toEqual(d);
  });

  it('gives equal-shaped decoded objects the same key order and prototype', () => {
    const w = new BinaryWriter();
    for (let i = 0; i < 20; i++) w.writeValue({ z: i, y: `s${i}`, x: [i] });
    const r = new BinaryReader(w.take());
    const objs: object[] = [];
    while (r.remaining > 0) objs.push(r.readValue() as object);
    for (const o of objs) {
      expect(Object.keys(o)).toEqual(['z', 'y', 'x']);
      expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    }
  });

  it('throws a TypeError naming class instances, functions and symbols', () => {
    class Order {
      constructor(readonly id: number) {}
    }
    const w = new BinaryWriter();
    expect(() => w.writeValue(new Order(1))).toThrow(TypeError);
    expect(() => w.writeValue(new Order(1))).toThrow(/instance of Order.*records must be plain data/);
    expect(() => w.writeValue({ nested: [function namedFn() {}] })).toThrow(/function namedFn.*plain data/);
    expect(() => w.writeValue(() => 1)).toThrow(TypeError);
    expect(() => w.writeValue(Symbol('sym'))).toThrow(/Symbol\(sym\).*plain data/);
    expect(() => w.writeValue(new Float32Array(2))).toThrow(/instance of Float32Array/);
    expect(() => w.writeValue(new Map([[1, new Order(2)]]))).toThrow(/instance of Order/);
  });

  it('accepts nesting up to the limit and throws beyond it, also for cycles', () => {
    const nest = (depth: number): unknown => {
      let v: unknown = 0;
      for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { v };
      return v;
    };
    expect(roundTrip(nest(MAX_VALUE_DEPTH))).toEqual(nest(MAX_VALUE_DEPTH));
    const w = new BinaryWriter();
    expect(() => w.writeValue(nest(MAX_VALUE_DEPTH + 1))).toThrow(/deeper than 1000/);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    w.reset();
    expect(() => w.writeValue(cyclic)).toThrow(/deeper than 1000/);
  });

  it('refuses hostile input: unknown tags, huge counts, excessive nesting', () => {
    expect(() => new BinaryReader(new Uint8Array([0x7e])).readValue()).toThrow(/unknown value tag/);
    // An array claiming 2^40 elements in a 7-byte input must fail before allocating.
    const w = new BinaryWriter();
    w.writeUint8(0x0a);
    w.writeVarUint(2 ** 40);
    expect(() => new BinaryReader(w.take()).readValue()).toThrow(/exceeds/);
    // 1001 nested one-element arrays.
    const deep = new Uint8Array(2 * (MAX_VALUE_DEPTH + 1) + 1);
    for (let i = 0; i < MAX_VALUE_DEPTH + 1; i++) deep.set([0x0a, 1], 2 * i);
    deep[deep.length - 1] = 0x80;
    expect(() => new BinaryReader(deep).readValue()).toThrow(/deeper than 1000/);
  });
});
