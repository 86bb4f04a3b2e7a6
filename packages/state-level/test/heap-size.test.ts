// The heap-size estimate behind `cache-memory`: V8's layouts on 64-bit Node (8-byte fields), Smis free, large
// collections sampled and extrapolated. How close it comes to measured heap per resident key is in the README.
import { describe, expect, it } from 'vitest';
import { heapSize } from '../src/heap-size.js';

describe('heapSize', () => {
  it('counts Smis, booleans and nullish values as free and boxes the other numbers', () => {
    for (const v of [0, 1, -5, 2 ** 31 - 1, true, false, undefined, null]) expect(heapSize(v), String(v)).toBe(0);
    for (const v of [0.5, 2 ** 31, -(2 ** 40), Number.NaN]) expect(heapSize(v), String(v)).toBe(16);
  });

  it('sizes strings and bigints by length', () => {
    expect(heapSize('')).toBe(16);
    expect(heapSize('abc')).toBe(24);
    expect(heapSize('x'.repeat(100))).toBe(16 + 104);
    expect(heapSize(5n)).toBe(24);
    expect(heapSize(-(2n ** 64n))).toBe(32);
    expect(heapSize(2n ** 200n)).toBe(16 + 4 * 8);
  });

  it('adds up arrays, objects, maps and sets with their elements', () => {
    expect(heapSize([])).toBe(48);
    expect(heapSize([1, 2, 3])).toBe(48 + 24);
    expect(heapSize([0, 5n, 2])).toBe(48 + 24 + 24);
    expect(heapSize([2, 2, [0, 5n, 2]])).toBe(72 + 96);
    expect(heapSize({ a: 1, b: 'xy' })).toBe(24 + 16 + 24);
    expect(heapSize(new Map([[1, 'ab']]))).toBe(64 + 32 + 24);
    expect(heapSize(new Set([1, 2]))).toBe(64 + 64);
    expect(heapSize(new Uint8Array(10))).toBe(160 + 10);
    expect(heapSize(new Date(0))).toBe(48);
  });

  it('samples large collections and extrapolates, exactly for uniform elements', () => {
    const strings = Array.from({ length: 1000 }, (_, i) => `s${String(i).padStart(5, '0')}`); // 6 chars each
    expect(heapSize(strings)).toBe(48 + 8 * 1000 + 24 * 1000);
    const map = new Map(Array.from({ length: 500 }, (_, i) => [i, [i, i]] as const));
    expect(heapSize(map)).toBe(64 + 32 * 500 + 64 * 500);
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 0.5]));
    expect(heapSize(wide)).toBe(24 + 8 * 40 + 16 * 40);
  });

  it('stops at a bounded depth (state values are data, not deep graphs)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(heapSize(deep)).toBeLessThan(100 * 56);
  });
});
