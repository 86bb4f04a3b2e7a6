// SUM and $SUM0, with Flink's result types (LogicalTypeMerging.findSumAggType): the argument's own type for the
// integer and floating types — so SUM(INT) is INT and wraps at 32 bits, SUM(TINYINT) wraps at 8, SUM(BIGINT) at 64,
// as Java arithmetic does in Flink — and DECIMAL(38, s) for DECIMAL(p, s). SUM is NULL when the group has no non-null
// value; like Flink's SumWithRetractAggFunction it counts the non-null values so that retracting the last one gives
// NULL again. $SUM0 (Calcite's name; Flink's Table API `sum0`, used by planner rewrites) is 0 instead.
//
// Accumulators are small arrays mutated in place: `[sum, count]` for the types carried as numbers, an exact sum
// `[small, big, count]` (see exact-sum.ts) for BIGINT and DECIMAL. Integer sums are exact (or exactly wrapped), so
// retraction is exact; floating sums are reset to 0 when the count returns to 0, so retraction rounding does not
// linger once a group is empty.
import type { LogicalType } from '@runnel/api/table';
import type { AggregateFunctionDefinition, ResolvedAggregate } from './aggregate-definition.js';
import { fitsPrecision, MAX_DECIMAL_PRECISION } from './internal/decimal-math.js';
import {
  exactSumAddBigint,
  exactSumMerge,
  exactSumSubtractBigint,
  exactSumTotal,
  newExactSum,
  type ExactSumAcc,
} from './internal/exact-sum.js';
import { aggregateResultType, decimalScale, decimalType, expectArgCount, unsupportedArgument } from './internal/types.js';

type NumberSumAcc = [sum: number, count: number];

const SUM_STATE = 'sum and count of non-null values';

/** Wraps a number sum to the range of its integer type, as Java's int, short and byte arithmetic do. */
function wrapperOf(root: string): (x: number) => number {
  switch (root) {
    case 'TINYINT':
      return (x) => (x << 24) >> 24;
    case 'SMALLINT':
      return (x) => (x << 16) >> 16;
    case 'INTEGER':
      return (x) => x | 0;
    case 'FLOAT':
      return Math.fround;
    default:
      return (x) => x;
  }
}

function numberSum(type: LogicalType, emptyIsZero: boolean): ResolvedAggregate<NumberSumAcc> {
  const wrap = wrapperOf(type.root);
  const floating = type.root === 'FLOAT' || type.root === 'DOUBLE';
  // A floating sum that is back to no values restarts from an exact 0 (see the header).
  const settle = floating
    ? (acc: NumberSumAcc): NumberSumAcc => {
        if (acc[1] === 0) acc[0] = 0;
        return acc;
      }
    : (acc: NumberSumAcc): NumberSumAcc => acc;
  return {
    type: emptyIsZero ? { ...aggregateResultType(type), nullable: false } : aggregateResultType(type),
    createAccumulator: () => [0, 0],
    accumulate(acc, args) {
      const x = args[0] as number | null;
      if (x === null || x === undefined) return acc;
      acc[0] = wrap(acc[0] + x);
      acc[1]++;
      return acc;
    },
    retract(acc, args) {
      const x = args[0] as number | null;
      if (x === null || x === undefined) return acc;
      acc[0] = wrap(acc[0] - x);
      acc[1]--;
      return settle(acc);
    },
    merge(acc, other) {
      acc[0] = wrap(acc[0] + other[0]);
      acc[1] += other[1];
      return settle(acc);
    },
    getValue: emptyIsZero ? (acc) => acc[0] : (acc) => (acc[1] === 0 ? null : acc[0]),
    stateDescription: SUM_STATE,
  };
}

function bigintSum(
  type: LogicalType,
  finish: (total: bigint) => bigint | null,
  emptyIsZero: boolean,
): ResolvedAggregate<ExactSumAcc> {
  return {
    type: emptyIsZero ? { ...type, nullable: false } : type,
    createAccumulator: newExactSum,
    accumulate(acc, args) {
      const x = args[0] as bigint | null;
      if (x === null || x === undefined) return acc;
      exactSumAddBigint(acc, x);
      acc[2]++;
      return acc;
    },
    retract(acc, args) {
      const x = args[0] as bigint | null;
      if (x === null || x === undefined) return acc;
      exactSumSubtractBigint(acc, x);
      acc[2]--;
      return acc;
    },
    merge(acc, other) {
      exactSumMerge(acc, other);
      acc[2] += other[2];
      return acc;
    },
    getValue(acc) {
      if (acc[2] === 0 && !emptyIsZero) return null;
      return finish(exactSumTotal(acc));
    },
    stateDescription: SUM_STATE,
  };
}

/** BIGINT arithmetic in Flink is Java's long arithmetic: it wraps at 64 bits. */
const wrap64 = (total: bigint): bigint => BigInt.asIntN(64, total);

/**
 * A DECIMAL(38, s) sum that outgrows 38 digits is NULL, as Flink's decimal addition gives NULL on overflow. (Flink
 * then carries on from that NULL; this sum stays exact, so the result is right again once retractions bring it back
 * into range.)
 */
const checkDecimal = (total: bigint): bigint | null => (fitsPrecision(total, MAX_DECIMAL_PRECISION) ? total : null);

function resolveSum(argTypes: readonly LogicalType[], emptyIsZero: boolean): ResolvedAggregate {
  expectArgCount(argTypes, 1, 1);
  const t = argTypes[0]!;
  switch (t.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'FLOAT':
    case 'DOUBLE':
      return numberSum(t, emptyIsZero);
    case 'BIGINT':
      return bigintSum({ root: 'BIGINT', nullable: true }, wrap64, emptyIsZero);
    case 'DECIMAL':
      return bigintSum(decimalType(MAX_DECIMAL_PRECISION, decimalScale(t)), checkDecimal, emptyIsZero);
    default:
      throw unsupportedArgument(t, 'a numeric type');
  }
}

/**
 * SUM(x): the sum of the non-null values, NULL when there are none. Result: the argument's type (TINYINT, SMALLINT,
 * INT, BIGINT wrap on overflow; FLOAT, DOUBLE), DECIMAL(38, s) for DECIMAL(p, s) (NULL beyond 38 digits). Retracts
 * and merges.
 *
 * @internal
 */
export const SUM: AggregateFunctionDefinition = {
  name: 'SUM',
  minArgs: 1,
  maxArgs: 1,
  resolve: (argTypes) => resolveSum(argTypes, false),
};

/**
 * $SUM0(x): SUM that is 0 instead of NULL when there is no non-null value (Calcite's `$SUM0`, Flink's Table API
 * `sum0`; not callable by that name from SQL text). Result: as SUM, NOT NULL. Retracts and merges.
 *
 * @internal
 */
export const SUM0: AggregateFunctionDefinition = {
  name: '$SUM0',
  minArgs: 1,
  maxArgs: 1,
  resolve: (argTypes) => resolveSum(argTypes, true),
};
