import { describe, expect, it } from 'vitest';
import { denormalizeKey, normalizeKey } from '../src/key-normalizer.js';

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

  it('rejects objects that are not tuples or dates', () => {
    expect(() => normalizeKey({ a: 1 })).toThrow(/unsupported state key type \[object Object\]/);
    expect(() => normalizeKey([1, { a: 1 }])).toThrow(/unsupported/);
  });
});
