// Dates, times and time zones for the SQL functions and CAST, on the runtime representation of the temporal types
// (see @runnel/api/table's logical-type.ts): DATE is days since 1970-01-01, TIME milliseconds of the day, TIMESTAMP
// the milliseconds of the local date-time read as UTC, TIMESTAMP_LTZ epoch milliseconds. Calendar arithmetic is
// proleptic Gregorian on integers (no Date objects on the per-row path). Time zones come from Intl (IANA names)
// or are fixed offsets; the offset of a zone is cached per zone and UTC hour, so a conversion is a Map lookup.
// Java date patterns (`yyyy-MM-dd HH:mm:ss.SSS`, Flink's DATE_FORMAT / TO_TIMESTAMP / UNIX_TIMESTAMP) are compiled
// once into a formatter and a parser.

/** @internal */
export const MS_PER_DAY = 86_400_000;
const MS_PER_HOUR = 3_600_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (month 1-12; out-of-range days roll over).
 *
 * @internal
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Writes year, month (1-12) and day of `days` (since 1970-01-01) into out[0..2].
 *
 * @internal
 */
export function civilFromDays(days: number, out: Int32Array | number[]): void {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = d;
}

/** @internal */
export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/** @internal */
export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Floor division of ms into days. @internal */
export function floorDay(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** The milliseconds of the day (0 .. 86399999) of a timestamp, also before 1970. @internal */
export function msOfDay(ms: number): number {
  const r = ms % MS_PER_DAY;
  return r < 0 ? r + MS_PER_DAY : r;
}

/**
 * ISO day of the week of `days` since 1970-01-01: 1 = Monday .. 7 = Sunday.
 *
 * @internal
 */
export function isoDayOfWeek(days: number): number {
  // 1970-01-01 was a Thursday (4)
  const r = (days + 3) % 7;
  return (r < 0 ? r + 7 : r) + 1;
}

/**
 * The ISO-8601 week number (1-53) of a date.
 *
 * @internal
 */
export function isoWeek(days: number): number {
  // the Thursday of this date's week decides its week-based year
  const thursday = days - isoDayOfWeek(days) + 4;
  civilFromDays(thursday, weekScratch);
  return Math.floor((thursday - daysFromCivil(weekScratch[0]!, 1, 1)) / 7) + 1;
}

/**
 * The ISO-8601 week-based year of a date.
 *
 * @internal
 */
export function isoWeekYear(days: number): number {
  civilFromDays(days - isoDayOfWeek(days) + 4, weekScratch);
  return weekScratch[0]!;
}

const weekScratch = new Int32Array(3);

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

function padN(n: number, width: number): string {
  const s = `${n}`;
  return s.length >= width ? s : '0'.repeat(width - s.length) + s;
}

function year4(y: number): string {
  return y < 0 ? `-${padN(-y, 4)}` : padN(y, 4);
}

const scratch = new Int32Array(3);

/**
 * `yyyy-MM-dd` of a DATE (days since 1970-01-01).
 *
 * @internal
 */
export function formatDate(days: number): string {
  civilFromDays(days, scratch);
  return `${year4(scratch[0]!)}-${pad2(scratch[1]!)}-${pad2(scratch[2]!)}`;
}

/**
 * `HH:mm:ss[.f]` of a TIME (milliseconds of the day) with up to `precision` fraction digits and trailing zeros
 * dropped (at least one digit when `precision` > 0, as Flink's `unixTimeToString`).
 *
 * @internal
 */
export function formatTime(ms: number, precision: number): string {
  const t = msOfDay(ms);
  const h = Math.floor(t / MS_PER_HOUR);
  const m = Math.floor((t % MS_PER_HOUR) / 60000);
  const s = Math.floor((t % 60000) / 1000);
  let out = `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  if (precision > 0) {
    let frac = t % 1000;
    out += '.';
    let p = precision;
    while (p > 0) {
      out += String.fromCharCode(48 + Math.floor(frac / 100));
      frac = (frac % 100) * 10;
      if (frac === 0) break;
      p--;
    }
  }
  return out;
}

/**
 * `yyyy-MM-dd HH:mm:ss[.fff]` of a TIMESTAMP (local milliseconds): the fraction has `precision` digits (zeros
 * beyond the milliseconds), as Flink's CAST to STRING.
 *
 * @internal
 */
export function formatTimestamp(ms: number, precision: number): string {
  const days = floorDay(ms);
  const t = ms - days * MS_PER_DAY;
  civilFromDays(days, scratch);
  const h = Math.floor(t / MS_PER_HOUR);
  const mi = Math.floor((t % MS_PER_HOUR) / 60000);
  const s = Math.floor((t % 60000) / 1000);
  const base = `${year4(scratch[0]!)}-${pad2(scratch[1]!)}-${pad2(scratch[2]!)} ${pad2(h)}:${pad2(mi)}:${pad2(s)}`;
  const milli = t % 1000;
  if (precision <= 0 && milli === 0) return base;
  // Flink pads the 9-digit nanosecond fraction and drops trailing zeros while longer than the precision
  let frac = padN(milli, 3) + '000000';
  while (frac.length > precision && frac.endsWith('0')) frac = frac.slice(0, -1);
  return frac.length > 0 ? `${base}.${frac}` : base;
}

/**
 * ISO-8601 `yyyy-MM-ddTHH:mm:ss[.SSS]` of a TIMESTAMP (milliseconds only when not 0).
 *
 * @internal
 */
export function formatTimestampIso(ms: number): string {
  const s = formatTimestamp(ms, 0);
  const milli = msOfDay(ms) % 1000;
  return `${s.slice(0, 10)}T${s.slice(11, 19)}${milli === 0 ? '' : `.${padN(milli, 3)}`}`;
}

const INT_PART = /^[+-]?\d+$/;

function intPart(s: string): number {
  const t = s.trim();
  return INT_PART.test(t) ? Number(t) : NaN;
}

/**
 * Days since 1970-01-01 of date text as Flink's CAST(... AS DATE) reads it: `yyyy-MM-dd` with one- or two-digit
 * month and day, `yyyy-MM` and `yyyy` (the first of the month/year), anything after a space or `T` ignored (a
 * timestamp's date). Null when not a valid date.
 *
 * @internal
 */
export function parseDate(text: string): number | null {
  let s = text;
  let cut = s.indexOf(' ');
  if (cut <= 0) cut = s.indexOf('T');
  if (cut > 0) s = s.slice(0, cut);
  const h1 = s.indexOf('-');
  let y: number;
  let m = 1;
  let d = 1;
  if (h1 < 0) y = intPart(s);
  else {
    y = intPart(s.slice(0, h1));
    const h2 = s.indexOf('-', h1 + 1);
    if (h2 < 0) m = intPart(s.slice(h1 + 1));
    else {
      m = intPart(s.slice(h1 + 1, h2));
      d = intPart(s.slice(h2 + 1));
    }
  }
  if (!(y >= 0 && y <= 9999) || !(m >= 1 && m <= 12) || !(d >= 1 && d <= daysInMonth(y, m))) return null;
  return daysFromCivil(y, m, d);
}

// the first three fraction digits are the milliseconds, rounded by the fourth (Flink's `parseFraction`)
function fractionMillisRounded(f: string): number {
  let ms = 0;
  let mult = 100;
  for (let i = 0; i < f.length && mult >= 1; i++, mult /= 10) ms += (f.charCodeAt(i) - 48) * mult;
  if (f.length > 3 && f.charCodeAt(3) >= 53) ms++;
  return ms;
}

const TIME_TEXT = /^\s*(\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?)?\s*$/;

/**
 * Milliseconds of the day of time text `H[:m[:s[.fff]]]` (Flink's CAST(... AS TIME); the fraction is rounded to
 * milliseconds). Null when not a valid time of day.
 *
 * @internal
 */
export function parseTime(text: string): number | null {
  const m = TIME_TEXT.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = m[2] === undefined ? 0 : Number(m[2]);
  const s = m[3] === undefined ? 0 : Number(m[3]);
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = m[4] ? fractionMillisRounded(m[4]) : 0;
  return ((h * 60 + mi) * 60 + s) * 1000 + ms;
}

const TIMESTAMP_TEXT = /^\s*(\d{1,9})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?)?\s*$/;

/**
 * Local milliseconds of timestamp text `yyyy-M-d[( |T)H:m[:s[.fffffffff]]]` (Flink's CAST(... AS TIMESTAMP) and
 * TO_TIMESTAMP without a format; the SQL form with a space and the ISO form with `T`). The fraction is truncated
 * to `precision` digits (at most milliseconds are kept). A day past the end of its month is clamped to the last day
 * (as java.time's smart resolver). Null when not a timestamp.
 *
 * @internal
 */
export function parseTimestamp(text: string, precision = 3): number | null {
  const m = TIMESTAMP_TEXT.exec(text);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  let d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const dim = daysInMonth(y, mo);
  if (d > dim) d = dim;
  let t = 0;
  if (m[4] !== undefined) {
    const h = Number(m[4]);
    const mi = Number(m[5]);
    const s = m[6] === undefined ? 0 : Number(m[6]);
    if (h > 23 || mi > 59 || s > 59) return null;
    t = ((h * 60 + mi) * 60 + s) * 1000;
    const f = m[7];
    if (f) t += truncateFractionMs(f, precision);
  }
  return daysFromCivil(y, mo, d) * MS_PER_DAY + t;
}

function truncateFractionMs(f: string, precision: number): number {
  const digits = Math.min(f.length, precision, 3);
  let ms = 0;
  for (let i = 0; i < 3; i++) ms = ms * 10 + (i < digits ? f.charCodeAt(i) - 48 : 0);
  return ms;
}

/**
 * Truncates a TIME or TIMESTAMP value (milliseconds) to `precision` fraction digits (precision >= 3 keeps it).
 *
 * @internal
 */
export function truncateToPrecision(ms: number, precision: number): number {
  if (precision >= 3) return ms;
  const unit = precision === 2 ? 10 : precision === 1 ? 100 : 1000;
  return Math.floor(ms / unit) * unit;
}

// ------------------------------------------------------------------------------------------------ months

/**
 * A DATE plus `months` months (the day clamped to the end of the target month: Jan 31 + 1 month = Feb 28/29).
 *
 * @internal
 */
export function addMonthsToDate(days: number, months: number): number {
  civilFromDays(days, scratch);
  const total = scratch[0]! * 12 + (scratch[1]! - 1) + months;
  const y = Math.floor(total / 12);
  const m = total - y * 12 + 1;
  const d = Math.min(scratch[2]!, daysInMonth(y, m));
  return daysFromCivil(y, m, d);
}

/**
 * A TIMESTAMP (local milliseconds) plus `months` months, the time of day kept.
 *
 * @internal
 */
export function addMonthsToTimestamp(ms: number, months: number): number {
  const days = floorDay(ms);
  return addMonthsToDate(days, months) * MS_PER_DAY + (ms - days * MS_PER_DAY);
}

/**
 * Whole months from date1 to date0 (Calcite's `subtractMonths`: date0 - date1, truncated toward zero).
 *
 * @internal
 */
export function monthsBetweenDates(date0: number, date1: number): number {
  if (date0 < date1) return -monthsBetweenDates(date1, date0);
  let m = Math.floor((date0 - date1) / 31);
  for (;;) {
    const date2 = addMonthsToDate(date1, m);
    if (date2 >= date0) return m;
    const date3 = addMonthsToDate(date1, m + 1);
    if (date3 > date0) return m;
    m++;
  }
}

/**
 * Whole months from t1 to t0 (local milliseconds), the time of day considered.
 *
 * @internal
 */
export function monthsBetweenTimestamps(t0: number, t1: number): number {
  if (t0 < t1) return -monthsBetweenTimestamps(t1, t0);
  const d0 = floorDay(t0);
  const d1 = floorDay(t1);
  const ms0 = t0 - d0 * MS_PER_DAY;
  const ms1 = t1 - d1 * MS_PER_DAY;
  let x = monthsBetweenDates(d0, d1);
  if (addMonthsToDate(d1, x) === d0 && ms0 < ms1) x--;
  return x;
}

// ------------------------------------------------------------------------------------------------ time zones

// Java's short zone ids that IANA does not have (java.util.TimeZone's SHORT_IDS).
const JAVA_SHORT_IDS: Record<string, string> = {
  ACT: 'Australia/Darwin',
  AET: 'Australia/Sydney',
  AGT: 'America/Argentina/Buenos_Aires',
  ART: 'Africa/Cairo',
  AST: 'America/Anchorage',
  BET: 'America/Sao_Paulo',
  BST: 'Asia/Dhaka',
  CAT: 'Africa/Harare',
  CNT: 'America/St_Johns',
  CST: 'America/Chicago',
  CTT: 'Asia/Shanghai',
  EAT: 'Africa/Addis_Ababa',
  ECT: 'Europe/Paris',
  IET: 'America/Indiana/Indianapolis',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  MIT: 'Pacific/Apia',
  NET: 'Asia/Yerevan',
  NST: 'Pacific/Auckland',
  PLT: 'Asia/Karachi',
  PNT: 'America/Phoenix',
  PRT: 'America/Puerto_Rico',
  PST: 'America/Los_Angeles',
  SST: 'Pacific/Guadalcanal',
  VST: 'Asia/Ho_Chi_Minh',
};

const OFFSET_ID = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/i;

/**
 * A time zone: the offset from UTC at an instant and the instant of a local date-time. Obtained with
 * {@link timeZone}.
 *
 * @internal
 */
export class TimeZoneRules {
  private readonly hours = new Map<number, number>();
  private readonly dtf: Intl.DateTimeFormat | undefined;

  constructor(
    /** The id as given (`Asia/Shanghai`, `+08:00`, `UTC`). */
    readonly id: string,
    /** The fixed offset in milliseconds, or undefined for a zone with rules. */
    readonly fixedOffset: number | undefined,
    iana?: string,
  ) {
    this.dtf =
      iana === undefined
        ? undefined
        : new Intl.DateTimeFormat('en-US', {
            timeZone: iana,
            hourCycle: 'h23',
            era: 'short',
            year: 'numeric',
            month: 'numeric',
            day: 'numeric',
            hour: 'numeric',
            minute: 'numeric',
            second: 'numeric',
          });
  }

  /** The offset from UTC in milliseconds at the instant `epochMs`. */
  offsetAt(epochMs: number): number {
    if (this.fixedOffset !== undefined) return this.fixedOffset;
    const h = Math.floor(epochMs / MS_PER_HOUR);
    let o = this.hours.get(h);
    if (o === undefined) {
      const start = h * MS_PER_HOUR;
      const a = this.compute(start);
      // a transition inside this hour (zones whose changes are not on the hour): not cacheable per hour
      o = a === this.compute(start + MS_PER_HOUR - 1) ? a : NaN;
      if (this.hours.size >= 100_000) this.hours.clear();
      this.hours.set(h, o);
    }
    return o === o ? o : this.compute(epochMs);
  }

  /** The local date-time (milliseconds read as UTC) of the instant `epochMs`. */
  toLocal(epochMs: number): number {
    return epochMs + this.offsetAt(epochMs);
  }

  /**
   * The instant of a local date-time (as java.time's `ZonedDateTime.of`): in a gap (spring forward) the time is
   * moved forward by the gap; in an overlap (fall back) the earlier instant is taken.
   */
  toEpoch(localMs: number): number {
    if (this.fixedOffset !== undefined) return localMs - this.fixedOffset;
    const before = this.offsetAt(localMs - MS_PER_DAY);
    const after = this.offsetAt(localMs + MS_PER_DAY);
    if (before === after) {
      // no transition nearby (the common case); still check the instant itself for short-lived offsets
      const o = this.offsetAt(localMs - before);
      return o === before ? localMs - before : localMs - o;
    }
    if (this.offsetAt(localMs - before) === before) return localMs - before;
    if (this.offsetAt(localMs - after) === after) return localMs - after;
    return localMs - before;
  }

  private compute(epochMs: number): number {
    const parts = this.dtf!.formatToParts(epochMs);
    let y = 0;
    let mo = 1;
    let d = 1;
    let h = 0;
    let mi = 0;
    let s = 0;
    let bc = false;
    for (const p of parts) {
      switch (p.type) {
        case 'year':
          y = Number(p.value);
          break;
        case 'month':
          mo = Number(p.value);
          break;
        case 'day':
          d = Number(p.value);
          break;
        case 'hour':
          h = Number(p.value) % 24;
          break;
        case 'minute':
          mi = Number(p.value);
          break;
        case 'second':
          s = Number(p.value);
          break;
        case 'era':
          bc = p.value.startsWith('B');
          break;
        default:
      }
    }
    if (bc) y = 1 - y;
    const local = daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000;
    return local - (epochMs - (((epochMs % 1000) + 1000) % 1000));
  }
}

const ZONES = new Map<string, TimeZoneRules | null>();

/**
 * The rules of a time zone id: an IANA name (`Asia/Shanghai`), a fixed offset (`+08:00`, `-0500`, `UTC+8`,
 * `GMT-03:30`), `UTC`/`GMT`/`Z`, or one of Java's short ids (`PST`, `CTT`). Undefined when unknown. Cached per id.
 *
 * @internal
 */
export function timeZone(id: string): TimeZoneRules | undefined {
  let z = ZONES.get(id);
  if (z !== undefined) return z ?? undefined;
  z = createZone(id);
  ZONES.set(id, z);
  return z ?? undefined;
}

function createZone(id: string): TimeZoneRules | null {
  const t = id.trim();
  const u = t.toUpperCase();
  if (u === 'UTC' || u === 'GMT' || u === 'Z' || u === 'UT' || u === 'ETC/UTC' || u === 'ETC/GMT') return new TimeZoneRules(id, 0);
  const m = OFFSET_ID.exec(t);
  if (m) {
    const h = Number(m[2]);
    const mi = m[3] === undefined ? 0 : Number(m[3]);
    const s = m[4] === undefined ? 0 : Number(m[4]);
    if (h > 18 || mi > 59 || s > 59) return null;
    const off = ((h * 60 + mi) * 60 + s) * 1000;
    return new TimeZoneRules(id, m[1] === '-' ? -off : off);
  }
  const iana = JAVA_SHORT_IDS[t] ?? t;
  try {
    return new TimeZoneRules(id, undefined, iana);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------------------ patterns

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface PatternToken {
  /** A pattern letter, or '' for literal text. */
  readonly letter: string;
  readonly count: number;
  readonly text: string;
}

const NUMERIC_LETTERS = 'yuYMLdDHkKhmsSnAQqwWeFc';
const SUPPORTED_LETTERS = `${NUMERIC_LETTERS}GEaXxZzOV`;

function tokenize(pattern: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let i = 0;
  let lit = '';
  const flush = (): void => {
    if (lit) tokens.push({ letter: '', count: 0, text: lit });
    lit = '';
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        lit += "'";
        i += 2;
        continue;
      }
      let j = i + 1;
      let quoted = '';
      // '' inside quotes is a quote
      for (;;) {
        const k = pattern.indexOf("'", j);
        if (k < 0) throw new Error(`unterminated quote in date pattern '${pattern}'`);
        quoted += pattern.slice(j, k);
        if (pattern[k + 1] === "'") {
          quoted += "'";
          j = k + 2;
          continue;
        }
        j = k + 1;
        break;
      }
      lit += quoted;
      i = j;
      continue;
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      if (!SUPPORTED_LETTERS.includes(c)) throw new Error(`unsupported letter '${c}' in date pattern '${pattern}'`);
      let j = i + 1;
      while (pattern[j] === c) j++;
      flush();
      tokens.push({ letter: c, count: j - i, text: '' });
      i = j;
      continue;
    }
    lit += c;
    i++;
  }
  flush();
  return tokens;
}

/**
 * How a pattern reads the `S` letter and how strict parsing is: `java.time` (DateTimeFormatter: `S` is a fraction
 * of the second, the whole text must match, days past the month end are clamped) or `legacy`
 * (SimpleDateFormat: `S` is a number of milliseconds, text after the pattern is ignored, fields roll over).
 *
 * @internal
 */
export type PatternFlavor = 'java.time' | 'legacy';

/**
 * A compiled Java date pattern.
 *
 * @internal
 */
export interface DateTimePattern {
  readonly pattern: string;
  /** The text of a local date-time (milliseconds read as UTC); `offsetMs` and `zoneId` feed the zone letters. */
  format(localMs: number, offsetMs?: number, zoneId?: string): string;
  /** The local date-time of `text`, or NaN when it does not match; a parsed offset is left in `parsedOffset`. */
  parse(text: string): number;
  /** The offset (milliseconds) of the last successful parse when the text had one (X, x, Z, z letters). */
  parsedOffset: number | undefined;
}

const PATTERNS = new Map<string, DateTimePattern>();

/**
 * Compiles a Java date pattern (letters G y u Y M L d D E e c a H k K h m s S n A Q q w W F X x Z z O V and quoted
 * text); throws an Error naming the pattern when it has unsupported letters. Cached per pattern and flavor.
 *
 * @internal
 */
export function compileDateTimePattern(pattern: string, flavor: PatternFlavor = 'java.time'): DateTimePattern {
  const key = `${flavor}\u0000${pattern}`;
  let p = PATTERNS.get(key);
  if (!p) {
    p = new CompiledPattern(pattern, tokenize(pattern), flavor);
    if (PATTERNS.size > 1000) PATTERNS.clear();
    PATTERNS.set(key, p);
  }
  return p;
}

function formatOffset(off: number, style: 'X' | 'x' | 'Z' | 'O', count: number): string {
  if (off === 0 && style === 'X') return 'Z';
  if (style === 'O') {
    if (off === 0) return 'GMT';
    const a = Math.abs(off) / 60000;
    const h = Math.floor(a / 60);
    const m = a % 60;
    return `GMT${off < 0 ? '-' : '+'}${count >= 4 ? pad2(h) : h}${m || count >= 4 ? `:${pad2(m)}` : ''}`;
  }
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off) / 60000;
  const h = pad2(Math.floor(a / 60));
  const m = pad2(a % 60);
  if (style === 'Z') {
    if (count <= 3) return `${sign}${h}${m}`;
    if (count === 4) return off === 0 ? 'GMT' : `GMT${sign}${h}:${m}`;
    return off === 0 ? 'Z' : `${sign}${h}:${m}`;
  }
  if (count === 1) return `${sign}${h}${m === '00' ? '' : m}`;
  if (count === 2 || count === 4) return `${sign}${h}${m}`;
  return `${sign}${h}:${m}`;
}

const OFFSET_TEXT = /^(?:Z|(?:GMT|UTC)?([+-])(\d{2})(?::?(\d{2}))?)/i;

/** Pattern letters whose text depends on the day alone (not on the time of day, the offset or the zone). */
const DAY_LETTERS = new Set(['', 'G', 'y', 'u', 'Y', 'M', 'L', 'Q', 'q', 'd', 'D', 'E', 'e', 'c', 'F', 'w', 'W']);

class CompiledPattern implements DateTimePattern {
  parsedOffset: number | undefined = undefined;
  private readonly f = new Int32Array(3);
  /**
   * A pattern of day fields only (`yyyy-MM-dd`) formats every instant of a day to the same text: the last day's text
   * is kept, so that rows of one day (a `GROUP BY DATE_FORMAT(ts, 'yyyy-MM-dd')`) format it once.
   */
  private readonly dayOnly: boolean;
  private lastDay = Number.NaN;
  private lastText = '';

  constructor(
    readonly pattern: string,
    private readonly tokens: readonly PatternToken[],
    private readonly flavor: PatternFlavor,
  ) {
    this.dayOnly = tokens.every((tok) => DAY_LETTERS.has(tok.letter));
  }

  format(localMs: number, offsetMs = 0, zoneId?: string): string {
    const days = floorDay(localMs);
    if (this.dayOnly) {
      if (days === this.lastDay) return this.lastText;
      const text = this.formatFields(localMs, days, offsetMs, zoneId);
      this.lastDay = days;
      this.lastText = text;
      return text;
    }
    return this.formatFields(localMs, days, offsetMs, zoneId);
  }

  private formatFields(localMs: number, days: number, offsetMs: number, zoneId: string | undefined): string {
    const t = localMs - days * MS_PER_DAY;
    civilFromDays(days, this.f);
    const y = this.f[0]!;
    const mo = this.f[1]!;
    const d = this.f[2]!;
    const hour = Math.floor(t / MS_PER_HOUR);
    let out = '';
    for (const tok of this.tokens) {
      const n = tok.count;
      switch (tok.letter) {
        case '':
          out += tok.text;
          break;
        case 'G':
          out += y > 0 ? 'AD' : 'BC';
          break;
        case 'y':
        case 'u':
        case 'Y': {
          const yy = tok.letter === 'y' && y <= 0 ? 1 - y : y;
          out += n === 2 ? pad2(((yy % 100) + 100) % 100) : padN(yy, n);
          break;
        }
        case 'M':
        case 'L':
          out += n >= 4 ? MONTHS[mo - 1]! : n === 3 ? MONTHS[mo - 1]!.slice(0, 3) : padN(mo, n);
          break;
        case 'Q':
        case 'q':
          out += padN(Math.floor((mo + 2) / 3), n);
          break;
        case 'd':
          out += padN(d, n);
          break;
        case 'D':
          out += padN(days - daysFromCivil(y, 1, 1) + 1, n);
          break;
        case 'E':
          out += n >= 4 ? WEEKDAYS[isoDayOfWeek(days) - 1]! : WEEKDAYS[isoDayOfWeek(days) - 1]!.slice(0, 3);
          break;
        case 'e':
        case 'c':
          // localized day of week, Sunday first (US)
          out += n >= 3 ? WEEKDAYS[isoDayOfWeek(days) - 1]!.slice(0, n === 3 ? 3 : undefined) : padN((isoDayOfWeek(days) % 7) + 1, n);
          break;
        case 'F':
          out += padN(Math.floor((d - 1) / 7) + 1, n);
          break;
        case 'w': {
          // week of year, Sunday first, week 1 contains January 1 (US)
          const jan1 = daysFromCivil(y, 1, 1);
          out += padN(Math.floor((days - jan1 + (isoDayOfWeek(jan1) % 7)) / 7) + 1, n);
          break;
        }
        case 'W': {
          const first = daysFromCivil(y, mo, 1);
          out += padN(Math.floor((days - first + (isoDayOfWeek(first) % 7)) / 7) + 1, n);
          break;
        }
        case 'a':
          out += hour < 12 ? 'AM' : 'PM';
          break;
        case 'H':
          out += padN(hour, n);
          break;
        case 'k':
          out += padN(hour === 0 ? 24 : hour, n);
          break;
        case 'K':
          out += padN(hour % 12, n);
          break;
        case 'h':
          out += padN(hour % 12 === 0 ? 12 : hour % 12, n);
          break;
        case 'm':
          out += padN(Math.floor((t % MS_PER_HOUR) / 60000), n);
          break;
        case 's':
          out += padN(Math.floor((t % 60000) / 1000), n);
          break;
        case 'S':
          if (this.flavor === 'legacy') out += padN(t % 1000, n);
          else {
            const f = padN(t % 1000, 3);
            out += n <= 3 ? f.slice(0, n) : f + '0'.repeat(n - 3);
          }
          break;
        case 'n':
          out += padN((t % 1000) * 1_000_000, n);
          break;
        case 'A':
          out += padN(t, n);
          break;
        case 'X':
        case 'x':
        case 'Z':
        case 'O':
          out += formatOffset(offsetMs, tok.letter, n);
          break;
        case 'z':
        case 'V':
          out += zoneId ?? formatOffset(offsetMs, 'O', 4);
          break;
        default:
          throw new Error(`unsupported letter '${tok.letter}'`);
      }
    }
    return out;
  }

  parse(text: string): number {
    const legacy = this.flavor === 'legacy';
    let pos = 0;
    let year = 1970;
    let month = 1;
    let day = 1;
    let doy = -1;
    let hour = 0;
    let hour12 = -1;
    let pm = -1;
    let minute = 0;
    let second = 0;
    let milli = 0;
    let bc = false;
    let offset: number | undefined;
    const toks = this.tokens;
    for (let ti = 0; ti < toks.length; ti++) {
      const tok = toks[ti]!;
      const L = tok.letter;
      if (L === '') {
        if (!text.startsWith(tok.text, pos)) return NaN;
        pos += tok.text.length;
        continue;
      }
      if (NUMERIC_LETTERS.includes(L) && !((L === 'M' || L === 'L') && tok.count >= 3)) {
        // adjacent numeric fields (yyyyMMdd) are read with their pattern width; otherwise 1..n digits
        const next = toks[ti + 1];
        const adjacent = next !== undefined && next.letter !== '' && NUMERIC_LETTERS.includes(next.letter) && !((next.letter === 'M' || next.letter === 'L') && next.count >= 3);
        let neg = false;
        if ((L === 'y' || L === 'u' || L === 'Y') && (text[pos] === '-' || text[pos] === '+') && !adjacent) {
          neg = text[pos] === '-';
          pos++;
        }
        const start = pos;
        const max = adjacent ? tok.count : L === 'S' && !legacy ? Math.max(tok.count, 9) : 10;
        while (pos < text.length && pos - start < max) {
          const c = text.charCodeAt(pos);
          if (c < 48 || c > 57) break;
          pos++;
        }
        const len = pos - start;
        if (len === 0 || (adjacent && len !== tok.count)) return NaN;
        const digits = text.slice(start, pos);
        let v = Number(digits);
        if (neg) v = -v;
        switch (L) {
          case 'y':
          case 'u':
          case 'Y':
            year = tok.count === 2 && len === 2 ? 2000 + v : v;
            break;
          case 'M':
          case 'L':
            month = v;
            break;
          case 'd':
            day = v;
            break;
          case 'D':
            doy = v;
            break;
          case 'H':
            hour = v;
            break;
          case 'k':
            hour = v === 24 ? 0 : v;
            break;
          case 'K':
          case 'h':
            hour12 = L === 'h' && v === 12 ? 0 : v;
            break;
          case 'm':
            minute = v;
            break;
          case 's':
            second = v;
            break;
          case 'S':
            milli = legacy ? v : Number(digits.padEnd(3, '0').slice(0, 3));
            break;
          case 'n':
            milli = Math.floor(v / 1_000_000);
            break;
          case 'A':
            hour = 0;
            minute = 0;
            second = 0;
            milli = v;
            break;
          default:
          // Q, q, w, W, e, c, F: read and ignored
        }
        continue;
      }
      switch (L) {
        case 'M':
        case 'L': {
          const i = matchName(text, pos, MONTHS, tok.count === 3);
          if (i < 0) return NaN;
          month = (i >> 8) + 1;
          pos += i & 0xff;
          break;
        }
        case 'E': {
          const i = matchName(text, pos, WEEKDAYS, tok.count <= 3);
          if (i < 0) return NaN;
          pos += i & 0xff;
          break;
        }
        case 'a': {
          const s = text.slice(pos, pos + 2).toUpperCase();
          if (s !== 'AM' && s !== 'PM') return NaN;
          pm = s === 'PM' ? 1 : 0;
          pos += 2;
          break;
        }
        case 'G': {
          const s = text.slice(pos, pos + 2).toUpperCase();
          if (s !== 'AD' && s !== 'BC') return NaN;
          bc = s === 'BC';
          pos += 2;
          break;
        }
        case 'X':
        case 'x':
        case 'Z':
        case 'O':
        case 'z':
        case 'V': {
          const m = OFFSET_TEXT.exec(text.slice(pos));
          if (m) {
            offset = m[1] === undefined ? 0 : (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60000;
            pos += m[0].length;
          } else if (L === 'z' || L === 'V') {
            const zm = /^[A-Za-z][A-Za-z0-9_/+-]*/.exec(text.slice(pos));
            const zone = zm ? timeZone(zm[0]) : undefined;
            if (!zone || !zm) return NaN;
            pos += zm[0].length;
            this.parsedOffset = undefined;
            const local = this.resolve(year, month, day, doy, hour, hour12, pm, minute, second, milli, bc);
            if (local !== local) return NaN;
            offset = zone.offsetAt(zone.toEpoch(local));
          } else return NaN;
          break;
        }
        default:
          return NaN;
      }
    }
    if (!legacy && pos !== text.length) return NaN;
    const local = this.resolve(year, month, day, doy, hour, hour12, pm, minute, second, milli, bc);
    this.parsedOffset = local === local ? offset : undefined;
    return local;
  }

  private resolve(year: number, month: number, day: number, doy: number, hour: number, hour12: number, pm: number, minute: number, second: number, milli: number, bc: boolean): number {
    const y = bc ? 1 - year : year;
    let h = hour;
    if (hour12 >= 0) h = hour12 + (pm === 1 ? 12 : 0);
    else if (pm === 1 && h < 12) h += 12;
    if (this.flavor === 'legacy') {
      // SimpleDateFormat is lenient: fields roll over (month 13 is January of the next year)
      const total = y * 12 + (month - 1);
      const yy = Math.floor(total / 12);
      const mm = total - yy * 12 + 1;
      const days = doy >= 0 ? daysFromCivil(y, 1, 1) + doy - 1 : daysFromCivil(yy, mm, 1) + day - 1;
      return days * MS_PER_DAY + ((h * 60 + minute) * 60 + second) * 1000 + milli;
    }
    if (month < 1 || month > 12 || day < 1 || day > 31 || h > 23 || minute > 59 || second > 59 || milli > 999) return NaN;
    let days: number;
    if (doy >= 0) {
      if (doy < 1 || doy > (isLeapYear(y) ? 366 : 365)) return NaN;
      days = daysFromCivil(y, 1, 1) + doy - 1;
    } else days = daysFromCivil(y, month, Math.min(day, daysInMonth(y, month)));
    return days * MS_PER_DAY + ((h * 60 + minute) * 60 + second) * 1000 + milli;
  }
}

// The index (<< 8) and matched length (low byte) of a month or weekday name at `pos` (case-insensitive), or -1.
function matchName(text: string, pos: number, names: readonly string[], short: boolean): number {
  const rest = text.slice(pos, pos + 12).toLowerCase();
  for (let i = 0; i < names.length; i++) {
    const full = names[i]!.toLowerCase();
    if (!short && rest.startsWith(full)) return (i << 8) | full.length;
  }
  for (let i = 0; i < names.length; i++) {
    const abbr = names[i]!.slice(0, 3).toLowerCase();
    if (rest.startsWith(abbr)) return (i << 8) | 3;
  }
  return -1;
}
