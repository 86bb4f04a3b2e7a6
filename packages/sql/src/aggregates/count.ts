// COUNT(*) and COUNT(x [, y]*): the number of rows, or of rows whose arguments are all non-null (Flink's
// Count1AggFunction and CountAggFunction). BIGINT NOT NULL: an empty group counts 0. The accumulator is the count
// as a plain number (exact far beyond any realistic row count); it goes negative when retractions arrive before
// the rows they retract, and comes back as they do.
import type { LogicalType } from '@runnel/api/table';
import type { AggregateFunctionDefinition, ResolvedAggregate } from './aggregate-definition.js';
import { bigintOf } from './internal/bigint-of.js';

const COUNT_TYPE: LogicalType = { root: 'BIGINT', nullable: false };

const countRows: ResolvedAggregate<number> = {
  type: COUNT_TYPE,
  createAccumulator: () => 0,
  accumulate: (acc) => acc + 1,
  retract: (acc) => acc - 1,
  merge: (acc, other) => acc + other,
  getValue: bigintOf,
  stateDescription: 'count',
};

function allNonNull(args: readonly unknown[]): boolean {
  for (let i = 0; i < args.length; i++) if (args[i] === null || args[i] === undefined) return false;
  return true;
}

const countNonNull: ResolvedAggregate<number> = {
  type: COUNT_TYPE,
  createAccumulator: () => 0,
  accumulate: (acc, args) => (allNonNull(args) ? acc + 1 : acc),
  retract: (acc, args) => (allNonNull(args) ? acc - 1 : acc),
  merge: (acc, other) => acc + other,
  getValue: bigintOf,
  stateDescription: 'count of non-null values',
};

/**
 * COUNT: `COUNT(*)` (no arguments) counts rows; `COUNT(x, ...)` counts rows where every argument is non-null (when
 * no argument type is nullable, that is every row). Result BIGINT NOT NULL; retracts and merges.
 *
 * @internal
 */
export const COUNT: AggregateFunctionDefinition = {
  name: 'COUNT',
  minArgs: 0,
  maxArgs: Infinity,
  resolve(argTypes) {
    return argTypes.every((t) => !t.nullable) ? countRows : countNonNull;
  },
};
