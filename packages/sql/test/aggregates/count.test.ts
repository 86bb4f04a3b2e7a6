// COUNT(*) and COUNT(x, ...): results against DuckDB, the NOT NULL BIGINT type, retraction and merging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apply, Duck, generator, Random, randomChangelog, remaining, resolve, T } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

describe('COUNT', () => {
  it('is BIGINT NOT NULL and 0 for an empty group', () => {
    const star = resolve('COUNT', []);
    expect(star.type).toEqual({ root: 'BIGINT', nullable: false });
    expect(star.getValue(star.createAccumulator())).toBe(0n);
    const x = resolve('count', [T.int]);
    expect(x.type).toEqual({ root: 'BIGINT', nullable: false });
    expect(x.getValue(x.createAccumulator())).toBe(0n);
  });

  it('COUNT(*) counts rows, COUNT(x) non-null values, COUNT(a, b) rows with both non-null (DuckDB)', async () => {
    const rnd = new Random(11);
    const a = generator(rnd, T.int, 0.3);
    const b = generator(rnd, T.string, 0.3);
    for (const n of [0, 1, 7, 200]) {
      const rows = Array.from({ length: n }, () => [a(), b()]);
      const star = resolve('COUNT', []);
      const one = resolve('COUNT', [T.int]);
      const two = resolve('COUNT', [T.int, T.string]);
      const got = [
        star.getValue(apply(star, rows.map(() => [1, []] as const))),
        one.getValue(apply(one, rows.map((r) => [1, [r[0]]] as const))),
        two.getValue(apply(two, rows.map((r) => [1, r] as const))),
      ];
      const want = await duck.over(
        'COUNT(*), COUNT(a), COUNT(*) FILTER (WHERE a IS NOT NULL AND b IS NOT NULL)',
        [
          ['a', T.int],
          ['b', T.string],
        ],
        rows,
      );
      expect(got).toEqual(want);
    }
  });

  it('counts every row when no argument type is nullable', () => {
    const agg = resolve('COUNT', [{ root: 'INTEGER', nullable: false }]);
    expect(agg.getValue(apply(agg, [[1, [1]], [1, [2]], [-1, [1]]]))).toBe(1n);
  });

  it('retracts to the count of the remaining rows, and merges', () => {
    const rnd = new Random(5);
    const gen = generator(rnd, T.int, 0.3);
    const agg = resolve('COUNT', [T.int]);
    for (let round = 0; round < 20; round++) {
      const ops = randomChangelog(rnd, () => [gen()], 60);
      const left = remaining(ops);
      expect(agg.getValue(apply(agg, ops))).toBe(BigInt(left.filter((r) => r[0] !== null).length));
      const cut = rnd.int(ops.length + 1);
      const merged = agg.merge!(apply(agg, ops.slice(0, cut)), apply(agg, ops.slice(cut)));
      expect(agg.getValue(merged)).toBe(agg.getValue(apply(agg, ops)));
    }
  });

  it('goes negative for a retraction ahead of its row, and back', () => {
    const agg = resolve('COUNT', []);
    let acc = agg.retract!(agg.createAccumulator(), []);
    expect(agg.getValue(acc)).toBe(-1n);
    acc = agg.accumulate(acc, []);
    expect(agg.getValue(acc)).toBe(0n);
  });
});
