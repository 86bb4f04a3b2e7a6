// Scalar values from text, shared by every text format (json's string values, csv's fields, and the CDC formats
// built on json): each function returns the value in the representation of `@runnel/api/table`'s logical types, or
// undefined when the text is not of the expected form, leaving the message to the caller (which knows the field and
// the option that chose the form). Hand-written parsers rather than regular expressions or `Date.parse`: they are
// on the per-field hot path, and `Date.parse` accepts forms (and time zones) that Flink does not.
import { daysFromCivil, daysInMonth, MILLIS_PER_DAY } from './calendar.js';

/**
 * The value range of each integer type (INTERVAL YEAR TO MONTH is an INT of months, INTERVAL DAY TO SECOND a
 * safe-integer number of milliseconds).
 *
 * @internal
 */
export const INTEGER_RANGES = {
  TINYINT: [-128, 127],
  SMALLINT: [-32_768, 32_767],
  INTEGER: [-2_147_483_648, 2_147_483_647],
  INTERVAL_YEAR_MONTH: [-2_147_483_648, 2_147_483_647],
  INTERVAL_DAY_TIME: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
} as const;

/** The integer types held in numbers. @internal */
export type NumberIntegerRoot = keyof typeof INTEGER_RANGES;

/**
 * The BIGINT range.
 *
 * @internal
 */
export const BIGINT_MIN = -(2n ** 63n);
/** @internal */
export const BIGINT_MAX = 2n ** 63n - 1n;

const INTEGER_TEXT = /^[+-]?\d+$/;
const DOUBLE_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * `true` or `false` in any case, surrounding whitespace ignored.
 *
 * @internal
 */
export function parseBooleanText(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : undefined;
}

/**
 * A whole number (`42`, `-7`, `+3`, surrounding whitespace ignored) as a number; the caller checks the range.
 *
 * @internal
 */
export function parseIntegerText(text: string): number | undefined {
  const t = text.trim();
  return INTEGER_TEXT.test(t) ? Number(t) : undefined;
}

/**
 * A whole number as an exact bigint (any length; the caller checks the range).
 *
 * @internal
 */
export function parseBigintText(text: string): bigint | undefined {
  const t = text.trim();
  if (!INTEGER_TEXT.test(t)) return undefined;
  return BigInt(t.charCodeAt(0) === 0x2b ? t.slice(1) : t);
}

/**
 * A floating-point number as Java's `Double.parseDouble` reads decimal text: `1.5`, `-2e10`, `.5`, `NaN`,
 * `Infinity`, `-Infinity`, surrounding whitespace ignored.
 *
 * @internal
 */
export function parseDoubleText(text: string): number | undefined {
  const t = text.trim();
  if (DOUBLE_TEXT.test(t)) return Number(t);
  switch (t) {
    case 'NaN':
      return Number.NaN;
    case 'Infinity':
    case '+Infinity':
      return Number.POSITIVE_INFINITY;
    case '-Infinity':
      return Number.NEGATIVE_INFINITY;
    default:
      return undefined;
  }
}

/** The value of `count` decimal digits at `at`, or -1 when one of them is not a digit (or the text ends). */
function digitsAt(text: string, at: number, count: number): number {
  if (at + count > text.length) return -1;
  let v = 0;
  for (let i = at; i < at + count; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** Where a parse ended and what it found; `end` is -1 when the text does not match. */
interface Parsed {
  value: number;
  end: number;
}

const NO_MATCH: Parsed = { value: 0, end: -1 };

/**
 * `yyyy-MM-dd` at the start of `text` (`lenient`: month and day of one or two digits, as `java.sql.Date.valueOf`),
 * as a day number. Years beyond 9999 or before 0 take a sign (`+10000-01-01`, `-0001-01-01`), as ISO-8601.
 */
function datePrefix(text: string, lenient: boolean): Parsed {
  let i = 0;
  let sign = 1;
  const first = text.charCodeAt(0);
  if (first === 0x2b || first === 0x2d) {
    sign = first === 0x2d ? -1 : 1;
    i = 1;
  }
  let yearDigits = 0;
  let year = 0;
  while (i + yearDigits < text.length) {
    const d = text.charCodeAt(i + yearDigits) - 0x30;
    if (d < 0 || d > 9) break;
    year = year * 10 + d;
    yearDigits++;
  }
  if (yearDigits < 4 || (i === 0 && yearDigits !== 4) || yearDigits > 9) return NO_MATCH;
  i += yearDigits;
  year *= sign;
  if (text.charCodeAt(i) !== 0x2d) return NO_MATCH;
  const month = lenient ? oneOrTwoDigits(text, i + 1) : { value: digitsAt(text, i + 1, 2), end: i + 3 };
  if (month.value < 1 || month.value > 12) return NO_MATCH;
  i = month.end;
  if (text.charCodeAt(i) !== 0x2d) return NO_MATCH;
  const day = lenient ? oneOrTwoDigits(text, i + 1) : { value: digitsAt(text, i + 1, 2), end: i + 3 };
  if (day.value < 1 || day.value > daysInMonth(year, month.value)) return NO_MATCH;
  return { value: daysFromCivil(year, month.value, day.value), end: day.end };
}

function oneOrTwoDigits(text: string, at: number): Parsed {
  const two = digitsAt(text, at, 2);
  if (two >= 0) return { value: two, end: at + 2 };
  const one = digitsAt(text, at, 1);
  return one >= 0 ? { value: one, end: at + 1 } : NO_MATCH;
}

/**
 * `HH:mm:ss[.fraction]` (or `HH:mm[:ss[.fraction]]` when `secondsOptional`, as ISO-8601) starting at `at`, as
 * milliseconds of the day; fraction digits beyond milliseconds (up to nanoseconds) are read and dropped.
 */
function timeAt(text: string, at: number, secondsOptional: boolean): Parsed {
  const hour = digitsAt(text, at, 2);
  if (hour < 0 || hour > 23 || text.charCodeAt(at + 2) !== 0x3a) return NO_MATCH;
  const minute = digitsAt(text, at + 3, 2);
  if (minute < 0 || minute > 59) return NO_MATCH;
  let i = at + 5;
  let ms = (hour * 60 + minute) * 60_000;
  if (text.charCodeAt(i) !== 0x3a) return secondsOptional ? { value: ms, end: i } : NO_MATCH;
  const second = digitsAt(text, i + 1, 2);
  if (second < 0 || second > 59) return NO_MATCH;
  ms += second * 1000;
  i += 3;
  if (text.charCodeAt(i) === 0x2e) {
    let digits = 0;
    let millis = 0;
    i++;
    while (i < text.length) {
      const d = text.charCodeAt(i) - 0x30;
      if (d < 0 || d > 9) break;
      if (digits < 3) millis = millis * 10 + d;
      digits++;
      i++;
    }
    if (digits === 0 || digits > 9) return NO_MATCH;
    for (let k = digits; k < 3; k++) millis *= 10;
    ms += millis;
  }
  return { value: ms, end: i };
}

/**
 * A DATE: `yyyy-MM-dd` (`lenient`: also `yyyy-M-d`, as Flink's CSV format reads dates), as days since 1970-01-01.
 *
 * @internal
 */
export function parseDateText(text: string, lenient = false): number | undefined {
  const d = datePrefix(text, lenient);
  return d.end === text.length ? d.value : undefined;
}

/**
 * A TIME: `HH:mm:ss[.fraction]` (`secondsOptional`: also `HH:mm`, as ISO-8601), as milliseconds of the day.
 *
 * @internal
 */
export function parseTimeText(text: string, secondsOptional = false): number | undefined {
  const t = timeAt(text, 0, secondsOptional);
  return t.end === text.length ? t.value : undefined;
}

/**
 * The two timestamp text forms of Flink's formats: `SQL` (`2020-12-30 12:13:14.123`, seconds required) and
 * `ISO-8601` (`2020-12-30T12:13:14.123`, seconds optional); a TIMESTAMP_LTZ adds a trailing `Z` to either.
 *
 * @internal
 */
export type TimestampStandard = 'SQL' | 'ISO-8601';

/**
 * A TIMESTAMP (`zoned` false: milliseconds of the local date-time read as UTC) or TIMESTAMP_LTZ (`zoned` true: the
 * text ends with `Z` and gives the instant in UTC), in the given standard; fraction digits beyond milliseconds are
 * dropped.
 *
 * @internal
 */
export function parseTimestampText(text: string, standard: TimestampStandard, zoned: boolean): number | undefined {
  const date = datePrefix(text, false);
  if (date.end < 0 || text.charCodeAt(date.end) !== (standard === 'SQL' ? 0x20 : 0x54)) return undefined;
  const time = timeAt(text, date.end + 1, standard === 'ISO-8601');
  if (time.end < 0) return undefined;
  const end = zoned ? time.end + 1 : time.end;
  if (end !== text.length || (zoned && text.charCodeAt(time.end) !== 0x5a)) return undefined;
  return date.value * MILLIS_PER_DAY + time.value;
}

/** An example of each timestamp form, for messages. @internal */
export function timestampExample(standard: TimestampStandard, zoned: boolean): string {
  return `${standard === 'SQL' ? '2020-12-30 12:13:14.123' : '2020-12-30T12:13:14.123'}${zoned ? 'Z' : ''}`;
}

const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/**
 * Standard base64 (padding optional, no line breaks), as Jackson reads binary values; undefined for other text.
 *
 * @internal
 */
export function parseBase64(text: string): Uint8Array | undefined {
  if (!BASE64_TEXT.test(text)) return undefined;
  const b = Buffer.from(text, 'base64');
  // A copy that owns its memory: Buffer.from may return a view into a shared 8 KiB pool, which a row kept in state
  // would keep alive.
  return new Uint8Array(b);
}
