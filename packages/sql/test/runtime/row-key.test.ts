import { describe, expect, it } from 'vitest';
import { RowKind, type Row } from '@runnel/api/table';
import { hashKey, normalizeKey } from '@runnel/api/state';
import { rowKeySelector } from '../../src/runtime/row-key.js';

const row = (...fields: unknown[]): Row => ({ kind: RowKind.INSERT, fields });
/** The state backend's identity of the key of `fields` under a selector of all its fields. */
const identity = (fields: unknown[]): unknown => normalizeKey(rowKeySelector(fields.map((_, i) => i))(row(...fields)));

describe('SQL row keys', () => {
  it('uses a single scalar field as it is; a safe-integer bigint as its number, a larger one as the bigint', () => {
    const one = rowKeySelector([1]);
    expect(one(row('x', 'abc'))).toBe('abc');
    expect(one(row('x', 7))).toBe(7);
    expect(one(row('x', 42n))).toBe(42);
    expect(one(row('x', -(2n ** 53n) + 1n))).toBe(-(2 ** 53) + 1);
    expect(one(row('x', 2n ** 53n))).toBe(2n ** 53n);
    expect(one(row('x', 2n ** 63n - 1n))).toBe(2n ** 63n - 1n);
    expect(one(row('x', -(2n ** 63n)))).toBe(-(2n ** 63n));
    expect(one(row('x', null))).toBe(null);
    expect(one(row('x', new Uint8Array([1, 255])))).toBe('\u000201ff');
    expect(rowKeySelector([])(row(1))).toBe(0);
  });

  it('gives equal composite keys for equal field values, and different keys for different ones', () => {
    const values: unknown[] = [
      null, undefined, true, false, 0, -0, 1, -1, 1.5, 1e21, -1e-7, NaN, Infinity, -Infinity, 2 ** 53, 0n, 1n, -1n, 2n ** 53n, 2n ** 63n - 1n,
      '', 'a', 'ab', 'a|', '|', 's1:a|', 'n1|', '1', 'i1|', 'l|', '\u0001t', 'ü', 'x'.repeat(100), new Uint8Array([1]), new Uint8Array([]), [1, 'a'], [null],
    ];
    const seen = new Map<unknown, string>();
    for (const a of values) {
      for (const b of values) {
        for (const c of [null, 'z', 3n]) {
          const k = identity([a, b, c]);
          expect(identity([a, b, c])).toEqual(k);
          // 0 and -0 are one value as keys (as the state backend's identity of a single key treats them).
          const label = [a, b, c].map((v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `bytes:${[...v]}` : Object.is(v, -0) ? '0' : JSON.stringify(v) ?? 'undefined')).join(',');
          const known = seen.get(typeof k === 'object' ? JSON.stringify(k) : k);
          if (known !== undefined) expect(known).toBe(label);
          seen.set(typeof k === 'object' ? JSON.stringify(k) : k, label);
        }
      }
    }
  });

  it('writes a BIGINT part of a composite key as its decimal text, safe integer or not (the state layout)', () => {
    const two = rowKeySelector([0, 1]);
    for (const v of [0n, 1n, -1n, 123456789n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n)]) {
      expect(two(row(v, 'd'))).toBe(`i${v.toString()}|s1:d|`);
    }
  });

  it('keys of equal rows route alike: the hash is a function of the key', () => {
    const two = rowKeySelector([0, 2]);
    const a = two(row(5n, 'ignored', '2024-01-01'));
    const b = two(row(5n, 'other', '2024-01-01'));
    expect(a).toBe(b);
    expect(hashKey(a)).toBe(hashKey(b));
    expect(two(row(5n, '', '2024-01-02'))).not.toBe(a);
  });
});
