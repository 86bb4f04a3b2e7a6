// Encodes one value for one ClickHouse column as a JSONEachRow field, checked against the real column type: the
// server would otherwise clamp, wrap, round or insert a default (a NULL into a non-Nullable column becomes 0 or '',
// an Int8 overflow wraps), so every such value is refused here with what was wrong. Values are JavaScript values as
// the DataStream API hands them (see the README's "Values" table): integers as number, bigint or digits; decimals as
// decimal text, bigint, a safe integer or an exact `{ unscaled, scale }`; date-times as epoch milliseconds (an
// instant), a `Date`, or local text `YYYY-MM-DD hh:mm:ss[.fff]` read in the column's time zone; Date as
// `YYYY-MM-DD`, a `Date` or days since 1970-01-01. Decimals are written as exact decimal text (never through a
// binary float).
import type { ClickHouseType } from './clickhouse-type.js';
import { knownTimeZone, localToInstant, offsetMs } from './time-zone.js';

/**
 * An exact decimal: `unscaled / 10^scale` (SQL's DECIMAL value with the scale of its type).
 *
 * @public
 */
export interface ExactDecimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

/**
 * Encodes a value as a JSON field for its column; throws an `Error` whose message says what is wrong with the value.
 *
 * @public
 */
export type ColumnEncoder = (value: unknown) => string;

const INT_RANGES: Record<string, readonly [bigint, bigint]> = {
  Int8: [-128n, 127n],
  Int16: [-32768n, 32767n],
  Int32: [-2147483648n, 2147483647n],
  Int64: [-(2n ** 63n), 2n ** 63n - 1n],
  Int128: [-(2n ** 127n), 2n ** 127n - 1n],
  Int256: [-(2n ** 255n), 2n ** 255n - 1n],
  UInt8: [0n, 255n],
  UInt16: [0n, 65535n],
  UInt32: [0n, 4294967295n],
  UInt64: [0n, 2n ** 64n - 1n],
  UInt128: [0n, 2n ** 128n - 1n],
  UInt256: [0n, 2n ** 256n - 1n],
};

const show = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}...` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v instanceof Date) return `Date(${Number.isNaN(v.getTime()) ? 'Invalid' : v.toISOString()})`;
  if (v instanceof Map) return `Map(${v.size})`;
  if (Array.isArray(v)) return `[${v.length} elements]`;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  return String(v);
};

function toBigInt(v: unknown, type: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`${show(v)} is not an integer (${type})`);
    return BigInt(v);
  }
  if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim())) return BigInt(v.trim());
  if (typeof v === 'boolean') return v ? 1n : 0n;
  throw new Error(`${show(v)} is not a number (${type})`);
}

function intEncoder(type: ClickHouseType): ColumnEncoder {
  const [lo, hi] = INT_RANGES[type.name]!;
  // The range as numbers, clamped to the safe integers: a number in it needs no bigint (the common case).
  const loN = Math.max(Number(lo), Number.MIN_SAFE_INTEGER);
  const hiN = Math.min(Number(hi), Number.MAX_SAFE_INTEGER);
  return (v) => {
    if (typeof v === 'number' && Number.isInteger(v) && v >= loN && v <= hiN) return String(v);
    const n = toBigInt(v, type.text);
    if (n < lo || n > hi) throw new Error(`${show(v)} is out of the range of ${type.text} (${lo} to ${hi})`);
    return n.toString();
  };
}

function floatEncoder(type: ClickHouseType): ColumnEncoder {
  return (v) => {
    let n: number;
    if (typeof v === 'number') n = v;
    else if (typeof v === 'bigint') n = Number(v);
    else if (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) n = Number(v);
    else throw new Error(`${show(v)} is not a number (${type.text})`);
    if (Number.isNaN(n)) return '"nan"';
    if (!Number.isFinite(n)) return n > 0 ? '"inf"' : '"-inf"';
    if (type.name === 'Float32' && Math.abs(n) > 3.4028234663852886e38) throw new Error(`${show(v)} is out of the range of Float32`);
    return String(n);
  };
}

/** `unscaled / 10^scale` as exact decimal text. */
function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const neg = unscaled < 0n;
  const digits = (neg ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

function decimalEncoder(type: ClickHouseType): ColumnEncoder {
  const p = type.precision!;
  const s = type.scale!;
  const maxInt = p - s;
  return (v) => {
    let text: string;
    if (typeof v === 'bigint') text = v.toString();
    else if (typeof v === 'number') {
      // A float such as 0.1 has no exact decimal; integers up to 2^53 do.
      if (!Number.isSafeInteger(v)) throw new Error(`${show(v)} is not exact as ${type.text}: give decimals as text, bigint or { unscaled, scale }`);
      text = String(v);
    } else if (typeof v === 'string') {
      const fast = fastDecimal(v, maxInt, s);
      if (fast !== undefined) return fast;
      text = v.trim();
    } else if (typeof v === 'object' && v !== null && typeof (v as ExactDecimal).unscaled === 'bigint') {
      const d = v as ExactDecimal;
      text = decimalText(d.unscaled, d.scale);
    } else throw new Error(`${show(v)} is not a decimal (${type.text})`);
    const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text);
    if (m === null || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`${show(v)} is not a decimal (${type.text})`);
    const intPart = m[2]!.replace(/^0+(?=\d)/, '');
    const frac = (m[3] ?? '').replace(/0+$/, '');
    if (frac.length > s) throw new Error(`${show(v)} has more than ${s} decimal places (${type.text}); it would be cut`);
    const intDigits = intPart === '0' || intPart === '' ? 0 : intPart.length;
    if (intDigits > maxInt) throw new Error(`${show(v)} is out of the range of ${type.text} (at most ${maxInt} digits before the point)`);
    return `${m[1] === '-' ? '-' : ''}${intPart === '' ? '0' : intPart}${frac === '' ? '' : `.${frac}`}`;
  };
}

/**
 * Decimal text that is already plain (`-?digits[.digits]`, no leading zero, at most `maxInt` and `scale` digits) as
 * is, without a regular expression; undefined when it needs the careful path.
 */
function fastDecimal(v: string, maxInt: number, scale: number): string | undefined {
  const len = v.length;
  let i = v.charCodeAt(0) === 45 ? 1 : 0; // '-'
  const start = i;
  while (i < len && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) i++;
  const intDigits = i - start;
  if (intDigits === 0 || intDigits > maxInt || (intDigits > 1 && v.charCodeAt(start) === 48)) return undefined;
  if (i === len) return v;
  if (v.charCodeAt(i) !== 46) return undefined; // '.'
  const dot = ++i;
  while (i < len && v.charCodeAt(i) >= 48 && v.charCodeAt(i) <= 57) i++;
  if (i !== len || i - dot === 0 || i - dot > scale) return undefined;
  return v;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

function stringEncoder(type: ClickHouseType): ColumnEncoder {
  const fixed = type.name === 'FixedString' ? type.precision! : undefined;
  return (v) => {
    let s: string;
    if (typeof v === 'string') s = v;
    else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') s = String(v);
    else if (v instanceof Uint8Array) {
      try {
        s = utf8.decode(v);
      } catch {
        throw new Error(`bytes that are not UTF-8 cannot be written as JSON into ${type.text}`);
      }
    } else throw new Error(`${show(v)} is not a string (${type.text})`);
    if (fixed !== undefined && utf8Length(s) > fixed) throw new Error(`${show(v)} is longer than ${fixed} bytes (${type.text})`);
    return JSON.stringify(s);
  };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
const DAY_MS = 86_400_000;

/** Whether y-m-d is a real calendar date. */
function realDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?$/;

interface LocalDateTime {
  readonly y: number;
  readonly mo: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  readonly frac: string;
}

function parseLocal(v: string, type: string): LocalDateTime {
  const m = LOCAL.exec(v.trim());
  if (m === null) throw new Error(`${show(v)} is not a date-time 'YYYY-MM-DD hh:mm:ss[.fff]' (${type})`);
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  if (!realDate(y, mo, d) || h > 23 || mi > 59 || s > 59) throw new Error(`${show(v)} is not a valid date-time (${type})`);
  return { y, mo, d, h, mi, s, frac: m[7] ?? '' };
}

function instantMs(v: unknown, type: string): number | undefined {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`${show(v)} is not a valid instant (${type})`);
    return v;
  }
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) {
    const t = v.getTime();
    if (Number.isNaN(t)) throw new Error(`an invalid Date cannot be written into ${type}`);
    return t;
  }
  return undefined;
}

function dateEncoder(type: ClickHouseType): ColumnEncoder {
  // Date: days 0..65535 (1970-01-01..2149-06-06); Date32: 1900-01-01..2299-12-31.
  const [lo, hi] = type.name === 'Date32' ? [-25567, 120529] : [0, 65535];
  return (v) => {
    let days: number;
    if (typeof v === 'number' && Number.isInteger(v)) days = v;
    else if (v instanceof Date) {
      const t = instantMs(v, type.text)!;
      days = Math.floor(t / DAY_MS);
    } else if (typeof v === 'string') {
      const l = parseLocal(v, type.text);
      days = Date.UTC(l.y, l.mo - 1, l.d) / DAY_MS;
    } else throw new Error(`${show(v)} is not a date (${type.text})`);
    if (days < lo || days > hi) throw new Error(`${show(v)} is out of the range of ${type.text}`);
    const d = new Date(days * DAY_MS);
    return `"${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}"`;
  };
}

function dateTimeEncoder(type: ClickHouseType, serverZone: string): ColumnEncoder {
  const is64 = type.name === 'DateTime64';
  const zone = type.timeZone ?? serverZone;
  if (!knownTimeZone(zone)) throw new Error(`time zone '${zone}' of ${type.text} is unknown to this Node.js`);
  const p = is64 ? type.precision ?? 3 : 0;
  // DateTime: UInt32 seconds; DateTime64: 1900-01-01 .. 2299-12-31 (seconds, any precision).
  const [loS, hiS] = is64 ? [-2208988800, 10413791999] : [0, 4294967295];
  /** A DateTime64 of whole seconds `sec` and fraction digits `frac` (as many as given). */
  const dateTime64 = (sec: number, frac: string): string => {
    const f = frac.padEnd(p, '0').slice(0, p);
    // Seconds since the epoch with a fraction: every version reads it as an instant, but not below zero, where the
    // wall-clock text in the column's zone is sent instead (ambiguous only inside a DST overlap before 1970).
    if (sec >= 0) return p === 0 ? `"${sec}"` : `"${sec}.${f}"`;
    const wall = new Date(sec * 1000 + offsetMs(zone, sec * 1000));
    const text = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())} ${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}`;
    return p === 0 ? `"${text}"` : `"${text}.${f}"`;
  };
  return (v) => {
    const ms = instantMs(v, type.text);
    if (ms !== undefined) {
      const sec = Math.floor(ms / 1000);
      if (sec < loS || sec > hiS) throw new Error(`${show(v)} is out of the range of ${type.text}`);
      if (!is64) return String(sec);
      return dateTime64(sec, pad(ms - sec * 1000, 3));
    }
    if (typeof v === 'string') {
      // Local date-time text, in the column's time zone (else the server's): converted to an instant here, so that
      // every server version stores the same instant.
      const l = parseLocal(v, type.text);
      const localMs = Date.UTC(l.y, l.mo - 1, l.d, l.h, l.mi, l.s);
      const at = localToInstant(zone, localMs);
      const sec = Math.floor(at / 1000);
      if (sec < loS || sec > hiS) throw new Error(`${show(v)} is out of the range of ${type.text}`);
      if (!is64) return String(sec);
      return dateTime64(sec, l.frac);
    }
    throw new Error(`${show(v)} is not a date-time (${type.text})`);
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function enumEncoder(type: ClickHouseType): ColumnEncoder {
  const values = type.enumValues!;
  const numbers = new Set(values.values());
  return (v) => {
    if (typeof v === 'string' && values.has(v)) return JSON.stringify(v);
    if (typeof v === 'number' && numbers.has(v)) return String(v);
    throw new Error(`${show(v)} is not a value of ${type.text}`);
  };
}

/**
 * The encoder of a column type. `nullable` is set inside `Nullable(...)`.
 *
 * @throws Error for a type the sink cannot write (the message names it)
 * @public
 */
export function columnEncoder(type: ClickHouseType, nullable = false, serverZone = 'UTC'): ColumnEncoder {
  const inner = ((): ColumnEncoder => {
    switch (type.name) {
      case 'Nullable':
        return columnEncoder(type.args[0]!, true, serverZone);
      case 'LowCardinality':
        return columnEncoder(type.args[0]!, nullable, serverZone);
      case 'Float32':
      case 'Float64':
        return floatEncoder(type);
      case 'Decimal':
        return decimalEncoder(type);
      case 'String':
      case 'FixedString':
        return stringEncoder(type);
      case 'UUID':
        return (v) => {
          if (typeof v !== 'string' || !UUID.test(v)) throw new Error(`${show(v)} is not a UUID`);
          return JSON.stringify(v);
        };
      case 'Bool':
        return (v) => {
          if (typeof v === 'boolean') return String(v);
          if (v === 0 || v === 1) return v === 1 ? 'true' : 'false';
          throw new Error(`${show(v)} is not a boolean (Bool)`);
        };
      case 'Date':
      case 'Date32':
        return dateEncoder(type);
      case 'DateTime':
      case 'DateTime64':
        return dateTimeEncoder(type, serverZone);
      case 'Enum8':
      case 'Enum16':
        return enumEncoder(type);
      case 'Array': {
        const element = columnEncoder(type.args[0]!, false, serverZone);
        return (v) => {
          if (!Array.isArray(v)) throw new Error(`${show(v)} is not an array (${type.text})`);
          return `[${v.map(element).join(',')}]`;
        };
      }
      case 'Tuple': {
        const elements = type.args.map((a) => columnEncoder(a, false, serverZone));
        return (v) => {
          if (!Array.isArray(v) || v.length !== elements.length) throw new Error(`${show(v)} is not a tuple of ${elements.length} (${type.text})`);
          return `[${v.map((x, i) => elements[i]!(x)).join(',')}]`;
        };
      }
      case 'Map': {
        const key = columnEncoder(type.args[0]!, false, serverZone);
        const value = columnEncoder(type.args[1]!, false, serverZone);
        return (v) => {
          const entries = v instanceof Map ? [...v.entries()] : typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.entries(v) : undefined;
          if (entries === undefined) throw new Error(`${show(v)} is not a map (${type.text})`);
          return `{${entries
            .map(([k, x]) => {
              const kt = key(k);
              return `${kt.startsWith('"') ? kt : JSON.stringify(kt)}:${value(x)}`;
            })
            .join(',')}}`;
        };
      }
      default:
        if (INT_RANGES[type.name] !== undefined) return intEncoder(type);
        throw new Error(`the sink cannot write ClickHouse type ${type.text}`);
    }
  })();
  if (type.name === 'Nullable' || type.name === 'LowCardinality') return inner;
  return (v) => {
    if (v === null || v === undefined) {
      if (nullable) return 'null';
      throw new Error(`NULL cannot be written into ${type.text} (not Nullable)`);
    }
    return inner(v);
  };
}
