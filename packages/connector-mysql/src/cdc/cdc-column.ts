// The columns of a captured table and how their values become Runnel values (`@runnel/api/table`'s representation:
// BIGINT and DECIMAL as exact bigints, DATE as days, DATETIME as the local date-time's milliseconds read as UTC,
// TIMESTAMP as epoch milliseconds, TIME as milliseconds of the day). One converter per column serves both paths, the
// snapshot (mysql2's text protocol in a UTC session with `supportBigNumbers`, BIGINT as a number when it fits 2^53
// and a string otherwise, `dateStrings`: dates as their text) and the binlog (zongji's decoder with
// `bigNumberStrings`, `timezone: 'Z'`, dates as Date objects), so each converter takes either form and a row read by
// either path is the same value: the hand-off comparisons and the tests depend on it. The snapshot's forms are the
// cheaper ones (no Date object per value, no decimal string concatenation); the date text is parsed exactly as mysql2
// would have built its Date (same checks, same Date.UTC arithmetic). No value passes through a JS number unless its
// type is carried as one. Types without a faithful representation here (BIT, spatial types) fail at discovery.
import type { LogicalType } from '@runnel/api/table';

/**
 * A column of a captured table, as `INFORMATION_SCHEMA.COLUMNS` describes it.
 *
 * @public
 */
export interface CdcColumn {
  readonly name: string;
  /** `DATA_TYPE`, lower case (`bigint`, `varchar`, ...). */
  readonly dataType: string;
  /** `COLUMN_TYPE` (`bigint(20) unsigned`, `decimal(10,2)`, `tinyint(1)`). */
  readonly columnType: string;
  readonly nullable: boolean;
  readonly precision?: number;
  readonly scale?: number;
}

/** Converts a driver value (snapshot or binlog) to the column's Runnel value. */
export type ValueConverter = (v: unknown) => unknown;

const MS_PER_DAY = 86_400_000;
const toDate = (v: unknown): Date | null => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  return null;
};

/** The unscaled bigint of a decimal text (`-12.3` at scale 2 -> -1230n). */
export function unscaledDecimal(text: string, scale: number): bigint {
  // Fast path: what MySQL sends, `[-]digits.digits` with exactly `scale` fraction digits (or none at scale 0).
  const d = text.indexOf('.');
  if (d > 0 && text.length - d - 1 === scale) return BigInt(text.slice(0, d) + text.slice(d + 1));
  if (d < 0 && scale === 0 && text.length > 0 && text.trim() === text) return BigInt(text);
  let s = text.trim();
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  const dot = s.indexOf('.');
  let int = dot < 0 ? s : s.slice(0, dot);
  let frac = dot < 0 ? '' : s.slice(dot + 1);
  if (frac.length > scale) frac = frac.slice(0, scale); // MySQL never sends more digits than the scale
  frac = frac.padEnd(scale, '0');
  if (int === '') int = '0';
  const v = BigInt(int + frac);
  return negative ? -v : v;
}

/**
 * The unscaled bigint of a decimal text of a column whose precision is at most 15 (its unscaled value fits a double
 * exactly): the digits accumulated in a number, then one BigInt. Texts of another form take `unscaledDecimal`.
 *
 * @internal
 */
export function smallUnscaledDecimal(text: string, scale: number): bigint {
  const len = text.length;
  let i = 0;
  let negative = false;
  if (len > 0 && text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  let n = 0;
  let dot = -1;
  let digits = 0;
  for (; i < len; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      digits++;
    } else if (ch === 46 && dot < 0) dot = i;
    else return unscaledDecimal(text, scale);
  }
  const frac = dot < 0 ? 0 : len - dot - 1;
  if (digits === 0 || digits > 15 || frac !== scale) return unscaledDecimal(text, scale);
  return BigInt(negative ? -n : n);
}

const two = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + (s.charCodeAt(i + 1) - 48);

/**
 * Days from 1970-01-01 to a proleptic Gregorian date (month 1-12; a day past the month's end counts on, as in
 * `Date.UTC`): the civil-to-days arithmetic on integers, which is `Date.UTC(y, m - 1, d) / 86 400 000` for the years
 * 100-9999 a DATETIME text can hold, without the call into the runtime's date code per value.
 */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * Epoch milliseconds of a DATETIME / TIMESTAMP text in a UTC session (`YYYY-MM-DD HH:MM:SS[.ffffff]`), or null where
 * mysql2 (`timezone: 'Z'`) would have made an invalid Date (zero dates): the same checks as its `parseDateTime` and
 * the same value as its `Date.UTC` arithmetic (`daysFromCivil`), so the value is the one the Date path gave.
 *
 * @internal
 */
export function dateTimeTextMs(s: string): number | null {
  const len = s.length;
  if (len >= 19 && s.charCodeAt(4) === 45 && s.charCodeAt(7) === 45 && s.charCodeAt(13) === 58 && s.charCodeAt(16) === 58) {
    let ms = 0;
    let scale = 100;
    for (let i = 20; i < len && scale >= 1; i++) {
      ms += (s.charCodeAt(i) - 48) * scale;
      scale /= 10;
    }
    const v = dateTimeFieldsMs(two(s, 0) * 100 + two(s, 2), two(s, 5), two(s, 8), two(s, 11), two(s, 14), two(s, 17), ms);
    if (v !== undefined) return v;
  }
  const t = new Date(s + 'Z').getTime();
  return Number.isNaN(t) ? null : t;
}

/**
 * The value of a DATETIME's fields for `dateTimeTextMs` and `dateTimeBytesMs` (one place for the checks and the
 * arithmetic): null for a zero or out-of-range month or day, undefined for years before 100 (the caller reads those
 * through Date, as mysql2 did).
 */
function dateTimeFieldsMs(y: number, mo: number, d: number, h: number, mi: number, sec: number, ms: number): number | null | undefined {
  if (mo === 0 || d === 0 || mo > 12 || d > 31) return null;
  if (y < 100) return undefined;
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + sec) * 1000 + ms;
}

const twoAt = (b: Uint8Array, i: number): number => (b[i]! - 48) * 10 + (b[i + 1]! - 48);

/**
 * `dateTimeTextMs` of the text in `b[start, end)` (ASCII, as the server sends it), read from the bytes without making
 * the string: the same checks and arithmetic; the forms it does not read itself (no separators where expected, years
 * before 100) are read by `dateTimeTextMs` from the text.
 *
 * @internal
 */
export function dateTimeBytesMs(b: Uint8Array, start: number, end: number): number | null {
  if (end - start >= 19 && b[start + 4] === 45 && b[start + 7] === 45 && b[start + 13] === 58 && b[start + 16] === 58) {
    let ms = 0;
    let scale = 100;
    for (let i = start + 20; i < end && scale >= 1; i++) {
      ms += (b[i]! - 48) * scale;
      scale /= 10;
    }
    const v = dateTimeFieldsMs(twoAt(b, start) * 100 + twoAt(b, start + 2), twoAt(b, start + 5), twoAt(b, start + 8), twoAt(b, start + 11), twoAt(b, start + 14), twoAt(b, start + 17), ms);
    if (v !== undefined) return v;
  }
  return dateTimeTextMs(String.fromCharCode(...b.subarray(start, end)));
}

/** Days since the epoch of a DATE text (`YYYY-MM-DD`), as mysql2's `parseDate` with `timezone: 'Z'` computes it. */
function dateTextDays(s: string): number | null {
  if (s.length !== 10) return null;
  const mo = two(s, 5);
  const d = two(s, 8);
  // A zero date (or a zero month or day) is null, as in DATETIME and in the binlog; mysql2's Date.UTC made it a day
  // of 1899 here.
  if (mo === 0 || d === 0) return null;
  const y = two(s, 0) * 100 + two(s, 2);
  if (y >= 100 && mo <= 12 && d <= 31) return daysFromCivil(y, mo, d);
  const t = Date.UTC(y, mo - 1, d);
  return Number.isNaN(t) ? null : Math.floor(t / MS_PER_DAY);
}

function timeOfDayMs(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(v);
  if (m === null) throw new Error(`mysql-cdc: cannot read TIME value '${v}'`);
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000 + (m[5] === undefined ? 0 : Math.floor(Number(`0.${m[5]}`) * 1000 + 1e-9));
  return m[1] === '-' ? -ms : ms;
}

/** Whether an integer column is unsigned. @internal */
export function isUnsigned(c: CdcColumn): boolean {
  return /\bunsigned\b/i.test(c.columnType);
}

/** Whether a column is TINYINT(1), read as BOOLEAN. @internal */
export function isBooleanTinyint(c: CdcColumn): boolean {
  return /^tinyint\(1\)/i.test(c.columnType);
}

/** Whether the column's values are integers carried exactly as bigints (chunk keys must be). @internal */
export function isIntegerColumn(c: CdcColumn): boolean {
  return ['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint'].includes(c.dataType);
}

const TEXT_TYPES: ReadonlySet<string> = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json']);

/** Whether values of a MySQL data type are text (a string from the driver). @internal */
export function isTextType(dataType: string): boolean {
  return TEXT_TYPES.has(dataType);
}

/**
 * The converter of a column; throws for unsupported types.
 *
 * @internal
 */
export function converterFor(c: CdcColumn, where: string): ValueConverter {
  if (isTextType(c.dataType)) return (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
  switch (c.dataType) {
    case 'tinyint':
      if (isBooleanTinyint(c)) return (v) => (v === null || v === undefined ? null : Number(v) !== 0);
      return (v) => (v === null || v === undefined ? null : Number(v));
    case 'smallint':
    case 'mediumint':
      return (v) => (v === null || v === undefined ? null : Number(v));
    case 'int':
    case 'integer':
      if (isUnsigned(c)) return (v) => (v === null || v === undefined ? null : BigInt(v as string | number));
      return (v) => (v === null || v === undefined ? null : Number(v));
    case 'bigint':
      return (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v : BigInt(v as string | number));
    case 'decimal':
    case 'numeric': {
      const scale = c.scale ?? 0;
      if (c.precision !== undefined && c.precision <= 15) return (v) => (v === null || v === undefined ? null : typeof v === 'string' ? smallUnscaledDecimal(v, scale) : unscaledDecimal(String(v), scale));
      return (v) => (v === null || v === undefined ? null : unscaledDecimal(String(v), scale));
    }
    case 'float':
      return (v) => (v === null || v === undefined ? null : Math.fround(Number(v)));
    case 'double':
    case 'real':
      return (v) => (v === null || v === undefined ? null : Number(v));
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return (v) => (v === null || v === undefined ? null : v instanceof Uint8Array ? v : Buffer.from(String(v), 'binary'));
    case 'date':
      return (v) => {
        if (typeof v === 'string') return dateTextDays(v);
        const d = toDate(v);
        return d === null ? null : Math.floor(d.getTime() / MS_PER_DAY);
      };
    case 'datetime':
    case 'timestamp':
      return (v) => {
        if (typeof v === 'string') return dateTimeTextMs(v);
        const d = toDate(v);
        return d === null ? null : d.getTime();
      };
    case 'time':
      return (v) => (v === null || v === undefined ? null : timeOfDayMs(v));
    case 'year':
      // zongji decodes the YEAR byte 0 (the zero year, 0000) as 1900, a year the type cannot hold: it is 0, as read by
      // the snapshot.
      return (v) => {
        if (v === null || v === undefined) return null;
        const y = Number(v);
        return y === 1900 ? 0 : y;
      };
    default:
      throw new Error(`mysql-cdc: ${where}: column '${c.name}' has type ${c.columnType}, which the mysql-cdc source does not support`);
  }
}

/**
 * The Runnel logical type of a column (Flink CDC's mapping: TINYINT(1) BOOLEAN, INT UNSIGNED BIGINT, BIGINT UNSIGNED
 * DECIMAL(20, 0), DATETIME TIMESTAMP, TIMESTAMP TIMESTAMP_LTZ, text types STRING, binary types BYTES).
 *
 * @public
 */
export function cdcLogicalType(c: CdcColumn): LogicalType {
  const nullable = c.nullable;
  const unsigned = isUnsigned(c);
  switch (c.dataType) {
    case 'tinyint':
      if (isBooleanTinyint(c)) return { root: 'BOOLEAN', nullable };
      return { root: unsigned ? 'SMALLINT' : 'TINYINT', nullable };
    case 'smallint':
      return { root: unsigned ? 'INTEGER' : 'SMALLINT', nullable };
    case 'mediumint':
      return { root: 'INTEGER', nullable };
    case 'int':
    case 'integer':
      return { root: unsigned ? 'BIGINT' : 'INTEGER', nullable };
    case 'bigint':
      return unsigned ? { root: 'DECIMAL', nullable, precision: 20, scale: 0 } : { root: 'BIGINT', nullable };
    case 'decimal':
    case 'numeric':
      return { root: 'DECIMAL', nullable, precision: c.precision ?? 10, scale: c.scale ?? 0 };
    case 'float':
      return { root: 'FLOAT', nullable };
    case 'double':
    case 'real':
      return { root: 'DOUBLE', nullable };
    case 'date':
      return { root: 'DATE', nullable };
    case 'datetime':
      return { root: 'TIMESTAMP', nullable, precision: c.precision ?? 0 };
    case 'timestamp':
      return { root: 'TIMESTAMP_LTZ', nullable, precision: c.precision ?? 0 };
    case 'time':
      return { root: 'TIME', nullable, precision: c.precision ?? 0 };
    case 'year':
      return { root: 'INTEGER', nullable };
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { root: 'VARBINARY', nullable, precision: 2147483647 };
    default:
      return { root: 'VARCHAR', nullable, precision: 2147483647 };
  }
}
