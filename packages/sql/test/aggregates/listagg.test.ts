// LISTAGG: non-null strings joined in arrival order against DuckDB's string_agg ordered by arrival, default and
// literal separators, a per-row separator (the latest row's), a NULL separator, retraction of the earliest
// occurrence, merging in slice order, and the insert-only form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { aggregate, apply, Duck, generator, Random, randomChangelog, remaining, resolve, T, type Op } from './helpers.js';

let duck: Duck;
beforeAll(async () => {
  duck = await Duck.open();
});
afterAll(() => duck.close());

const STRING = { root: 'VARCHAR', nullable: true, precision: 2147483647 };

describe('LISTAGG', () => {
  it('is a nullable STRING of character strings', () => {
    expect(resolve('LISTAGG', [{ ...T.string, nullable: false }]).type).toEqual(STRING);
    expect(resolve('LISTAGG', [{ root: 'CHAR', nullable: true, precision: 3 }, T.string], [undefined, '|']).type).toEqual(STRING);
    expect(() => resolve('LISTAGG', [T.int])).toThrow(FunctionTypeError);
    expect(() => resolve('LISTAGG', [T.string, T.int])).toThrow(FunctionTypeError);
  });

  for (const separator of [undefined, ', ', '']) {
    it(`joins in arrival order with ${separator === undefined ? 'the default separator' : `'${separator}'`} (DuckDB)`, async () => {
      const rnd = new Random((separator?.length ?? 7) + 1);
      const gen = generator(rnd, T.string, 0.2);
      const agg = separator === undefined ? resolve('LISTAGG', [T.string]) : resolve('LISTAGG', [T.string, T.string], [undefined, separator]);
      for (const n of [0, 1, 2, 30]) {
        const values = Array.from({ length: n }, gen);
        const sep = separator ?? ',';
        const [expected] = await duck.overValues(`string_agg(x, '${sep.replaceAll("'", "''")}' ORDER BY i)`, T.string, values);
        const args = (v: unknown): unknown[] => (separator === undefined ? [v] : [v, separator]);
        expect(agg.getValue(apply(agg, values.map((v) => [1, args(v)] as const)))).toEqual(expected);
        expect(agg.insertOnly!.getValue(apply(agg.insertOnly!, values.map((v) => [1, args(v)] as const)))).toEqual(expected);
      }
    });
  }

  it('after random retractions joins the remaining rows (DuckDB); merges in slice order', async () => {
    const rnd = new Random(404);
    const draw = (): unknown[] => [rnd.next() < 0.2 ? null : rnd.pick(['a', 'b', 'c', 'dé', '\u{1f600}'])];
    const agg = resolve('LISTAGG', [T.string]);
    for (let round = 0; round < 50; round++) {
      const ops = randomChangelog(rnd, draw, 50);
      const left = remaining(ops).map((r) => r[0]);
      const live = left.filter((v) => v !== null);
      const expected = live.length === 0 ? null : live.join(',');
      expect(agg.getValue(apply(agg, ops))).toBe(expected);
      if (round % 10 === 0) {
        const [fromDuck] = await duck.overValues(`string_agg(x, ',' ORDER BY i)`, T.string, left);
        expect(expected).toBe(fromDuck);
      }
      const inserts = ops.filter(([sign]) => sign === 1);
      const cut = rnd.int(inserts.length + 1);
      const merged = agg.merge!(apply(agg, inserts.slice(0, cut)), apply(agg, inserts.slice(cut)));
      expect(agg.getValue(merged)).toBe(agg.getValue(apply(agg, inserts)));
    }
  });

  it('removes the earliest occurrence; a retraction ahead of its row cancels it', () => {
    const agg = resolve('LISTAGG', [T.string]);
    const ops: Op[] = [
      [1, ['a']],
      [1, ['b']],
      [1, ['a']],
      [-1, ['a']],
    ];
    expect(agg.getValue(apply(agg, ops))).toBe('b,a');
    expect(agg.getValue(apply(agg, [[-1, ['x']], [1, ['y']], [1, ['x']], [1, ['z']]]))).toBe('y,z');
    expect(agg.getValue(apply(agg, [[1, ['a']], [-1, ['a']]]))).toBeNull();
  });

  it("uses the latest row's separator when it is not a literal, and is NULL for a NULL separator", () => {
    const perRow = resolve('LISTAGG', [T.string, T.string]);
    expect(perRow.insertOnly).toBeUndefined();
    expect(perRow.getValue(apply(perRow, [[1, ['a', '-']], [1, [null, '*']], [1, ['b', '+']]]))).toBe('a+b');
    expect(perRow.getValue(apply(perRow, [[1, ['a', '-']], [1, ['b', null]]]))).toBeNull();
    const later = apply(perRow, [[1, ['c', ';']]]);
    expect(perRow.getValue(perRow.merge!(apply(perRow, [[1, ['a', '-']], [1, ['b', '-']]]), later))).toBe('a;b;c');
    const nullSeparator = resolve('LISTAGG', [T.string, T.string], [undefined, null]);
    expect(nullSeparator.getValue(apply(nullSeparator, [[1, ['a', null]]]))).toBeNull();
  });

  it('the insert-only form joins as it goes and merges in slice order', () => {
    const agg = resolve('LISTAGG', [T.string, T.string], [undefined, '|']).insertOnly!;
    expect(agg.retract).toBeUndefined();
    const a = apply(agg, [[1, ['x', '|']], [1, [null, '|']]]);
    const b = apply(agg, [[1, ['y', '|']], [1, ['z', '|']]]);
    expect(agg.getValue(agg.merge!(a, b))).toBe('x|y|z');
    expect(agg.getValue(agg.createAccumulator())).toBeNull();
    expect(aggregate(resolve('LISTAGG', [T.string]).insertOnly!, ['p', 'q'])).toBe('p,q');
  });
});
