// The registry and the properties every built-in aggregate has: found by name in any case; accumulators are plain
// data that survive a structured copy (as they survive the state codec) and keep working after it; getValue and
// merge leave what they read unchanged; the insert-only form agrees with the full one on insert-only input.
import { describe, expect, it } from 'vitest';
import type { LogicalType } from '@runnel/api/table';
import type { ResolvedAggregate } from '../../src/aggregates/aggregate-definition.js';
import { aggregateFunctionNames, distinctAggregate, lookupAggregateFunction } from '../../src/aggregates/registry.js';
import { apply, expectPlainData, generator, Random, randomChangelog, resolve, T, type Op } from './helpers.js';

describe('registry', () => {
  it('finds the built-ins by name in any case', () => {
    expect(aggregateFunctionNames()).toEqual([
      'COUNT',
      'SUM',
      '$SUM0',
      'AVG',
      'MIN',
      'MAX',
      'VAR_POP',
      'VAR_SAMP',
      'VARIANCE',
      'STDDEV_POP',
      'STDDEV_SAMP',
      'STDDEV',
      'FIRST_VALUE',
      'LAST_VALUE',
      'LISTAGG',
      'COLLECT',
    ]);
    for (const name of aggregateFunctionNames()) {
      expect(lookupAggregateFunction(name)?.name).toBe(name);
      expect(lookupAggregateFunction(name.toLowerCase())?.name).toBe(name);
    }
    expect(lookupAggregateFunction('Sum')?.name).toBe('SUM');
    expect(lookupAggregateFunction('MEDIAN')).toBeUndefined();
    expect(lookupAggregateFunction('SUM0')).toBeUndefined();
  });

  it('declares argument counts', () => {
    expect(lookupAggregateFunction('COUNT')).toMatchObject({ minArgs: 0, maxArgs: Infinity });
    expect(lookupAggregateFunction('LISTAGG')).toMatchObject({ minArgs: 1, maxArgs: 2 });
    for (const name of ['SUM', 'AVG', 'MIN', 'STDDEV', 'FIRST_VALUE', 'COLLECT']) {
      expect(lookupAggregateFunction(name)).toMatchObject({ minArgs: 1, maxArgs: 1 });
    }
  });
});

/** Every function with argument types it takes, and a value generator. */
const CASES: [name: string, types: LogicalType[], literals?: unknown[]][] = [
  ['COUNT', []],
  ['COUNT', [T.int, T.string]],
  ['SUM', [T.tinyint]],
  ['SUM', [T.bigint]],
  ['SUM', [T.decimal(20, 4)]],
  ['SUM', [T.double]],
  ['$SUM0', [T.int]],
  ['AVG', [T.int]],
  ['AVG', [T.bigint]],
  ['AVG', [T.decimal(10, 2)]],
  ['AVG', [T.float]],
  ['MIN', [T.string]],
  ['MAX', [T.bytes]],
  ['MAX', [T.decimal(38, 0)]],
  ['VAR_SAMP', [T.double]],
  ['STDDEV_POP', [T.decimal(10, 3)]],
  ['FIRST_VALUE', [T.bytes]],
  ['LAST_VALUE', [T.bigint]],
  ['LISTAGG', [T.string]],
  ['LISTAGG', [T.string, T.string]],
  ['COLLECT', [T.bytes]],
  ['COLLECT', [T.int]],
];

describe('every aggregate', () => {
  for (const [name, types, literals] of CASES) {
    const label = `${name}(${types.map((t) => t.root).join(', ')})`;
    const variants: [string, () => ResolvedAggregate][] = [
      [label, () => resolve(name, types, literals)],
      [`${label} DISTINCT`, () => distinctAggregate(resolve(name, types, literals))],
    ];
    for (const [what, make] of variants) {
      it(`${what}: plain-data accumulators that work after a copy; getValue and merge change nothing they read`, () => {
        const agg = make();
        const rnd = new Random(what.length * 7 + 1);
        const gens = types.map((t) => generator(rnd, t, 0.2));
        const draw = (): unknown[] => gens.map((g) => g());
        for (let round = 0; round < 10; round++) {
          const ops = randomChangelog(rnd, draw, 40);
          const cut = rnd.int(ops.length + 1);
          let acc = apply(agg, ops.slice(0, cut));
          expectPlainData(acc);
          const copy = structuredClone(acc);
          const before = structuredClone(acc);
          agg.getValue(acc);
          expect(acc).toEqual(before);
          // Carry on with the copy: the same result as carrying on with the original.
          acc = apply(agg, ops.slice(cut), acc);
          expect(agg.getValue(apply(agg, ops.slice(cut), copy))).toEqual(agg.getValue(acc));
          expectPlainData(acc);
          // merge leaves `other` as it was.
          const other = apply(agg, ops.slice(cut));
          const otherBefore = structuredClone(other);
          agg.merge!(apply(agg, ops.slice(0, cut)), other);
          expect(other).toEqual(otherBefore);
        }
      });
    }

    it(`${label}: the insert-only form, when there is one, agrees on insert-only input and merges`, () => {
      const agg = resolve(name, types, literals);
      const fast = agg.insertOnly;
      if (fast === undefined) return;
      expect(fast.retract).toBeUndefined();
      expect(fast.type).toEqual(agg.type);
      const rnd = new Random(label.length);
      const gens = types.map((t) => generator(rnd, t, 0.2));
      for (let round = 0; round < 10; round++) {
        const ops: Op[] = Array.from({ length: rnd.int(30) }, () => [1, gens.map((g) => g())] as const);
        const cut = rnd.int(ops.length + 1);
        const expected = agg.getValue(apply(agg, ops));
        expect(fast.getValue(apply(fast, ops))).toEqual(expected);
        expectPlainData(apply(fast, ops));
        expect(fast.getValue(fast.merge!(apply(fast, ops.slice(0, cut)), apply(fast, ops.slice(cut))))).toEqual(expected);
      }
    });
  }
});
