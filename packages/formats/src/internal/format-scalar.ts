// Scalar values to text, shared by every text format: dates, times and timestamps in Flink's forms (fractions
// written with as few digits as needed, as Java's `appendFraction(NANO_OF_SECOND, 0, 9, true)`), floats as the
// shortest text that reads back to the same value, bytes as base64. The inverse of `parse-scalar.ts`.
import { civilFromDays, MILLIS_PER_DAY } from './calendar.js';
import type { TimestampStandard } from './parse-scalar.js';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/** `yyyy`, or a signed year of at least four digits outside 0000-9999 (ISO-8601). */
function yearText(year: number): string {
  if (year >= 0 && year <= 9999) return `${year}`.padStart(4, '0');
  return `${year < 0 ? '-' : '+'}${`${Math.abs(year)}`.padStart(4, '0')}`;
}

/** `.1`, `.12`, `.123` or nothing: milliseconds with trailing zeros dropped. */
function fractionText(millis: number): string {
  if (millis === 0) return '';
  if (millis % 100 === 0) return `.${millis / 100}`;
  if (millis % 10 === 0) return `.${`${millis / 10}`.padStart(2, '0')}`;
  return `.${`${millis}`.padStart(3, '0')}`;
}

/**
 * A DATE (days since 1970-01-01) as `yyyy-MM-dd`.
 *
 * @internal
 */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return `${yearText(y)}-${pad2(m)}-${pad2(d)}`;
}

/**
 * A TIME (milliseconds of the day) as `HH:mm:ss[.fraction]`.
 *
 * @internal
 */
export function formatTime(millisOfDay: number): string {
  const ms = millisOfDay % 1000;
  const s = Math.floor(millisOfDay / 1000);
  return `${pad2(Math.floor(s / 3600))}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}${fractionText(ms)}`;
}

/**
 * A TIMESTAMP (`zoned` false) or TIMESTAMP_LTZ (`zoned` true, the instant in UTC with a trailing `Z`) as
 * `yyyy-MM-dd HH:mm:ss[.fraction]` (`SQL`) or `yyyy-MM-ddTHH:mm:ss[.fraction]` (`ISO-8601`).
 *
 * @internal
 */
export function formatTimestamp(millis: number, standard: TimestampStandard, zoned: boolean): string {
  const days = Math.floor(millis / MILLIS_PER_DAY);
  const time = formatTime(millis - days * MILLIS_PER_DAY);
  return `${formatDate(days)}${standard === 'SQL' ? ' ' : 'T'}${time}${zoned ? 'Z' : ''}`;
}

/**
 * A FLOAT as the shortest decimal text that reads back to the same 32-bit float (as Java's `Float.toString` chooses
 * digits): `0.1` rather than `0.10000000149011612`.
 *
 * @internal
 */
export function formatFloat(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const f = Math.fround(x);
  for (let p = 1; p < 9; p++) {
    const candidate = Number(f.toPrecision(p));
    if (Math.fround(candidate) === f) return String(candidate);
  }
  return String(Number(f.toPrecision(9)));
}

/**
 * Bytes as standard base64 with padding.
 *
 * @internal
 */
export function formatBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
