// MIN and MAX over any ordered type (numbers, BIGINT, DECIMAL, strings, booleans, bytes, dates, times, timestamps,
// intervals), result: the argument's type, nullable. The planner gives an aggregate over retracting input only if
// it has `retract`, so the main accumulator is retractable, as Flink's MaxWithRetractAggFunction: a multiset of the
// values (a Map from the value's key to its count) and the current extreme. The extreme is found again by a scan of
// the Map only when its last occurrence is retracted; accumulating compares with the extreme only when a value is
// new to the multiset. Counts may go negative when a retraction arrives before the row it retracts; such keys are
// not in the multiset until their count is positive again. For insert-only input, `insertOnly` keeps the extreme
// alone, as Flink's MaxAggFunction does.
import type { LogicalType } from '@runnel/api/table';
import type { AggregateFunctionDefinition, ResolvedAggregate } from './aggregate-definition.js';
import { aggregateResultType, expectArgCount, unsupportedArgument } from './internal/types.js';
import { valueOrderOf, type ValueOrder } from './internal/value-order.js';

/**
 * `[extreme key (null when the multiset is empty), number of keys with a positive count, key → count]`.
 */
type MultisetAcc = [extreme: unknown, size: number, counts: Map<unknown, number>];

/** `[extreme value or null]`. */
type ExtremeAcc = [extreme: unknown];

/** The same key: `===` but NaN equals NaN (Map keys are SameValueZero). */
function sameKey(a: unknown, b: unknown): boolean {
  return a === b || (a !== a && b !== b);
}

function multisetExtreme(type: LogicalType, order: ValueOrder, dir: 1 | -1, what: string): ResolvedAggregate<MultisetAcc> {
  const { toKey, fromKey, compareKeys } = order;

  /** Scans the multiset for the extreme among the keys with a positive count. */
  function recompute(acc: MultisetAcc): void {
    let best: unknown = null;
    let found = false;
    for (const [k, n] of acc[2]) {
      if (n > 0 && (!found || dir * compareKeys(k, best) > 0)) {
        best = k;
        found = true;
      }
    }
    acc[0] = best;
    acc[1] = found ? acc[1] : 0;
  }

  /** Adds `n` occurrences of a key (n may be negative). */
  function add(acc: MultisetAcc, k: unknown, n: number): boolean {
    const counts = acc[2];
    const before = counts.get(k) ?? 0;
    const after = before + n;
    if (after === 0) counts.delete(k);
    else counts.set(k, after);
    if (before <= 0 && after > 0) {
      // New to the multiset.
      if (acc[1]++ === 0 || dir * compareKeys(k, acc[0]) > 0) acc[0] = k;
    } else if (before > 0 && after <= 0) {
      // Gone from the multiset: the caller rescans when it was the extreme.
      if (--acc[1] === 0) acc[0] = null;
      else if (sameKey(k, acc[0])) return true;
    }
    return false;
  }

  return {
    type: aggregateResultType(type),
    createAccumulator: () => [null, 0, new Map()],
    accumulate(acc, args) {
      const x = args[0];
      if (x === null || x === undefined) return acc;
      add(acc, toKey(x), 1);
      return acc;
    },
    retract(acc, args) {
      const x = args[0];
      if (x === null || x === undefined) return acc;
      if (add(acc, toKey(x), -1)) recompute(acc);
      return acc;
    },
    merge(acc, other) {
      let rescan = false;
      for (const [k, n] of other[2]) if (add(acc, k, n)) rescan = true;
      if (rescan) recompute(acc);
      return acc;
    },
    getValue: (acc) => (acc[1] > 0 ? fromKey(acc[0]) : null),
    stateDescription: `multiset of values (value → count) and the current ${what}`,
  };
}

function keptExtreme(type: LogicalType, order: ValueOrder, dir: 1 | -1, what: string): ResolvedAggregate<ExtremeAcc> {
  const { compareValues } = order;
  return {
    type: aggregateResultType(type),
    createAccumulator: () => [null],
    accumulate(acc, args) {
      const x = args[0];
      if (x === null || x === undefined) return acc;
      if (acc[0] === null || dir * compareValues(x, acc[0]) > 0) acc[0] = x;
      return acc;
    },
    merge(acc, other) {
      const x = other[0];
      if (x !== null && (acc[0] === null || dir * compareValues(x, acc[0]) > 0)) acc[0] = x;
      return acc;
    },
    getValue: (acc) => acc[0],
    stateDescription: `the ${what}`,
  };
}

function minMax(name: 'MIN' | 'MAX'): AggregateFunctionDefinition {
  const dir = name === 'MAX' ? 1 : -1;
  const what = name === 'MAX' ? 'maximum' : 'minimum';
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    resolve(argTypes) {
      expectArgCount(argTypes, 1, 1);
      const t = argTypes[0]!;
      const order = valueOrderOf(t);
      if (order === undefined) throw unsupportedArgument(t, 'a comparable type');
      return { ...multisetExtreme(t, order, dir, what), insertOnly: keptExtreme(t, order, dir, what) };
    },
  };
}

/**
 * MIN(x): the least non-null value, NULL when there is none. Result: the argument's type. Retracts (multiset of
 * values) and merges; `insertOnly` keeps the minimum alone.
 *
 * @internal
 */
export const MIN: AggregateFunctionDefinition = minMax('MIN');

/**
 * MAX(x): the greatest non-null value, NULL when there is none. Result: the argument's type. Retracts (multiset of
 * values) and merges; `insertOnly` keeps the maximum alone.
 *
 * @internal
 */
export const MAX: AggregateFunctionDefinition = minMax('MAX');
