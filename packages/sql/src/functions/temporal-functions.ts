// Built-in date and time functions with Flink's semantics: DATE_FORMAT, TO_TIMESTAMP, TO_TIMESTAMP_LTZ, TO_DATE,
// FROM_UNIXTIME, UNIX_TIMESTAMP, CONVERT_TZ, EXTRACT and its shorthands (YEAR, MONTH, ..., all BIGINT), FLOOR/CEIL
// to a unit, TIMESTAMPADD/TIMESTAMPDIFF, and the current time functions (non-deterministic). Units and modes come
// as a leading literal argument (the binder passes `FLOOR(x TO HOUR)` as FLOOR_TO('HOUR', x)). TIMESTAMP_LTZ values
// are read in the session time zone (`ctx.localTimeZone`), as are the string/epoch conversions. Formats are Java
// date patterns, compiled once when literal; as in Flink, DATE_FORMAT of a TIMESTAMP and TO_TIMESTAMP use
// java.time semantics, while the string-based functions (UNIX_TIMESTAMP, FROM_UNIXTIME, TO_DATE, CONVERT_TZ,
// DATE_FORMAT of a string) follow SimpleDateFormat (lenient, `S` is milliseconds, trailing text ignored).
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, SqlRuntimeError, type FunctionContext, type ScalarFunctionDefinition } from './function-definition.js';
import { anyNullable, argError, defineFunction, expectInteger, expectNumeric, expectString, keywordLiteral, resolved, toNumber } from './define.js';
import { wrapInt } from '../types/cast.js';
import { decimalToNumber } from '../types/decimal.js';
import {
  MS_PER_DAY,
  addMonthsToDate,
  addMonthsToTimestamp,
  civilFromDays,
  compileDateTimePattern,
  daysFromCivil,
  floorDay,
  isoDayOfWeek,
  isoWeek,
  isoWeekYear,
  monthsBetweenTimestamps,
  msOfDay,
  parseDate,
  parseTimestamp,
  timeZone,
  truncateToPrecision,
  type DateTimePattern,
  type PatternFlavor,
  type TimeZoneRules,
} from '../types/temporal.js';
import { isString, makeType, stringType, typeScale, withNullability } from '../types/type-rules.js';

const BIGINT = (nullable: boolean): LogicalType => makeType('BIGINT', nullable);
const LONG_MIN = -(2n ** 63n);
const DEFAULT_FORMAT = 'yyyy-MM-dd HH:mm:ss';

function sessionZone(ctx: FunctionContext): TimeZoneRules {
  const z = timeZone(ctx.localTimeZone);
  if (!z) throw new FunctionTypeError(`unknown time zone '${ctx.localTimeZone}' (table.local-time-zone)`);
  return z;
}

/** A pattern for a format argument: compiled now when literal, else per distinct format. */
function patternSource(literal: unknown, flavor: PatternFlavor): (format: string) => DateTimePattern {
  const compile = (f: string): DateTimePattern => {
    try {
      return compileDateTimePattern(f, flavor);
    } catch (e) {
      throw new SqlRuntimeError((e as Error).message);
    }
  };
  if (typeof literal === 'string') {
    let p: DateTimePattern;
    try {
      p = compileDateTimePattern(literal, flavor);
    } catch (e) {
      throw new FunctionTypeError((e as Error).message);
    }
    return () => p;
  }
  let last: string | undefined;
  let lastP: DateTimePattern | undefined;
  return (f) => {
    if (f !== last || !lastP) {
      lastP = compile(f);
      last = f;
    }
    return lastP;
  };
}

/** A zone for a time zone argument: resolved now when literal, else per value. */
function zoneSource(literal: unknown): (id: string) => TimeZoneRules {
  if (typeof literal === 'string') {
    const z = timeZone(literal);
    if (!z) throw new FunctionTypeError(`unknown time zone '${literal}'`);
    return () => z;
  }
  return (id) => {
    const z = timeZone(id);
    if (!z) throw new SqlRuntimeError(`unknown time zone '${id}'`);
    return z;
  };
}

function expectTemporal(name: string, types: readonly LogicalType[], i: number, allowed: readonly LogicalType['root'][]): void {
  const t = types[i]!;
  if (!allowed.includes(t.root) && t.root !== 'NULL') throw argError(name, types, i, allowed.join(' or '));
}

// Units as written: plurals and SQL_TSI_ prefixes normalised (TIMESTAMPADD(SQL_TSI_DAY, ...), FLOOR(x TO HOURS)).
function unitLiteral(name: string, literals: readonly unknown[], allowed: readonly string[]): string {
  const v = literals[0];
  if (typeof v !== 'string') throw new FunctionTypeError(`${name}: the unit must be a literal (${allowed.join(', ')})`);
  let u = v.trim().toUpperCase().replace(/^SQL_TSI_/, '');
  if (u === 'FRAC_SECOND') u = 'MICROSECOND';
  if (!allowed.includes(u) && u.endsWith('S') && allowed.includes(u.slice(0, -1))) u = u.slice(0, -1);
  return keywordLiteral(name, [u], 0, allowed);
}

// ------------------------------------------------------------------------------------------------ formatting, parsing

const DATE_FORMAT = defineFunction('DATE_FORMAT', 2, 2, (types, ctx, literals) => {
  expectTemporal('DATE_FORMAT', types, 0, ['TIMESTAMP', 'TIMESTAMP_LTZ', 'DATE', 'CHAR', 'VARCHAR']);
  expectString('DATE_FORMAT', types, 1);
  const t = types[0]!;
  if (isString(t)) {
    // a string is read as 'yyyy-MM-dd HH:mm:ss' and formatted with SimpleDateFormat semantics; NULL when unreadable
    const input = compileDateTimePattern(DEFAULT_FORMAT, 'legacy');
    const fmt = patternSource(literals[1], 'legacy');
    return resolved(stringType(true), (s: string, f: string) => {
      const local = input.parse(s);
      return local !== local ? null : fmt(f).format(local);
    });
  }
  const fmt = patternSource(literals[1], 'java.time');
  const type = stringType(anyNullable(types));
  if (t.root === 'TIMESTAMP_LTZ') {
    const z = sessionZone(ctx);
    return resolved(type, (v: number, f: string) => fmt(f).format(z.toLocal(v), z.offsetAt(v), ctx.localTimeZone));
  }
  const toLocal = t.root === 'DATE' ? (d: number) => d * MS_PER_DAY : (v: number) => v;
  return resolved(type, (v: number, f: string) => fmt(f).format(toLocal(v)));
});

function parseLocal(pattern: DateTimePattern | undefined, s: string): number {
  if (pattern === undefined) return parseTimestamp(s, 3) ?? NaN;
  const v = pattern.parse(s);
  // Flink falls back to Timestamp.valueOf / Date.valueOf for texts such as '1999-9-10 05:20:10'
  return v === v ? v : (parseTimestamp(s, 3) ?? NaN);
}

const TO_TIMESTAMP = defineFunction('TO_TIMESTAMP', 1, 2, (types, _ctx, literals) => {
  expectString('TO_TIMESTAMP', types, 0);
  const type = makeType('TIMESTAMP', true, 3);
  if (types.length === 1) return resolved(type, (s: string) => parseTimestamp(s, 3));
  expectString('TO_TIMESTAMP', types, 1);
  const fmt = patternSource(literals[1], 'java.time');
  return resolved(type, (s: string, f: string) => {
    const v = parseLocal(fmt(f), s);
    return v === v ? v : null;
  });
});

const MIN_EPOCH_MS = -62167219200000;
const MAX_EPOCH_MS = 253402300799999;

function epochInRange(ms: number): number | null {
  return ms >= MIN_EPOCH_MS && ms <= MAX_EPOCH_MS ? ms : null;
}

const TO_TIMESTAMP_LTZ = defineFunction('TO_TIMESTAMP_LTZ', 1, 3, (types, ctx, literals) => {
  const type = makeType('TIMESTAMP_LTZ', true, 3);
  const t = types[0]!;
  if (isString(t)) {
    // TO_TIMESTAMP_LTZ(text[, format[, time zone]]): the local date-time in the zone (default: the session's)
    if (types.length >= 2) expectString('TO_TIMESTAMP_LTZ', types, 1);
    if (types.length === 3) expectString('TO_TIMESTAMP_LTZ', types, 2);
    const fmt = types.length >= 2 ? patternSource(literals[1], 'java.time') : undefined;
    const zone = types.length === 3 ? zoneSource(literals[2]) : ((z: TimeZoneRules) => () => z)(sessionZone(ctx));
    return resolved(type, (s: string, f?: string, tz?: string) => {
      const local = parseLocal(fmt && f !== undefined ? fmt(f) : undefined, s);
      return local === local ? zone(tz ?? '').toEpoch(local) : null;
    });
  }
  expectNumeric('TO_TIMESTAMP_LTZ', types, 0);
  if (types.length !== 2) throw new FunctionTypeError('TO_TIMESTAMP_LTZ(numeric, precision) takes the precision (0 for seconds, 3 for milliseconds)');
  expectInteger('TO_TIMESTAMP_LTZ', types, 1);
  const lit = literals[1];
  const check = (p: number): void => {
    if (p !== 0 && p !== 3) throw new SqlRuntimeError(`TO_TIMESTAMP_LTZ: unsupported precision ${p}, the supported values are 0 (seconds) and 3 (milliseconds)`);
  };
  if (typeof lit === 'number' || typeof lit === 'bigint') {
    try {
      check(Number(lit));
    } catch (e) {
      throw new FunctionTypeError((e as Error).message);
    }
  }
  const toMs = (v: unknown, p: number): number | null => {
    check(p);
    if (typeof v === 'bigint') {
      // exact for epoch values in range; seconds beyond it are out of range anyway
      const ms = p === 0 ? v * 1000n : v;
      return ms >= BigInt(MIN_EPOCH_MS) && ms <= BigInt(MAX_EPOCH_MS) ? Number(ms) : null;
    }
    const n = v as number;
    return epochInRange(Math.trunc(p === 0 ? n * 1000 : n));
  };
  const conv = t.root === 'DECIMAL' ? ((s: number) => (v: bigint) => decimalToNumber(v, s))(typeScale(t)) : (v: unknown) => v;
  return resolved(type, (v: unknown, p: number | bigint) => toMs(conv(v as bigint), toNumber(p)));
});

const TO_DATE = defineFunction('TO_DATE', 1, 2, (types, _ctx, literals) => {
  expectString('TO_DATE', types, 0);
  const type = makeType('DATE', true);
  if (types.length === 1) return resolved(type, (s: string) => parseDate(s));
  expectString('TO_DATE', types, 1);
  const fmt = patternSource(literals[1], 'legacy');
  return resolved(type, (s: string, f: string) => {
    const v = fmt(f).parse(s);
    return v === v ? floorDay(v) : null;
  });
});

const FROM_UNIXTIME = defineFunction('FROM_UNIXTIME', 1, 2, (types, ctx, literals) => {
  expectNumeric('FROM_UNIXTIME', types, 0);
  if (types.length === 2) expectString('FROM_UNIXTIME', types, 1);
  const z = sessionZone(ctx);
  const fmt = patternSource(types.length === 2 ? literals[1] : DEFAULT_FORMAT, 'legacy');
  const t = types[0]!;
  const seconds = t.root === 'DECIMAL' ? ((s: number) => (v: bigint) => decimalToNumber(v, s))(typeScale(t)) : (v: number | bigint) => toNumber(v);
  return resolved(stringType(anyNullable(types)), (v: unknown, f?: string) => {
    const ms = Math.trunc(seconds(v as bigint) * 1000);
    return fmt(f ?? DEFAULT_FORMAT).format(z.toLocal(ms), z.offsetAt(ms), ctx.localTimeZone);
  });
});

const UNIX_TIMESTAMP = defineFunction('UNIX_TIMESTAMP', 0, 2, (types, ctx, literals) => {
  if (types.length === 0) return resolved(BIGINT(false), () => BigInt(Math.floor(Date.now() / 1000)), { deterministic: false });
  expectString('UNIX_TIMESTAMP', types, 0);
  if (types.length === 2) expectString('UNIX_TIMESTAMP', types, 1);
  const z = sessionZone(ctx);
  const fmt = patternSource(types.length === 2 ? literals[1] : DEFAULT_FORMAT, 'legacy');
  // an unreadable text is Long.MIN_VALUE (Flink's documented default)
  return resolved(BIGINT(anyNullable(types)), (s: string, f?: string) => {
    const p = fmt(f ?? DEFAULT_FORMAT);
    const local = p.parse(s);
    if (local !== local) return LONG_MIN;
    const epoch = p.parsedOffset !== undefined ? local - p.parsedOffset : z.toEpoch(local);
    // Java's long division truncates toward zero
    return BigInt(Math.trunc(epoch / 1000));
  });
});

const CONVERT_TZ = defineFunction('CONVERT_TZ', 3, 3, (types, _ctx, literals) => {
  for (let i = 0; i < 3; i++) expectString('CONVERT_TZ', types, i);
  const from = zoneSource(literals[1]);
  const to = zoneSource(literals[2]);
  const p = compileDateTimePattern(DEFAULT_FORMAT, 'legacy');
  return resolved(stringType(true), (s: string, f: string, t: string) => {
    const local = p.parse(s);
    if (local !== local) return null;
    const epoch = from(f).toEpoch(local);
    const zt = to(t);
    return p.format(zt.toLocal(epoch));
  });
});

// ------------------------------------------------------------------------------------------------ EXTRACT

const EXTRACT_UNITS = ['MILLENNIUM', 'CENTURY', 'DECADE', 'YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'DOW', 'DOY', 'ISODOW', 'ISOYEAR', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND', 'NANOSECOND', 'EPOCH'];
const DATE_UNITS = new Set(['MILLENNIUM', 'CENTURY', 'DECADE', 'YEAR', 'QUARTER', 'MONTH', 'WEEK', 'DAY', 'DOW', 'DOY', 'ISODOW', 'ISOYEAR', 'EPOCH']);
const TIME_UNITS = new Set(['HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'MICROSECOND', 'NANOSECOND']);

const ymd = new Int32Array(3);

// The date field `unit` of `days` (since 1970-01-01).
function dateField(unit: string, days: number): number {
  if (unit === 'EPOCH') return days * 86400;
  civilFromDays(days, ymd);
  const year = ymd[0]!;
  const month = ymd[1]!;
  switch (unit) {
    case 'YEAR':
      return year;
    case 'MONTH':
      return month;
    case 'DAY':
      return ymd[2]!;
    case 'QUARTER':
      return Math.floor((month + 2) / 3);
    case 'DOW':
      // Sunday = 1 .. Saturday = 7
      return (isoDayOfWeek(days) % 7) + 1;
    case 'ISODOW':
      return isoDayOfWeek(days);
    case 'DOY':
      return days - daysFromCivil(year, 1, 1) + 1;
    case 'WEEK':
      return isoWeek(days);
    case 'ISOYEAR':
      return isoWeekYear(days);
    case 'DECADE':
      return Math.trunc(year / 10);
    case 'CENTURY':
      return year > 0 ? Math.trunc((year + 99) / 100) : Math.trunc((year - 99) / 100);
    case 'MILLENNIUM':
      return year > 0 ? Math.trunc((year + 999) / 1000) : Math.trunc((year - 999) / 1000);
    default:
      throw new SqlRuntimeError(`EXTRACT(${unit}) of a date`);
  }
}

// The time field `unit` of `ms` milliseconds of the day (MILLISECOND is the milliseconds within the second, as Flink).
function timeField(unit: string, ms: number): number {
  switch (unit) {
    case 'HOUR':
      return Math.floor(ms / 3_600_000);
    case 'MINUTE':
      return Math.floor((ms % 3_600_000) / 60_000);
    case 'SECOND':
      return Math.floor((ms % 60_000) / 1000);
    case 'MILLISECOND':
      return ms % 1000;
    case 'MICROSECOND':
      return (ms % 1000) * 1000;
    default:
      return (ms % 1000) * 1_000_000;
  }
}

function extractImpl(name: string, unit: string, t: LogicalType, ctx: FunctionContext): (v: number) => bigint {
  switch (t.root) {
    case 'DATE':
      if (!DATE_UNITS.has(unit)) throw new FunctionTypeError(`${name}: cannot extract ${unit} from DATE`);
      return (d) => BigInt(dateField(unit, d));
    case 'TIME':
      if (!TIME_UNITS.has(unit)) throw new FunctionTypeError(`${name}: cannot extract ${unit} from TIME`);
      return (ms) => BigInt(timeField(unit, msOfDay(ms)));
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      const z = t.root === 'TIMESTAMP_LTZ' ? sessionZone(ctx) : undefined;
      if (unit === 'EPOCH') return z ? (v) => BigInt(Math.trunc(v / 1000)) : (v) => BigInt(Math.trunc(v / 1000));
      const date = DATE_UNITS.has(unit);
      return (v) => {
        const local = z ? z.toLocal(v) : v;
        return BigInt(date ? dateField(unit, floorDay(local)) : timeField(unit, msOfDay(local)));
      };
    }
    case 'INTERVAL_YEAR_MONTH':
      if (unit === 'YEAR') return (m) => BigInt(Math.trunc(m / 12));
      if (unit === 'MONTH') return (m) => BigInt(m % 12);
      if (unit === 'QUARTER') return (m) => BigInt(Math.trunc((m % 12) / 3) + 1);
      throw new FunctionTypeError(`${name}: cannot extract ${unit} from INTERVAL YEAR TO MONTH`);
    case 'INTERVAL_DAY_TIME':
      switch (unit) {
        case 'DAY':
          return (ms) => BigInt(Math.trunc(ms / MS_PER_DAY));
        case 'HOUR':
          return (ms) => BigInt(Math.trunc((ms % MS_PER_DAY) / 3_600_000));
        case 'MINUTE':
          return (ms) => BigInt(Math.trunc((ms % 3_600_000) / 60_000));
        case 'SECOND':
          return (ms) => BigInt(Math.trunc((ms % 60_000) / 1000));
        case 'MILLISECOND':
          return (ms) => BigInt(ms % 1000);
        case 'EPOCH':
          return (ms) => BigInt(Math.trunc(ms / 1000));
        default:
          throw new FunctionTypeError(`${name}: cannot extract ${unit} from INTERVAL DAY TO SECOND`);
      }
    default:
      throw new FunctionTypeError(`${name}: cannot extract ${unit} from ${t.root}`);
  }
}

const EXTRACT = defineFunction('EXTRACT', 2, 2, (types, ctx, literals) => {
  const unit = unitLiteral('EXTRACT', literals, EXTRACT_UNITS);
  const f = extractImpl('EXTRACT', unit, types[1]!, ctx);
  return resolved(BIGINT(types[1]!.nullable), (_u: string, v: number) => f(v));
});

function extractShorthand(name: string, unit: string): ScalarFunctionDefinition {
  return defineFunction(name, 1, 1, (types, ctx) => {
    const f = extractImpl(name, unit, types[0]!, ctx);
    return resolved(BIGINT(types[0]!.nullable), f);
  });
}

// ------------------------------------------------------------------------------------------------ FLOOR/CEIL TO unit

const FLOOR_UNITS = ['MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'DECADE', 'CENTURY', 'MILLENNIUM'];
const FIXED_MS: Record<string, number> = { MILLISECOND: 1, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: MS_PER_DAY };

// The first day of the period `unit` containing `days`.
function floorDate(unit: string, days: number): number {
  switch (unit) {
    case 'WEEK':
      // weeks start on Sunday (Calcite)
      return days - (isoDayOfWeek(days) % 7);
    default: {
      civilFromDays(days, ymd);
      const y = ymd[0]!;
      switch (unit) {
        case 'MONTH':
          return daysFromCivil(y, ymd[1]!, 1);
        case 'QUARTER':
          return daysFromCivil(y, Math.floor((ymd[1]! - 1) / 3) * 3 + 1, 1);
        case 'YEAR':
          return daysFromCivil(y, 1, 1);
        case 'DECADE':
          return daysFromCivil(Math.floor(y / 10) * 10, 1, 1);
        case 'CENTURY':
          return daysFromCivil(Math.floor((y - 1) / 100) * 100 + 1, 1, 1);
        default:
          return daysFromCivil(Math.floor((y - 1) / 1000) * 1000 + 1, 1, 1);
      }
    }
  }
}

function nextPeriod(unit: string, days: number): number {
  switch (unit) {
    case 'WEEK':
      return days + 7;
    case 'MONTH':
      return addMonthsToDate(days, 1);
    case 'QUARTER':
      return addMonthsToDate(days, 3);
    case 'YEAR':
      return addMonthsToDate(days, 12);
    case 'DECADE':
      return addMonthsToDate(days, 120);
    case 'CENTURY':
      return addMonthsToDate(days, 1200);
    default:
      return addMonthsToDate(days, 12000);
  }
}

// Floors (or ceils) local milliseconds to the unit.
function roundLocal(unit: string, ms: number, ceil: boolean): number {
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) {
    const f = Math.floor(ms / fixed) * fixed;
    return ceil && f !== ms ? f + fixed : f;
  }
  const days = floorDay(ms);
  const f = floorDate(unit, days);
  const fm = f * MS_PER_DAY;
  return ceil && fm !== ms ? nextPeriod(unit, f) * MS_PER_DAY : fm;
}

function floorCeilTo(name: string, ceil: boolean): ScalarFunctionDefinition {
  return defineFunction(name, 2, 2, (types, ctx, literals) => {
    const unit = unitLiteral(name, literals, FLOOR_UNITS);
    const t = types[1]!;
    switch (t.root) {
      case 'TIMESTAMP':
        return resolved(t, (_u: string, v: number) => roundLocal(unit, v, ceil));
      case 'DATE':
        return resolved(t, (_u: string, d: number) => (FIXED_MS[unit] !== undefined && unit !== 'DAY' ? d : floorDay(roundLocal(unit, d * MS_PER_DAY, ceil))));
      case 'TIME':
        if (FIXED_MS[unit] === undefined || unit === 'DAY') throw new FunctionTypeError(`${name}: cannot round TIME to ${unit}`);
        return resolved(t, (_u: string, v: number) => roundLocal(unit, v, ceil) % MS_PER_DAY);
      case 'TIMESTAMP_LTZ': {
        const z = sessionZone(ctx);
        if (unit === 'MILLISECOND' || unit === 'SECOND' || unit === 'MINUTE') return resolved(t, (_u: string, v: number) => roundLocal(unit, v, ceil));
        return resolved(t, (_u: string, v: number) => z.toEpoch(roundLocal(unit, z.toLocal(v), ceil)));
      }
      default:
        throw argError(name, types, 1, 'DATE, TIME, TIMESTAMP or TIMESTAMP_LTZ');
    }
  });
}

// ------------------------------------------------------------------------------------------------ TIMESTAMPADD/DIFF

const ADD_UNITS = ['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR'];
const UNIT_MS: Record<string, number> = { MICROSECOND: 0.001, MILLISECOND: 1, SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000, DAY: MS_PER_DAY, WEEK: 7 * MS_PER_DAY };
const UNIT_MONTHS: Record<string, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };

const TIMESTAMPADD = defineFunction('TIMESTAMPADD', 3, 3, (types, ctx, literals) => {
  const unit = unitLiteral('TIMESTAMPADD', literals, ADD_UNITS);
  expectInteger('TIMESTAMPADD', types, 1);
  expectTemporal('TIMESTAMPADD', types, 2, ['DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ']);
  const t = types[2]!;
  const nullable = types[1]!.nullable || t.nullable;
  const months = UNIT_MONTHS[unit];
  const step = UNIT_MS[unit];
  switch (t.root) {
    case 'DATE':
      if (months !== undefined) return resolved(withNullability(t, nullable), (_u: string, n: number | bigint, d: number) => addMonthsToDate(d, toNumber(n) * months));
      if (unit === 'DAY' || unit === 'WEEK') return resolved(withNullability(t, nullable), (_u: string, n: number | bigint, d: number) => d + toNumber(n) * (unit === 'WEEK' ? 7 : 1));
      // a time unit on a DATE gives a TIMESTAMP
      return resolved(makeType('TIMESTAMP', nullable, 3), (_u: string, n: number | bigint, d: number) => d * MS_PER_DAY + Math.trunc(toNumber(n) * step!));
    case 'TIME':
      if (months !== undefined || unit === 'DAY' || unit === 'WEEK') return resolved(withNullability(t, nullable), (_u: string, _n: unknown, v: number) => v);
      return resolved(withNullability(t, nullable), (_u: string, n: number | bigint, v: number) => msOfDay(v + Math.trunc((toNumber(n) * step!) % MS_PER_DAY)));
    case 'TIMESTAMP':
      if (months !== undefined) return resolved(withNullability(t, nullable), (_u: string, n: number | bigint, v: number) => addMonthsToTimestamp(v, toNumber(n) * months));
      return resolved(withNullability(t, nullable), (_u: string, n: number | bigint, v: number) => v + Math.trunc(toNumber(n) * step!));
    default: {
      if (months !== undefined) {
        const z = sessionZone(ctx);
        return resolved(withNullability(t, nullable), (_u: string, n: number | bigint, v: number) => z.toEpoch(addMonthsToTimestamp(z.toLocal(v), toNumber(n) * months)));
      }
      return resolved(withNullability(t, nullable), (_u: string, n: number | bigint, v: number) => v + Math.trunc(toNumber(n) * step!));
    }
  }
});

const TIMESTAMPDIFF = defineFunction('TIMESTAMPDIFF', 3, 3, (types, ctx, literals) => {
  const unit = unitLiteral('TIMESTAMPDIFF', literals, ADD_UNITS);
  const kinds: LogicalType['root'][] = ['DATE', 'TIMESTAMP', 'TIMESTAMP_LTZ'];
  expectTemporal('TIMESTAMPDIFF', types, 1, kinds);
  expectTemporal('TIMESTAMPDIFF', types, 2, kinds);
  const a = types[1]!;
  const b = types[2]!;
  // both as local date-times: DATE at midnight, TIMESTAMP_LTZ in the session time zone
  const ltz = a.root === 'TIMESTAMP_LTZ' || b.root === 'TIMESTAMP_LTZ';
  const z = ltz ? sessionZone(ctx) : undefined;
  const both = a.root === 'TIMESTAMP_LTZ' && b.root === 'TIMESTAMP_LTZ';
  const local = (t: LogicalType): ((v: number) => number) => (t.root === 'DATE' ? (d) => d * MS_PER_DAY : t.root === 'TIMESTAMP_LTZ' && !both ? (v) => z!.toLocal(v) : (v) => v);
  const la = local(a);
  const lb = local(b);
  const months = UNIT_MONTHS[unit];
  const type = makeType('INTEGER', anyNullable(types.slice(1)));
  if (months !== undefined) {
    const toLocal = both ? (v: number) => z!.toLocal(v) : (v: number) => v;
    return resolved(type, (_u: string, x: number, y: number) => wrapInt(Math.trunc(monthsBetweenTimestamps(toLocal(lb(y)), toLocal(la(x))) / months), 32));
  }
  const step = UNIT_MS[unit]!;
  return resolved(type, (_u: string, x: number, y: number) => wrapInt(Math.trunc((lb(y) - la(x)) / step), 32));
});

// ------------------------------------------------------------------------------------------------ current time

const CURRENT_TIMESTAMP = (name: string): ScalarFunctionDefinition =>
  defineFunction(name, 0, 0, () => resolved(makeType('TIMESTAMP_LTZ', false, 3), () => Date.now(), { deterministic: false }));

const LOCALTIMESTAMP = defineFunction('LOCALTIMESTAMP', 0, 0, (_t, ctx) => {
  const z = sessionZone(ctx);
  return resolved(makeType('TIMESTAMP', false, 3), () => z.toLocal(Date.now()), { deterministic: false });
});

const CURRENT_DATE = defineFunction('CURRENT_DATE', 0, 0, (_t, ctx) => {
  const z = sessionZone(ctx);
  return resolved(makeType('DATE', false), () => floorDay(z.toLocal(Date.now())), { deterministic: false });
});

const currentTime = (name: string): ScalarFunctionDefinition =>
  defineFunction(name, 0, 0, (_t, ctx) => {
    const z = sessionZone(ctx);
    return resolved(makeType('TIME', false, 0), () => truncateToPrecision(msOfDay(z.toLocal(Date.now())), 0), { deterministic: false });
  });

/**
 * The built-in date and time functions.
 *
 * @internal
 */
export const TEMPORAL_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  DATE_FORMAT,
  TO_TIMESTAMP,
  TO_TIMESTAMP_LTZ,
  TO_DATE,
  FROM_UNIXTIME,
  UNIX_TIMESTAMP,
  CONVERT_TZ,
  EXTRACT,
  extractShorthand('YEAR', 'YEAR'),
  extractShorthand('QUARTER', 'QUARTER'),
  extractShorthand('MONTH', 'MONTH'),
  extractShorthand('WEEK', 'WEEK'),
  extractShorthand('DAYOFYEAR', 'DOY'),
  extractShorthand('DAYOFMONTH', 'DAY'),
  extractShorthand('DAYOFWEEK', 'DOW'),
  extractShorthand('HOUR', 'HOUR'),
  extractShorthand('MINUTE', 'MINUTE'),
  extractShorthand('SECOND', 'SECOND'),
  floorCeilTo('FLOOR_TO', false),
  floorCeilTo('CEIL_TO', true),
  TIMESTAMPADD,
  TIMESTAMPDIFF,
  CURRENT_TIMESTAMP('CURRENT_TIMESTAMP'),
  CURRENT_TIMESTAMP('NOW'),
  CURRENT_TIMESTAMP('CURRENT_ROW_TIMESTAMP'),
  LOCALTIMESTAMP,
  CURRENT_DATE,
  currentTime('CURRENT_TIME'),
  currentTime('LOCALTIME'),
];
