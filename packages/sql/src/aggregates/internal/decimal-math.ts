// The few exact operations on DECIMAL values (unscaled bigints) that the aggregates need: rounding division (AVG),
// precision checks (SUM and AVG results are DECIMAL(38, s)), and conversions from and to DOUBLE (the variance
// functions compute in DOUBLE, as Flink does). Kept private to the aggregates on purpose: the general decimal
// module of @runnel/sql is written separately, and these must not change under the aggregates' feet.

/** The largest DECIMAL precision (Flink's `DecimalType.MAX_PRECISION`). @internal */
export const MAX_DECIMAL_PRECISION = 38;

const POW10: bigint[] = [1n];

/**
 * 10^n as a bigint (n ≥ 0), cached.
 *
 * @internal
 */
export function pow10(n: number): bigint {
  for (let i = POW10.length; i <= n; i++) POW10.push(POW10[i - 1]! * 10n);
  return POW10[n]!;
}

/**
 * n / d rounded HALF_UP (ties away from zero, Java's `RoundingMode.HALF_UP`, what Flink's decimal division uses).
 *
 * @internal
 */
export function divideHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const twiceR = r < 0n ? -2n * r : 2n * r;
  const absD = d < 0n ? -d : d;
  if (twiceR < absD) return q;
  // The exact quotient is at least half a unit away from q (towards the sign of the quotient): round away from 0.
  return (n < 0n) !== (d < 0n) ? q - 1n : q + 1n;
}

/**
 * Whether an unscaled value fits `precision` digits.
 *
 * @internal
 */
export function fitsPrecision(unscaled: bigint, precision: number): boolean {
  const limit = pow10(precision);
  return unscaled < limit && unscaled > -limit;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const POW10_NUMBERS: number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The DOUBLE nearest to a DECIMAL value (Java's `BigDecimal.doubleValue`, correctly rounded).
 *
 * @internal
 */
export function decimalToDouble(unscaled: bigint, scale: number): number {
  // Both operands exact doubles, and IEEE division is correctly rounded: so is the result.
  if (unscaled <= SAFE && unscaled >= -SAFE && scale >= 0 && scale <= 22) return Number(unscaled) / POW10_NUMBERS[scale]!;
  return Number.parseFloat(`${unscaled}e${-scale}`);
}

/**
 * A DOUBLE as a DECIMAL of this scale, rounded HALF_UP from its shortest decimal form (Flink's CAST of DOUBLE to
 * DECIMAL goes through `BigDecimal.valueOf(double)`, the same shortest form); null for NaN and infinities, and when
 * the result does not fit `precision` digits (Flink's CAST gives NULL on overflow).
 *
 * @internal
 */
export function doubleToDecimal(x: number, precision: number, scale: number): bigint | null {
  if (!Number.isFinite(x)) return null;
  const text = String(x);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  let exponent = e < 0 ? 0 : Number(text.slice(e + 1));
  const dot = mantissa.indexOf('.');
  let digits = mantissa;
  if (dot >= 0) {
    digits = mantissa.slice(0, dot) + mantissa.slice(dot + 1);
    exponent -= mantissa.length - dot - 1;
  }
  // value = digits × 10^exponent; unscaled = value × 10^scale.
  const shift = exponent + scale;
  const n = BigInt(digits);
  const unscaled = shift >= 0 ? n * pow10(shift) : divideHalfUp(n, pow10(-shift));
  return fitsPrecision(unscaled, precision) ? unscaled : null;
}
