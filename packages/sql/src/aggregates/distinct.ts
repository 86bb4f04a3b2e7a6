// The DISTINCT form of any aggregate (COUNT(DISTINCT x), SUM(DISTINCT x), COUNT(DISTINCT a, b), ...): the inner
// aggregate sees each distinct argument row once. The accumulator keeps, beside the inner one, a Map from the
// argument row's canonical key to the number of rows that have it, so it retracts: the inner aggregate gets the row
// when its count becomes positive and loses it when the count drops back to zero (Flink's distinct aggregation keeps
// the same Map, in a MapView). A single primitive argument is its own key and its entry is just the count; other
// rows (several arguments, bytes, arrays) are keyed by a canonical string and their entries keep the row too,
// because merging replays rows into the inner aggregate (merging the inner accumulators would count a value that
// both sides have twice); a single BIGINT or DECIMAL argument is keyed by its number when it is a safe integer. Rows
// with a NULL argument are skipped: every built-in aggregate ignores them, and COUNT(DISTINCT a, b) counts only rows
// where all are non-null. The insert-only form (over insert-only input) does not count repeats: nothing retracts.
import type { LogicalType } from '@runnel/api/table';
import type { ResolvedAggregate } from './aggregate-definition.js';
import { canonicalArgsKey, isPrimitiveValue } from './internal/canonical-key.js';

/**
 * The Map key of an argument row. A single BIGINT or DECIMAL argument (a bigint) in the safe-integer range is keyed
 * by its number: a Map finds number keys about twice as fast as bigint ones, and the arguments of one aggregate have
 * one type, so the keys stay one-to-one with the values (merging turns such a key back into the bigint).
 */
function distinctKey(args: readonly unknown[], bigintArgument: boolean): unknown {
  if (bigintArgument) {
    const v = args[0];
    if (typeof v === 'bigint') {
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v;
    }
  }
  return canonicalArgsKey(args);
}

/** A count, or `[count, argument row]` when the key is not the argument itself. */
type SeenEntry = number | [count: number, args: unknown[]];

type DistinctAcc = [inner: unknown, seen: Map<unknown, SeenEntry>];

function hasNull(args: readonly unknown[]): boolean {
  for (let i = 0; i < args.length; i++) if (args[i] === null || args[i] === undefined) return true;
  return false;
}

function distinctOf(inner: ResolvedAggregate, retracting: boolean, bigintArgument: boolean): ResolvedAggregate<DistinctAcc> {
  /**
   * Adds `n` rows with this key to the counts and tells the inner aggregate when the row appears or disappears.
   * `args` is the row (a caller's array: copied before it is kept).
   */
  function count(acc: DistinctAcc, key: unknown, args: readonly unknown[], n: number): void {
    const seen = acc[1];
    const entry = seen.get(key);
    // Without retraction a value, once seen, stays: its count is never read, so a repeat changes nothing (one Map
    // lookup per row instead of a lookup and a write; the entry's count stays the first one's).
    if (!retracting && entry !== undefined) return;
    let before: number;
    if (entry === undefined) {
      before = 0;
      // A single primitive argument is its own key (a bigint's may be its number): the entry is just the count.
      seen.set(key, args.length === 1 && isPrimitiveValue(args[0]) ? n : [n, args.slice()]);
    } else if (typeof entry === 'number') {
      before = entry;
      if (entry + n === 0) seen.delete(key);
      else seen.set(key, entry + n);
    } else {
      before = entry[0];
      if ((entry[0] += n) === 0) seen.delete(key);
    }
    const after = before + n;
    if (before <= 0 && after > 0) acc[0] = inner.accumulate(acc[0], args);
    else if (before > 0 && after <= 0 && inner.retract !== undefined) acc[0] = inner.retract(acc[0], args);
  }

  const distinct: ResolvedAggregate<DistinctAcc> = {
    type: inner.type,
    createAccumulator: () => [inner.createAccumulator(), new Map()],
    accumulate(acc, args) {
      if (!hasNull(args)) count(acc, distinctKey(args, bigintArgument), args, 1);
      return acc;
    },
    merge(acc, other) {
      for (const [key, entry] of other[1]) {
        // A bigint argument keyed by its number is replayed as the bigint.
        if (typeof entry === 'number') count(acc, key, [bigintArgument && typeof key === 'number' ? BigInt(key) : key], entry);
        else count(acc, key, entry[1], entry[0]);
      }
      return acc;
    },
    getValue: (acc) => inner.getValue(acc[0]),
    stateDescription: `distinct argument values with counts; ${inner.stateDescription}`,
  };
  if (retracting) {
    distinct.retract = (acc, args) => {
      if (!hasNull(args)) count(acc, distinctKey(args, bigintArgument), args, -1);
      return acc;
    };
  }
  return distinct;
}

/**
 * The DISTINCT form of an aggregate: the inner aggregate sees each distinct argument row once; rows with a NULL
 * argument are skipped. Retracts when the inner aggregate does; always merges (by replaying the other side's distinct
 * rows into the inner aggregate, so the inner aggregate need not merge). Has an `insertOnly` form when the inner one
 * has.
 *
 * @internal
 */
export function distinctAggregate(inner: ResolvedAggregate, argTypes?: readonly LogicalType[]): ResolvedAggregate {
  const bigintArgument = argTypes?.length === 1 && (argTypes[0]!.root === 'BIGINT' || argTypes[0]!.root === 'DECIMAL');
  const result = distinctOf(inner, inner.retract !== undefined, bigintArgument);
  if (inner.retract === undefined) return result;
  const insertOnly = inner.insertOnly;
  return insertOnly === undefined ? result : { ...result, insertOnly: distinctOf(insertOnly, false, bigintArgument) };
}
