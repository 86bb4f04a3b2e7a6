// How built-in aggregate functions are described to the planner and the aggregation operators. Like scalar
// functions they resolve against their argument types once, at planning. Accumulators are plain values (numbers,
// bigints, arrays, Maps, plain objects) because they live in the state backend: they are encoded with the generic
// value codec on `level` and snapshotted on `heap`, so they must not hold class instances or closures.
import type { LogicalType } from '@runnel/api/table';

/**
 * An aggregate resolved for its argument types.
 *
 * Accumulators are mutable where that is cheaper (`accumulate` may change `acc` in place and return it) — callers
 * always use the returned value.
 *
 * @internal
 */
export interface ResolvedAggregate<Acc = unknown> {
  /** The result type (nullability included; SUM of no rows is NULL, COUNT of no rows 0). */
  readonly type: LogicalType;
  createAccumulator(): Acc;
  /** Adds one row's argument values (NULLs included: each function decides, e.g. COUNT(x) skips NULL x). */
  accumulate(acc: Acc, args: readonly unknown[]): Acc;
  /**
   * Removes one row's values (for retracting input: -U, -D). Absent when the function cannot retract; the planner
   * then refuses the query over an updating input with `not supported`.
   */
  retract?(acc: Acc, args: readonly unknown[]): Acc;
  /**
   * Combines two accumulators (window slices, two-phase aggregation). Absent when not mergeable. `other` is left
   * unchanged; for the order-sensitive functions (FIRST_VALUE, LAST_VALUE, LISTAGG) its rows count as arriving after
   * `acc`'s, so slices are merged in time order.
   */
  merge?(acc: Acc, other: Acc): Acc;
  /** The current result; leaves the accumulator unchanged (it may be called after every row). */
  getValue(acc: Acc): unknown;
  /**
   * Whether an accumulator needs the values themselves to retract (MIN/MAX keep a multiset of values): the planner
   * reports it as the state the operator keeps (EXPLAIN).
   */
  readonly stateDescription: string;
  /**
   * The same function for insert-only input, with a smaller accumulator and no `retract` (MIN and MAX keep the
   * extreme alone instead of a multiset of values, FIRST_VALUE the first value, LISTAGG the string so far). Absent
   * when this accumulator is already as small. Its accumulators are not interchangeable with this one's: a plan uses
   * one variant for the life of its state.
   */
  readonly insertOnly?: ResolvedAggregate;
}

/**
 * A built-in aggregate function.
 *
 * @internal
 */
export interface AggregateFunctionDefinition {
  /** Upper-case name. */
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /**
   * Resolves for these argument types (`COUNT(*)` has none); throws a `FunctionTypeError` when they do not fit.
   * `literals[i]` is argument i's value when it is a literal (LISTAGG's separator).
   */
  resolve(argTypes: readonly LogicalType[], literals: readonly unknown[]): ResolvedAggregate;
}
