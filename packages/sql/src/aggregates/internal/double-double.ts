// Double-double arithmetic: a value as the unevaluated sum hi + lo of two doubles, about 106 bits of precision
// (Dekker; Hida, Li and Bailey's QD library). The variance functions keep their sums in this form so that
// retracting a value undoes adding it to within about 2^-106 of the sums' magnitude rather than 2^-53, which keeps
// the variance of small remaining values out of the rounding noise of a retracted large one. The operations write
// their result into the shared `dd` record instead of returning a pair, so that they allocate nothing; read it right
// after the call (JS runs one of them at a time).

/**
 * The result of the last operation: `hi + lo`, with |lo| <= ulp(hi) / 2.
 *
 * @internal
 */
export const dd = { hi: 0, lo: 0 };

/** 2^27 + 1: splits a double into two halves of 26 bits whose products are exact. */
const SPLITTER = 134217729;

/**
 * The exact sum of two doubles.
 *
 * @internal
 */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const v = s - a;
  dd.hi = s;
  dd.lo = a - (s - v) + (b - v);
}

function quickTwoSum(a: number, b: number): void {
  const s = a + b;
  dd.hi = s;
  dd.lo = b - (s - a);
}

/**
 * The exact product of two doubles (|a|, |b| below 2^996).
 *
 * @internal
 */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let c = SPLITTER * a;
  const aH = c - (c - a);
  const aL = a - aH;
  c = SPLITTER * b;
  const bH = c - (c - b);
  const bL = b - bH;
  dd.hi = p;
  dd.lo = aH * bH - p + aH * bL + aL * bH + aL * bL;
}

/**
 * (aH + aL) + (bH + bL), accurately also when the two cancel.
 *
 * @internal
 */
export function ddAdd(aH: number, aL: number, bH: number, bL: number): void {
  twoSum(aH, bH);
  const s = dd.hi;
  let e = dd.lo;
  twoSum(aL, bL);
  const t = dd.hi;
  const f = dd.lo;
  e += t;
  quickTwoSum(s, e);
  quickTwoSum(dd.hi, dd.lo + f);
}

/**
 * (aH + aL) × (bH + bL).
 *
 * @internal
 */
export function ddMul(aH: number, aL: number, bH: number, bL: number): void {
  twoProd(aH, bH);
  quickTwoSum(dd.hi, dd.lo + (aH * bL + aL * bH));
}

/**
 * (aH + aL) / d for a non-zero double d.
 *
 * @internal
 */
export function ddDiv(aH: number, aL: number, d: number): void {
  const q1 = aH / d;
  twoProd(q1, d);
  const r = aH - dd.hi - dd.lo + aL;
  quickTwoSum(q1, r / d);
}
