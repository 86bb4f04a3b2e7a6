// An exact integer sum that stays on JS numbers for the common case. BIGINT and DECIMAL values are bigints, and
// adding bigints allocates a new bigint per row; most values are small, though, so the sum is kept in two parts:
// `small`, a number that is always an exact integer of at most 2^52 in magnitude, and `big`, a bigint that `small`
// is folded into when it would outgrow that bound (and that takes the rare large values directly). The total is
// `big + small`, exact whatever the values; a per-row add of a small value is a bigint comparison, a conversion and
// a float add, with no allocation.

import { bigintOf } from './bigint-of.js';

/**
 * The parts of an exact sum: `[small, big, count]`, the count being the number of non-null values (negative after
 * retractions that came before their accumulations).
 *
 * @internal
 */
export type ExactSumAcc = [small: number, big: bigint, count: number];

const SMALL_LIMIT = 2 ** 52;
const SMALL_LIMIT_BIG = 2n ** 52n;

/**
 * A new, empty exact sum.
 *
 * @internal
 */
export function newExactSum(): ExactSumAcc {
  return [0, 0n, 0];
}

/**
 * Adds a bigint value (the count is left to the caller).
 *
 * @internal
 */
export function exactSumAddBigint(acc: ExactSumAcc, x: bigint): void {
  if (x <= SMALL_LIMIT_BIG && x >= -SMALL_LIMIT_BIG) exactSumAddNumber(acc, Number(x));
  else acc[1] += x;
}

/**
 * Subtracts a bigint value.
 *
 * @internal
 */
export function exactSumSubtractBigint(acc: ExactSumAcc, x: bigint): void {
  if (x <= SMALL_LIMIT_BIG && x >= -SMALL_LIMIT_BIG) exactSumAddNumber(acc, -Number(x));
  else acc[1] -= x;
}

/**
 * Adds an integer number of at most 2^52 in magnitude (INTEGER values, or a converted small bigint).
 *
 * @internal
 */
export function exactSumAddNumber(acc: ExactSumAcc, x: number): void {
  // |acc[0]| <= 2^52 and |x| <= 2^52: the float sum is exact (|s| <= 2^53).
  const s = acc[0] + x;
  if (s > SMALL_LIMIT || s < -SMALL_LIMIT) {
    acc[1] += BigInt(s);
    acc[0] = 0;
  } else {
    acc[0] = s;
  }
}

/**
 * Adds another exact sum's parts (not its count).
 *
 * @internal
 */
export function exactSumMerge(acc: ExactSumAcc, other: ExactSumAcc): void {
  exactSumAddNumber(acc, other[0]);
  if (other[1] !== 0n) acc[1] += other[1];
}

/**
 * The exact total.
 *
 * @internal
 */
export function exactSumTotal(acc: ExactSumAcc): bigint {
  return acc[1] === 0n ? bigintOf(acc[0]) : acc[1] + bigintOf(acc[0]);
}
