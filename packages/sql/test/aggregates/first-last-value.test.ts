// FIRST_VALUE and LAST_VALUE: first and last non-null values in arrival order against DuckDB (first/last ordered by
// arrival, NULLs filtered), retraction of the earliest equal occurrence (values compared by value, not identity),
// retractions ahead of their rows, merging in slice order, the insert-only form, and a long FIFO of retractions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogicalType } from '@runnel/api/table';
import type { ArrivalList } from '../../src/aggregates/internal/arrival-list.js';
import { aggregate, apply, Duck, generator, parseDecimal, Random, randomChangelog, remaining, resolve, T, type Op } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

async function duckFirstLast(type: LogicalType, values: readonly unknown[]): Promise<[unknown, unknown]> {
  const f = 'first(x ORDER BY i) FILTER (WHERE x IS NOT NULL)';
  const l = 'last(x ORDER BY i) FILTER (WHERE x IS NOT NULL)';
  if (type.root === 'DECIMAL') {
    const [a, b] = await duck.overValues(`(${f})::VARCHAR, (${l})::VARCHAR`, type, values);
    return [a === null ? null : parseDecimal(a as string, type.scale!), b === null ? null : parseDecimal(b as string, type.scale!)];
  }
  const [a, b] = await duck.overValues(`${f}, ${l}`, type, values);
  return [a, b];
}

const nonNull = (xs: readonly unknown[]): unknown[] => xs.filter((x) => x !== null);

describe('FIRST_VALUE and LAST_VALUE', () => {
  it("have the argument's type, nullable, for any type", () => {
    expect(resolve('FIRST_VALUE', [{ root: 'INTEGER', nullable: false }]).type).toEqual(T.int);
    const arr: LogicalType = { root: 'ARRAY', nullable: true, element: T.string };
    expect(resolve('LAST_VALUE', [arr]).type).toEqual(arr);
    const rowtime: LogicalType = { root: 'TIMESTAMP', nullable: false, precision: 3, timeAttribute: 'rowtime' };
    expect(resolve('LAST_VALUE', [rowtime]).type).toEqual({ root: 'TIMESTAMP', nullable: true, precision: 3 });
  });

  for (const type of [T.int, T.bigint, T.decimal(20, 2), T.string, T.boolean]) {
    it(`${type.root}: the first and last non-null values in arrival order (DuckDB)`, async () => {
      const rnd = new Random(type.root.length * 3);
      const gen = generator(rnd, type, 0.3);
      for (const n of [0, 1, 2, 20]) {
        const values = Array.from({ length: n }, gen);
        const [first, last] = await duckFirstLast(type, values);
        expect(aggregate(resolve('FIRST_VALUE', [type]), values)).toEqual(first);
        expect(aggregate(resolve('LAST_VALUE', [type]), values)).toEqual(last);
        expect(aggregate(resolve('FIRST_VALUE', [type]).insertOnly!, values)).toEqual(first);
        expect(aggregate(resolve('LAST_VALUE', [type]).insertOnly!, values)).toEqual(last);
      }
    });
  }

  it('a retraction removes the earliest live occurrence, as Flink does', () => {
    const first = resolve('FIRST_VALUE', [T.string]);
    const last = resolve('LAST_VALUE', [T.string]);
    const ops: Op[] = [
      [1, ['a']],
      [1, ['b']],
      [1, ['a']],
      [-1, ['a']],
    ];
    expect(first.getValue(apply(first, ops))).toBe('b');
    expect(last.getValue(apply(last, ops))).toBe('a');
    expect(last.getValue(apply(last, [...ops, [-1, ['a']]]))).toBe('b');
    expect(last.getValue(apply(last, [...ops, [-1, ['a']], [-1, ['b']]]))).toBeNull();
  });

  it('retracts bytes and arrays by value', () => {
    const first = resolve('FIRST_VALUE', [T.bytes]);
    const acc = apply(first, [
      [1, [Uint8Array.of(1, 2)]],
      [1, [Uint8Array.of(3)]],
      [-1, [Uint8Array.of(1, 2)]],
    ]);
    expect(first.getValue(acc)).toEqual(Uint8Array.of(3));
    const arr: LogicalType = { root: 'ARRAY', nullable: true, element: T.bigint };
    const last = resolve('LAST_VALUE', [arr]);
    const acc2 = apply(last, [
      [1, [[1n, null]]],
      [1, [[2n]]],
      [-1, [[2n]]],
    ]);
    expect(last.getValue(acc2)).toEqual([1n, null]);
  });

  it('a retraction ahead of its row cancels the row when it comes', () => {
    const first = resolve('FIRST_VALUE', [T.int]);
    let acc = apply(first, [
      [-1, [1]],
      [1, [2]],
    ]);
    expect(first.getValue(acc)).toBe(2);
    acc = first.accumulate(acc, [1]);
    expect(first.getValue(acc)).toBe(2);
    acc = first.accumulate(acc, [1]);
    expect(first.getValue(acc)).toBe(2);
    acc = first.retract!(acc, [2]);
    expect(first.getValue(acc)).toBe(1);
  });

  for (const name of ['FIRST_VALUE', 'LAST_VALUE']) {
    it(`${name} after random retractions is the value over the remaining rows (DuckDB); merges in slice order`, async () => {
      const rnd = new Random(name.length * 77);
      // A small pool of values, so that retractions often meet duplicates.
      const draw = (): unknown[] => [rnd.next() < 0.2 ? null : rnd.between(0, 6)];
      const agg = resolve(name, [T.int]);
      for (let round = 0; round < 50; round++) {
        const ops = randomChangelog(rnd, draw, 60);
        const left = nonNull(remaining(ops).map((r) => r[0]));
        const expected = left.length === 0 ? null : name === 'FIRST_VALUE' ? left[0] : left[left.length - 1];
        expect(agg.getValue(apply(agg, ops))).toEqual(expected);
        if (round % 10 === 0) {
          const [first, last] = await duckFirstLast(T.int, remaining(ops).map((r) => r[0]));
          expect(expected).toEqual(name === 'FIRST_VALUE' ? first : last);
        }
        // Slices that only accumulate merge to the concatenation, whatever the cut.
        const inserts = ops.filter(([sign]) => sign === 1);
        const cut = rnd.int(inserts.length + 1);
        const merged = agg.merge!(apply(agg, inserts.slice(0, cut)), apply(agg, inserts.slice(cut)));
        expect(agg.getValue(merged)).toEqual(agg.getValue(apply(agg, inserts)));
        // With retractions, the earliest occurrence is not the same across a cut when a value is in both parts;
        // the multiset of live values is.
        const cutAll = rnd.int(ops.length + 1);
        const mergedAll = agg.merge!(apply(agg, ops.slice(0, cutAll)), apply(agg, ops.slice(cutAll))) as ArrivalList;
        expect(liveValues(mergedAll).sort()).toEqual(left.slice().sort());
      }
    });
  }

  it('the insert-only forms keep one value and merge in slice order', () => {
    const first = resolve('FIRST_VALUE', [T.int]).insertOnly!;
    const last = resolve('LAST_VALUE', [T.int]).insertOnly!;
    expect(first.retract).toBeUndefined();
    const a = (agg: typeof first): unknown => apply(agg, [[1, [null]], [1, [1]], [1, [2]]]);
    const b = (agg: typeof first): unknown => apply(agg, [[1, [3]], [1, [null]]]);
    expect(first.getValue(first.merge!(a(first), b(first)))).toBe(1);
    expect(last.getValue(last.merge!(a(last), b(last)))).toBe(3);
    expect(last.getValue(last.merge!(a(last), last.createAccumulator()))).toBe(2);
    expect(first.getValue(first.merge!(first.createAccumulator(), b(first)))).toBe(3);
  });

  it('keeps its list short under a long FIFO of retractions', () => {
    const first = resolve('FIRST_VALUE', [T.int]);
    let acc = first.createAccumulator();
    for (let i = 0; i < 10000; i++) {
      acc = first.accumulate(acc, [i]);
      if (i >= 3) acc = first.retract!(acc, [i - 3]);
      expect(first.getValue(acc)).toBe(i >= 3 ? i - 2 : 0);
    }
    const list = acc as ArrivalList;
    expect(list.live).toBe(3);
    expect(list.vals.length).toBeLessThan(100);
  });
});

function liveValues(list: ArrivalList): unknown[] {
  return list.vals.slice(list.h).filter((v) => v !== null);
}
