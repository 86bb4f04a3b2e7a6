// SUM and $SUM0: Flink's result types, wrapping integer sums, exact BIGINT and DECIMAL sums, checked against DuckDB
// (whose integer sums do not wrap: the expected values are DuckDB's exact sums wrapped to the type's width).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { aggregate, apply, Duck, expectClose, generator, parseDecimal, Random, randomChangelog, remaining, resolve, T } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

const MAX_LONG = 2n ** 63n - 1n;
const MIN_LONG = -(2n ** 63n);

describe('SUM types', () => {
  it("is the argument's type for integers and floats, DECIMAL(38, s) for DECIMAL(p, s), nullable", () => {
    for (const t of [T.tinyint, T.smallint, T.int, T.bigint, T.float, T.double]) {
      expect(resolve('SUM', [{ ...t, nullable: false }]).type).toEqual({ ...t, nullable: true });
    }
    expect(resolve('SUM', [T.decimal(10, 2)]).type).toEqual(T.decimal(38, 2));
    expect(resolve('SUM', [T.decimal(5, 0)]).type).toEqual(T.decimal(38, 0));
  });

  it('$SUM0 has the same types, NOT NULL', () => {
    expect(resolve('$SUM0', [T.int]).type).toEqual({ root: 'INTEGER', nullable: false });
    expect(resolve('$sum0', [T.decimal(10, 3)]).type).toEqual({ ...T.decimal(38, 3), nullable: false });
  });

  it('refuses non-numeric arguments and wrong argument counts', () => {
    expect(() => resolve('SUM', [T.string])).toThrow(FunctionTypeError);
    expect(() => resolve('SUM', [T.string])).toThrow('cannot be applied to STRING (expected a numeric type)');
    expect(() => resolve('SUM', [T.date])).toThrow(FunctionTypeError);
    expect(() => resolve('SUM', [])).toThrow(FunctionTypeError);
  });
});

describe('SUM values', () => {
  const wraps: [LogicalType, (x: bigint) => unknown][] = [
    [T.tinyint, (x) => Number(BigInt.asIntN(8, x))],
    [T.smallint, (x) => Number(BigInt.asIntN(16, x))],
    [T.int, (x) => Number(BigInt.asIntN(32, x))],
    [T.bigint, (x) => BigInt.asIntN(64, x)],
  ];
  for (const [type, wrap] of wraps) {
    it(`SUM(${type.root}) is DuckDB's exact sum wrapped to ${type.root}`, async () => {
      const rnd = new Random(type.root.length * 7);
      const gen = generator(rnd, type, 0.2);
      for (const n of [0, 1, 2, 10, 300]) {
        const values = Array.from({ length: n }, gen);
        const [count, text] = await duck.overValues('COUNT(x), SUM(x::HUGEINT)::VARCHAR', type, values);
        const expected = count === 0n ? null : wrap(BigInt(text as string));
        expect(aggregate(resolve('SUM', [type]), values)).toEqual(expected);
      }
    });
  }

  it('SUM(BIGINT) near 2^63 is exact and wraps as Java longs do', () => {
    const sum = resolve('SUM', [T.bigint]);
    expect(aggregate(sum, [MAX_LONG, MAX_LONG, -MAX_LONG])).toBe(MAX_LONG);
    expect(aggregate(sum, [MAX_LONG, 1n])).toBe(MIN_LONG);
    expect(aggregate(sum, [MIN_LONG, -1n])).toBe(MAX_LONG);
    expect(aggregate(sum, [MAX_LONG - 1n, 1n, null])).toBe(MAX_LONG);
    expect(aggregate(sum, [2n ** 53n + 1n, 1n])).toBe(2n ** 53n + 2n);
    // Many small values, then large ones: both parts of the exact sum.
    const values: bigint[] = [];
    for (let i = 0; i < 5000; i++) values.push(2n ** 51n + BigInt(i));
    values.push(MIN_LONG + 7n);
    expect(aggregate(sum, values)).toBe(BigInt.asIntN(64, values.reduce((a, b) => a + b, 0n)));
  });

  for (const type of [T.decimal(10, 2), T.decimal(18, 4), T.decimal(38, 10)]) {
    it(`SUM(DECIMAL(${type.precision}, ${type.scale})) is exact (DuckDB)`, async () => {
      const rnd = new Random(type.precision!);
      const gen = generator(rnd, type, 0.2);
      for (const n of [0, 1, 3, 200]) {
        // DECIMAL(38, s) values up to 10^36 / n, so that DuckDB's sum does not overflow.
        const values = Array.from({ length: n }, () => {
          const v = gen() as bigint | null;
          return v === null || type.precision! < 38 ? v : v / 10n ** 3n;
        });
        const [text] = await duck.overValues('SUM(x)::VARCHAR', type, values);
        const expected = text === null ? null : parseDecimal(text as string, type.scale!);
        expect(aggregate(resolve('SUM', [type]), values)).toEqual(expected);
      }
    });
  }

  it('SUM(DECIMAL) beyond 38 digits is NULL, and exact again once back in range', () => {
    const agg = resolve('SUM', [T.decimal(38, 0)]);
    const big = 10n ** 38n - 1n;
    let acc = apply(agg, [
      [1, [big]],
      [1, [big]],
    ]);
    expect(agg.getValue(acc)).toBeNull();
    acc = agg.retract!(acc, [big]);
    expect(agg.getValue(acc)).toBe(big);
  });

  it('SUM(DOUBLE) matches DuckDB', async () => {
    const rnd = new Random(3);
    const gen = generator(rnd, T.double, 0.2);
    for (const n of [0, 1, 5, 300]) {
      const values = Array.from({ length: n }, gen);
      const [expected] = await duck.overValues('SUM(x)', T.double, values);
      const got = aggregate(resolve('SUM', [T.double]), values);
      if (expected === null) expect(got).toBeNull();
      else expectClose(got, expected as number, 1e-9);
    }
  });

  it('SUM(FLOAT) adds in single precision', () => {
    const agg = resolve('SUM', [T.float]);
    // 2^24 + 1 is not a float: the float sum stays at 2^24.
    expect(aggregate(agg, [2 ** 24, 1, 1])).toBe(2 ** 24);
    expect(aggregate(agg, [0.1, 0.2])).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  it('is NULL for an empty group, for only NULLs, and after retracting every value; $SUM0 is 0 then', () => {
    for (const t of [T.int, T.bigint, T.double, T.decimal(10, 2)]) {
      const sum = resolve('SUM', [t]);
      const sum0 = resolve('$SUM0', [t]);
      const one = t.root === 'BIGINT' || t.root === 'DECIMAL' ? 5n : 5;
      const zero = t.root === 'BIGINT' || t.root === 'DECIMAL' ? 0n : 0;
      expect(sum.getValue(sum.createAccumulator())).toBeNull();
      expect(aggregate(sum, [null, null])).toBeNull();
      expect(sum.getValue(apply(sum, [[1, [one]], [1, [null]], [-1, [one]]]))).toBeNull();
      expect(sum0.getValue(sum0.createAccumulator())).toEqual(zero);
      expect(sum0.getValue(apply(sum0, [[1, [one]], [-1, [one]]]))).toEqual(zero);
      expect(aggregate(sum0, [one, one])).toEqual(t.root === 'BIGINT' || t.root === 'DECIMAL' ? 10n : 10);
    }
  });

  it('a floating sum that is back to no values restarts from an exact 0', () => {
    const agg = resolve('SUM', [T.double]);
    const acc = apply(agg, [
      [1, [0.1]],
      [1, [0.2]],
      [-1, [0.1]],
      [-1, [0.2]],
      [1, [0.3]],
    ]);
    expect(agg.getValue(acc)).toBe(0.3);
  });

  it('retracts and merges exactly (INT, BIGINT, DECIMAL)', () => {
    const rnd = new Random(99);
    for (const t of [T.int, T.bigint, T.decimal(20, 3)]) {
      const gen = generator(rnd, t, 0.2);
      const agg = resolve('SUM', [t]);
      for (let round = 0; round < 30; round++) {
        const ops = randomChangelog(rnd, () => [gen()], 80);
        const left = remaining(ops).map((r) => r[0]);
        const expected = aggregate(agg, left);
        expect(agg.getValue(apply(agg, ops))).toEqual(expected);
        const cut = rnd.int(ops.length + 1);
        expect(agg.getValue(agg.merge!(apply(agg, ops.slice(0, cut)), apply(agg, ops.slice(cut))))).toEqual(expected);
      }
    }
  });
});
