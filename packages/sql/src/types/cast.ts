// CAST and TRY_CAST with Flink's rules (Flink 1.15+ without legacy cast behaviour): which type pairs cast at all
// (the matrix of Flink's data types documentation: a forbidden pair, e.g. BOOLEAN to DATE, fails at planning with a
// FunctionTypeError), and what each conversion does at runtime. A value that does not convert (a string that is no
// number, a number out of a target integer's range when parsed from text) makes CAST fail with a SqlRuntimeError
// naming the value and the target type, and makes TRY_CAST return NULL. As in Flink, casts between numeric types
// never fail: integers wrap (CAST(300 AS TINYINT) is 44), floating point saturates into integers, and a number that
// does not fit a DECIMAL's precision becomes NULL. Converters are built once per (from, to) at planning and signal
// failure with a sentinel rather than an exception, so TRY_CAST over dirty data stays cheap.
import { MAX_LENGTH, type LogicalType } from '@runnel/api/table';
import { FunctionTypeError, SqlRuntimeError, type FunctionContext } from '../functions/function-definition.js';
import { javaDoubleToString, javaFloatToString, javaTrim, parseJavaDouble, parseJavaInteger, parseJavaIntegerNumber } from '../functions/number-text.js';
import { decimalFromNumber, decimalToNumber, fitsPrecision, formatDecimal, parseDecimal, pow10, rescaleDecimal } from './decimal.js';
import {
  MS_PER_DAY,
  floorDay,
  formatDate,
  formatTime,
  formatTimestamp,
  msOfDay,
  parseDate,
  parseTime,
  parseTimestamp,
  timeZone,
  truncateToPrecision,
  type TimeZoneRules,
} from './temporal.js';
import { isBinary, isInterval, isNumeric, isString, isTemporal, isTimestamp, typeLength, typeName, typePrecision, typeScale } from './type-rules.js';

/** What a converter returns when the value does not convert. */
const FAIL: unique symbol = Symbol('cast failure');
type Converter = (v: any) => unknown;

/**
 * Whether `CAST(x AS to)` is allowed for an `x` of type `from` (Flink's cast matrix): every type casts to a
 * character string; character strings cast to everything predefined but intervals; numerics and BOOLEAN cast among
 * each other; DATE/TIME/TIMESTAMP/TIMESTAMP_LTZ among each other (DATE and TIME not into each other); INT/BIGINT
 * to and from intervals; ARRAY, MULTISET, MAP and ROW into the same kind when their children cast. Numerics do not
 * cast to timestamps (Flink asks for TO_TIMESTAMP / TO_TIMESTAMP_LTZ).
 *
 * @internal
 */
export function canCast(from: LogicalType, to: LogicalType): boolean {
  if (from.root === 'NULL') return true;
  if (isString(to)) return true;
  const f = from.root;
  switch (to.root) {
    case 'BINARY':
    case 'VARBINARY':
      return isString(from) || isBinary(from);
    case 'BOOLEAN':
      return isString(from) || isNumeric(from) || f === 'BOOLEAN';
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return isString(from) || isNumeric(from) || f === 'BOOLEAN' || ((to.root === 'INTEGER' || to.root === 'BIGINT') && isInterval(from));
    case 'DECIMAL':
    case 'FLOAT':
    case 'DOUBLE':
      return isString(from) || isNumeric(from) || f === 'BOOLEAN';
    case 'DATE':
      return isString(from) || f === 'DATE' || isTimestamp(from);
    case 'TIME':
      return isString(from) || f === 'TIME' || isTimestamp(from);
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return isString(from) || isTemporal(from);
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return f === to.root || f === 'INTEGER' || f === 'BIGINT';
    case 'ARRAY':
    case 'MULTISET':
      return f === to.root && canCast(from.element!, to.element!);
    case 'MAP':
      return f === 'MAP' && canCast(from.key!, to.key!) && canCast(from.element!, to.element!);
    case 'ROW': {
      if (f !== 'ROW') return false;
      const ff = from.fields ?? [];
      const tf = to.fields ?? [];
      return ff.length === tf.length && ff.every((x, i) => canCast(x.type, tf[i]!.type));
    }
    default:
      return false;
  }
}

/**
 * The runtime conversion of `CAST(x AS to)` (or `TRY_CAST` when `tryCast`) for an `x` of type `from`; NULL casts
 * to NULL. Throws a {@link FunctionTypeError} when Flink does not allow the cast ({@link canCast}). At runtime CAST
 * throws a {@link SqlRuntimeError} (`Cannot cast 'abc' to INT`) where TRY_CAST returns null. TIMESTAMP_LTZ
 * conversions use `ctx.localTimeZone`.
 *
 * @internal
 */
export function resolveCast(from: LogicalType, to: LogicalType, tryCast: boolean, ctx: FunctionContext): (v: unknown) => unknown {
  if (!canCast(from, to)) throw new FunctionTypeError(`cannot cast ${typeName(from)} to ${typeName(to)}`);
  const conv = converter(from, to, ctx);
  if (tryCast) {
    return (v) => {
      if (v === null || v === undefined) return null;
      const r = conv(v);
      return r === FAIL ? null : r;
    };
  }
  return (v) => {
    if (v === null || v === undefined) return null;
    const r = conv(v);
    if (r === FAIL) throw new SqlRuntimeError(`Cannot cast ${describe(v, from)} to ${typeName(to)}${failReason ? `: ${failReason}` : ''}`);
    return r;
  };
}

let failReason = '';

function fail(reason: string): typeof FAIL {
  failReason = reason;
  return FAIL;
}

function describe(v: unknown, t: LogicalType): string {
  if (typeof v === 'string') return `'${v}'`;
  try {
    const s = converter(t, { root: 'VARCHAR', nullable: true, precision: MAX_LENGTH }, { localTimeZone: 'UTC' })(v);
    return typeof s === 'string' ? s : String(v);
  } catch {
    return String(v);
  }
}

function zoneOf(ctx: FunctionContext): TimeZoneRules {
  const z = timeZone(ctx.localTimeZone);
  if (!z) throw new FunctionTypeError(`unknown time zone '${ctx.localTimeZone}' (table.local-time-zone)`);
  return z;
}

function converter(from: LogicalType, to: LogicalType, ctx: FunctionContext): Converter {
  if (from.root === 'NULL') return () => null;
  switch (to.root) {
    case 'CHAR':
    case 'VARCHAR':
      return fitString(toStringConverter(from, ctx), to);
    case 'BINARY':
    case 'VARBINARY': {
      const enc = new TextEncoder();
      const base: Converter = isString(from) ? (v: string) => enc.encode(v) : (v: Uint8Array) => v;
      return fitBinary(base, to);
    }
    case 'BOOLEAN':
      return toBoolean(from);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
      return toSmallInteger(from, to.root === 'TINYINT' ? 8 : to.root === 'SMALLINT' ? 16 : 32);
    case 'BIGINT':
      return toBigint(from);
    case 'FLOAT': {
      const d = toDouble(from);
      return (v) => {
        const r = d(v);
        return r === FAIL ? r : Math.fround(r as number);
      };
    }
    case 'DOUBLE':
      return toDouble(from);
    case 'DECIMAL':
      return toDecimal(from, typePrecision(to), typeScale(to));
    case 'DATE':
      return toDate(from, ctx);
    case 'TIME':
      return toTime(from, typePrecision(to), ctx);
    case 'TIMESTAMP':
      return toTimestamp(from, typePrecision(to), ctx);
    case 'TIMESTAMP_LTZ':
      return toTimestampLtz(from, typePrecision(to), ctx);
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return from.root === 'BIGINT' ? (v: bigint) => Number(v) : (v: number) => v;
    case 'ARRAY':
    case 'MULTISET':
      return to.root === 'ARRAY' ? arrayConverter(converter(from.element!, to.element!, ctx)) : multisetConverter(converter(from.element!, to.element!, ctx));
    case 'MAP':
      return mapConverter(converter(from.key!, to.key!, ctx), converter(from.element!, to.element!, ctx));
    case 'ROW':
      return rowConverter(from.fields!.map((f, i) => converter(f.type, to.fields![i]!.type, ctx)));
    default:
      throw new FunctionTypeError(`cannot cast ${typeName(from)} to ${typeName(to)}`);
  }
}

// ------------------------------------------------------------------------------------------------ to string

/**
 * The text of a value of type `t` as CAST(... AS STRING) produces it (no length limit); NULL elements inside
 * arrays, maps and rows print as `NULL`.
 *
 * @internal
 */
export function toStringConverter(t: LogicalType, ctx: FunctionContext): (v: any) => string {
  switch (t.root) {
    case 'CHAR':
    case 'VARCHAR':
      return (v: string) => v;
    case 'BOOLEAN':
      return (v: boolean) => (v ? 'TRUE' : 'FALSE');
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return (v: number | bigint) => `${v}`;
    case 'FLOAT':
      return javaFloatToString;
    case 'DOUBLE':
      return javaDoubleToString;
    case 'DECIMAL': {
      const s = typeScale(t);
      return (v: bigint) => formatDecimal(v, s);
    }
    case 'DATE':
      return formatDate;
    case 'TIME': {
      const p = typePrecision(t);
      return (v: number) => formatTime(v, p);
    }
    case 'TIMESTAMP': {
      const p = typePrecision(t);
      return (v: number) => formatTimestamp(v, p);
    }
    case 'TIMESTAMP_LTZ': {
      const p = typePrecision(t);
      const z = zoneOf(ctx);
      return (v: number) => formatTimestamp(z.toLocal(v), p);
    }
    case 'INTERVAL_YEAR_MONTH':
      return formatIntervalYearMonth;
    case 'INTERVAL_DAY_TIME':
      return formatIntervalDayTime;
    case 'BINARY':
    case 'VARBINARY': {
      const dec = new TextDecoder('utf-8');
      return (v: Uint8Array) => dec.decode(v);
    }
    case 'ARRAY': {
      const e = nullSafe(toStringConverter(t.element!, ctx));
      return (v: readonly unknown[]) => {
        let s = '[';
        for (let i = 0; i < v.length; i++) s += (i > 0 ? ', ' : '') + e(v[i]);
        return `${s}]`;
      };
    }
    case 'MAP':
    case 'MULTISET': {
      const k = nullSafe(toStringConverter(t.root === 'MAP' ? t.key! : t.element!, ctx));
      const e = t.root === 'MAP' ? nullSafe(toStringConverter(t.element!, ctx)) : (x: unknown) => `${x as number}`;
      return (v: Map<unknown, unknown>) => {
        let s = '{';
        let first = true;
        for (const [key, value] of v) {
          s += `${first ? '' : ', '}${k(key)}=${e(value)}`;
          first = false;
        }
        return `${s}}`;
      };
    }
    case 'ROW': {
      const fs = (t.fields ?? []).map((f) => nullSafe(toStringConverter(f.type, ctx)));
      return (v: readonly unknown[]) => {
        let s = '(';
        for (let i = 0; i < fs.length; i++) s += (i > 0 ? ', ' : '') + fs[i]!(v[i]);
        return `${s})`;
      };
    }
    case 'NULL':
      return () => 'NULL';
    default:
      throw new FunctionTypeError(`cannot cast ${typeName(t)} to STRING`);
  }
}

function nullSafe(f: (v: any) => string): (v: unknown) => string {
  return (v) => (v === null || v === undefined ? 'NULL' : f(v));
}

/**
 * Flink's text of an INTERVAL YEAR TO MONTH (months): `+1-02`, `-0-03`.
 *
 * @internal
 */
export function formatIntervalYearMonth(months: number): string {
  const neg = months < 0;
  const a = Math.abs(months);
  const m = a % 12;
  return `${neg ? '-' : '+'}${Math.floor(a / 12)}-${m < 10 ? '0' : ''}${m}`;
}

/**
 * Flink's text of an INTERVAL DAY TO SECOND (milliseconds): `+1 02:03:04.005`.
 *
 * @internal
 */
export function formatIntervalDayTime(ms: number): string {
  const neg = ms < 0;
  let a = Math.abs(ms);
  const milli = a % 1000;
  a = Math.floor(a / 1000);
  const s = a % 60;
  a = Math.floor(a / 60);
  const m = a % 60;
  a = Math.floor(a / 60);
  const h = a % 24;
  const d = Math.floor(a / 24);
  const p2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
  return `${neg ? '-' : '+'}${d} ${p2(h)}:${p2(m)}:${p2(s)}.${String(milli).padStart(3, '0')}`;
}

function fitString(base: Converter, to: LogicalType): Converter {
  const n = typeLength(to);
  if (to.root === 'VARCHAR' && n >= MAX_LENGTH) return base;
  const pad = to.root === 'CHAR';
  return (v) => {
    const s = base(v) as string;
    if (s.length > n) return truncateCodePoints(s, n);
    if (pad && codePointLength(s) < n) return s + ' '.repeat(n - codePointLength(s));
    return s;
  };
}

/**
 * The number of code points of a string (a surrogate pair counts once), as Flink's CHAR_LENGTH.
 *
 * @internal
 */
export function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

function truncateCodePoints(s: string, n: number): string {
  let i = 0;
  let count = 0;
  while (i < s.length && count < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

function fitBinary(base: Converter, to: LogicalType): Converter {
  const n = typeLength(to);
  if (to.root === 'VARBINARY' && n >= MAX_LENGTH) return base;
  const pad = to.root === 'BINARY';
  return (v) => {
    const b = base(v) as Uint8Array;
    if (b.length > n) return b.slice(0, n);
    if (pad && b.length < n) {
      const out = new Uint8Array(n);
      out.set(b);
      return out;
    }
    return b;
  };
}

// ------------------------------------------------------------------------------------------------ numbers

const TRUE_TEXT = new Set(['t', 'true', 'y', 'yes', '1']);
const FALSE_TEXT = new Set(['f', 'false', 'n', 'no', '0']);

function toBoolean(from: LogicalType): Converter {
  switch (from.root) {
    case 'BOOLEAN':
      return (v: boolean) => v;
    case 'CHAR':
    case 'VARCHAR':
      return (v: string) => {
        const s = javaTrim(v).toLowerCase();
        return TRUE_TEXT.has(s) ? true : FALSE_TEXT.has(s) ? false : fail('not a BOOLEAN');
      };
    case 'BIGINT':
    case 'DECIMAL':
      return (v: bigint) => v !== 0n;
    default:
      return (v: number) => v !== 0;
  }
}

// Java's (int) of a double: NaN is 0, out-of-range saturates
function doubleToInt(d: number): number {
  if (d !== d) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d);
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/**
 * Java's (long) of a double as a bigint: NaN is 0, out-of-range saturates, the fraction is truncated.
 *
 * @internal
 */
export function doubleToLong(d: number): bigint {
  if (d !== d) return 0n;
  if (d >= 9223372036854775807) return LONG_MAX;
  if (d <= -9223372036854775808) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

/**
 * An integer wrapped to `bits` bits (Java's narrowing of int to byte/short): `wrapInt(300, 8)` is 44.
 *
 * @internal
 */
export function wrapInt(v: number, bits: 8 | 16 | 32): number {
  return bits === 32 ? v | 0 : bits === 16 ? (v << 16) >> 16 : (v << 24) >> 24;
}

function toSmallInteger(from: LogicalType, bits: 8 | 16 | 32): Converter {
  const min = -(2 ** (bits - 1));
  const max = 2 ** (bits - 1) - 1;
  switch (from.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return (v: number) => wrapInt(v, bits);
    case 'BIGINT':
      return (v: bigint) => Number(BigInt.asIntN(bits, v));
    case 'FLOAT':
    case 'DOUBLE':
      return (v: number) => wrapInt(doubleToInt(v), bits);
    case 'DECIMAL': {
      const d = pow10(typeScale(from));
      // truncate toward zero, take the low 64 bits (BigDecimal.longValue), then narrow
      return (v: bigint) => Number(BigInt.asIntN(bits, BigInt.asIntN(64, v / d)));
    }
    case 'BOOLEAN':
      return (v: boolean) => (v ? 1 : 0);
    case 'CHAR':
    case 'VARCHAR':
      return (v: string) => {
        const n = parseJavaIntegerNumber(javaTrim(v));
        if (n === null) return fail('not a number');
        if (n < min || n > max) return fail('overflow');
        // -0 from '-0' or '-.5'
        return n | 0;
      };
    default:
      throw new FunctionTypeError(`cannot cast ${typeName(from)} to an integer`);
  }
}

function toBigint(from: LogicalType): Converter {
  switch (from.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return (v: number) => BigInt(v);
    case 'BIGINT':
      return (v: bigint) => v;
    case 'FLOAT':
    case 'DOUBLE':
      return doubleToLong;
    case 'DECIMAL': {
      const d = pow10(typeScale(from));
      return (v: bigint) => BigInt.asIntN(64, v / d);
    }
    case 'BOOLEAN':
      return (v: boolean) => (v ? 1n : 0n);
    case 'CHAR':
    case 'VARCHAR':
      return (v: string) => {
        const n = parseJavaInteger(javaTrim(v));
        if (n === null) return fail('not a number');
        if (n < LONG_MIN || n > LONG_MAX) return fail('overflow');
        return n;
      };
    default:
      throw new FunctionTypeError(`cannot cast ${typeName(from)} to BIGINT`);
  }
}

function toDouble(from: LogicalType): Converter {
  switch (from.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'FLOAT':
    case 'DOUBLE':
      return (v: number) => v;
    case 'BIGINT':
      return (v: bigint) => Number(v);
    case 'DECIMAL': {
      const s = typeScale(from);
      return (v: bigint) => decimalToNumber(v, s);
    }
    case 'BOOLEAN':
      return (v: boolean) => (v ? 1 : 0);
    case 'CHAR':
    case 'VARCHAR':
      return (v: string) => parseJavaDouble(v) ?? fail('not a number');
    default:
      throw new FunctionTypeError(`cannot cast ${typeName(from)} to DOUBLE`);
  }
}

function toDecimal(from: LogicalType, p: number, s: number): Converter {
  // Flink: a number that does not fit the precision becomes NULL (text that does not fit fails)
  const fit = (u: bigint | null): bigint | null => (u !== null && fitsPrecision(u, p) ? u : null);
  const scale = pow10(s);
  switch (from.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
      return (v: number) => fit(BigInt(v) * scale);
    case 'BIGINT':
      return (v: bigint) => fit(v * scale);
    case 'DECIMAL': {
      const fs = typeScale(from);
      return (v: bigint) => fit(rescaleDecimal(v, fs, s));
    }
    case 'FLOAT':
    case 'DOUBLE':
      return (v: number) => (Number.isFinite(v) ? fit(decimalFromNumber(v, s)) : fail('not a finite number'));
    case 'BOOLEAN':
      return (v: boolean) => fit(v ? scale : 0n);
    case 'CHAR':
    case 'VARCHAR':
      return (v: string) => {
        const u = parseDecimal(v, s);
        if (u === null) return fail('not a number');
        return fitsPrecision(u, p) ? u : fail('overflow');
      };
    default:
      throw new FunctionTypeError(`cannot cast ${typeName(from)} to DECIMAL`);
  }
}

// ------------------------------------------------------------------------------------------------ temporal

function toDate(from: LogicalType, ctx: FunctionContext): Converter {
  switch (from.root) {
    case 'DATE':
      return (v: number) => v;
    case 'TIMESTAMP':
      return floorDay;
    case 'TIMESTAMP_LTZ': {
      const z = zoneOf(ctx);
      return (v: number) => floorDay(z.toLocal(v));
    }
    default:
      return (v: string) => parseDate(v) ?? fail('not a date (yyyy-MM-dd)');
  }
}

function toTime(from: LogicalType, p: number, ctx: FunctionContext): Converter {
  switch (from.root) {
    case 'TIME':
      return (v: number) => truncateToPrecision(v, p);
    case 'TIMESTAMP':
      return (v: number) => truncateToPrecision(msOfDay(v), p);
    case 'TIMESTAMP_LTZ': {
      const z = zoneOf(ctx);
      return (v: number) => truncateToPrecision(msOfDay(z.toLocal(v)), p);
    }
    default:
      return (v: string) => {
        const t = parseTime(v);
        return t === null ? fail('not a time (HH:mm:ss)') : truncateToPrecision(t, p);
      };
  }
}

function toTimestamp(from: LogicalType, p: number, ctx: FunctionContext): Converter {
  switch (from.root) {
    case 'DATE':
      return (v: number) => v * MS_PER_DAY;
    case 'TIME':
      return (v: number) => truncateToPrecision(v, p);
    case 'TIMESTAMP':
      return (v: number) => truncateToPrecision(v, p);
    case 'TIMESTAMP_LTZ': {
      const z = zoneOf(ctx);
      return (v: number) => truncateToPrecision(z.toLocal(v), p);
    }
    default:
      return (v: string) => parseTimestamp(v, p) ?? fail('not a timestamp (yyyy-MM-dd HH:mm:ss[.fff])');
  }
}

function toTimestampLtz(from: LogicalType, p: number, ctx: FunctionContext): Converter {
  if (from.root === 'TIMESTAMP_LTZ') return (v: number) => truncateToPrecision(v, p);
  const z = zoneOf(ctx);
  switch (from.root) {
    case 'DATE':
      return (v: number) => z.toEpoch(v * MS_PER_DAY);
    case 'TIME':
    case 'TIMESTAMP':
      return (v: number) => truncateToPrecision(z.toEpoch(v), p);
    default:
      return (v: string) => {
        const t = parseTimestamp(v, p);
        return t === null ? fail('not a timestamp (yyyy-MM-dd HH:mm:ss[.fff])') : z.toEpoch(t);
      };
  }
}

// ------------------------------------------------------------------------------------------------ constructed

function arrayConverter(e: Converter): Converter {
  return (v: readonly unknown[]) => {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === null || x === undefined) out[i] = null;
      else {
        const r = e(x);
        if (r === FAIL) return FAIL;
        out[i] = r;
      }
    }
    return out;
  };
}

function multisetConverter(e: Converter): Converter {
  return (v: Map<unknown, number>) => {
    const out = new Map<unknown, number>();
    for (const [x, n] of v) {
      const r = x === null ? null : e(x);
      if (r === FAIL) return FAIL;
      out.set(r, (out.get(r) ?? 0) + n);
    }
    return out;
  };
}

function mapConverter(k: Converter, e: Converter): Converter {
  return (v: Map<unknown, unknown>) => {
    const out = new Map<unknown, unknown>();
    for (const [key, value] of v) {
      const rk = key === null ? null : k(key);
      const rv = value === null ? null : e(value);
      if (rk === FAIL || rv === FAIL) return FAIL;
      out.set(rk, rv);
    }
    return out;
  };
}

function rowConverter(fs: readonly Converter[]): Converter {
  return (v: readonly unknown[]) => {
    const out = new Array<unknown>(fs.length);
    for (let i = 0; i < fs.length; i++) {
      const x = v[i];
      if (x === null || x === undefined) out[i] = null;
      else {
        const r = fs[i]!(x);
        if (r === FAIL) return FAIL;
        out[i] = r;
      }
    }
    return out;
  };
}
