// Exact decimal arithmetic on unscaled bigints: a DECIMAL(p, s) value is carried as the bigint `u` with value
// u / 10^s (123.45 in DECIMAL(5, 2) is 12345n). These helpers parse, format, rescale, multiply, divide and compare
// such values with Flink's rounding (HALF_UP, as Java's BigDecimal in Flink's DecimalData), and check whether a
// result fits a precision (Flink makes a DECIMAL result that does not fit NULL). Formats and aggregates reuse them.

const POW10: bigint[] = [];
for (let i = 0, p = 1n; i <= 80; i++, p *= 10n) POW10.push(p);

/**
 * 10^n as a bigint (cached up to 10^80).
 *
 * @internal
 */
export function pow10(n: number): bigint {
  return n <= 80 ? POW10[n]! : 10n ** BigInt(n);
}

/**
 * n / d rounded HALF_UP (ties away from zero), for any signs; d must not be 0.
 *
 * @internal
 */
export function divideRoundHalfUp(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  const r2 = (r < 0n ? -r : r) * 2n;
  const ad = d < 0n ? -d : d;
  if (r2 >= ad) return (n < 0n) !== (d < 0n) ? q - 1n : q + 1n;
  return q;
}

/**
 * The unscaled value `u` at scale `from` rescaled to scale `to` (HALF_UP when digits are dropped).
 *
 * @internal
 */
export function rescaleDecimal(u: bigint, from: number, to: number): bigint {
  if (to === from) return u;
  if (to > from) return u * pow10(to - from);
  return divideRoundHalfUp(u, pow10(from - to));
}

/**
 * Whether the unscaled value has at most `precision` digits (|u| < 10^precision).
 *
 * @internal
 */
export function fitsPrecision(u: bigint, precision: number): boolean {
  const lim = pow10(precision);
  return u < lim && u > -lim;
}

/**
 * The number of decimal digits of |u| (1 for 0).
 *
 * @internal
 */
export function digitCount(u: bigint): number {
  const a = u < 0n ? -u : u;
  if (a < 10n) return 1;
  return a.toString().length;
}

const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses decimal text (`-12.5`, `1e3`, `.5`, surrounding spaces, tabs and newlines allowed) to the unscaled value
 * at `scale`, rounding HALF_UP. Null when the text is not a number.
 *
 * @internal
 */
export function parseDecimal(text: string, scale: number): bigint | null {
  let s = text;
  if (s.length === 0) return null;
  const c0 = s.charCodeAt(0);
  const cl = s.charCodeAt(s.length - 1);
  if (c0 === 32 || c0 === 9 || c0 === 10 || cl === 32 || cl === 9 || cl === 10) s = s.replace(/^[ \t\n]+|[ \t\n]+$/g, '');
  if (!DECIMAL_TEXT.test(s)) return null;
  let exp = 0;
  const e = s.search(/[eE]/);
  if (e >= 0) {
    exp = Number(s.slice(e + 1));
    s = s.slice(0, e);
    // an exponent beyond any representable scale: the value is 0 (negative) or needs more than 80 digits
    if (exp < -200) return 0n;
    if (exp > 200) exp = 200;
  }
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const dot = s.indexOf('.');
  let digits: string;
  let fracLen: number;
  if (dot < 0) {
    digits = s;
    fracLen = 0;
  } else {
    digits = s.slice(0, dot) + s.slice(dot + 1);
    fracLen = s.length - dot - 1;
  }
  if (digits.length === 0) return null;
  const u = rescaleDecimal(BigInt(digits), fracLen - exp, scale);
  return neg ? -u : u;
}

/**
 * The plain text of an unscaled value at `scale`, with exactly `scale` fraction digits (`12345n, 2` -> `123.45`,
 * `-5n, 3` -> `-0.005`), as Java's `BigDecimal.toPlainString`.
 *
 * @internal
 */
export function formatDecimal(u: bigint, scale: number): string {
  if (scale <= 0) return scale === 0 ? u.toString() : (u * pow10(-scale)).toString();
  const neg = u < 0n;
  let digits = (neg ? -u : u).toString();
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const cut = digits.length - scale;
  return `${neg ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * The exact product of a (scale sa) and b (scale sb), rounded HALF_UP to `scale`.
 *
 * @internal
 */
export function multiplyDecimal(a: bigint, sa: number, b: bigint, sb: number, scale: number): bigint {
  return rescaleDecimal(a * b, sa + sb, scale);
}

/**
 * a (scale sa) / b (scale sb) rounded HALF_UP to `scale`; b must not be 0.
 *
 * @internal
 */
export function divideDecimal(a: bigint, sa: number, b: bigint, sb: number, scale: number): bigint {
  // a/10^sa / (b/10^sb) * 10^scale = a * 10^(sb + scale) / (b * 10^sa)
  let n = a;
  let d = b;
  const up = sb + scale - sa;
  if (up >= 0) n *= pow10(up);
  else d *= pow10(-up);
  return divideRoundHalfUp(n, d);
}

/**
 * The remainder of a (scale sa) divided by b (scale sb), truncating division (the sign of a, as BigDecimal's
 * `remainder`), at scale max(sa, sb); b must not be 0.
 *
 * @internal
 */
export function remainderDecimal(a: bigint, sa: number, b: bigint, sb: number): bigint {
  const s = Math.max(sa, sb);
  return rescaleDecimal(a, sa, s) % rescaleDecimal(b, sb, s);
}

/**
 * Compares a (scale sa) with b (scale sb): negative, 0 or positive.
 *
 * @internal
 */
export function compareDecimal(a: bigint, sa: number, b: bigint, sb: number): number {
  if (sa === sb) return a < b ? -1 : a > b ? 1 : 0;
  const x = sa < sb ? a * pow10(sb - sa) : a;
  const y = sb < sa ? b * pow10(sa - sb) : b;
  return x < y ? -1 : x > y ? 1 : 0;
}

const TWO_53 = 2n ** 53n;

/**
 * The nearest double of an unscaled value at `scale`.
 *
 * @internal
 */
export function decimalToNumber(u: bigint, scale: number): number {
  if (scale === 0) return Number(u);
  // both operands exact doubles: the IEEE division is the correctly rounded quotient
  if (scale <= 22 && u < TWO_53 && u > -TWO_53) return Number(u) / 10 ** scale;
  return Number.parseFloat(formatDecimal(u, scale));
}

/**
 * The unscaled value at `scale` of a double, from its shortest decimal text (as Java's `BigDecimal.valueOf(double)`:
 * 0.1 is exactly 0.1), rounded HALF_UP. Null for NaN and infinities.
 *
 * @internal
 */
export function decimalFromNumber(x: number, scale: number): bigint | null {
  if (!Number.isFinite(x)) return null;
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return BigInt(x) * pow10(scale);
  return parseDecimal(String(x), scale);
}

/**
 * Rounding modes of {@link roundDecimalTo}.
 *
 * @internal
 */
export type DecimalRounding = 'HALF_UP' | 'DOWN' | 'FLOOR' | 'CEILING';

/**
 * Rounds the unscaled value at `scale` to `digits` fraction digits (negative: to tens, hundreds, ...) and returns
 * it at scale max(digits, 0).
 *
 * @internal
 */
export function roundDecimalTo(u: bigint, scale: number, digits: number, mode: DecimalRounding): bigint {
  if (digits >= scale) return u * pow10(digits - scale);
  const d = pow10(scale - digits);
  let q: bigint;
  switch (mode) {
    case 'HALF_UP':
      q = divideRoundHalfUp(u, d);
      break;
    case 'DOWN':
      q = u / d;
      break;
    case 'FLOOR': {
      q = u / d;
      if (u % d !== 0n && u < 0n) q -= 1n;
      break;
    }
    case 'CEILING': {
      q = u / d;
      if (u % d !== 0n && u > 0n) q += 1n;
      break;
    }
  }
  return digits >= 0 ? q : q * pow10(-digits);
}

/**
 * The exact decimal of a double's shortest text (Java's `BigDecimal.valueOf(double)`): the unscaled value and its
 * scale (`1.25` -> [125n, 2], `1e21` -> [1n, -21]). Null for NaN and infinities.
 *
 * @internal
 */
export function decimalOfNumber(x: number): [bigint, number] | null {
  if (!Number.isFinite(x)) return null;
  if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return [BigInt(x), 0];
  const s = String(x);
  const e = s.indexOf('e');
  const mant = e < 0 ? s : s.slice(0, e);
  const exp = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mant.indexOf('.');
  const digits = dot < 0 ? mant : mant.slice(0, dot) + mant.slice(dot + 1);
  const frac = dot < 0 ? 0 : mant.length - dot - 1;
  return [BigInt(digits), frac - exp];
}
