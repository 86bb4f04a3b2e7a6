// MySQL column types and values <-> Runnel logical types and values, shared by the jdbc connector (scan, lookup,
// sink) and the mysql-cdc source. Everything exact: BIGINT, BIGINT UNSIGNED and DECIMAL arrive as strings from the
// driver (mysql2 with `MYSQL_DRIVER_TYPE_OPTIONS`, zongji with `dateStrings`) and are parsed into bigints digit by
// digit, never through a JavaScript number; DECIMAL is carried as its unscaled bigint (logical-type.ts).
//
// Time: connections run with the session `time_zone` = '+00:00' (`MYSQL_SESSION_TIME_ZONE`), so a MySQL TIMESTAMP
// (an instant) is always read and written as a UTC text, whatever the server's zone. A DATETIME is a local date-time
// without a zone: it is read as-is into a Runnel TIMESTAMP. The `timeZone` of the conversions (Flink CDC's
// `server-time-zone`; default UTC) is only needed where the two worlds cross: a DATETIME read into a TIMESTAMP_LTZ
// (the local date-time is taken in that zone) and a MySQL TIMESTAMP read into a Runnel TIMESTAMP (the instant is
// shown in that zone); writing does the reverse. Named zones are resolved with Intl, on the client: the server's
// time-zone tables (often not loaded) are not needed.
//
// Conversions are compiled once per column (`mysqlValueReader`, `mysqlValueWriter`) so that the per-row cost is one
// closure call; they throw `MySqlValueError` naming the column and the value.
import { MAX_LENGTH, type LogicalType } from '@runnel/api';

/**
 * A MySQL column type, parsed from `information_schema.COLUMNS.COLUMN_TYPE` (`bigint(20) unsigned`, `decimal(10,2)`,
 * `datetime(3)`, `enum('a','b')`).
 *
 * @public
 */
export interface MySqlColumnType {
  /** The base type, lower case: `bigint`, `decimal`, `varchar`, `datetime`, `tinyint`, `json`, ... */
  readonly dataType: string;
  readonly unsigned: boolean;
  /** Display width or length (`varchar(255)`: 255; `tinyint(1)`: 1; `bit(8)`: 8), when written. */
  readonly length?: number;
  /** DECIMAL precision. */
  readonly precision?: number;
  /** DECIMAL scale, or the fractional-second digits of TIME/DATETIME/TIMESTAMP. */
  readonly scale?: number;
  /** The type as written. */
  readonly columnType: string;
}

/**
 * Options of the value conversions.
 *
 * @public
 */
export interface MySqlValueOptions {
  /**
   * The zone of local date-times where they meet instants (see the module comment): `UTC`, an offset (`+08:00`) or
   * an IANA name (`Asia/Shanghai`). Default `UTC`.
   */
  readonly timeZone?: string;
}

/**
 * The mysql2 connection options the readers expect: BIGINT and DECIMAL as strings, dates as strings, no implicit
 * zone conversion by the driver.
 *
 * @public
 */
export const MYSQL_DRIVER_TYPE_OPTIONS = {
  supportBigNumbers: true,
  bigNumberStrings: true,
  decimalNumbers: false,
  dateStrings: true,
  timezone: 'Z',
} as const;

/**
 * The session time zone the connections set (`SET time_zone = '+00:00'`): TIMESTAMP values travel as UTC text.
 *
 * @public
 */
export const MYSQL_SESSION_TIME_ZONE = '+00:00';

/**
 * A value that cannot be converted: the message names the column, the value and the types.
 *
 * @public
 */
export class MySqlValueError extends Error {
  override readonly name = 'MySqlValueError';
}

const TYPE_RE = /^\s*([a-z ]+?)\s*(?:\((.*)\))?\s*((?:unsigned|signed|zerofill|\s)*)$/i;

/**
 * Parses a `COLUMN_TYPE` text.
 *
 * @public
 */
export function parseMySqlColumnType(columnType: string): MySqlColumnType {
  const m = TYPE_RE.exec(columnType.replace(/\s+(character set|charset|collate)\s.*$/i, ''));
  if (m === null) return { dataType: columnType.trim().toLowerCase(), unsigned: false, columnType };
  const dataType = m[1]!.trim().toLowerCase().replace(/\s+/g, ' ');
  const args = m[2];
  const unsigned = /unsigned/i.test(m[3] ?? '');
  if (args === undefined || dataType === 'enum' || dataType === 'set') return { dataType, unsigned, columnType };
  const nums = args.split(',').map((s) => Number(s.trim()));
  if (nums.some((n) => !Number.isInteger(n))) return { dataType, unsigned, columnType };
  if (dataType === 'decimal' || dataType === 'numeric' || dataType === 'dec' || dataType === 'fixed') {
    return { dataType: 'decimal', unsigned, precision: nums[0], scale: nums[1] ?? 0, columnType };
  }
  if (dataType === 'datetime' || dataType === 'timestamp' || dataType === 'time') {
    return { dataType, unsigned, scale: nums[0], columnType };
  }
  if ((dataType === 'double' || dataType === 'float' || dataType === 'real') && nums.length === 2) {
    return { dataType, unsigned, precision: nums[0], scale: nums[1], columnType };
  }
  return { dataType, unsigned, length: nums[0], columnType };
}

const t = (root: LogicalType['root'], nullable: boolean, extra: Partial<LogicalType> = {}): LogicalType => ({ root, nullable, ...extra });

/**
 * The default Runnel type of a MySQL column (Flink CDC's mapping): TINYINT(1) and BIT(1) are BOOLEAN; unsigned
 * integers widen (INT UNSIGNED is BIGINT, BIGINT UNSIGNED is DECIMAL(20, 0)); DATETIME is TIMESTAMP, TIMESTAMP is
 * TIMESTAMP_LTZ; text, JSON, ENUM and SET are STRING; blobs and BIT(n) are BYTES; YEAR is INTEGER; DECIMAL above 38
 * digits is STRING.
 *
 * @public
 */
export function mysqlToLogicalType(type: MySqlColumnType, nullable: boolean): LogicalType {
  const u = type.unsigned;
  switch (type.dataType) {
    case 'bool':
    case 'boolean':
      return t('BOOLEAN', nullable);
    case 'tinyint':
      if (type.length === 1 && !u) return t('BOOLEAN', nullable);
      return t(u ? 'SMALLINT' : 'TINYINT', nullable);
    case 'smallint':
      return t(u ? 'INTEGER' : 'SMALLINT', nullable);
    case 'mediumint':
    case 'int':
    case 'integer':
      return t(u && type.dataType !== 'mediumint' ? 'BIGINT' : 'INTEGER', nullable);
    case 'bigint':
      return u ? t('DECIMAL', nullable, { precision: 20, scale: 0 }) : t('BIGINT', nullable);
    case 'serial':
      return t('DECIMAL', nullable, { precision: 20, scale: 0 });
    case 'float':
      return t('FLOAT', nullable);
    case 'double':
    case 'double precision':
    case 'real':
      return t('DOUBLE', nullable);
    case 'decimal': {
      const p = type.precision ?? 10;
      if (p > 38) return t('VARCHAR', nullable, { precision: MAX_LENGTH });
      return t('DECIMAL', nullable, { precision: p, scale: type.scale ?? 0 });
    }
    case 'bit':
      return (type.length ?? 1) === 1 ? t('BOOLEAN', nullable) : t('VARBINARY', nullable, { precision: MAX_LENGTH });
    case 'date':
      return t('DATE', nullable);
    case 'time':
      return t('TIME', nullable, { precision: type.scale ?? 0 });
    case 'datetime':
      return t('TIMESTAMP', nullable, { precision: type.scale ?? 0 });
    case 'timestamp':
      return t('TIMESTAMP_LTZ', nullable, { precision: type.scale ?? 0 });
    case 'year':
      return t('INTEGER', nullable);
    case 'char':
      return t('CHAR', nullable, { precision: type.length ?? 1 });
    case 'varchar':
      return t('VARCHAR', nullable, { precision: type.length ?? MAX_LENGTH });
    case 'binary':
      return t('BINARY', nullable, { precision: type.length ?? 1 });
    case 'varbinary':
      return t('VARBINARY', nullable, { precision: type.length ?? MAX_LENGTH });
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
    case 'geometry':
    case 'point':
    case 'linestring':
    case 'polygon':
      return t('VARBINARY', nullable, { precision: MAX_LENGTH });
    default:
      // tinytext, text, mediumtext, longtext, json, enum, set, uuid, inet4/6, ...
      return t('VARCHAR', nullable, { precision: MAX_LENGTH });
  }
}

/**
 * A MySQL column type for a Runnel type, for `CREATE TABLE` (tests, benchmarks, tools): BIGINT, DECIMAL(p, s),
 * DATETIME(p) for TIMESTAMP, TIMESTAMP(p) for TIMESTAMP_LTZ, LONGTEXT for STRING, LONGBLOB for BYTES, JSON for
 * ARRAY/MAP/ROW.
 *
 * @public
 */
export function logicalTypeToMySql(type: LogicalType): string {
  const fsp = (p: number | undefined): number => Math.min(6, p ?? 0);
  switch (type.root) {
    case 'BOOLEAN':
      return 'BOOLEAN';
    case 'TINYINT':
      return 'TINYINT';
    case 'SMALLINT':
      return 'SMALLINT';
    case 'INTEGER':
      return 'INT';
    case 'BIGINT':
      return 'BIGINT';
    case 'FLOAT':
      return 'FLOAT';
    case 'DOUBLE':
      return 'DOUBLE';
    case 'DECIMAL':
      return `DECIMAL(${type.precision ?? 10},${type.scale ?? 0})`;
    case 'CHAR':
      return `CHAR(${type.precision ?? 1})`;
    case 'VARCHAR':
      return type.precision === undefined || type.precision > 16383 ? 'LONGTEXT' : `VARCHAR(${type.precision})`;
    case 'BINARY':
      return `BINARY(${type.precision ?? 1})`;
    case 'VARBINARY':
      return type.precision === undefined || type.precision > 65535 ? 'LONGBLOB' : `VARBINARY(${type.precision})`;
    case 'DATE':
      return 'DATE';
    case 'TIME':
      return `TIME(${fsp(type.precision)})`;
    case 'TIMESTAMP':
      return `DATETIME(${fsp(type.precision ?? 6)})`;
    case 'TIMESTAMP_LTZ':
      return `TIMESTAMP(${fsp(type.precision ?? 6)})`;
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return 'BIGINT';
    default:
      return 'JSON';
  }
}

// ---- exact numbers ----

/**
 * Parses an integer text (or a driver number that is a safe integer, or a bigint) into a bigint, exactly.
 *
 * @throws MySqlValueError for anything else (an unsafe number is refused: it may already have been rounded)
 * @public
 */
export function parseExactInteger(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return BigInt(value);
    throw new MySqlValueError(`${value} is not an exact integer (the driver must return big numbers as strings)`);
  }
  const s = typeof value === 'string' ? value.trim() : Buffer.isBuffer(value) ? value.toString('latin1') : undefined;
  if (s === undefined || !/^[+-]?\d+$/.test(s)) throw new MySqlValueError(`${describe(value)} is not an integer`);
  return BigInt(s);
}

/**
 * Parses a decimal text (`-123.45`, `1e3` refused) into its unscaled bigint at `scale`, exactly; digits beyond the
 * scale round half up (as MySQL does when it stores into a smaller scale).
 *
 * @public
 */
export function parseDecimal(value: unknown, scale: number): bigint {
  let s: string;
  if (typeof value === 'string') s = value.trim();
  else if (typeof value === 'bigint') return value * 10n ** BigInt(scale);
  else if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value) * 10n ** BigInt(scale);
  else if (Buffer.isBuffer(value)) s = value.toString('latin1');
  else throw new MySqlValueError(`${describe(value)} is not a decimal text (the driver must return DECIMAL as strings)`);
  const fast = fastDecimal(s, scale);
  if (fast !== undefined) return fast;
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) throw new MySqlValueError(`'${s}' is not a decimal`);
  const neg = m[1] === '-';
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  let unscaled: bigint;
  if (frac.length <= scale) {
    unscaled = BigInt((int || '0') + frac.padEnd(scale, '0'));
  } else {
    unscaled = BigInt((int || '0') + frac.slice(0, scale));
    if (frac.charCodeAt(scale) >= 53 /* '5' */) unscaled += 1n;
  }
  return neg ? -unscaled : unscaled;
}

/** `-123.45` at a scale at least its fraction's, checked by a loop instead of a regular expression (the hot path). */
function fastDecimal(s: string, scale: number): bigint | undefined {
  const n = s.length;
  if (n === 0 || n > 80) return undefined;
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i === n) return undefined;
  let dot = -1;
  for (let k = i; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c === 46 && dot < 0) dot = k;
    else if (c < 48 || c > 57) return undefined;
  }
  if (dot < 0) return BigInt(scale === 0 ? s : s + '0'.repeat(scale));
  const frac = n - dot - 1;
  if (frac > scale || dot === i) return undefined;
  return BigInt(s.slice(0, dot) + s.slice(dot + 1) + '0'.repeat(scale - frac));
}

/**
 * The text of an unscaled decimal at `scale` (`12345n`, 2 → `123.45`).
 *
 * @public
 */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  let digits = (neg ? -unscaled : unscaled).toString();
  if (scale > 0) {
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  }
  return neg ? `-${digits}` : digits;
}

// ---- dates and times ----

const DAY_MS = 86_400_000;
const DATE_RE = /^(-?\d{1,6})-(\d{1,2})-(\d{1,2})$/;
const DATETIME_RE = /^(\d{1,4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const TIME_RE = /^(-?)(\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,9}))?)?$/;

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Milliseconds of a fraction text (`123456` → 123; digits beyond milliseconds are dropped, see logical-type.ts). */
function fractionMs(frac: string | undefined): number {
  return frac === undefined || frac === '' ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
}

/** Two or four ASCII digits at `i` as a number, or NaN. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return Number.NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil), exact for every year. */
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The canonical `YYYY-MM-DD HH:MM:SS[.f...]` text the driver returns, without a regular expression (the scan's hot
 * path); undefined for anything else (the general parser takes it).
 */
function fastDateTime(s: string): number | null | undefined {
  const n = s.length;
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 32 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const se = digits(s, 17, 2);
  let ms = 0;
  if (n > 19) {
    if (s.charCodeAt(19) !== 46 || n > 29) return undefined;
    const f = s.slice(20, 23).padEnd(3, '0');
    ms = digits(f, 0, 3);
    if (n > 23 && Number.isNaN(digits(s, 23, n - 23))) return undefined;
  }
  if (Number.isNaN(y + mo + d + h + mi + se + ms)) return undefined;
  if (mo === 0 || d === 0) return null;
  if (mo > 12 || d > 31 || h > 23 || mi > 59 || se > 59) return undefined;
  return daysFromCivil(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + se) * 1000 + ms;
}

/**
 * Milliseconds of a `YYYY-MM-DD[ HH:MM[:SS[.fff]]]` text read as UTC (a local date-time's Runnel value), or null for
 * MySQL's zero date (`0000-00-00 ...`) and zero-month/day dates.
 *
 * @public
 */
export function parseMySqlDateTime(text: string): number | null {
  const fast = fastDateTime(text);
  if (fast !== undefined) return fast;
  const m = DATETIME_RE.exec(text.trim());
  if (m === null) throw new MySqlValueError(`'${text}' is not a date-time`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo === 0 || d === 0) return null;
  if (mo > 12 || d > 31 || Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) throw new MySqlValueError(`'${text}' is not a valid date-time`);
  const ms = Date.UTC(y, mo - 1, d, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), fractionMs(m[7]));
  // Date.UTC maps years 0-99 to 1900-1999.
  const fixed = y < 100 ? new Date(ms).setUTCFullYear(y) : ms;
  if (m[8] === undefined || m[8] === 'Z') return fixed;
  const sign = m[8].startsWith('-') ? -1 : 1;
  const digits = m[8].slice(1).replace(':', '');
  return fixed - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
}

/**
 * The `YYYY-MM-DD HH:MM:SS.fff` text of a millisecond value read as UTC (a local date-time, or an instant in UTC).
 *
 * @public
 */
export function formatMySqlDateTime(ms: number): string {
  if (!Number.isFinite(ms)) throw new MySqlValueError(`${ms} is not a timestamp`);
  if (ms >= 0 && ms < 253402300800000) {
    // The common case without a Date: civil date from days (H. Hinnant's civil_from_days), then the time of day.
    const days = Math.floor(ms / DAY_MS);
    let rest = ms - days * DAY_MS;
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * doy + 2) / 153);
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
    const month = mp < 10 ? mp + 3 : mp - 9;
    const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    const msPart = rest % 1000;
    rest = (rest - msPart) / 1000;
    const sec = rest % 60;
    rest = (rest - sec) / 60;
    const min = rest % 60;
    const hour = (rest - min) / 60;
    return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day} ${hour < 10 ? '0' : ''}${hour}:${min < 10 ? '0' : ''}${min}:${sec < 10 ? '0' : ''}${sec}.${msPart < 10 ? '00' : msPart < 100 ? '0' : ''}${msPart}`;
  }
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) throw new MySqlValueError(`${ms} is not a timestamp`);
  const y = d.getUTCFullYear();
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

function parseDateDays(text: string): number | null {
  const m = DATE_RE.exec(text.trim());
  if (m === null) {
    const dt = parseMySqlDateTime(text);
    return dt === null ? null : Math.floor(dt / DAY_MS);
  }
  if (Number(m[2]) === 0 || Number(m[3]) === 0) return null;
  const ms = new Date(Date.UTC(2000, Number(m[2]) - 1, Number(m[3]))).setUTCFullYear(Number(m[1]));
  return Math.floor(ms / DAY_MS);
}

function formatDate(days: number): string {
  const d = new Date(days * DAY_MS);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

function parseTimeMs(text: string): number {
  const m = TIME_RE.exec(text.trim());
  if (m === null) throw new MySqlValueError(`'${text}' is not a time`);
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4] ?? 0)) * 1000 + fractionMs(m[5]);
  if (m[1] === '-' || ms >= DAY_MS) {
    throw new MySqlValueError(`TIME '${text}' is outside a day (a Runnel TIME holds 00:00:00 to 23:59:59.999)`);
  }
  return ms;
}

function formatTime(ms: number): string {
  const h = Math.floor(ms / 3_600_000);
  const mi = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms % 1000, 3)}`;
}

// ---- time zones ----

/** A zone's offset from UTC in milliseconds at an instant. */
type OffsetFn = (instantMs: number) => number;

const zoneCache = new Map<string, OffsetFn>();

/**
 * The offset function of a zone: `UTC`/`Z`/`GMT`, `+HH:MM`/`-HHMM`/`UTC+8`, or an IANA name.
 *
 * @throws MySqlValueError for an unknown zone
 * @public
 */
export function zoneOffsetMs(zone: string): (instantMs: number) => number {
  const cached = zoneCache.get(zone);
  if (cached !== undefined) return cached;
  let fn: OffsetFn;
  const z = zone.trim();
  const fixed = /^(?:UTC|GMT|Z)?\s*([+-])(\d{1,2}):?(\d{2})?$/i.exec(z);
  if (/^(UTC|GMT|Z|Etc\/UTC|\+00:00)$/i.test(z)) {
    fn = () => 0;
  } else if (fixed !== null) {
    const off = (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000;
    fn = () => off;
  } else {
    let format: Intl.DateTimeFormat;
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: z,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new MySqlValueError(`unknown time zone '${zone}' (use UTC, an offset such as +08:00, or an IANA name such as Asia/Shanghai)`);
    }
    fn = (instant) => {
      const parts: Record<string, number> = {};
      for (const p of format.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
      const wall = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
      return wall - (instant - (((instant % 1000) + 1000) % 1000));
    };
  }
  zoneCache.set(zone, fn);
  return fn;
}

/** The instant of a local date-time (ms read as UTC) in a zone (the earlier one in an overlap). */
function localToInstant(localMs: number, offset: OffsetFn): number {
  const first = localMs - offset(localMs);
  return localMs - offset(first);
}

// ---- values ----

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}...` : value}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function asText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8');
  if (typeof v === 'object') return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  return String(v);
}

function asNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (Buffer.isBuffer(v)) return bitsToNumber(v);
  const n = Number(asText(v));
  if (Number.isNaN(n)) throw new MySqlValueError(`${describe(v)} is not a number`);
  return n;
}

function bitsToNumber(b: Uint8Array): number {
  let n = 0;
  for (const x of b) n = n * 256 + x;
  return n;
}

function checkedInt(min: number, max: number): (v: unknown) => number {
  return (v) => {
    const n = typeof v === 'number' ? v : Number(parseExactInteger(typeof v === 'boolean' ? Number(v) : Buffer.isBuffer(v) ? bitsToNumber(v) : v));
    if (!Number.isInteger(n) || n < min || n > max) throw new MySqlValueError(`${describe(v)} is outside the type's range ${min}..${max}`);
    return n;
  };
}

/** A converter of one column's driver values, null passing through. */
type Converter = (value: unknown) => unknown;

function nullSafe(column: string, target: LogicalType, convert: Converter): Converter {
  return (v) => {
    if (v === null || v === undefined) {
      if (!target.nullable) throw new MySqlValueError(`column '${column}': NULL in a NOT NULL ${target.root} column`);
      return null;
    }
    try {
      const out = convert(v);
      if (out === null && !target.nullable) throw new MySqlValueError(`${describe(v)} has no ${target.root} value (a zero date?)`);
      return out;
    } catch (e) {
      if (e instanceof MySqlValueError && e.message.startsWith('column ')) throw e;
      throw new MySqlValueError(`column '${column}': cannot read ${describe(v)} as ${target.root}: ${(e as Error).message}`, { cause: e });
    }
  };
}

/**
 * A reader of one column: turns what the driver returns (with `MYSQL_DRIVER_TYPE_OPTIONS`, or zongji with
 * `dateStrings`) into the Runnel value of `target`. `source` (the MySQL column type, when known) tells a TIMESTAMP
 * column (UTC text: an instant) from a DATETIME (a local date-time) and TINYINT(1)/BIT from other numbers.
 *
 * @throws MySqlValueError (when called) naming the column, for values that do not fit the type
 * @public
 */
export function mysqlValueReader(column: string, target: LogicalType, source?: MySqlColumnType, options: MySqlValueOptions = {}): (value: unknown) => unknown {
  const offset = zoneOffsetMs(options.timeZone ?? 'UTC');
  const sourceIsInstant = source?.dataType === 'timestamp';
  let convert: Converter;
  switch (target.root) {
    case 'BOOLEAN':
      convert = (v) => (typeof v === 'boolean' ? v : asNumber(v) !== 0);
      break;
    case 'TINYINT':
      convert = checkedInt(-128, 127);
      break;
    case 'SMALLINT':
      convert = checkedInt(-32768, 32767);
      break;
    case 'INTEGER':
      convert = checkedInt(-2147483648, 2147483647);
      break;
    case 'BIGINT': {
      convert = (v) => {
        const b = parseExactInteger(Buffer.isBuffer(v) ? bitsToNumber(v) : v);
        if (b < -(2n ** 63n) || b >= 2n ** 63n) throw new MySqlValueError(`${describe(v)} is outside BIGINT (use DECIMAL(20, 0) for BIGINT UNSIGNED)`);
        return b;
      };
      break;
    }
    case 'DECIMAL': {
      const scale = target.scale ?? 0;
      const limit = 10n ** BigInt(target.precision ?? 10);
      convert = (v) => {
        const u = parseDecimal(v, scale);
        if (u >= limit || u <= -limit) throw new MySqlValueError(`${describe(v)} does not fit DECIMAL(${target.precision ?? 10}, ${scale})`);
        return u;
      };
      break;
    }
    case 'FLOAT':
    case 'DOUBLE':
      convert = asNumber;
      break;
    case 'CHAR':
    case 'VARCHAR':
      convert = asText;
      break;
    case 'BINARY':
    case 'VARBINARY':
      convert = (v) => (v instanceof Uint8Array ? v : Buffer.from(asText(v), 'utf8'));
      break;
    case 'DATE':
      convert = (v) => (v instanceof Date ? Math.floor(v.getTime() / DAY_MS) : parseDateDays(asText(v)));
      break;
    case 'TIME':
      convert = (v) => parseTimeMs(asText(v));
      break;
    case 'TIMESTAMP':
      // A local date-time: DATETIME as written; a TIMESTAMP's instant shown in the zone.
      convert = sourceIsInstant
        ? (v) => {
            const instant = v instanceof Date ? v.getTime() : parseMySqlDateTime(asText(v));
            return instant === null ? null : instant + offset(instant);
          }
        : (v) => (v instanceof Date ? v.getTime() : parseMySqlDateTime(asText(v)));
      break;
    case 'TIMESTAMP_LTZ':
      // An instant: a TIMESTAMP's UTC text; a DATETIME taken in the zone.
      convert =
        sourceIsInstant || source === undefined
          ? (v) => (v instanceof Date ? v.getTime() : parseMySqlDateTime(asText(v)))
          : (v) => {
              if (v instanceof Date) return v.getTime();
              const local = parseMySqlDateTime(asText(v));
              return local === null ? null : localToInstant(local, offset);
            };
      break;
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      convert = (v) => Number(parseExactInteger(v));
      break;
    default:
      // ARRAY, MAP, ROW, MULTISET: from JSON text.
      convert = (v) => (typeof v === 'string' || Buffer.isBuffer(v) ? JSON.parse(asText(v)) : v);
  }
  return nullSafe(column, target, convert);
}

/**
 * What the writers hand to the driver: texts for exact and temporal values, so that nothing is converted on the way.
 *
 * @public
 */
export type MySqlBindValue = string | number | Buffer | null;

/**
 * A writer of one column: turns a Runnel value of `source` into a value to bind for the MySQL column `target` (when
 * known): BIGINT and DECIMAL as exact texts, dates and times as texts in MySQL's syntax (a TIMESTAMP column gets UTC,
 * the session's zone; a DATETIME the local date-time), BYTES as a Buffer, ARRAY/MAP/ROW as JSON text.
 *
 * @public
 */
export function mysqlValueWriter(column: string, source: LogicalType, target?: MySqlColumnType, options: MySqlValueOptions = {}): (value: unknown) => MySqlBindValue {
  const offset = zoneOffsetMs(options.timeZone ?? 'UTC');
  const targetIsInstant = target?.dataType === 'timestamp';
  let convert: (v: unknown) => MySqlBindValue;
  switch (source.root) {
    case 'BOOLEAN':
      convert = (v) => (v ? 1 : 0);
      break;
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      convert = (v) => {
        if (typeof v !== 'number' || !Number.isInteger(v)) throw new MySqlValueError(`${describe(v)} is not an integer`);
        return v;
      };
      break;
    case 'BIGINT':
      convert = (v) => {
        if (typeof v === 'bigint') return v.toString();
        if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
        throw new MySqlValueError(`${describe(v)} is not a BIGINT value (a bigint)`);
      };
      break;
    case 'DECIMAL': {
      const scale = source.scale ?? 0;
      convert = (v) => {
        if (typeof v !== 'bigint') throw new MySqlValueError(`${describe(v)} is not a DECIMAL value (an unscaled bigint)`);
        return formatDecimal(v, scale);
      };
      break;
    }
    case 'FLOAT':
    case 'DOUBLE':
      convert = (v) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new MySqlValueError(`${describe(v)} cannot be stored (MySQL has no NaN or infinity)`);
        return v;
      };
      break;
    case 'CHAR':
    case 'VARCHAR':
      convert = (v) => (typeof v === 'string' ? v : asText(v));
      break;
    case 'BINARY':
    case 'VARBINARY':
      convert = (v) => {
        if (Buffer.isBuffer(v)) return v;
        if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
        if (typeof v === 'string') return Buffer.from(v, 'utf8');
        throw new MySqlValueError(`${describe(v)} is not a BYTES value (a Uint8Array)`);
      };
      break;
    case 'DATE':
      convert = (v) => formatDate(Number(v));
      break;
    case 'TIME':
      convert = (v) => formatTime(Number(v));
      break;
    case 'TIMESTAMP':
      convert = targetIsInstant
        ? (v) => formatMySqlDateTime(localToInstant(Number(v), offset))
        : (v) => formatMySqlDateTime(Number(v));
      break;
    case 'TIMESTAMP_LTZ':
      convert =
        targetIsInstant || target === undefined
          ? (v) => formatMySqlDateTime(Number(v))
          : (v) => {
              const instant = Number(v);
              return formatMySqlDateTime(instant + offset(instant));
            };
      break;
    default:
      convert = (v) => asText(v);
  }
  return (v) => {
    if (v === null || v === undefined) return null;
    try {
      return convert(v);
    } catch (e) {
      throw new MySqlValueError(`column '${column}': cannot write ${describe(v)} as ${source.root}: ${(e as Error).message}`, { cause: e });
    }
  };
}
