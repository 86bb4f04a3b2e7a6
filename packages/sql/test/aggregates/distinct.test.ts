// The DISTINCT wrapper: COUNT(DISTINCT x), SUM(DISTINCT x), AVG(DISTINCT x), COUNT(DISTINCT a, b) against DuckDB,
// with keys for bigints, decimals and bytes; retraction (the inner aggregate loses a value when its last row goes),
// merging with parts that retract rows of others, and the insert-only form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogicalType } from '@runnel/api/table';
import { distinctAggregate } from '../../src/aggregates/registry.js';
import { apply, Duck, generator, parseDecimal, Random, randomChangelog, remaining, resolve, T } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

describe('DISTINCT', () => {
  it("has the inner aggregate's type and says what it keeps", () => {
    const agg = distinctAggregate(resolve('SUM', [T.int]));
    expect(agg.type).toEqual(T.int);
    expect(agg.stateDescription).toBe('distinct argument values with counts; sum and count of non-null values');
    expect(distinctAggregate(resolve('COUNT', [T.int])).type).toEqual({ root: 'BIGINT', nullable: false });
  });

  for (const type of [T.int, T.bigint, T.decimal(12, 2), T.bytes, T.string]) {
    it(`COUNT/SUM/AVG(DISTINCT ${type.root}) match DuckDB`, async () => {
      const rnd = new Random(type.root.length * 41);
      const pool = Array.from({ length: 8 }, generator(rnd, type, 0));
      const numeric = type.root !== 'VARBINARY' && type.root !== 'VARCHAR';
      for (const n of [0, 1, 5, 60]) {
        const values = Array.from({ length: n }, () => (rnd.next() < 0.15 ? null : rnd.pick(pool)));
        const count = distinctAggregate(resolve('COUNT', [type]));
        const rows = values.map((v) => [1, [v]] as const);
        if (!numeric) {
          const [expected] = await duck.overValues('COUNT(DISTINCT x)', type, values);
          expect(count.getValue(apply(count, rows))).toBe(expected);
          continue;
        }
        const sumType = type.root === 'DECIMAL' ? 'SUM(DISTINCT x)::VARCHAR' : 'SUM(DISTINCT x::HUGEINT)::VARCHAR';
        const [c, s, a] = await duck.overValues(`COUNT(DISTINCT x), ${sumType}, (SUM(DISTINCT x::HUGEINT) // COUNT(DISTINCT x))::VARCHAR`, type, values);
        expect(count.getValue(apply(count, rows))).toBe(c);
        const sum = distinctAggregate(resolve('SUM', [type]));
        const gotSum = sum.getValue(apply(sum, rows));
        if (s === null) expect(gotSum).toBeNull();
        else if (type.root === 'DECIMAL') expect(gotSum).toBe(parseDecimal(s as string, type.scale!));
        else if (type.root === 'BIGINT') expect(gotSum).toBe(BigInt.asIntN(64, BigInt(s as string)));
        else expect(gotSum).toBe(Number(BigInt.asIntN(32, BigInt(s as string))));
        if (type.root !== 'DECIMAL') {
          const avg = distinctAggregate(resolve('AVG', [type]));
          const gotAvg = avg.getValue(apply(avg, rows));
          expect(gotAvg === null ? null : String(gotAvg)).toBe(a);
        }
      }
    });
  }

  it('keys BIGINT values exactly around ±2^53 and at the 64-bit limits, also through retraction and merging', () => {
    const S = 2n ** 53n;
    const MAX = 2n ** 63n - 1n;
    const MIN = -(2n ** 63n);
    const values = [S - 1n, S, S + 1n, S + 2n, -S + 1n, -S, -S - 1n, MAX, MIN, MAX - 1n, 0n, 5n, 5n, S, S + 1n, MAX];
    const distinctValues = [...new Set(values)];
    const wrapped = (xs: bigint[]): bigint => xs.reduce((a, b) => BigInt.asIntN(64, a + b), 0n);
    // With the argument types given (as the binder gives them), BIGINT values in the safe range are keyed by number.
    const count = distinctAggregate(resolve('COUNT', [T.bigint]), [T.bigint]);
    const sum = distinctAggregate(resolve('SUM', [T.bigint]), [T.bigint]);
    const min = distinctAggregate(resolve('MIN', [T.bigint]), [T.bigint]);
    let c = count.createAccumulator();
    let s = sum.createAccumulator();
    for (const v of values) {
      c = count.accumulate(c, [v]);
      s = sum.accumulate(s, [v]);
    }
    expect(count.getValue(c)).toBe(BigInt(distinctValues.length));
    expect(sum.getValue(s)).toBe(wrapped(distinctValues));
    // Retracting one of two rows of a value keeps it; retracting its last row removes it.
    s = sum.retract!(s, [S + 1n]);
    expect(sum.getValue(s)).toBe(wrapped(distinctValues));
    s = sum.retract!(s, [S + 1n]);
    s = sum.retract!(s, [S - 1n]);
    const left = distinctValues.filter((v) => v !== S + 1n && v !== S - 1n);
    expect(sum.getValue(s)).toBe(wrapped(left));
    // Merging replays the other side's rows as bigints (the inner SUM and MIN get the values, not their keys).
    let other = sum.createAccumulator();
    for (const v of [S - 1n, 7n, MAX]) other = sum.accumulate(other, [v]);
    s = sum.merge!(s, other);
    expect(sum.getValue(s)).toBe(wrapped([...left, S - 1n, 7n]));
    let m = min.createAccumulator();
    let m2 = min.createAccumulator();
    for (const v of [S + 2n, S]) m = min.accumulate(m, [v]);
    for (const v of [-S - 1n, S]) m2 = min.accumulate(m2, [v]);
    m = min.merge!(m, m2);
    expect(min.getValue(m)).toBe(-S - 1n);
    // DECIMAL unscaled values too: merged rows reach SUM as bigints.
    const dec = T.decimal(20, 2);
    const dsum = distinctAggregate(resolve('SUM', [dec]), [dec]);
    let d1 = dsum.createAccumulator();
    let d2 = dsum.createAccumulator();
    for (const v of [150n, S + 1n, 150n]) d1 = dsum.accumulate(d1, [v]);
    for (const v of [150n, 7n]) d2 = dsum.accumulate(d2, [v]);
    d1 = dsum.merge!(d1, d2);
    expect(dsum.getValue(d1)).toBe(150n + S + 1n + 7n);
  });

  it('COUNT(DISTINCT a, b) counts distinct pairs without NULLs (DuckDB)', async () => {
    const rnd = new Random(77);
    const columns: [string, LogicalType][] = [
      ['a', T.int],
      ['b', T.string],
    ];
    for (const n of [0, 3, 80]) {
      const rows = Array.from({ length: n }, () => [rnd.next() < 0.1 ? null : rnd.between(0, 3), rnd.next() < 0.1 ? null : rnd.pick(['x', 'y', '1'])]);
      const [expected] = await duck.over('COUNT(DISTINCT (a, b)) FILTER (WHERE a IS NOT NULL AND b IS NOT NULL)', columns, rows);
      const agg = distinctAggregate(resolve('COUNT', [T.int, T.string]));
      expect(agg.getValue(apply(agg, rows.map((r) => [1, r] as const)))).toBe(expected);
    }
    // (1, '2') and ('1', 2)-like collisions of a naive key: distinct.
    const mixed = distinctAggregate(resolve('COUNT', [T.string, T.string]));
    expect(mixed.getValue(apply(mixed, [[1, ['a,b', 'c']], [1, ['a', 'b,c']], [1, ['a', 'b,c']]]))).toBe(2n);
  });

  for (const name of ['COUNT', 'SUM', 'MAX']) {
    it(`${name}(DISTINCT x) after random retractions equals the result over the remaining distinct values; merges`, () => {
      const rnd = new Random(name.length * 59);
      const draw = (): unknown[] => [rnd.next() < 0.15 ? null : BigInt(rnd.between(-4, 4)) * 2n ** 60n];
      const inner = resolve(name, [T.bigint]);
      const agg = distinctAggregate(inner);
      for (let round = 0; round < 40; round++) {
        const ops = randomChangelog(rnd, draw, 60);
        const distinct = [...new Set(remaining(ops).map((r) => r[0]))];
        const expected = inner.getValue(apply(inner, distinct.map((v) => [1, [v]] as const)));
        expect(agg.getValue(apply(agg, ops))).toEqual(expected);
        const cut = rnd.int(ops.length + 1);
        expect(agg.getValue(agg.merge!(apply(agg, ops.slice(0, cut)), apply(agg, ops.slice(cut))))).toEqual(expected);
      }
    });
  }

  it('merges keyed rows (several arguments, bytes) by replaying them', () => {
    const agg = distinctAggregate(resolve('COUNT', [T.bytes]));
    const a = apply(agg, [[1, [Uint8Array.of(1)]], [1, [Uint8Array.of(2)]]]);
    const b = apply(agg, [[1, [Uint8Array.of(2)]], [1, [Uint8Array.of(3)]], [-1, [Uint8Array.of(1)]]]);
    expect(agg.getValue(agg.merge!(a, b))).toBe(2n);
  });

  it('has an insert-only form when the inner aggregate has one', () => {
    expect(distinctAggregate(resolve('COUNT', [T.int])).insertOnly).toBeUndefined();
    const max = distinctAggregate(resolve('MAX', [T.int]));
    expect(max.insertOnly).toBeDefined();
    expect(max.insertOnly!.retract).toBeUndefined();
    expect(max.insertOnly!.getValue(apply(max.insertOnly!, [[1, [3]], [1, [9]], [1, [9]]]))).toBe(9);
    expect(max.insertOnly!.stateDescription).toBe('distinct argument values with counts; the maximum');
  });
});
