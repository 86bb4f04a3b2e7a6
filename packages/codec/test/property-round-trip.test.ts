// Property-style test: thousands of randomly generated nested values (seeded, so failures reproduce) must
// round-trip exactly, alone and many to a batch.
import { describe, expect, it } from 'vitest';
import { BinaryReader, BinaryWriter, decodeValue, encodeValue } from '../src/index.js';

function prng(seed: number): () => number {
  // mulberry32
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL_NUMBERS = [0, -0, NaN, Infinity, -Infinity, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e-300, 5e-324];
const KEYS = ['id', 'name', 'ts', 'value', 'tags', 'a', 'b', '0', '10', 'ключ', '__proto__', 'constructor', ''];

function generator(rand: () => number) {
  const int = (n: number): number => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const string = (): string => {
    const n = int(4) === 0 ? int(200) : int(12);
    let s = '';
    for (let i = 0; i < n; i++) {
      const r = rand();
      // Mostly ASCII, some Latin-1, CJK and astral characters (surrogate pairs).
      s += r < 0.8 ? String.fromCharCode(32 + int(95)) : r < 0.9 ? String.fromCharCode(0xa0 + int(0x60)) : r < 0.97 ? String.fromCharCode(0x4e00 + int(0x5000)) : String.fromCodePoint(0x1f300 + int(0x200));
    }
    return s;
  };
  const number = (): number => {
    switch (int(5)) {
      case 0: return int(128);
      case 1: return int(2 ** 31) - 2 ** 30;
      case 2: return Math.floor((rand() - 0.5) * 2 ** 53);
      case 3: return (rand() - 0.5) * 10 ** int(20);
      default: return pick(SPECIAL_NUMBERS);
    }
  };
  const value = (depth: number): unknown => {
    const leaf = depth >= 4 || rand() < 0.45;
    if (leaf) {
      switch (int(9)) {
        case 0: return pick([undefined, null, true, false]);
        case 1: case 2: return number();
        case 3: case 4: return string();
        case 5: return BigInt(int(2 ** 30)) ** BigInt(1 + int(4)) * (rand() < 0.5 ? -1n : 1n);
        case 6: return new Date(int(2 ** 42));
        case 7: return Uint8Array.from({ length: int(20) }, () => int(256));
        default: return int(100);
      }
    }
    switch (int(5)) {
      case 0: return Array.from({ length: int(6) }, () => value(depth + 1));
      case 1: return new Map(Array.from({ length: int(4) }, () => [value(depth + 1), value(depth + 1)] as const));
      case 2: return new Set(Array.from({ length: int(4) }, () => value(depth + 1)));
      default: {
        // Objects drawn from a small key pool, so shapes repeat (and sometimes differ only by order).
        const o: Record<string, unknown> = {};
        const n = int(5);
        for (let i = 0; i < n; i++) {
          const k = pick(KEYS);
          if (k === '__proto__') Object.defineProperty(o, k, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
          else o[k] = value(depth + 1);
        }
        return o;
      }
    }
  };
  return value;
}

/** Deep equality that also checks -0, NaN, key order, prototypes and value kinds. */
function assertSame(actual: unknown, expected: unknown, path = '$'): void {
  if (typeof expected !== 'object' || expected === null) {
    expect(Object.is(actual, expected), `${path}: ${String(actual)} vs ${String(expected)}`).toBe(true);
    return;
  }
  expect(typeof actual, path).toBe('object');
  const a = actual as object;
  if (expected instanceof Date) {
    expect(a, path).toBeInstanceOf(Date);
    expect(Object.is((a as Date).getTime(), expected.getTime()), path).toBe(true);
  } else if (expected instanceof Uint8Array) {
    expect(Buffer.isBuffer(a), path).toBe(false);
    expect([...(a as Uint8Array)], path).toEqual([...expected]);
  } else if (Array.isArray(expected)) {
    expect(Array.isArray(a), path).toBe(true);
    expect((a as unknown[]).length, path).toBe(expected.length);
    expected.forEach((v, i) => assertSame((a as unknown[])[i], v, `${path}[${i}]`));
  } else if (expected instanceof Map) {
    expect(a, path).toBeInstanceOf(Map);
    const entries = [...(a as Map<unknown, unknown>)];
    expect(entries.length, path).toBe(expected.size);
    [...expected].forEach(([k, v], i) => {
      // Map keys that are objects cannot be looked up by identity after decoding: compare pairs in order.
      assertSame(entries[i]![0], k, `${path}<key ${i}>`);
      assertSame(entries[i]![1], v, `${path}<value ${i}>`);
    });
  } else if (expected instanceof Set) {
    expect(a, path).toBeInstanceOf(Set);
    const items = [...(a as Set<unknown>)];
    expect(items.length, path).toBe(expected.size);
    [...expected].forEach((v, i) => assertSame(items[i], v, `${path}{${i}}`));
  } else {
    expect(Object.getPrototypeOf(a), path).toBe(Object.getPrototypeOf(expected));
    const keys = Object.keys(expected);
    expect(Object.keys(a), path).toEqual(keys);
    for (const k of keys) {
      assertSame((a as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${path}.${k}`);
    }
  }
}

describe('random nested values round-trip', () => {
  it('one value at a time through encodeValue/decodeValue (3,000 values)', () => {
    const value = generator(prng(20261121));
    for (let i = 0; i < 3000; i++) {
      const v = value(0);
      assertSame(decodeValue(encodeValue(v)), v);
    }
  });

  it('many values per batch through one writer and one reader, over several batches (5,000 values)', () => {
    const value = generator(prng(7));
    const w = new BinaryWriter(64);
    const r = new BinaryReader();
    for (let batch = 0; batch < 50; batch++) {
      const values = Array.from({ length: 100 }, () => value(0));
      for (const v of values) w.writeValue(v);
      r.reset(w.take());
      for (const v of values) assertSame(r.readValue(), v);
      expect(r.remaining).toBe(0);
    }
  });
});
