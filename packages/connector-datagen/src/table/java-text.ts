// The text Java gives the values Flink's print sink prints. Flink's `print` table sink converts each row to its
// external Java classes (Long, BigDecimal, LocalDateTime, Instant, byte[], ...) and prints `Row.toString()`, so the
// exact output is the `toString()` of those classes: `1.0E7` for a large double, `2020-01-01T10:00` for a
// timestamp at a full minute, `0E-8` for a zero DECIMAL(10, 8). These functions reproduce that text from Runnel's
// value representation (`@runnel/api/table`'s logical-type.ts), so that a Runnel print sink and a Flink one print
// the same lines.

const MS_PER_DAY = 86_400_000;

/**
 * Java prints at least two significant digits ("1.0"): where one digit identifies the value, it takes the two-digit
 * decimal closest to it instead, which differs only where the value is far from its one-digit neighbour
 * (`Double.MIN_VALUE` is `4.9E-324`, not `5.0E-324`).
 */
function atLeastTwoDigits(value: number, exponential: string, identifies: (text: string) => boolean): string {
  if (exponential.includes('.')) return exponential;
  const two = value.toExponential(1);
  return identifies(two) ? two : exponential;
}

/** Java's `Double.toString` from the shortest round-trip digits (as JDK 19+ prints them). */
export function javaDoubleText(value: number): string {
  if (!Number.isFinite(value) || value === 0) return javaFloatingText(value, '');
  return javaFloatingText(value, atLeastTwoDigits(value, value.toExponential(), (t) => Number(t) === value));
}

/** Java's `Float.toString`: the shortest digits that identify the 32-bit float. */
export function javaFloatText(value: number): string {
  const f = Math.fround(value);
  if (!Number.isFinite(f) || f === 0) return javaFloatingText(f, '');
  const identifies = (t: string): boolean => Math.fround(Number(t)) === f;
  for (let p = 1; p <= 9; p++) {
    const candidate = f.toExponential(p - 1);
    if (identifies(candidate)) return javaFloatingText(f, atLeastTwoDigits(f, candidate, identifies));
  }
  return javaFloatingText(f, f.toExponential());
}

/** Formats `value`, whose shortest digits are in `exponential` (`d.ddde±x`), as Java's floating-point text. */
function javaFloatingText(value: number, exponential: string): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const sign = value < 0 ? '-' : '';
  const [mantissa, exp] = (exponential.startsWith('-') ? exponential.slice(1) : exponential).split('e') as [string, string];
  const digits = mantissa.replace('.', '').replace(/(?<=.)0+$/, '');
  const e = Number(exp);
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) {
    // Plain notation with at least one fractional digit.
    if (e >= 0) {
      const intPart = digits.length > e + 1 ? digits.slice(0, e + 1) : digits.padEnd(e + 1, '0');
      const frac = digits.length > e + 1 ? digits.slice(e + 1) : '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-e - 1)}${digits}`;
  }
  // Computerized scientific notation: one digit, a point, at least one more digit, `E` and the exponent.
  return `${sign}${digits[0]}.${digits.length > 1 ? digits.slice(1) : '0'}E${e}`;
}

/** Java's `BigDecimal.toString` of `unscaled × 10^-scale` (plain unless the exponent is below -6). */
export function bigDecimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const coeff = (negative ? -unscaled : unscaled).toString();
  const adjusted = -scale + (coeff.length - 1);
  let text: string;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) text = coeff;
    else if (coeff.length > scale) text = `${coeff.slice(0, coeff.length - scale)}.${coeff.slice(coeff.length - scale)}`;
    else text = `0.${'0'.repeat(scale - coeff.length)}${coeff}`;
  } else {
    const head = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
    text = `${head}E${adjusted > 0 ? '+' : ''}${adjusted}`;
  }
  return negative ? `-${text}` : text;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** ISO year as `LocalDate` prints it: 4 digits at least, a sign when negative, `+` beyond 9999. */
function yearText(year: number): string {
  const abs = Math.abs(year);
  if (abs < 1000) return (year < 0 ? '-' : '') + pad(abs, 4);
  return (year > 9999 ? '+' : '') + String(year);
}

/** `LocalDate.toString` of a DATE (days since 1970-01-01): `2020-01-31`. */
export function localDateText(days: number): string {
  const d = new Date(days * MS_PER_DAY);
  return `${yearText(d.getUTCFullYear())}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `LocalTime.toString` of milliseconds of the day: `10:00`, `10:00:05`, `10:00:05.120`. */
export function localTimeText(millisOfDay: number): string {
  const ms = ((Math.floor(millisOfDay) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const frac = ms % 1000;
  let text = `${pad(h, 2)}:${pad(m, 2)}`;
  if (s > 0 || frac > 0) {
    text += `:${pad(s, 2)}`;
    if (frac > 0) text += `.${pad(frac, 3)}`;
  }
  return text;
}

/** `LocalDateTime.toString` of a TIMESTAMP (the local date-time's millis read as UTC): `2020-01-01T10:00`. */
export function localDateTimeText(millis: number): string {
  const ms = Math.floor(millis);
  const days = Math.floor(ms / MS_PER_DAY);
  return `${localDateText(days)}T${localTimeText(ms - days * MS_PER_DAY)}`;
}

/** `Instant.toString` of a TIMESTAMP_LTZ (epoch millis): `2020-01-01T10:00:00Z`, `...:00.120Z`. */
export function instantText(millis: number): string {
  const ms = Math.floor(millis);
  const days = Math.floor(ms / MS_PER_DAY);
  const ofDay = ms - days * MS_PER_DAY;
  const frac = ofDay % 1000;
  const time = `${pad(Math.floor(ofDay / 3_600_000), 2)}:${pad(Math.floor(ofDay / 60_000) % 60, 2)}:${pad(Math.floor(ofDay / 1000) % 60, 2)}`;
  return `${localDateText(days)}T${time}${frac > 0 ? `.${pad(frac, 3)}` : ''}Z`;
}

/** `Period.toString` of an INTERVAL YEAR TO MONTH (months; Flink converts it with `Period.of(m / 12, m % 12, 0)`). */
export function periodText(months: number): string {
  if (months === 0) return 'P0D';
  const years = Math.trunc(months / 12);
  const rest = months % 12;
  return `P${years !== 0 ? `${years}Y` : ''}${rest !== 0 ? `${rest}M` : ''}`;
}

/** `Duration.toString` of an INTERVAL DAY TO SECOND (milliseconds): `PT1H30M`, `PT0.5S`, `PT-1.5S`, `PT0S`. */
export function durationText(millis: number): string {
  if (millis === 0) return 'PT0S';
  const ms = Math.trunc(millis);
  // Java's Duration holds floor seconds and a non-negative nano part.
  const seconds = Math.floor(ms / 1000);
  const nanos = (ms - seconds * 1000) * 1_000_000;
  const effective = seconds < 0 && nanos > 0 ? seconds + 1 : seconds;
  const hours = Math.trunc(effective / 3600);
  const minutes = Math.trunc((effective % 3600) / 60);
  const secs = effective % 60;
  let text = 'PT';
  if (hours !== 0) text += `${hours}H`;
  if (minutes !== 0) text += `${minutes}M`;
  if (secs === 0 && nanos === 0 && text.length > 2) return text;
  if (seconds < 0 && nanos > 0) text += secs === 0 ? '-0' : String(secs);
  else text += String(secs);
  if (nanos > 0) {
    const fraction = String(seconds < 0 ? 2_000_000_000 - nanos : nanos + 1_000_000_000).replace(/0+$/, '');
    text += `.${fraction.slice(1)}`;
  }
  return `${text}S`;
}

/** `Arrays.toString(byte[])`: signed bytes, `[1, -1, 127]`. */
export function javaBytesText(bytes: Uint8Array): string {
  let text = '[';
  for (let i = 0; i < bytes.length; i++) text += (i === 0 ? '' : ', ') + String((bytes[i]! << 24) >> 24);
  return `${text}]`;
}
