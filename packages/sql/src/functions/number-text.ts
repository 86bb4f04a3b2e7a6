// Numbers to text and back as Flink (Java) does it, so that CAST, string functions and JSON agree with Flink's
// output: DOUBLE and FLOAT print as Java's `Double.toString` / `Float.toString` (`1.0`, `1.0E10`, `1.0E-4`, shortest
// digits that read back to the same value), integers parse as Flink's `BinaryStringDataUtil.toInt/toLong` (a
// fraction is allowed and truncated: '12.7' is 12), floating point as `Double.parseDouble`.

/**
 * Java's `Double.toString`: `NaN`, `Infinity`, `0.0`, plain digits with at least one fraction digit for
 * 10^-3 <= |d| < 10^7 (`100.0`, `0.001`), otherwise `d.dddE±n` (`1.0E7`, `1.5E-4`).
 *
 * @internal
 */
export function javaDoubleToString(d: number): string {
  if (d !== d) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  // toExponential() without digits gives the shortest digits that read back to d
  return javaStyle(d.toExponential());
}

/**
 * Java's `Float.toString` of a FLOAT value (a double holding a float32): the shortest digits that read back to the
 * same float, in Java's layout.
 *
 * @internal
 */
export function javaFloatToString(f: number): string {
  if (f !== f || f === Infinity || f === -Infinity || f === 0) return javaDoubleToString(f);
  for (let p = 1; p <= 9; p++) {
    const e = f.toExponential(p - 1);
    if (Math.fround(Number(e)) === f) return javaStyle(e);
  }
  return javaStyle(f.toExponential());
}

// `d.ddde±x` (JS exponential text) to Java's layout
function javaStyle(exp: string): string {
  const neg = exp.startsWith('-');
  const body = neg ? exp.slice(1) : exp;
  const e = body.indexOf('e');
  const digits = body.slice(0, e).replace('.', '');
  const x = Number(body.slice(e + 1));
  let out: string;
  if (x >= -3 && x < 7) {
    if (x >= 0) {
      const intLen = x + 1;
      const int = digits.length >= intLen ? digits.slice(0, intLen) : digits + '0'.repeat(intLen - digits.length);
      const frac = digits.length > intLen ? digits.slice(intLen) : '0';
      out = `${int}.${frac}`;
    } else {
      out = `0.${'0'.repeat(-x - 1)}${digits}`;
    }
  } else {
    out = `${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${x}`;
  }
  return neg ? `-${out}` : out;
}

/**
 * Java's `String.trim`: drops leading and trailing characters <= U+0020.
 *
 * @internal
 */
export function javaTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) <= 32) a++;
  while (b > a && s.charCodeAt(b - 1) <= 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * Parses an integer as Flink's `toInt`/`toLong`: optional sign, digits, optionally `.digits` (truncated), no
 * whitespace (trim first). Returns the value as a bigint (exact), or null when the text is not an integer.
 *
 * @internal
 */
export function parseJavaInteger(s: string): bigint | null {
  const n = s.length;
  if (n === 0) return null;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    i = 1;
    if (n === 1) return null;
  }
  let end = i;
  while (end < n) {
    const c = s.charCodeAt(end);
    if (c === 46) break;
    if (c < 48 || c > 57) return null;
    end++;
  }
  for (let k = end + 1; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return null;
  }
  // '.5' and '-.5' are 0 in Flink
  if (end === i) return end < n ? 0n : null;
  const v = BigInt(s.slice(i, end));
  return c0 === 45 ? -v : v;
}

/**
 * {@link parseJavaInteger} as a double, for targets up to INT (exact below 2^53, which is beyond their ranges; a
 * longer number only needs to be out of range). Null when the text is not an integer.
 *
 * @internal
 */
export function parseJavaIntegerNumber(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 || c0 === 43) {
    i = 1;
    if (n === 1) return null;
  }
  let v = 0;
  let k = i;
  for (; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c === 46) break;
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  const end = k;
  for (k = end + 1; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return null;
  }
  if (end === i && end >= n) return null;
  return c0 === 45 ? -v : v;
}

const DOUBLE_TEXT = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/;

/**
 * Parses floating-point text as Java's `Double.parseDouble` (surrounding whitespace ignored, `NaN`, `Infinity`,
 * exponents, a trailing `d`/`f`); null when invalid. Hexadecimal floating-point literals are not supported.
 *
 * @internal
 */
export function parseJavaDouble(text: string): number | null {
  const s = javaTrim(text);
  if (!DOUBLE_TEXT.test(s)) return null;
  const last = s.charCodeAt(s.length - 1);
  const body = last > 57 && s.length > 1 && !s.endsWith('NaN') && !s.endsWith('Infinity') ? s.slice(0, -1) : s;
  return Number(body);
}
