// DECIMAL values from and to text. A DECIMAL(p, s) value is carried as its unscaled bigint (123.45 in DECIMAL(5, 2)
// is 12345n), so parsing is exact: the digits of the text become a bigint, rounded HALF_UP to the scale, and a value
// with more than p digits after rounding is null, as Flink's `DecimalData.fromBigDecimal` does. Writing follows what
// Flink's formats write through Jackson's number nodes: trailing zeros stripped, then either Java's
// `BigDecimal.toString` (scientific notation for large exponents: `1E+2`, `2.7E-8`) or `toPlainString`.

/** `[sign][digits][.digits][e[sign]digits]`: Java's `new BigDecimal(String)` grammar (at least one digit). */
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,9}))?$/;

const POWERS: bigint[] = [];

/**
 * 10^n as a bigint (cached up to 10^80).
 *
 * @internal
 */
export function pow10(n: number): bigint {
  if (n <= 80) {
    let p = POWERS[n];
    if (p === undefined) POWERS[n] = p = 10n ** BigInt(n);
    return p;
  }
  return 10n ** BigInt(n);
}

/**
 * A decimal number split into its digits and scale: the value is `unscaled × 10^-scale` (scale may be negative).
 *
 * @internal
 */
export interface DecimalParts {
  readonly unscaled: bigint;
  readonly scale: number;
  /** The number of digits of `unscaled` without leading zeros (1 for zero). */
  readonly digits: number;
}

/**
 * Splits decimal text (`-123.45`, `1.5e3`, `.5`) into digits and scale; undefined when it is not a number.
 *
 * @internal
 */
export function decimalParts(text: string): DecimalParts | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (m === null) return undefined;
  const int = m[2]!;
  const frac = m[3] ?? '';
  if (int.length === 0 && frac.length === 0) return undefined;
  let digits = (int + frac).replace(/^0+/, '');
  if (digits === '') digits = '0';
  const scale = frac.length - (m[4] === undefined ? 0 : Number(m[4]));
  const unscaled = BigInt(digits);
  return { unscaled: m[1] === '-' ? -unscaled : unscaled, scale, digits: digits.length };
}

/**
 * Rounds `parts` HALF_UP to `scale` digits and checks the precision: the unscaled value of DECIMAL(precision, scale),
 * or null when the rounded value has more than `precision` digits (Flink's overflow rule).
 *
 * @internal
 */
export function toDecimal(parts: DecimalParts, precision: number, scale: number): bigint | null {
  const { unscaled, digits } = parts;
  if (unscaled === 0n) return 0n;
  // The position of the leading digit (10^adjusted) bounds the work: a value far beyond the precision is null and
  // one far below half a unit of the scale is zero, without computing a huge power of ten (`1e999999999`).
  const adjusted = digits - 1 - parts.scale;
  if (adjusted >= precision - scale + 1) return null;
  if (adjusted < -scale - 1) return 0n;
  let v: bigint;
  if (parts.scale <= scale) {
    v = unscaled * pow10(scale - parts.scale);
  } else {
    const divisor = pow10(parts.scale - scale);
    v = unscaled / divisor;
    const rest = unscaled - v * divisor;
    const twice = (rest < 0n ? -rest : rest) * 2n;
    if (twice >= divisor) v += unscaled < 0n ? -1n : 1n;
  }
  const limit = pow10(precision);
  return v >= limit || v <= -limit ? null : v;
}

/**
 * Parses decimal text into the unscaled value of DECIMAL(precision, scale): undefined when the text is not a number,
 * null when the value overflows the precision.
 *
 * @internal
 */
export function parseDecimalText(text: string, precision: number, scale: number): bigint | null | undefined {
  const parts = decimalParts(text);
  return parts === undefined ? undefined : toDecimal(parts, precision, scale);
}

/**
 * Writes the value `unscaled × 10^-scale` as Flink's formats do: trailing zeros stripped, then Java's
 * `BigDecimal.toString()` (`scientific`: `1E+2` for 100, `2.7E-8` for 0.000000027, `123.45` otherwise) or
 * `toPlainString()` (`100`, `0.000000027`).
 *
 * @internal
 */
export function formatDecimal(unscaled: bigint, scale: number, scientific: boolean): string {
  if (unscaled === 0n) return '0';
  const negative = unscaled < 0n;
  let coefficient = (negative ? -unscaled : unscaled).toString();
  // stripTrailingZeros: every trailing zero lowers the scale by one (it may become negative).
  let end = coefficient.length;
  while (end > 1 && coefficient.charCodeAt(end - 1) === 0x30) end--;
  scale -= coefficient.length - end;
  coefficient = coefficient.slice(0, end);
  const sign = negative ? '-' : '';
  const adjusted = coefficient.length - 1 - scale;
  if (!scientific || (scale >= 0 && adjusted >= -6)) {
    if (scale <= 0) return sign + coefficient + '0'.repeat(-scale);
    if (coefficient.length > scale) return `${sign}${coefficient.slice(0, coefficient.length - scale)}.${coefficient.slice(coefficient.length - scale)}`;
    return `${sign}0.${'0'.repeat(scale - coefficient.length)}${coefficient}`;
  }
  const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
  return `${sign}${mantissa}E${adjusted > 0 ? '+' : ''}${adjusted}`;
}
