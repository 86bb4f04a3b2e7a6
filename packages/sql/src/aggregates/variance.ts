// VAR_POP, VAR_SAMP (VARIANCE), STDDEV_POP, STDDEV_SAMP (STDDEV). Flink types them like AVG
// (LogicalTypeMerging.findAvgAggType through FlinkTypeSystem.deriveAvgAggType): the argument's own type for the
// integer and floating types — STDDEV_POP(INT) is INT — and DECIMAL(38, max(6, s)) for DECIMAL(p, s). Flink computes
// them in DOUBLE (its planner rewrites them into an internal Welford M2 aggregate and COUNT: VAR_POP = m2 / n,
// VAR_SAMP = m2 / (n - 1), NULL for n = 1, STDDEV = the square root) and then CASTs the DOUBLE to the result type:
// truncation towards zero for the integer types, HALF_UP to the scale for DECIMAL. So does this, on the values
// converted to DOUBLE.
//
// The accumulator is not Welford's, though: it keeps the count and the sums of y and y² with y = x - k, k being the
// first value the accumulator saw (shifting by a value of the data avoids the cancellation of the textbook sums), in
// double-double precision (double-double.ts), and m2 = Σy² - (Σy)² / n is formed only when the result is read. Why:
// - sums are linear: retracting is adding with the opposite sign, and merging is adding the sums, whatever the mix of
//   rows and retractions on either side. Welford's running mean cannot take a part that is net negative or net zero
//   (a mini-batch holding a row's -U and the +U of its new value), which Flink's WELFORD_M2 then ignores, dropping
//   the update;
// - in double-double, retracting a value leaves an error of about x² · 2^-106 instead of x² · 2^-52, so retracting an
//   outlier does not leave the variance of the small remaining values in the rounding noise.
// A NaN, an infinity, or a value beyond 1e150 (whose square would overflow) makes the result NaN, as in Flink, but
// only while it is in the group: it is counted (n - f below) rather than summed, where it would poison the sums for
// good.
import type { LogicalType } from '@runnel/api/table';
import type { AggregateFunctionDefinition, ResolvedAggregate } from './aggregate-definition.js';
import { decimalToDouble, doubleToDecimal, MAX_DECIMAL_PRECISION } from './internal/decimal-math.js';
import { dd, ddAdd, ddDiv, ddMul, twoSum } from './internal/double-double.js';
import { aggregateResultType, decimalScale, decimalType, expectArgCount, unsupportedArgument } from './internal/types.js';

/**
 * `[n, f, k, sHi, sLo, qHi, qLo, qMax]`: n counts the non-null values; the f finite ones are in the sums Σy = s and
 * Σy² = q of y = x - k (k is NaN until the first value); qMax is the largest |q| so far, the scale of the rounding
 * residue that retracting everything leaves.
 */
type MomentsAcc = [n: number, f: number, k: number, sHi: number, sLo: number, qHi: number, qLo: number, qMax: number];

/** Values that are summed (the others make the result NaN while they are in the group). */
function isSummable(x: number): boolean {
  return Math.abs(x) < 1e150; // false for NaN too
}

/** Adds (sign 1) or removes (sign -1) a summable value. */
function fold(acc: MomentsAcc, x: number, sign: 1 | -1): void {
  if (acc[2] !== acc[2]) acc[2] = x;
  twoSum(x, -acc[2]); // y = x - k, exactly
  const yH = dd.hi;
  const yL = dd.lo;
  ddAdd(acc[3], acc[4], sign * yH, sign * yL);
  acc[3] = dd.hi;
  acc[4] = dd.lo;
  ddMul(yH, yL, yH, yL);
  ddAdd(acc[5], acc[6], sign * dd.hi, sign * dd.lo);
  acc[5] = dd.hi;
  acc[6] = dd.lo;
  acc[1] += sign;
  settle(acc);
}

/**
 * Keeps qMax, and when the group is back to nothing and the sums to their rounding residue, starts afresh (a new
 * shift, exact zeros), so that later values are not read against that residue (constant values then give exactly 0).
 * A part that is net zero but holds a row and a retraction of different values keeps its sums: they carry the update.
 */
function settle(acc: MomentsAcc): void {
  const q = Math.abs(acc[5]);
  if (q > acc[7]) acc[7] = q;
  if (acc[0] === 0 && acc[1] === 0) {
    const tolerance = acc[7] * 2 ** -80;
    if (q <= tolerance && acc[3] * acc[3] <= tolerance) {
      acc[2] = Number.NaN;
      acc[3] = acc[4] = acc[5] = acc[6] = acc[7] = 0;
    }
  }
}

function mergeMoments(acc: MomentsAcc, other: MomentsAcc): void {
  acc[0] += other[0];
  const ko = other[2];
  if (ko !== ko) {
    // `other` has summed nothing.
  } else if (acc[2] !== acc[2]) {
    acc[1] = other[1];
    for (let i = 2; i < 8; i++) acc[i] = other[i]!;
  } else {
    // Re-express other's sums with this shift: y' = y + d, d = k_other - k.
    //   Σy' = Σy + f·d;   Σy'² = Σy² + 2d·Σy + f·d².
    const fo = other[1];
    twoSum(ko, -acc[2]);
    const dH = dd.hi;
    const dL = dd.lo;
    ddMul(dH, dL, other[3], other[4]);
    const tH = 2 * dd.hi; // 2d·Σy (doubling is exact)
    const tL = 2 * dd.lo;
    ddMul(dH, dL, dH, dL);
    ddMul(dd.hi, dd.lo, fo, 0); // f·d²
    ddAdd(dd.hi, dd.lo, tH, tL);
    ddAdd(dd.hi, dd.lo, other[5], other[6]);
    ddAdd(acc[5], acc[6], dd.hi, dd.lo);
    acc[5] = dd.hi;
    acc[6] = dd.lo;
    ddMul(dH, dL, fo, 0); // f·d
    ddAdd(dd.hi, dd.lo, other[3], other[4]);
    ddAdd(acc[3], acc[4], dd.hi, dd.lo);
    acc[3] = dd.hi;
    acc[4] = dd.lo;
    acc[1] += fo;
    if (other[7] > acc[7]) acc[7] = other[7];
  }
  settle(acc);
}

/** Σ(x - mean)² of the summed values (f of them, f >= 2), never below 0. */
function m2Of(acc: MomentsAcc): number {
  ddMul(acc[3], acc[4], acc[3], acc[4]);
  ddDiv(dd.hi, dd.lo, acc[1]);
  ddAdd(acc[5], acc[6], -dd.hi, -dd.lo);
  return dd.hi > 0 ? dd.hi : 0;
}

/** Java's `(int) d`: NaN is 0, out-of-range values saturate, the rest truncate. */
function doubleToInt(d: number): number {
  if (d !== d) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d) | 0;
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/** Java's `(long) d`. */
function doubleToLong(d: number): bigint {
  if (d !== d) return 0n;
  if (d >= 9223372036854775807) return LONG_MAX;
  if (d <= -9223372036854775808) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

/** Flink's CAST of the DOUBLE result to the result type. */
function castOf(result: LogicalType): (d: number) => unknown {
  switch (result.root) {
    case 'TINYINT':
      return (d) => (doubleToInt(d) << 24) >> 24;
    case 'SMALLINT':
      return (d) => (doubleToInt(d) << 16) >> 16;
    case 'INTEGER':
      return doubleToInt;
    case 'BIGINT':
      return doubleToLong;
    case 'FLOAT':
      return Math.fround;
    case 'DECIMAL':
      return (d) => doubleToDecimal(d, MAX_DECIMAL_PRECISION, result.scale ?? 0);
    default:
      return (d) => d;
  }
}

/** The argument as a DOUBLE, chosen by type. */
function toDoubleOf(t: LogicalType): (x: unknown) => number {
  switch (t.root) {
    case 'BIGINT':
      return (x) => Number(x as bigint);
    case 'DECIMAL': {
      const scale = decimalScale(t);
      return (x) => decimalToDouble(x as bigint, scale);
    }
    default:
      return (x) => x as number;
  }
}

function varianceFunction(name: string, population: boolean, sqrt: boolean): AggregateFunctionDefinition {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    resolve(argTypes): ResolvedAggregate<MomentsAcc> {
      expectArgCount(argTypes, 1, 1);
      const t = argTypes[0]!;
      let type: LogicalType;
      switch (t.root) {
        case 'TINYINT':
        case 'SMALLINT':
        case 'INTEGER':
        case 'BIGINT':
        case 'FLOAT':
        case 'DOUBLE':
          type = aggregateResultType(t);
          break;
        case 'DECIMAL':
          type = decimalType(MAX_DECIMAL_PRECISION, Math.max(6, decimalScale(t)));
          break;
        default:
          throw unsupportedArgument(t, 'a numeric type');
      }
      const toDouble = toDoubleOf(t);
      const cast = castOf(type);
      return {
        type,
        createAccumulator: () => [0, 0, Number.NaN, 0, 0, 0, 0, 0],
        accumulate(acc, args) {
          const x = args[0];
          if (x === null || x === undefined) return acc;
          const d = toDouble(x);
          acc[0]++;
          if (isSummable(d)) fold(acc, d, 1);
          return acc;
        },
        retract(acc, args) {
          const x = args[0];
          if (x === null || x === undefined) return acc;
          const d = toDouble(x);
          acc[0]--;
          if (isSummable(d)) fold(acc, d, -1);
          else settle(acc);
          return acc;
        },
        merge(acc, other) {
          mergeMoments(acc, other);
          return acc;
        },
        getValue(acc) {
          const n = acc[0];
          const denominator = population ? n : n - 1;
          if (n <= 0 || denominator <= 0) return null;
          // A value that is not summed (NaN, infinite) is in the group: NaN. One value: exactly 0.
          let v = acc[1] !== n ? Number.NaN : n === 1 ? 0 : m2Of(acc) / denominator;
          if (sqrt) v = Math.sqrt(v);
          return cast(v);
        },
        stateDescription: 'count, and sums of values and of their squares (shifted, double-double)',
      };
    },
  };
}

/**
 * VAR_POP(x): population variance of the non-null values, NULL when there are none. Result: the argument's type
 * (integer types truncated), DECIMAL(38, max(6, s)) for DECIMAL(p, s). Retracts and merges.
 *
 * @internal
 */
export const VAR_POP: AggregateFunctionDefinition = varianceFunction('VAR_POP', true, false);

/**
 * VAR_SAMP(x): sample variance, NULL for fewer than two non-null values. Types as VAR_POP. Retracts and merges.
 *
 * @internal
 */
export const VAR_SAMP: AggregateFunctionDefinition = varianceFunction('VAR_SAMP', false, false);

/**
 * VARIANCE(x): VAR_SAMP under another name.
 *
 * @internal
 */
export const VARIANCE: AggregateFunctionDefinition = varianceFunction('VARIANCE', false, false);

/**
 * STDDEV_POP(x): population standard deviation. Types as VAR_POP. Retracts and merges.
 *
 * @internal
 */
export const STDDEV_POP: AggregateFunctionDefinition = varianceFunction('STDDEV_POP', true, true);

/**
 * STDDEV_SAMP(x): sample standard deviation, NULL for fewer than two non-null values. Types as VAR_POP. Retracts
 * and merges.
 *
 * @internal
 */
export const STDDEV_SAMP: AggregateFunctionDefinition = varianceFunction('STDDEV_SAMP', false, true);

/**
 * STDDEV(x): STDDEV_SAMP under another name.
 *
 * @internal
 */
export const STDDEV: AggregateFunctionDefinition = varianceFunction('STDDEV', false, true);
