// COLLECT: the multiset of non-null values (a Map from element to count) against DuckDB's histogram, for primitive
// elements and for bytes and arrays (keyed by value, not identity); retraction, retractions ahead of their rows,
// merging.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogicalType } from '@runnel/api/table';
import { aggregate, apply, Duck, generator, Random, randomChangelog, remaining, resolve, T } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

/** A multiset as sorted [element, count] pairs, bytes as arrays of numbers, for comparison. */
function entries(m: unknown): [unknown, number][] {
  const out: [unknown, number][] = [];
  for (const [k, n] of m as Map<unknown, number | bigint>) out.push([k instanceof Uint8Array ? Array.from(k) : k, Number(n)]);
  return out.sort((a, b) => (JSON.stringify(a[0]) < JSON.stringify(b[0]) ? -1 : 1));
}

describe('COLLECT', () => {
  it('is MULTISET<type of x>', () => {
    expect(resolve('COLLECT', [T.int]).type).toEqual({ root: 'MULTISET', nullable: true, element: T.int });
    const rowtime: LogicalType = { root: 'TIMESTAMP', nullable: false, precision: 3, timeAttribute: 'rowtime' };
    expect(resolve('COLLECT', [rowtime]).type).toEqual({
      root: 'MULTISET',
      nullable: true,
      element: { root: 'TIMESTAMP', nullable: false, precision: 3 },
    });
  });

  for (const type of [T.int, T.string, T.bytes]) {
    it(`COLLECT(${type.root}) counts the non-null values (DuckDB histogram)`, async () => {
      const rnd = new Random(type.root.length * 19);
      const gen = generator(rnd, type, 0.2);
      for (const n of [0, 1, 5, 60]) {
        const values = Array.from({ length: n }, gen);
        const [histogram] = await duck.overValues('histogram(x)', type, values);
        const expected =
          histogram === null
            ? []
            : (histogram as { entries: { key: unknown; value: bigint }[] }).entries.map(
                (e) => [typeof e.key === 'object' && e.key !== null && 'bytes' in e.key ? (e.key as { bytes: Uint8Array }).bytes : e.key, e.value] as const,
              );
        expect(entries(aggregate(resolve('COLLECT', [type]), values))).toEqual(entries(new Map(expected)));
      }
    });
  }

  it('keys arrays by value; is empty for an empty group', () => {
    const arr: LogicalType = { root: 'ARRAY', nullable: true, element: T.bigint };
    const agg = resolve('COLLECT', [arr]);
    const got = agg.getValue(
      apply(agg, [
        [1, [[1n, 2n]]],
        [1, [[1n, 2n]]],
        [1, [[3n]]],
        [-1, [[3n]]],
        [1, [null]],
      ]),
    ) as Map<unknown, number>;
    expect([...got]).toEqual([[[1n, 2n], 2]]);
    expect(agg.getValue(agg.createAccumulator())).toEqual(new Map());
  });

  it('leaves out elements whose retraction came before their row', () => {
    const agg = resolve('COLLECT', [T.int]);
    let acc = apply(agg, [
      [-1, [1]],
      [1, [2]],
    ]);
    expect(agg.getValue(acc)).toEqual(new Map([[2, 1]]));
    acc = agg.accumulate(acc, [1]);
    acc = agg.accumulate(acc, [1]);
    expect(agg.getValue(acc)).toEqual(new Map([[2, 1], [1, 1]]));
  });

  for (const type of [T.int, T.bytes]) {
    it(`COLLECT(${type.root}) after random retractions is the multiset of the remaining rows; merges`, () => {
      const rnd = new Random(type.root.length * 23);
      const gen = generator(rnd, type, 0.2);
      const agg = resolve('COLLECT', [type]);
      for (let round = 0; round < 30; round++) {
        const ops = randomChangelog(rnd, () => [gen()], 50);
        const expected = entries(aggregate(agg, remaining(ops).map((r) => r[0])));
        expect(entries(agg.getValue(apply(agg, ops)))).toEqual(expected);
        const cut = rnd.int(ops.length + 1);
        const other = apply(agg, ops.slice(cut));
        const before = entries(agg.getValue(other));
        expect(entries(agg.getValue(agg.merge!(apply(agg, ops.slice(0, cut)), other)))).toEqual(expected);
        // Merging does not change the other accumulator.
        expect(entries(agg.getValue(other))).toEqual(before);
      }
    });
  }
});
