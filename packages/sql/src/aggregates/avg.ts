// AVG with Flink's result types (LogicalTypeMerging.findAvgAggType): the argument's own type for the integer and
// floating types — AVG(INT) is INT, the sum divided by the count with Java's integer division (truncating towards
// zero) — and DECIMAL(38, max(6, s)) for DECIMAL(p, s), the exact quotient rounded HALF_UP to that scale (Flink
// divides with DecimalDataUtils, HALF_UP). NULL when there is no non-null value. Retracts and merges: the
// accumulator is the sum and the count of non-null values, as in Flink's AvgAggFunction.
//
// Integer and DECIMAL sums are exact (see exact-sum.ts), so the average is exact and always fits the type. Flink
// keeps the sum of integers in a BIGINT that wraps past 2^63, which makes AVG(BIGINT) of large values wrong there;
// this one does not follow it into that overflow. Floating sums are reset to 0 when the count returns to 0.
import type { LogicalType } from '@runnel/api/table';
import type { AggregateFunctionDefinition, ResolvedAggregate } from './aggregate-definition.js';
import { divideHalfUp, fitsPrecision, MAX_DECIMAL_PRECISION, pow10 } from './internal/decimal-math.js';
import { bigintOf } from './internal/bigint-of.js';
import {
  exactSumAddBigint,
  exactSumAddNumber,
  exactSumMerge,
  exactSumSubtractBigint,
  exactSumTotal,
  newExactSum,
  type ExactSumAcc,
} from './internal/exact-sum.js';
import { aggregateResultType, decimalScale, decimalType, expectArgCount, unsupportedArgument } from './internal/types.js';

type FloatAvgAcc = [sum: number, count: number];

const AVG_STATE = 'sum and count of non-null values';

function floatingAvg(type: LogicalType): ResolvedAggregate<FloatAvgAcc> {
  // FLOAT averages are computed on a DOUBLE sum, as in Flink, then narrowed.
  const narrow = type.root === 'FLOAT' ? Math.fround : (x: number) => x;
  return {
    type: aggregateResultType(type),
    createAccumulator: () => [0, 0],
    accumulate(acc, args) {
      const x = args[0] as number | null;
      if (x === null || x === undefined) return acc;
      acc[0] += x;
      acc[1]++;
      return acc;
    },
    retract(acc, args) {
      const x = args[0] as number | null;
      if (x === null || x === undefined) return acc;
      acc[0] -= x;
      if (--acc[1] === 0) acc[0] = 0;
      return acc;
    },
    merge(acc, other) {
      acc[0] += other[0];
      if ((acc[1] += other[1]) === 0) acc[0] = 0;
      return acc;
    },
    getValue: (acc) => (acc[1] <= 0 ? null : narrow(acc[0] / acc[1])),
    stateDescription: AVG_STATE,
  };
}

function exactAvg(
  type: LogicalType,
  add: (acc: ExactSumAcc, x: unknown) => void,
  subtract: (acc: ExactSumAcc, x: unknown) => void,
  finish: (acc: ExactSumAcc) => unknown,
): ResolvedAggregate<ExactSumAcc> {
  return {
    type,
    createAccumulator: newExactSum,
    accumulate(acc, args) {
      const x = args[0];
      if (x === null || x === undefined) return acc;
      add(acc, x);
      acc[2]++;
      return acc;
    },
    retract(acc, args) {
      const x = args[0];
      if (x === null || x === undefined) return acc;
      subtract(acc, x);
      acc[2]--;
      return acc;
    },
    merge(acc, other) {
      exactSumMerge(acc, other);
      acc[2] += other[2];
      return acc;
    },
    getValue: (acc) => (acc[2] <= 0 ? null : finish(acc)),
    stateDescription: AVG_STATE,
  };
}

function integralNumberAvg(type: LogicalType): ResolvedAggregate<ExactSumAcc> {
  return exactAvg(
    aggregateResultType(type),
    (acc, x) => exactSumAddNumber(acc, x as number),
    (acc, x) => exactSumAddNumber(acc, -(x as number)),
    (acc) => {
      // The common case: the whole sum is in the number part, |sum| <= 2^52, so the float quotient truncates to the
      // exact integer quotient (+ 0 turns -0 into 0).
      if (acc[1] === 0n) return Math.trunc(acc[0] / acc[2]) + 0;
      return Number(exactSumTotal(acc) / bigintOf(acc[2]));
    },
  );
}

function bigintAvg(): ResolvedAggregate<ExactSumAcc> {
  return exactAvg(
    { root: 'BIGINT', nullable: true },
    (acc, x) => exactSumAddBigint(acc, x as bigint),
    (acc, x) => exactSumSubtractBigint(acc, x as bigint),
    (acc) => exactSumTotal(acc) / bigintOf(acc[2]),
  );
}

function decimalAvg(argScale: number): ResolvedAggregate<ExactSumAcc> {
  const scale = Math.max(6, argScale);
  const factor = pow10(scale - argScale);
  return exactAvg(
    decimalType(MAX_DECIMAL_PRECISION, scale),
    (acc, x) => exactSumAddBigint(acc, x as bigint),
    (acc, x) => exactSumSubtractBigint(acc, x as bigint),
    (acc) => {
      const avg = divideHalfUp(exactSumTotal(acc) * factor, bigintOf(acc[2]));
      // Beyond 38 digits (only with a scale raised to 6 from a wide DECIMAL): NULL, as Flink's overflowing decimal.
      return fitsPrecision(avg, MAX_DECIMAL_PRECISION) ? avg : null;
    },
  );
}

/**
 * AVG(x): the mean of the non-null values, NULL when there are none. Result: the argument's type for TINYINT,
 * SMALLINT, INT, BIGINT (truncated towards zero), FLOAT, DOUBLE; DECIMAL(38, max(6, s)) for DECIMAL(p, s) (rounded
 * HALF_UP). Retracts and merges.
 *
 * @internal
 */
export const AVG: AggregateFunctionDefinition = {
  name: 'AVG',
  minArgs: 1,
  maxArgs: 1,
  resolve(argTypes) {
    expectArgCount(argTypes, 1, 1);
    const t = argTypes[0]!;
    switch (t.root) {
      case 'TINYINT':
      case 'SMALLINT':
      case 'INTEGER':
        return integralNumberAvg(t);
      case 'BIGINT':
        return bigintAvg();
      case 'FLOAT':
      case 'DOUBLE':
        return floatingAvg(t);
      case 'DECIMAL':
        return decimalAvg(decimalScale(t));
      default:
        throw unsupportedArgument(t, 'a numeric type');
    }
  },
};
