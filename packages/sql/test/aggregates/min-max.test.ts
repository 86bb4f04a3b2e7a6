// MIN and MAX over every ordered type against DuckDB (numbers, BIGINT near 2^63, DECIMAL, DOUBLE with NaN,
// strings in code point order, booleans, bytes), retraction through the multiset (the extreme found again when it is
// retracted), retractions ahead of their rows, merging, and the insert-only form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { aggregate, apply, Duck, generator, parseDecimal, Random, randomChangelog, remaining, resolve, T, type Op } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

/** DuckDB's MIN and MAX of the values, as this implementation carries them. */
async function duckMinMax(type: LogicalType, values: readonly unknown[]): Promise<[unknown, unknown]> {
  switch (type.root) {
    case 'DECIMAL': {
      const [lo, hi] = await duck.overValues('MIN(x)::VARCHAR, MAX(x)::VARCHAR', type, values);
      const parse = (s: unknown): unknown => (s === null ? null : parseDecimal(s as string, type.scale!));
      return [parse(lo), parse(hi)];
    }
    case 'VARBINARY': {
      const [lo, hi] = await duck.overValues('hex(MIN(x)), hex(MAX(x))', type, values);
      const parse = (s: unknown): unknown => (s === null ? null : Uint8Array.from((s as string).match(/../g) ?? [], (h) => parseInt(h, 16)));
      return [parse(lo), parse(hi)];
    }
    default: {
      const [lo, hi] = await duck.overValues('MIN(x), MAX(x)', type, values);
      return [lo, hi];
    }
  }
}

const TYPES: LogicalType[] = [T.tinyint, T.int, T.bigint, T.decimal(38, 4), T.double, T.string, T.boolean, T.bytes, T.date];

describe('MIN and MAX types', () => {
  it("are the argument's type, nullable, without a time attribute", () => {
    expect(resolve('MAX', [{ root: 'INTEGER', nullable: false }]).type).toEqual(T.int);
    expect(resolve('MIN', [T.decimal(10, 2)]).type).toEqual(T.decimal(10, 2));
    const rowtime: LogicalType = { root: 'TIMESTAMP', nullable: false, precision: 3, timeAttribute: 'rowtime' };
    expect(resolve('MAX', [rowtime]).type).toEqual({ root: 'TIMESTAMP', nullable: true, precision: 3 });
  });

  it('refuse types without an order', () => {
    expect(() => resolve('MAX', [{ root: 'ARRAY', nullable: true, element: T.int }])).toThrow(FunctionTypeError);
    expect(() => resolve('MIN', [{ root: 'ROW', nullable: true, fields: [] }])).toThrow(FunctionTypeError);
  });
});

describe('MIN and MAX values', () => {
  for (const type of TYPES) {
    it(`MIN/MAX(${type.root}) match DuckDB`, async () => {
      const rnd = new Random(type.root.length * 13 + (type.precision ?? 0));
      const gen = generator(rnd, type, 0.2);
      for (const n of [0, 1, 2, 10, 100]) {
        const values = Array.from({ length: n }, gen);
        const [lo, hi] = await duckMinMax(type, values);
        expect(aggregate(resolve('MIN', [type]), values)).toEqual(lo);
        expect(aggregate(resolve('MAX', [type]), values)).toEqual(hi);
        // The insert-only form agrees.
        expect(aggregate(resolve('MIN', [type]).insertOnly!, values)).toEqual(lo);
        expect(aggregate(resolve('MAX', [type]).insertOnly!, values)).toEqual(hi);
      }
    });
  }

  it('order strings by code point, not by UTF-16 code unit', () => {
    const values = ['\u{ffff}', '\u{10000}', '\u{e000}', 'z'];
    expect(aggregate(resolve('MAX', [T.string]), values)).toBe('\u{10000}');
    expect(aggregate(resolve('MIN', [T.string]), values)).toBe('z');
    expect(aggregate(resolve('MAX', [T.string]).insertOnly!, values)).toBe('\u{10000}');
  });

  it('put NaN above every number, as Flink and DuckDB do', async () => {
    const values = [1, Number.NaN, Infinity, -Infinity];
    const [, hi] = await duck.overValues('MIN(x), MAX(x)', T.double, values);
    expect(hi).toBeNaN();
    expect(aggregate(resolve('MAX', [T.double]), values)).toBeNaN();
    expect(aggregate(resolve('MIN', [T.double]), values)).toBe(-Infinity);
    const max = resolve('MAX', [T.double]);
    expect(max.getValue(apply(max, [[1, [Number.NaN]], [1, [1]], [-1, [Number.NaN]]]))).toBe(1);
  });

  it('keep BIGINT near 2^63 and bytes exact', () => {
    const max = resolve('MAX', [T.bigint]);
    expect(aggregate(max, [2n ** 63n - 2n, 2n ** 63n - 1n, 2n ** 63n - 3n])).toBe(2n ** 63n - 1n);
    const min = resolve('MIN', [T.bytes]);
    const got = aggregate(min, [Uint8Array.of(1), Uint8Array.of(0, 255), Uint8Array.of(0, 255, 0)]);
    expect(got).toEqual(Uint8Array.of(0, 255));
    expect(Object.getPrototypeOf(got)).toBe(Uint8Array.prototype);
  });

  it('find the extreme again when it is retracted, and are NULL once empty', () => {
    const max = resolve('MAX', [T.int]);
    let acc = apply(max, [
      [1, [3]],
      [1, [9]],
      [1, [9]],
      [1, [5]],
    ]);
    acc = max.retract!(acc, [9]);
    expect(max.getValue(acc)).toBe(9);
    acc = max.retract!(acc, [9]);
    expect(max.getValue(acc)).toBe(5);
    acc = apply(max, [
      [-1, [5]],
      [-1, [3]],
    ], acc);
    expect(max.getValue(acc)).toBeNull();
    acc = max.accumulate(acc, [-4]);
    expect(max.getValue(acc)).toBe(-4);
  });

  it('keep a retraction that comes before its row out of the result until the row comes', () => {
    const max = resolve('MAX', [T.int]);
    let acc = apply(max, [
      [-1, [7]],
      [1, [3]],
    ]);
    expect(max.getValue(acc)).toBe(3);
    acc = max.accumulate(acc, [7]);
    expect(max.getValue(acc)).toBe(3);
    acc = max.accumulate(acc, [7]);
    expect(max.getValue(acc)).toBe(7);
  });

  for (const type of [T.int, T.string, T.decimal(10, 2), T.bytes]) {
    for (const name of ['MIN', 'MAX']) {
      it(`${name}(${type.root}) after random retractions equals the result over the remaining values; merges`, () => {
        const rnd = new Random(name.length * 31 + type.root.length);
        const gen = generator(rnd, type, 0.2);
        const agg = resolve(name, [type]);
        for (let round = 0; round < 40; round++) {
          const ops = randomChangelog(rnd, () => [gen()], 60);
          const expected = aggregate(agg.insertOnly!, remaining(ops).map((r) => r[0]));
          expect(agg.getValue(apply(agg, ops))).toEqual(expected);
          // Split anywhere: the second part may retract rows of the first (negative counts there).
          const cut = rnd.int(ops.length + 1);
          const merged = agg.merge!(apply(agg, ops.slice(0, cut)), apply(agg, ops.slice(cut)));
          expect(agg.getValue(merged)).toEqual(expected);
        }
      });
    }
  }

  it('the insert-only form merges', () => {
    const agg = resolve('MIN', [T.int]).insertOnly!;
    expect(agg.retract).toBeUndefined();
    const a = apply(agg, [[1, [4]], [1, [2]]] as Op[]);
    const b = apply(agg, [[1, [3]], [1, [null]]] as Op[]);
    expect(agg.getValue(agg.merge!(a, b))).toBe(2);
    expect(agg.getValue(agg.merge!(agg.createAccumulator(), agg.createAccumulator()))).toBeNull();
  });
});
