// COLLECT(x): the multiset of the non-null values (Flink's CollectAggFunction), result MULTISET<type of x>, carried as
// a Map from element to count; an empty group gives an empty multiset, as in Flink. The accumulator is that multiset:
// keyed by the value itself for the types carried as primitives, by a canonical string (with the value beside its
// count) for bytes, arrays, rows and maps. Counts may go negative when a retraction comes before its row; such
// elements are left out of the result (Flink returns them with their negative count).
import type { LogicalType } from '@runnel/api/table';
import type { AggregateFunctionDefinition, ResolvedAggregate } from './aggregate-definition.js';
import { canonicalString } from './internal/canonical-key.js';
import { aggregateResultType, expectArgCount } from './internal/types.js';

/** Element → count. */
type PrimitiveMultiset = Map<unknown, number>;

/** Canonical string → [element, count]. */
type KeyedMultiset = Map<string, [element: unknown, count: number]>;

const STATE = 'multiset of values';

function addCount(m: PrimitiveMultiset, x: unknown, n: number): void {
  const c = (m.get(x) ?? 0) + n;
  if (c === 0) m.delete(x);
  else m.set(x, c);
}

function primitiveCollect(type: LogicalType): ResolvedAggregate<PrimitiveMultiset> {
  return {
    type,
    createAccumulator: () => new Map(),
    accumulate(acc, args) {
      const x = args[0];
      if (x !== null && x !== undefined) addCount(acc, x, 1);
      return acc;
    },
    retract(acc, args) {
      const x = args[0];
      if (x !== null && x !== undefined) addCount(acc, x, -1);
      return acc;
    },
    merge(acc, other) {
      for (const [x, n] of other) addCount(acc, x, n);
      return acc;
    },
    getValue(acc) {
      const out = new Map<unknown, number>();
      for (const [x, n] of acc) if (n > 0) out.set(x, n);
      return out;
    },
    stateDescription: STATE,
  };
}

function addKeyed(m: KeyedMultiset, x: unknown, n: number): void {
  const key = canonicalString(x);
  const entry = m.get(key);
  if (entry === undefined) m.set(key, [x, n]);
  else if ((entry[1] += n) === 0) m.delete(key);
}

function keyedCollect(type: LogicalType): ResolvedAggregate<KeyedMultiset> {
  return {
    type,
    createAccumulator: () => new Map(),
    accumulate(acc, args) {
      const x = args[0];
      if (x !== null && x !== undefined) addKeyed(acc, x, 1);
      return acc;
    },
    retract(acc, args) {
      const x = args[0];
      if (x !== null && x !== undefined) addKeyed(acc, x, -1);
      return acc;
    },
    merge(acc, other) {
      for (const [key, [x, n]] of other) {
        const entry = acc.get(key);
        // A new entry array: `other`'s must not be shared, it is changed in place.
        if (entry === undefined) acc.set(key, [x, n]);
        else if ((entry[1] += n) === 0) acc.delete(key);
      }
      return acc;
    },
    getValue(acc) {
      const out = new Map<unknown, number>();
      for (const [x, n] of acc.values()) if (n > 0) out.set(x, n);
      return out;
    },
    stateDescription: STATE,
  };
}

/** Whether a type's values are JS primitives (their own Map key). */
function isPrimitiveType(t: LogicalType): boolean {
  switch (t.root) {
    case 'BINARY':
    case 'VARBINARY':
    case 'ARRAY':
    case 'MAP':
    case 'MULTISET':
    case 'ROW':
      return false;
    default:
      return true;
  }
}

/**
 * COLLECT(x): the multiset of the non-null values (empty for an empty group). Result: MULTISET<type of x>, a Map
 * from element to count. Retracts and merges.
 *
 * @internal
 */
export const COLLECT: AggregateFunctionDefinition = {
  name: 'COLLECT',
  minArgs: 1,
  maxArgs: 1,
  resolve(argTypes) {
    expectArgCount(argTypes, 1, 1);
    const element = argTypes[0]!;
    const { timeAttribute: _dropped, ...plainElement } = element;
    const type = aggregateResultType({ root: 'MULTISET', nullable: true, element: plainElement });
    return isPrimitiveType(element) ? primitiveCollect(type) : keyedCollect(type);
  },
};
