// Key identity, shared by the state backends, the timers and key-group routing: equal keys (by value) map to one
// Map key and one hash, keys of different types never collide, and normalised keys decode back to equal keys.
import { describe, expect, it } from 'vitest';
import { denormalizeKey, normalizeKey } from '../../src/state/key-identity.js';
import { hashKey } from '../../src/state/key-groups.js';

describe('key normalisation', () => {
  it('keeps primitives as they are', () => {
    for (const k of [1, -2.5, 'a', '', true, false, 10n, null, undefined]) expect(normalizeKey(k)).toBe(k);
  });

  it('maps equal tuples and dates to equal primitives and back', () => {
    const a = normalizeKey(['x', 1, [true, null], new Date(5), 7n, undefined]);
    const b = normalizeKey(['x', 1, [true, null], new Date(5), 7n, undefined]);
    expect(typeof a).toBe('string');
    expect(a).toBe(b);
    expect(denormalizeKey(a)).toEqual(['x', 1, [true, null], new Date(5), 7n, undefined]);
    expect(denormalizeKey(normalizeKey(new Date(42)))).toEqual(new Date(42));
  });

  it('never lets keys of different types collide', () => {
    const keys = [1, '1', [1], ['1'], [[1]], new Date(1), '\u0001d1', '\u0001t["n1"]', [1, 2], [12]];
    const normalised = new Set(keys.map(normalizeKey));
    expect(normalised.size).toBe(keys.length);
    for (const k of keys) expect(denormalizeKey(normalizeKey(k))).toEqual(k);
  });

  it('plain objects are keys by value, whatever the order of their properties, nested in tuples too', () => {
    const a = { region: 'eu', app: { name: 'x', v: 2n }, tags: ['a', 1] };
    const b = { tags: ['a', 1], app: { v: 2n, name: 'x' }, region: 'eu' };
    expect(normalizeKey(a)).toBe(normalizeKey(b));
    expect(hashKey(a)).toBe(hashKey(b));
    expect(denormalizeKey(normalizeKey(a))).toEqual(a);
    expect(normalizeKey([1, { a: 1 }])).toBe(normalizeKey([1, { a: 1 }]));
    expect(normalizeKey({ a: undefined })).not.toBe(normalizeKey({}));
    expect(normalizeKey(Object.assign(Object.create(null), { a: 1 }))).toBe(normalizeKey({ a: 1 }));
  });

  it('awkward keys stay distinct: control characters, bigint-like values, tags inside strings, objects vs tuples', () => {
    const keys = [
      '\u0001',
      '\u0001s',
      '\u0000',
      '\u0001o["o"]',
      '\u0001d5',
      new Date(5),
      9007199254740993n,
      9007199254740992n,
      '9007199254740993',
      9007199254740992,
      1n,
      1,
      { 0: 1 },
      [1],
      { a: { b: 1 } },
      { a: [['b', 1]] },
      ['sa'],
      ['a'],
      [],
      {},
      '',
    ];
    const normalised = new Set(keys.map(normalizeKey));
    expect(normalised.size).toBe(keys.length);
    for (const k of keys) expect(denormalizeKey(normalizeKey(k))).toEqual(k);
  });

  it('rejects class instances, maps and functions, naming the type', () => {
    class Point {
      x = 1;
    }
    expect(() => normalizeKey(new Point())).toThrow(/unsupported state key type \[object Object\]/);
    expect(() => normalizeKey(new Map())).toThrow(/unsupported state key type \[object Map\]/);
    expect(() => normalizeKey([1, () => 1])).toThrow(/unsupported/);
    expect(() => hashKey(new Point())).toThrow(/unsupported key type/);
  });

});
