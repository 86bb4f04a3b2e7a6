import { describe, expect, it } from 'vitest';
import { FunctionTypeError, SqlRuntimeError, type FunctionContext } from '../../src/functions/function-definition.js';
import { canCast, resolveCast } from '../../src/types/cast.js';
import { UTC, date, ts, type } from '../functions/helpers.js';

function cast(value: unknown, from: string, to: string, ctx: FunctionContext = UTC): unknown {
  return resolveCast(type(from), type(to), false, ctx)(value);
}

function tryCast(value: unknown, from: string, to: string, ctx: FunctionContext = UTC): unknown {
  return resolveCast(type(from), type(to), true, ctx)(value);
}

const SHANGHAI = { localTimeZone: 'Asia/Shanghai' };
const NEW_YORK = { localTimeZone: 'America/New_York' };

describe('which casts are allowed (Flink cast matrix)', () => {
  it('refuses forbidden pairs at planning', () => {
    const forbidden: [string, string][] = [
      ['BOOLEAN', 'DATE'],
      ['INT', 'TIMESTAMP(3)'],
      ['BIGINT', 'TIMESTAMP_LTZ(3)'],
      ['DATE', 'TIME'],
      ['TIME', 'DATE'],
      ['DATE', 'INT'],
      ['TIMESTAMP(3)', 'BIGINT'],
      ['STRING', 'INTERVAL_DT'],
      ['BYTES', 'INT'],
      ['INT', 'BYTES'],
      ['ARRAY<INT>', 'MAP<INT, INT>'],
      ['ROW<a INT, b INT>', 'ROW<a INT>'],
      ['ARRAY<DATE>', 'ARRAY<INT>'],
      ['DOUBLE', 'INTERVAL_YM'],
    ];
    for (const [from, to] of forbidden) {
      expect(canCast(type(from), type(to)), `${from} -> ${to}`).toBe(false);
      expect(() => resolveCast(type(from), type(to), false, UTC)).toThrow(FunctionTypeError);
    }
    expect(() => resolveCast(type('BOOLEAN'), type('DATE'), true, UTC)).toThrow(/cannot cast BOOLEAN to DATE/);
  });

  it('allows the supported pairs', () => {
    const allowed: [string, string][] = [
      ['INT', 'STRING'],
      ['ARRAY<INT>', 'STRING'],
      ['STRING', 'DATE'],
      ['STRING', 'BYTES'],
      ['BYTES', 'STRING'],
      ['BOOLEAN', 'DECIMAL(3, 1)'],
      ['DOUBLE', 'BOOLEAN'],
      ['DATE', 'TIMESTAMP_LTZ(3)'],
      ['TIME', 'TIMESTAMP(3)'],
      ['INT', 'INTERVAL_YM'],
      ['BIGINT', 'INTERVAL_DT'],
      ['INTERVAL_DT', 'BIGINT'],
      ['ARRAY<STRING>', 'ARRAY<INT>'],
      ['MAP<STRING, STRING>', 'MAP<STRING, DOUBLE>'],
      ['ROW<a INT, b STRING>', 'ROW<x BIGINT, y INT>'],
      ['NULL', 'DATE'],
    ];
    for (const [from, to] of allowed) expect(canCast(type(from), type(to)), `${from} -> ${to}`).toBe(true);
  });
});

describe('CAST to numbers', () => {
  it('parses strings as Flink (whitespace trimmed, a fraction truncated)', () => {
    expect(cast(' 42 ', 'STRING', 'INT')).toBe(42);
    expect(cast('\t-7\n', 'STRING', 'INT')).toBe(-7);
    expect(cast('12.7', 'STRING', 'INT')).toBe(12);
    expect(cast('-12.7', 'STRING', 'BIGINT')).toBe(-12n);
    expect(cast('127', 'STRING', 'TINYINT')).toBe(127);
    expect(cast('9223372036854775807', 'STRING', 'BIGINT')).toBe(9223372036854775807n);
    expect(cast('-9223372036854775808', 'STRING', 'BIGINT')).toBe(-9223372036854775808n);
    expect(cast(' 1.5e3 ', 'STRING', 'DOUBLE')).toBe(1500);
    expect(cast('NaN', 'STRING', 'DOUBLE')).toBeNaN();
    expect(cast('-Infinity', 'STRING', 'DOUBLE')).toBe(-Infinity);
    expect(cast('0.1', 'STRING', 'FLOAT')).toBe(Math.fround(0.1));
  });

  it('fails CAST and nulls TRY_CAST on bad or out-of-range text', () => {
    expect(() => cast('abc', 'STRING', 'INT')).toThrow(SqlRuntimeError);
    expect(() => cast('abc', 'STRING', 'INT')).toThrow("Cannot cast 'abc' to INT");
    expect(tryCast('abc', 'STRING', 'INT')).toBeNull();
    expect(() => cast('2147483648', 'STRING', 'INT')).toThrow(/overflow/);
    expect(() => cast('99999999999999999999999', 'STRING', 'INT')).toThrow(/overflow/);
    expect(Object.is(cast('-0', 'STRING', 'INT'), 0)).toBe(true);
    expect(cast('-2147483648', 'STRING', 'INT')).toBe(-2147483648);
    expect(() => cast('128', 'STRING', 'TINYINT')).toThrow(/TINYINT/);
    expect(() => cast('9223372036854775808', 'STRING', 'BIGINT')).toThrow(SqlRuntimeError);
    expect(tryCast('', 'STRING', 'BIGINT')).toBeNull();
    expect(tryCast('1 2', 'STRING', 'INT')).toBeNull();
    expect(tryCast('1e5', 'STRING', 'INT')).toBeNull();
    expect(tryCast('one', 'STRING', 'DOUBLE')).toBeNull();
    expect(cast(null, 'STRING?', 'INT')).toBeNull();
    expect(tryCast(null, 'STRING?', 'INT')).toBeNull();
  });

  it('narrows integers by wrapping (Java casts) and floating point by saturating', () => {
    expect(cast(300, 'INT', 'TINYINT')).toBe(44);
    expect(cast(-129, 'INT', 'TINYINT')).toBe(127);
    expect(cast(70000, 'INT', 'SMALLINT')).toBe(4464);
    expect(cast(2n ** 40n + 5n, 'BIGINT', 'INT')).toBe(5);
    expect(cast(-1n, 'BIGINT', 'INT')).toBe(-1);
    expect(cast(1e20, 'DOUBLE', 'INT')).toBe(2147483647);
    expect(cast(-1e20, 'DOUBLE', 'INT')).toBe(-2147483648);
    expect(cast(NaN, 'DOUBLE', 'INT')).toBe(0);
    expect(cast(3.99, 'DOUBLE', 'INT')).toBe(3);
    expect(cast(-3.99, 'DOUBLE', 'INT')).toBe(-3);
    expect(cast(300.7, 'DOUBLE', 'TINYINT')).toBe(44);
    expect(cast(1e20, 'DOUBLE', 'BIGINT')).toBe(9223372036854775807n);
    expect(cast(-0.5, 'DOUBLE', 'BIGINT')).toBe(0n);
    expect(cast(12345n, 'DECIMAL(5, 2)', 'INT')).toBe(123);
    expect(cast(-199n, 'DECIMAL(5, 2)', 'INT')).toBe(-1);
    expect(cast(3005n, 'DECIMAL(5, 1)', 'TINYINT')).toBe(44);
    expect(cast(true, 'BOOLEAN', 'INT')).toBe(1);
    expect(cast(false, 'BOOLEAN', 'BIGINT')).toBe(0n);
    expect(cast(5, 'INT', 'BIGINT')).toBe(5n);
    expect(cast(2n ** 60n, 'BIGINT', 'DOUBLE')).toBe(2 ** 60);
    expect(cast(12345n, 'DECIMAL(5, 2)', 'DOUBLE')).toBe(123.45);
    expect(cast(0.1, 'DOUBLE', 'FLOAT')).toBe(Math.fround(0.1));
  });

  it('casts to DECIMAL rounding HALF_UP; a number that does not fit is NULL, text that does not fit fails', () => {
    expect(cast(123, 'INT', 'DECIMAL(5, 2)')).toBe(12300n);
    expect(cast(12345, 'INT', 'DECIMAL(4, 1)')).toBeNull();
    expect(cast(0.1, 'DOUBLE', 'DECIMAL(3, 2)')).toBe(10n);
    expect(cast(2.675, 'DOUBLE', 'DECIMAL(3, 2)')).toBe(268n);
    expect(cast(-2.675, 'DOUBLE', 'DECIMAL(3, 2)')).toBe(-268n);
    expect(cast(Math.fround(0.1), 'FLOAT', 'DECIMAL(10, 9)')).toBe(100000001n);
    expect(cast(12345n, 'DECIMAL(5, 3)', 'DECIMAL(4, 2)')).toBe(1235n);
    expect(cast(99999n, 'DECIMAL(5, 2)', 'DECIMAL(4, 2)')).toBeNull();
    expect(cast('1.005', 'STRING', 'DECIMAL(4, 2)')).toBe(101n);
    expect(cast(' -1.005 ', 'STRING', 'DECIMAL(4, 2)')).toBe(-101n);
    expect(cast('1e2', 'STRING', 'DECIMAL(5, 1)')).toBe(1000n);
    expect(() => cast('123.45', 'STRING', 'DECIMAL(4, 2)')).toThrow(/overflow/);
    expect(tryCast('123.45', 'STRING', 'DECIMAL(4, 2)')).toBeNull();
    expect(() => cast(NaN, 'DOUBLE', 'DECIMAL(4, 2)')).toThrow(SqlRuntimeError);
    expect(cast(true, 'BOOLEAN', 'DECIMAL(2, 1)')).toBe(10n);
    expect(cast(9223372036854775807n, 'BIGINT', 'DECIMAL(19, 0)')).toBe(9223372036854775807n);
  });

  it('casts to and from BOOLEAN', () => {
    expect(cast(' TRUE ', 'STRING', 'BOOLEAN')).toBe(true);
    expect(cast('yes', 'STRING', 'BOOLEAN')).toBe(true);
    expect(cast('t', 'STRING', 'BOOLEAN')).toBe(true);
    expect(cast('0', 'STRING', 'BOOLEAN')).toBe(false);
    expect(cast('No', 'STRING', 'BOOLEAN')).toBe(false);
    expect(() => cast('maybe', 'STRING', 'BOOLEAN')).toThrow("Cannot cast 'maybe' to BOOLEAN");
    expect(cast(0, 'INT', 'BOOLEAN')).toBe(false);
    expect(cast(-5, 'INT', 'BOOLEAN')).toBe(true);
    expect(cast(0n, 'DECIMAL(3, 2)', 'BOOLEAN')).toBe(false);
    expect(cast(0.5, 'DOUBLE', 'BOOLEAN')).toBe(true);
  });
});

describe('CAST to strings', () => {
  it('formats numbers as Java (Double.toString, Float.toString, plain decimals)', () => {
    const d: [number, string][] = [
      [1, '1.0'],
      [1e10, '1.0E10'],
      [0.001, '0.001'],
      [1e-4, '1.0E-4'],
      [123456789, '1.23456789E8'],
      [1234567, '1234567.0'],
      [1e7, '1.0E7'],
      [-0, '-0.0'],
      [0.1 + 0.2, '0.30000000000000004'],
      [NaN, 'NaN'],
      [-Infinity, '-Infinity'],
      [1.5e-7, '1.5E-7'],
      [Number.MAX_VALUE, '1.7976931348623157E308'],
    ];
    for (const [x, s] of d) expect(cast(x, 'DOUBLE', 'STRING')).toBe(s);
    expect(cast(Math.fround(0.1), 'FLOAT', 'STRING')).toBe('0.1');
    expect(cast(Math.fround(1.1), 'FLOAT', 'STRING')).toBe('1.1');
    expect(cast(Math.fround(3.4028235e38), 'FLOAT', 'STRING')).toBe('3.4028235E38');
    expect(cast(Math.fround(16777216), 'FLOAT', 'STRING')).toBe('1.6777216E7');
    expect(cast(100n, 'DECIMAL(5, 2)', 'STRING')).toBe('1.00');
    expect(cast(-5n, 'DECIMAL(5, 3)', 'STRING')).toBe('-0.005');
    expect(cast(9223372036854775807n, 'BIGINT', 'STRING')).toBe('9223372036854775807');
    expect(cast(-42, 'INT', 'STRING')).toBe('-42');
    expect(cast(true, 'BOOLEAN', 'STRING')).toBe('TRUE');
    expect(cast(false, 'BOOLEAN', 'STRING')).toBe('FALSE');
  });

  it('formats temporal values and intervals', () => {
    expect(cast(date(2020, 1, 5), 'DATE', 'STRING')).toBe('2020-01-05');
    expect(cast(45296000, 'TIME(0)', 'STRING')).toBe('12:34:56');
    expect(cast(ts(2020, 1, 2, 3, 4, 5), 'TIMESTAMP(3)', 'STRING')).toBe('2020-01-02 03:04:05.000');
    expect(cast(ts(2020, 1, 2, 3, 4, 5), 'TIMESTAMP(0)', 'STRING')).toBe('2020-01-02 03:04:05');
    expect(cast(Date.UTC(2020, 0, 1), 'TIMESTAMP_LTZ(3)', 'STRING', SHANGHAI)).toBe('2020-01-01 08:00:00.000');
    expect(cast(14, 'INTERVAL_YM', 'STRING')).toBe('+1-02');
    expect(cast(-3, 'INTERVAL_YM', 'STRING')).toBe('-0-03');
    expect(cast(93784005, 'INTERVAL_DT', 'STRING')).toBe('+1 02:03:04.005');
  });

  it('formats arrays, maps and rows', () => {
    expect(cast([1, null, 3], 'ARRAY<INT?>', 'STRING')).toBe('[1, NULL, 3]');
    expect(cast(new Map([['a', 1], ['b', null]]), 'MAP<STRING, INT?>', 'STRING')).toBe('{a=1, b=NULL}');
    expect(cast([1, 'abc', null], 'ROW<a INT, b STRING, c DOUBLE?>', 'STRING')).toBe('(1, abc, NULL)');
    expect(cast([[1.5], []], 'ARRAY<ARRAY<DOUBLE>>', 'STRING')).toBe('[[1.5], []]');
  });

  it('pads CHAR(n) and truncates CHAR(n)/VARCHAR(n)', () => {
    expect(cast('ab', 'STRING', 'CHAR(5)')).toBe('ab   ');
    expect(cast('abc', 'STRING', 'VARCHAR(2)')).toBe('ab');
    expect(cast('abc', 'STRING', 'CHAR(2)')).toBe('ab');
    expect(cast(12345, 'INT', 'VARCHAR(3)')).toBe('123');
    expect(cast('😀😀x', 'STRING', 'VARCHAR(2)')).toBe('😀😀');
  });

  it('converts between strings and bytes as UTF-8', () => {
    expect(cast('hé', 'STRING', 'BYTES')).toEqual(new Uint8Array([0x68, 0xc3, 0xa9]));
    expect(cast(new Uint8Array([0x68, 0xc3, 0xa9]), 'BYTES', 'STRING')).toBe('hé');
    expect(cast('ab', 'STRING', 'BINARY(4)')).toEqual(new Uint8Array([0x61, 0x62, 0, 0]));
    expect(cast(new Uint8Array([1, 2, 3]), 'BYTES', 'VARBINARY(2)')).toEqual(new Uint8Array([1, 2]));
  });
});

describe('CAST between temporal types', () => {
  it('parses and fails as CAST/TRY_CAST', () => {
    expect(cast('2020-1-5', 'STRING', 'DATE')).toBe(date(2020, 1, 5));
    expect(() => cast('2020-02-30', 'STRING', 'DATE')).toThrow("Cannot cast '2020-02-30' to DATE");
    expect(tryCast('x', 'STRING', 'DATE')).toBeNull();
    expect(cast('10:11:12', 'STRING', 'TIME(0)')).toBe(36672000);
    expect(cast('2020-01-02 03:04:05.6789', 'STRING', 'TIMESTAMP(3)')).toBe(ts(2020, 1, 2, 3, 4, 5, 678));
    expect(cast('2020-01-02 03:04:05.6789', 'STRING', 'TIMESTAMP(0)')).toBe(ts(2020, 1, 2, 3, 4, 5));
    expect(tryCast('2020-01-02 3pm', 'STRING', 'TIMESTAMP(3)')).toBeNull();
  });

  it('converts between DATE, TIME and TIMESTAMP', () => {
    expect(cast(ts(1969, 12, 31, 23), 'TIMESTAMP(3)', 'DATE')).toBe(date(1969, 12, 31));
    expect(cast(ts(2020, 1, 2, 3, 4, 5, 6), 'TIMESTAMP(3)', 'TIME(0)')).toBe(11045000);
    expect(cast(date(2020, 1, 2), 'DATE', 'TIMESTAMP(3)')).toBe(ts(2020, 1, 2));
    expect(cast(ts(2020, 1, 2, 3, 4, 5, 678), 'TIMESTAMP(3)', 'TIMESTAMP(0)')).toBe(ts(2020, 1, 2, 3, 4, 5));
    expect(cast(3723000, 'TIME(0)', 'TIMESTAMP(3)')).toBe(3723000);
  });

  it('converts TIMESTAMP_LTZ in the session time zone', () => {
    expect(cast('2020-01-01 08:00:00', 'STRING', 'TIMESTAMP_LTZ(3)', SHANGHAI)).toBe(Date.UTC(2020, 0, 1));
    expect(cast(Date.UTC(2020, 0, 1), 'TIMESTAMP_LTZ(3)', 'TIMESTAMP(3)', SHANGHAI)).toBe(ts(2020, 1, 1, 8));
    expect(cast(Date.UTC(2019, 11, 31, 20), 'TIMESTAMP_LTZ(3)', 'DATE', SHANGHAI)).toBe(date(2020, 1, 1));
    expect(cast(date(2020, 1, 1), 'DATE', 'TIMESTAMP_LTZ(3)', SHANGHAI)).toBe(Date.UTC(2019, 11, 31, 16));
    // New York: before and after the spring-forward change, and a local time inside the gap
    expect(cast(ts(2024, 3, 10, 1, 30), 'TIMESTAMP(3)', 'TIMESTAMP_LTZ(3)', NEW_YORK)).toBe(Date.UTC(2024, 2, 10, 6, 30));
    expect(cast(ts(2024, 3, 10, 3, 30), 'TIMESTAMP(3)', 'TIMESTAMP_LTZ(3)', NEW_YORK)).toBe(Date.UTC(2024, 2, 10, 7, 30));
    expect(cast(ts(2024, 3, 10, 2, 30), 'TIMESTAMP(3)', 'TIMESTAMP_LTZ(3)', NEW_YORK)).toBe(Date.UTC(2024, 2, 10, 7, 30));
    expect(cast(Date.UTC(2024, 10, 3, 6, 30), 'TIMESTAMP_LTZ(3)', 'STRING', NEW_YORK)).toBe('2024-11-03 01:30:00.000');
  });
});

describe('CAST of constructed types and intervals', () => {
  it('casts element-wise; a failing element fails CAST and nulls TRY_CAST', () => {
    expect(cast(['1', ' 2', null], 'ARRAY<STRING?>', 'ARRAY<INT?>')).toEqual([1, 2, null]);
    expect(() => cast(['1', 'a'], 'ARRAY<STRING>', 'ARRAY<INT>')).toThrow(SqlRuntimeError);
    expect(tryCast(['1', 'a'], 'ARRAY<STRING>', 'ARRAY<INT>')).toBeNull();
    expect(cast(new Map([['a', '1.5']]), 'MAP<STRING, STRING>', 'MAP<STRING, DOUBLE>')).toEqual(new Map([['a', 1.5]]));
    expect(cast([1, 'x'], 'ROW<a INT, b STRING>', 'ROW<a BIGINT, b STRING>')).toEqual([1n, 'x']);
  });

  it('casts integers to intervals and back', () => {
    expect(cast(5, 'INT', 'INTERVAL_YM')).toBe(5);
    expect(cast(1500n, 'BIGINT', 'INTERVAL_DT')).toBe(1500);
    expect(cast(1500, 'INTERVAL_DT', 'BIGINT')).toBe(1500n);
  });

  it('casts NULL to NULL of any type', () => {
    expect(cast(null, 'NULL', 'DATE')).toBeNull();
    expect(tryCast(null, 'NULL', 'ARRAY<INT>')).toBeNull();
  });
});
