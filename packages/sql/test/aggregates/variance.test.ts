// VAR_POP, VAR_SAMP, VARIANCE, STDDEV_POP, STDDEV_SAMP, STDDEV: Flink's result types (the argument's type, DECIMAL(38,
// max(6, s))) and its DOUBLE computation then CAST (truncation for integers), checked against DuckDB's DOUBLE
// results; NULL and NaN cases; retraction and merging within rounding of a recomputation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { aggregate, apply, Duck, expectClose, generator, Random, randomChangelog, remaining, resolve, T } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

const NAMES = ['VAR_POP', 'VAR_SAMP', 'VARIANCE', 'STDDEV_POP', 'STDDEV_SAMP', 'STDDEV'] as const;
const DUCK_EXPR: Record<(typeof NAMES)[number], string> = {
  VAR_POP: 'var_pop(x)',
  VAR_SAMP: 'var_samp(x)',
  VARIANCE: 'var_samp(x)',
  STDDEV_POP: 'stddev_pop(x)',
  STDDEV_SAMP: 'stddev_samp(x)',
  STDDEV: 'stddev_samp(x)',
};

/** DuckDB's six results over the values (DOUBLE; for BIGINT and DECIMAL, over the values as DOUBLE). */
async function duckResults(type: LogicalType, values: readonly unknown[]): Promise<(number | null)[]> {
  const exprs = NAMES.map((n) => DUCK_EXPR[n].replace('(x)', '(x::DOUBLE)')).join(', ');
  return (await duck.overValues(exprs, type, values)) as (number | null)[];
}

/** Expects `got` to be the integer CAST of a DOUBLE near `d` (truncation may fall either side of an integer). */
function expectTruncated(got: unknown, d: number): void {
  const candidates = new Set([Math.trunc(d), Math.trunc(d * (1 - 1e-9)), Math.trunc(d * (1 + 1e-9))]);
  expect(candidates.has(got as number)).toBe(true);
}

describe('variance types', () => {
  it("are the argument's type for integers and floats, DECIMAL(38, max(6, s)) for DECIMAL(p, s)", () => {
    for (const name of NAMES) {
      for (const t of [T.tinyint, T.smallint, T.int, T.bigint, T.float, T.double]) expect(resolve(name, [t]).type).toEqual(t);
      expect(resolve(name, [T.decimal(10, 2)]).type).toEqual(T.decimal(38, 6));
      expect(resolve(name, [T.decimal(20, 8)]).type).toEqual(T.decimal(38, 8));
      expect(() => resolve(name, [T.string])).toThrow(FunctionTypeError);
    }
  });
});

describe('variance values', () => {
  it('DOUBLE: match DuckDB', async () => {
    const rnd = new Random(17);
    const gen = generator(rnd, T.double, 0.2);
    for (const n of [0, 1, 2, 3, 10, 300]) {
      const values = Array.from({ length: n }, gen);
      const expected = await duckResults(T.double, values);
      NAMES.forEach((name, i) => {
        const got = aggregate(resolve(name, [T.double]), values);
        if (expected[i] === null) expect(got).toBeNull();
        else expectClose(got, expected[i], 1e-9);
      });
    }
  });

  for (const type of [T.tinyint, T.smallint, T.int]) {
    it(`${type.root}: the DOUBLE result truncated, as Flink's CAST (DuckDB)`, async () => {
      const rnd = new Random(type.root.length * 5);
      const gen = generator(rnd, type, 0.2);
      for (const n of [0, 1, 2, 3, 10, 200]) {
        const values = Array.from({ length: n }, gen);
        const expected = await duckResults(type, values);
        NAMES.forEach((name, i) => {
          const got = aggregate(resolve(name, [type]), values);
          const e = expected[i]!;
          if (e === null) expect(got).toBeNull();
          else if (type.root === 'INTEGER' || name.startsWith('STDDEV')) expectTruncated(got, e > 2147483647 ? 2147483647 : e);
        });
      }
    });
  }

  it('narrow like Java casts: INT saturates, TINYINT and SMALLINT keep the low bits', () => {
    expect(aggregate(resolve('VAR_POP', [T.int]), [-2147483648, 2147483647])).toBe(2147483647);
    // 16256.25 → (int) 16256 = 0x3F80 → (byte) 0x80.
    expect(aggregate(resolve('VAR_POP', [T.tinyint]), [-128, 127])).toBe(-128);
    expect(aggregate(resolve('VAR_POP', [T.int]), [0, 10])).toBe(25);
    expect(aggregate(resolve('VAR_SAMP', [T.int]), [1, 2])).toBe(0);
    expect(aggregate(resolve('STDDEV_POP', [T.int]), [1, 2, 3, 4])).toBe(1);
  });

  it('BIGINT: the DOUBLE result truncated, saturating at 2^63 - 1 (DuckDB)', async () => {
    const rnd = new Random(23);
    const gen = generator(rnd, T.bigint, 0.2);
    for (const n of [0, 1, 2, 5, 100]) {
      const values = Array.from({ length: n }, gen);
      const expected = await duckResults(T.bigint, values);
      NAMES.forEach((name, i) => {
        const got = aggregate(resolve(name, [T.bigint]), values) as bigint | null;
        const e = expected[i]!;
        if (e === null) return expect(got).toBeNull();
        expect(typeof got).toBe('bigint');
        expectClose(Number(got), Math.min(e, 2 ** 63), 1e-9);
      });
    }
  });

  it('DECIMAL: the DOUBLE result rounded HALF_UP to the scale (DuckDB)', async () => {
    const type = T.decimal(12, 3);
    const rnd = new Random(29);
    const gen = generator(rnd, type, 0.2);
    for (const n of [0, 1, 2, 5, 100]) {
      const values = Array.from({ length: n }, gen);
      const expected = await duckResults(type, values);
      NAMES.forEach((name, i) => {
        const got = aggregate(resolve(name, [type]), values) as bigint | null;
        const e = expected[i]!;
        if (e === null) return expect(got).toBeNull();
        expectClose(Number(got) / 1e6, e, 1e-9);
      });
    }
    expect(aggregate(resolve('VAR_POP', [T.decimal(5, 2)]), [100n, 200n])).toBe(250000n); // 0.25 at scale 6
    expect(aggregate(resolve('STDDEV_SAMP', [T.decimal(5, 2)]), [100n, 200n])).toBe(707107n); // 0.70710678… → 0.707107
  });

  it('NULL without values (and SAMP for one value); 0 for POP of one value', () => {
    for (const name of NAMES) {
      const agg = resolve(name, [T.double]);
      expect(agg.getValue(agg.createAccumulator())).toBeNull();
      expect(aggregate(agg, [null, null])).toBeNull();
      expect(aggregate(agg, [3.5, null])).toBe(name.includes('POP') ? 0 : null);
    }
  });

  it('a NaN or an infinity makes the result NaN only while it is in the group', () => {
    const agg = resolve('VAR_POP', [T.double]);
    let acc = apply(agg, [
      [1, [1]],
      [1, [3]],
      [1, [Infinity]],
    ]);
    expect(agg.getValue(acc)).toBeNaN();
    acc = agg.retract!(acc, [Infinity]);
    expect(agg.getValue(acc)).toBe(1);
    acc = agg.accumulate(acc, [Number.NaN]);
    expect(agg.getValue(acc)).toBeNaN();
    acc = agg.retract!(acc, [Number.NaN]);
    expect(agg.getValue(acc)).toBe(1);
  });

  it('is exactly 0 again when one value is left, after any retractions', () => {
    const agg = resolve('VAR_POP', [T.double]);
    const acc = apply(agg, [
      [1, [0.1]],
      [1, [1e10]],
      [1, [0.3]],
      [-1, [1e10]],
      [-1, [0.3]],
    ]);
    expect(agg.getValue(acc)).toBe(0);
  });

  for (const name of ['VAR_SAMP', 'STDDEV_POP'] as const) {
    it(`${name}: retraction and merging agree with a recomputation and DuckDB, also when outliers come and go`, async () => {
      // Values from 1e-3 to 1e12 in magnitude: retracting a large value must not leave the variance of the small
      // ones in its rounding noise.
      const rnd = new Random(name.length * 101);
      const value = generator(rnd, T.double, 0.1);
      const gen = (): unknown[] => [value()];
      const agg = resolve(name, [T.double]);
      for (let round = 0; round < 60; round++) {
        const ops = randomChangelog(rnd, gen, 80);
        const expected = aggregate(agg, remaining(ops).map((r) => r[0]));
        const tolerance = 1e-9;
        const check = (got: unknown): void => {
          if (expected === null) expect(got).toBeNull();
          else expectClose(got, expected as number, tolerance);
        };
        check(agg.getValue(apply(agg, ops)));
        if (round % 10 === 0) {
          const [fromDuck] = await duck.overValues(DUCK_EXPR[name], T.double, remaining(ops).map((r) => r[0]));
          if (fromDuck === null) expect(expected).toBeNull();
          else expectClose(expected, fromDuck as number, tolerance);
        }
        const cut = rnd.int(ops.length + 1);
        check(agg.getValue(agg.merge!(apply(agg, ops.slice(0, cut)), apply(agg, ops.slice(cut)))));
      }
    });
  }

  it('gives exactly 0 for equal values, also after the group was emptied by retractions', () => {
    const agg = resolve('STDDEV_SAMP', [T.double]);
    let acc = apply(agg, [
      [1, [0.1]],
      [1, [12345.678]],
      [-1, [12345.678]],
      [-1, [0.1]],
    ]);
    acc = apply(agg, [
      [1, [7.3]],
      [1, [7.3]],
      [1, [7.3]],
    ], acc);
    expect(agg.getValue(acc)).toBe(0);
    expect(aggregate(agg, [1e300, 1e300])).toBeNaN(); // beyond 1e150: its square overflows, as Flink's does
  });

  it('merges a part that holds an update (-U of the old value, +U of the new) into the whole', () => {
    const agg = resolve('VAR_POP', [T.int]);
    const whole = apply(agg, [1, 2, 3, 5].map((v) => [1, [v]] as const));
    const update = apply(agg, [
      [-1, [5]],
      [1, [9]],
    ]);
    expect(agg.getValue(agg.merge!(whole, update))).toBe(aggregate(agg, [1, 2, 3, 9]));
  });

  it('merges exactly like accumulating one after the other for insert-only slices', () => {
    const agg = resolve('VAR_SAMP', [T.int]);
    const a = apply(agg, [1, 2, 3, 4].map((v) => [1, [v]] as const));
    const b = apply(agg, [10, 20].map((v) => [1, [v]] as const));
    expect(agg.getValue(agg.merge!(a, b))).toBe(aggregate(agg, [1, 2, 3, 4, 10, 20]));
    expect(agg.getValue(agg.merge!(agg.createAccumulator(), apply(agg, [[1, [5]], [1, [7]]])))).toBe(2);
  });
});
