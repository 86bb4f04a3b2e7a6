import { describe, expect, it } from 'vitest';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { typeName } from '../../src/types/type-rules.js';
import { col, date, fn, resolveFn, ts, v } from './helpers.js';

const SHANGHAI = { localTimeZone: 'Asia/Shanghai' };
const NEW_YORK = { localTimeZone: 'America/New_York' };
const BERLIN = { localTimeZone: 'Europe/Berlin' };
const TOKYO = { localTimeZone: 'Asia/Tokyo' };
const LONG_MIN = -(2n ** 63n);

const D = (y: number, m: number, d: number): unknown => v(date(y, m, d), 'DATE');
const T = (y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0): unknown => v(ts(y, m, d, h, mi, s, ms), 'TIMESTAMP(3)');

describe('EXTRACT and its shorthands (Flink documentation examples)', () => {
  it('extracts date fields as BIGINT', () => {
    expect(fn('EXTRACT', ['DAY', D(2006, 6, 5)])).toBe(5n);
    expect(fn('YEAR', [D(1994, 9, 27)])).toBe(1994n);
    expect(fn('QUARTER', [D(1994, 9, 27)])).toBe(3n);
    expect(fn('MONTH', [D(1994, 9, 27)])).toBe(9n);
    expect(fn('WEEK', [D(1994, 9, 27)])).toBe(39n);
    expect(fn('DAYOFYEAR', [D(1994, 9, 27)])).toBe(270n);
    expect(fn('DAYOFMONTH', [D(1994, 9, 27)])).toBe(27n);
    expect(fn('DAYOFWEEK', [D(1994, 9, 27)])).toBe(3n);
    expect(fn('HOUR', [T(1994, 9, 27, 13, 14, 15)])).toBe(13n);
    expect(fn('MINUTE', [T(1994, 9, 27, 13, 14, 15)])).toBe(14n);
    expect(fn('SECOND', [T(1994, 9, 27, 13, 14, 15)])).toBe(15n);
    expect(typeName(resolveFn('YEAR', [D(1994, 9, 27)]).type)).toBe('BIGINT');
  });

  it('extracts the other units', () => {
    const t = T(2021, 1, 3, 10, 20, 30, 456);
    expect(fn('EXTRACT', ['DOW', t])).toBe(1n);
    expect(fn('EXTRACT', ['ISODOW', t])).toBe(7n);
    expect(fn('EXTRACT', ['WEEK', t])).toBe(53n);
    expect(fn('EXTRACT', ['ISOYEAR', t])).toBe(2020n);
    expect(fn('EXTRACT', ['DECADE', t])).toBe(202n);
    expect(fn('EXTRACT', ['CENTURY', t])).toBe(21n);
    expect(fn('EXTRACT', ['MILLENNIUM', t])).toBe(3n);
    expect(fn('EXTRACT', ['MILLISECOND', t])).toBe(456n);
    expect(fn('EXTRACT', ['MICROSECOND', t])).toBe(456000n);
    expect(fn('EXTRACT', ['EPOCH', T(1970, 1, 2)])).toBe(86400n);
    expect(fn('EXTRACT', ['EPOCH', D(1970, 1, 2)])).toBe(86400n);
    expect(fn('EXTRACT', ['HOUR', T(1969, 12, 31, 23, 30)])).toBe(23n);
    expect(fn('EXTRACT', ['MINUTE', v(45296789, 'TIME(0)')])).toBe(34n);
    expect(fn('EXTRACT', ['YEAR', v(27, 'INTERVAL_YM')])).toBe(2n);
    expect(fn('EXTRACT', ['MONTH', v(27, 'INTERVAL_YM')])).toBe(3n);
    expect(fn('EXTRACT', ['HOUR', v(93784005, 'INTERVAL_DT')])).toBe(2n);
    expect(fn('EXTRACT', ['DAY', v(93784005, 'INTERVAL_DT')])).toBe(1n);
  });

  it('extracts from TIMESTAMP_LTZ in the session time zone (around a DST change)', () => {
    expect(fn('HOUR', [v(Date.UTC(2024, 2, 10, 6, 30), 'TIMESTAMP_LTZ(3)')], NEW_YORK)).toBe(1n);
    expect(fn('HOUR', [v(Date.UTC(2024, 2, 10, 7, 30), 'TIMESTAMP_LTZ(3)')], NEW_YORK)).toBe(3n);
    expect(fn('DAYOFMONTH', [v(Date.UTC(2019, 11, 31, 20), 'TIMESTAMP_LTZ(3)')], SHANGHAI)).toBe(1n);
  });

  it('rejects units that do not apply', () => {
    expect(() => resolveFn('EXTRACT', ['HOUR', D(2020, 1, 1)])).toThrow(FunctionTypeError);
    expect(() => resolveFn('EXTRACT', ['YEAR', v(0, 'TIME(0)')])).toThrow(FunctionTypeError);
    expect(() => resolveFn('EXTRACT', ['FORTNIGHT', D(2020, 1, 1)])).toThrow(FunctionTypeError);
    expect(() => resolveFn('YEAR', ['2020-01-01'])).toThrow(FunctionTypeError);
  });
});

describe('FLOOR/CEIL to a unit', () => {
  it('rounds times, timestamps and dates', () => {
    const time = v(((12 * 60 + 44) * 60 + 31) * 1000, 'TIME(0)');
    expect(fn('FLOOR_TO', ['MINUTE', time])).toBe((12 * 60 + 44) * 60000);
    expect(fn('CEIL_TO', ['MINUTE', time])).toBe((12 * 60 + 45) * 60000);
    expect(fn('FLOOR_TO', ['HOUR', T(2020, 5, 17, 13, 14, 15)])).toBe(ts(2020, 5, 17, 13));
    expect(fn('CEIL_TO', ['HOUR', T(2020, 5, 17, 13, 14, 15)])).toBe(ts(2020, 5, 17, 14));
    expect(fn('CEIL_TO', ['HOUR', T(2020, 5, 17, 13)])).toBe(ts(2020, 5, 17, 13));
    expect(fn('FLOOR_TO', ['DAY', T(1969, 12, 31, 13)])).toBe(ts(1969, 12, 31));
    expect(fn('FLOOR_TO', ['MONTH', T(2020, 5, 17, 13)])).toBe(ts(2020, 5, 1));
    expect(fn('CEIL_TO', ['MONTH', T(2020, 12, 17, 13)])).toBe(ts(2021, 1, 1));
    expect(fn('FLOOR_TO', ['QUARTER', T(2020, 5, 17)])).toBe(ts(2020, 4, 1));
    expect(fn('FLOOR_TO', ['YEAR', T(2020, 5, 17)])).toBe(ts(2020, 1, 1));
    expect(fn('FLOOR_TO', ['WEEK', T(2020, 5, 20, 10)])).toBe(ts(2020, 5, 17));
    expect(fn('FLOOR_TO', ['DECADE', T(2027, 5, 20)])).toBe(ts(2020, 1, 1));
    expect(fn('FLOOR_TO', ['CENTURY', T(2027, 5, 20)])).toBe(ts(2001, 1, 1));
    expect(fn('FLOOR_TO', ['MONTH', D(2020, 5, 17)])).toBe(date(2020, 5, 1));
    expect(fn('CEIL_TO', ['YEAR', D(2020, 5, 17)])).toBe(date(2021, 1, 1));
    expect(fn('FLOOR_TO', ['HOURS', T(2020, 5, 17, 13, 14)])).toBe(ts(2020, 5, 17, 13));
  });

  it('rounds TIMESTAMP_LTZ to days in the session time zone', () => {
    expect(fn('FLOOR_TO', ['DAY', v(Date.UTC(2020, 0, 1, 20), 'TIMESTAMP_LTZ(3)')], SHANGHAI)).toBe(Date.UTC(2020, 0, 1, 16));
    expect(fn('FLOOR_TO', ['MINUTE', v(Date.UTC(2020, 0, 1, 20, 5, 7), 'TIMESTAMP_LTZ(3)')], SHANGHAI)).toBe(Date.UTC(2020, 0, 1, 20, 5));
    // 2024-03-10 in New York is 23 hours long
    expect(fn('CEIL_TO', ['DAY', v(Date.UTC(2024, 2, 10, 12), 'TIMESTAMP_LTZ(3)')], NEW_YORK)).toBe(Date.UTC(2024, 2, 11, 4));
    expect(fn('FLOOR_TO', ['DAY', v(Date.UTC(2024, 2, 10, 12), 'TIMESTAMP_LTZ(3)')], NEW_YORK)).toBe(Date.UTC(2024, 2, 10, 5));
  });
});

describe('formatting and parsing', () => {
  it('DATE_FORMAT of timestamps, dates and strings', () => {
    const t = T(2020, 1, 2, 3, 4, 5, 6);
    expect(fn('DATE_FORMAT', [t, 'yyyy-MM-dd HH:mm:ss.SSS'])).toBe('2020-01-02 03:04:05.006');
    expect(fn('DATE_FORMAT', [t, 'yyyyMMdd'])).toBe('20200102');
    expect(fn('DATE_FORMAT', [t, 'EEE, MMM d, yy'])).toBe('Thu, Jan 2, 20');
    expect(fn('DATE_FORMAT', [D(2020, 1, 2), 'dd/MM/yyyy'])).toBe('02/01/2020');
    expect(fn('DATE_FORMAT', ['2020-01-02 03:04:05', 'yy/MM/dd HH'])).toBe('20/01/02 03');
    expect(fn('DATE_FORMAT', ['garbage', 'yyyy'])).toBeNull();
    expect(fn('DATE_FORMAT', [v(Date.UTC(2020, 0, 1), 'TIMESTAMP_LTZ(3)'), 'yyyy-MM-dd HH:mm XXX'], SHANGHAI)).toBe('2020-01-01 08:00 +08:00');
    expect(fn('DATE_FORMAT', [t, col('yyyy', 'STRING')])).toBe('2020');
    expect(() => resolveFn('DATE_FORMAT', [t, 'yyyy B'])).toThrow(FunctionTypeError);
  });

  it('TO_TIMESTAMP with and without a format', () => {
    expect(fn('TO_TIMESTAMP', ['2020-01-02 03:04:05'])).toBe(ts(2020, 1, 2, 3, 4, 5));
    expect(fn('TO_TIMESTAMP', ['2020-01-02 03:04:05.123'])).toBe(ts(2020, 1, 2, 3, 4, 5, 123));
    expect(fn('TO_TIMESTAMP', ['2020/01/02 03:04', 'yyyy/MM/dd HH:mm'])).toBe(ts(2020, 1, 2, 3, 4));
    expect(fn('TO_TIMESTAMP', ['1999-9-10 05:20:10', 'yyyy-MM-dd HH:mm:ss'])).toBe(ts(1999, 9, 10, 5, 20, 10));
    expect(fn('TO_TIMESTAMP', ['garbage'])).toBeNull();
    expect(fn('TO_TIMESTAMP', ['garbage', 'yyyy'])).toBeNull();
    expect(resolveFn('TO_TIMESTAMP', ['x']).type).toEqual({ root: 'TIMESTAMP', nullable: true, precision: 3 });
  });

  it('TO_TIMESTAMP_LTZ from epoch seconds or milliseconds, and from text', () => {
    expect(fn('TO_TIMESTAMP_LTZ', [1000, 0])).toBe(1_000_000);
    expect(fn('TO_TIMESTAMP_LTZ', [1500n, 3])).toBe(1500);
    expect(fn('TO_TIMESTAMP_LTZ', [1.5, 0])).toBe(1500);
    expect(fn('TO_TIMESTAMP_LTZ', [v(15n, 'DECIMAL(3, 1)'), 0])).toBe(1500);
    expect(fn('TO_TIMESTAMP_LTZ', [253402300800n, 0])).toBeNull();
    expect(() => resolveFn('TO_TIMESTAMP_LTZ', [1000, 6])).toThrow(FunctionTypeError);
    expect(fn('TO_TIMESTAMP_LTZ', ['2020-01-01 08:00:00'], SHANGHAI)).toBe(Date.UTC(2020, 0, 1));
    expect(fn('TO_TIMESTAMP_LTZ', ['01/01/2020 08', 'dd/MM/yyyy HH', 'Asia/Tokyo'])).toBe(Date.UTC(2019, 11, 31, 23));
  });

  it('TO_DATE', () => {
    expect(fn('TO_DATE', ['2020-01-02'])).toBe(date(2020, 1, 2));
    expect(fn('TO_DATE', ['20200102', 'yyyyMMdd'])).toBe(date(2020, 1, 2));
    expect(fn('TO_DATE', ['x'])).toBeNull();
  });

  it('FROM_UNIXTIME in the session time zone (documentation example)', () => {
    expect(fn('FROM_UNIXTIME', [44])).toBe('1970-01-01 00:00:44');
    expect(fn('FROM_UNIXTIME', [44], TOKYO)).toBe('1970-01-01 09:00:44');
    expect(fn('FROM_UNIXTIME', [1700000000n, 'yyyy-MM-dd'], NEW_YORK)).toBe('2023-11-14');
  });

  it('UNIX_TIMESTAMP (documentation examples in Europe/Berlin)', () => {
    expect(fn('UNIX_TIMESTAMP', ['1970-01-01 08:00:01.001', 'yyyy-MM-dd HH:mm:ss.SSS'], BERLIN)).toBe(25201n);
    expect(fn('UNIX_TIMESTAMP', ['1970-01-01 08:00:01.001 +0800', 'yyyy-MM-dd HH:mm:ss.SSS X'], BERLIN)).toBe(1n);
    expect(fn('UNIX_TIMESTAMP', ['1970-01-01 08:00:01.001 +0800', 'yyyy-MM-dd HH:mm:ss.SSS'], BERLIN)).toBe(25201n);
    expect(fn('UNIX_TIMESTAMP', ['1970-01-01 08:00:01.001', 'yyyy-MM-dd HH:mm:ss.SSS X'], BERLIN)).toBe(LONG_MIN);
    expect(fn('UNIX_TIMESTAMP', ['1970-01-01 00:00:10'])).toBe(10n);
    const now = resolveFn('UNIX_TIMESTAMP', []);
    expect(now.deterministic).toBe(false);
    expect(Number(now.impl() as bigint)).toBeCloseTo(Date.now() / 1000, -1);
  });

  it('CONVERT_TZ (documentation example)', () => {
    expect(fn('CONVERT_TZ', ['1970-01-01 00:00:00', 'UTC', 'America/Los_Angeles'])).toBe('1969-12-31 16:00:00');
    expect(fn('CONVERT_TZ', ['2024-03-10 01:59:59', 'America/New_York', 'UTC'])).toBe('2024-03-10 06:59:59');
    expect(fn('CONVERT_TZ', ['x', 'UTC', 'UTC'])).toBeNull();
    expect(() => resolveFn('CONVERT_TZ', ['1970-01-01 00:00:00', 'Nowhere/City', 'UTC'])).toThrow(FunctionTypeError);
  });
});

describe('TIMESTAMPADD and TIMESTAMPDIFF', () => {
  it('adds units', () => {
    expect(fn('TIMESTAMPADD', ['WEEK', 1, D(2003, 1, 2)])).toBe(date(2003, 1, 9));
    expect(fn('TIMESTAMPADD', ['MONTH', 1, D(2020, 1, 31)])).toBe(date(2020, 2, 29));
    expect(fn('TIMESTAMPADD', ['HOUR', 2, T(2020, 1, 1, 23)])).toBe(ts(2020, 1, 2, 1));
    expect(fn('TIMESTAMPADD', ['QUARTER', -1, T(2020, 5, 31)])).toBe(ts(2020, 2, 29));
    expect(fn('TIMESTAMPADD', ['HOUR', 3, D(2020, 1, 1)])).toBe(ts(2020, 1, 1, 3));
    expect(typeName(resolveFn('TIMESTAMPADD', ['HOUR', 3, D(2020, 1, 1)]).type)).toBe('TIMESTAMP(3)');
    expect(fn('TIMESTAMPADD', ['SQL_TSI_DAY', 1, T(2020, 1, 1)])).toBe(ts(2020, 1, 2));
    expect(fn('TIMESTAMPADD', ['DAY', 1, v(Date.UTC(2024, 2, 9, 17), 'TIMESTAMP_LTZ(3)')], NEW_YORK)).toBe(Date.UTC(2024, 2, 10, 17));
    expect(fn('TIMESTAMPADD', ['MONTH', 1, v(Date.UTC(2024, 1, 10, 17), 'TIMESTAMP_LTZ(3)')], NEW_YORK)).toBe(Date.UTC(2024, 2, 10, 16));
  });

  it('counts whole units between two points, truncating', () => {
    expect(fn('TIMESTAMPDIFF', ['DAY', T(2003, 1, 2, 10), T(2003, 1, 3, 10)])).toBe(1);
    expect(fn('TIMESTAMPDIFF', ['DAY', T(2003, 1, 2, 10), T(2003, 1, 3, 9)])).toBe(0);
    expect(fn('TIMESTAMPDIFF', ['HOUR', T(2003, 1, 3, 9), T(2003, 1, 2, 10)])).toBe(-23);
    expect(fn('TIMESTAMPDIFF', ['MONTH', D(2020, 1, 31), D(2020, 2, 29)])).toBe(1);
    expect(fn('TIMESTAMPDIFF', ['MONTH', D(2020, 1, 31), D(2020, 2, 28)])).toBe(0);
    expect(fn('TIMESTAMPDIFF', ['YEAR', D(2000, 2, 29), D(2004, 2, 28)])).toBe(3);
    expect(fn('TIMESTAMPDIFF', ['QUARTER', D(2020, 1, 1), T(2020, 12, 31, 23)])).toBe(3);
    expect(fn('TIMESTAMPDIFF', ['SECOND', v(0, 'TIMESTAMP_LTZ(3)'), v(90_500, 'TIMESTAMP_LTZ(3)')])).toBe(90);
    // 2024-03-10 in New York: 23 hours, but one calendar day
    expect(fn('TIMESTAMPDIFF', ['HOUR', v(Date.UTC(2024, 2, 10, 5), 'TIMESTAMP_LTZ(3)'), v(Date.UTC(2024, 2, 11, 4), 'TIMESTAMP_LTZ(3)')], NEW_YORK)).toBe(23);
    expect(() => resolveFn('TIMESTAMPDIFF', ['DAY', v(0, 'TIME(0)'), T(2020, 1, 1)])).toThrow(FunctionTypeError);
  });
});

describe('current date and time', () => {
  it('are non-deterministic and typed as Flink', () => {
    const now = resolveFn('CURRENT_TIMESTAMP', []);
    expect(now.deterministic).toBe(false);
    expect(now.type).toEqual({ root: 'TIMESTAMP_LTZ', nullable: false, precision: 3 });
    expect(Math.abs((now.impl() as number) - Date.now())).toBeLessThan(1000);
    expect(resolveFn('NOW', []).type.root).toBe('TIMESTAMP_LTZ');
    expect(resolveFn('CURRENT_ROW_TIMESTAMP', []).deterministic).toBe(false);
    const local = resolveFn('LOCALTIMESTAMP', [], SHANGHAI);
    expect(local.type).toEqual({ root: 'TIMESTAMP', nullable: false, precision: 3 });
    expect(Math.abs((local.impl() as number) - Date.now() - 8 * 3_600_000)).toBeLessThan(1000);
    const today = resolveFn('CURRENT_DATE', [], SHANGHAI).impl() as number;
    expect(today).toBe(Math.floor((Date.now() + 8 * 3_600_000) / 86_400_000));
    const t = resolveFn('CURRENT_TIME', []).impl() as number;
    expect(t % 1000).toBe(0);
    expect(typeName(resolveFn('LOCALTIME', []).type)).toBe('TIME(0)');
  });
});
