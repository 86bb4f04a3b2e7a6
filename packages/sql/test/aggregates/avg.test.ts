// AVG: Flink's result types (the integer type itself, truncating; DECIMAL(38, max(6, s)) rounded HALF_UP), checked
// against DuckDB's exact sums and counts (DuckDB's own AVG is a DOUBLE: used as a sanity bound only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { aggregate, apply, Duck, expectClose, generator, parseDecimal, Random, resolve, T } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

const MAX_LONG = 2n ** 63n - 1n;
const MIN_LONG = -(2n ** 63n);

/** n / d rounded half away from zero, written independently of the implementation. */
function roundHalfUp(n: bigint, d: bigint): bigint {
  const neg = n < 0n !== d < 0n;
  const a = n < 0n ? -n : n;
  const b = d < 0n ? -d : d;
  const q = (2n * a + b) / (2n * b);
  return neg ? -q : q;
}

describe('AVG types', () => {
  it("is the argument's type for integers and floats, DECIMAL(38, max(6, s)) for DECIMAL(p, s)", () => {
    for (const t of [T.tinyint, T.smallint, T.int, T.bigint, T.float, T.double]) {
      expect(resolve('AVG', [t]).type).toEqual(t);
    }
    expect(resolve('AVG', [T.decimal(10, 2)]).type).toEqual(T.decimal(38, 6));
    expect(resolve('AVG', [T.decimal(20, 8)]).type).toEqual(T.decimal(38, 8));
    expect(resolve('AVG', [T.decimal(38, 0)]).type).toEqual(T.decimal(38, 6));
    expect(() => resolve('AVG', [T.boolean])).toThrow(FunctionTypeError);
  });
});

describe('AVG values', () => {
  for (const type of [T.tinyint, T.smallint, T.int, T.bigint]) {
    it(`AVG(${type.root}) is the exact sum divided by the count, truncated towards zero (DuckDB)`, async () => {
      const rnd = new Random(type.root.length + 40);
      const gen = generator(rnd, type, 0.2);
      for (const n of [0, 1, 2, 3, 7, 300]) {
        for (let round = 0; round < 5; round++) {
          const values = Array.from({ length: n }, gen);
          const [text] = await duck.overValues('(SUM(x::HUGEINT) // COUNT(x))::VARCHAR', type, values);
          const expected = text === null ? null : type.root === 'BIGINT' ? BigInt(text as string) : Number(text);
          expect(aggregate(resolve('AVG', [type]), values)).toEqual(expected);
        }
      }
    });
  }

  it('AVG(INT) truncates towards zero', () => {
    const avg = resolve('AVG', [T.int]);
    expect(aggregate(avg, [1, 2])).toBe(1);
    expect(aggregate(avg, [-1, -2])).toBe(-1);
    expect(aggregate(avg, [-1, 0])).toBe(0);
    expect(Object.is(aggregate(avg, [-1, 0]), -0)).toBe(false);
    expect(aggregate(avg, [2147483647, 2147483647, 2147483646])).toBe(2147483646);
  });

  it('AVG(BIGINT) near 2^63 is exact', () => {
    const avg = resolve('AVG', [T.bigint]);
    expect(aggregate(avg, [MAX_LONG, MAX_LONG - 2n])).toBe(MAX_LONG - 1n);
    expect(aggregate(avg, [MIN_LONG, MIN_LONG + 3n])).toBe(MIN_LONG + 2n); // MIN + 1.5, truncated towards zero
    expect(aggregate(avg, [MAX_LONG, MIN_LONG])).toBe(0n);
    expect(aggregate(avg, [2n ** 53n + 1n])).toBe(2n ** 53n + 1n);
  });

  for (const type of [T.decimal(10, 2), T.decimal(12, 0), T.decimal(20, 8), T.decimal(30, 10)]) {
    it(`AVG(DECIMAL(${type.precision}, ${type.scale})) is the exact mean rounded HALF_UP (DuckDB sums)`, async () => {
      const scale = Math.max(6, type.scale!);
      const rnd = new Random(type.precision! * 3);
      const gen = generator(rnd, type, 0.2);
      for (const n of [0, 1, 2, 3, 7, 200]) {
        const values = Array.from({ length: n }, gen);
        const [sum, count, approx] = await duck.overValues('SUM(x)::VARCHAR, COUNT(x), AVG(x)', type, values);
        const got = aggregate(resolve('AVG', [type]), values);
        if (count === 0n) {
          expect(got).toBeNull();
          continue;
        }
        const unscaledSum = parseDecimal(sum as string, type.scale!) * 10n ** BigInt(scale - type.scale!);
        expect(got).toBe(roundHalfUp(unscaledSum, count as bigint));
        expectClose(Number(got) / 10 ** scale, approx as number, 1e-9);
      }
    });
  }

  it('AVG(DECIMAL) rounds ties away from zero', () => {
    const avg = resolve('AVG', [T.decimal(10, 2)]);
    expect(aggregate(avg, [100n, 200n, 200n])).toBe(1666667n); // 1.666666… → 1.666667
    expect(aggregate(avg, [-100n, -200n, -200n])).toBe(-1666667n);
    const fine = resolve('AVG', [T.decimal(10, 6)]);
    expect(aggregate(fine, [1n, 2n])).toBe(2n); // 0.0000015 → 0.000002
    expect(aggregate(fine, [-1n, -2n])).toBe(-2n);
    expect(aggregate(fine, [1n, 1n, 2n])).toBe(1n); // 0.00000133 → 0.000001
  });

  it('AVG(DECIMAL(38, 0)) beyond 38 digits at scale 6 is NULL', () => {
    const avg = resolve('AVG', [T.decimal(38, 0)]);
    expect(aggregate(avg, [10n ** 37n])).toBeNull();
    expect(aggregate(avg, [10n ** 31n])).toBe(10n ** 37n);
  });

  it('AVG(DOUBLE) matches DuckDB; AVG(FLOAT) is the DOUBLE mean narrowed', async () => {
    const rnd = new Random(8);
    const gen = generator(rnd, T.double, 0.2);
    for (const n of [0, 1, 9, 300]) {
      const values = Array.from({ length: n }, gen);
      const [expected] = await duck.overValues('AVG(x)', T.double, values);
      const got = aggregate(resolve('AVG', [T.double]), values);
      if (expected === null) expect(got).toBeNull();
      else expectClose(got, expected as number, 1e-9);
    }
    expect(aggregate(resolve('AVG', [T.float]), [1, 2, 2])).toBe(Math.fround(5 / 3));
  });

  it('is NULL for an empty group, only NULLs, and after retracting every value', () => {
    for (const [t, v] of [
      [T.int, 3],
      [T.bigint, 3n],
      [T.double, 0.5],
      [T.decimal(5, 1), 15n],
    ] as const) {
      const avg = resolve('AVG', [t]);
      expect(avg.getValue(avg.createAccumulator())).toBeNull();
      expect(aggregate(avg, [null])).toBeNull();
      expect(avg.getValue(apply(avg, [[1, [v]], [-1, [v]]]))).toBeNull();
    }
  });
});
