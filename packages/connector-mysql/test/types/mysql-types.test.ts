// The type mapping without a server: COLUMN_TYPE parsing, the default mapping, exact numbers (never through a
// JavaScript number), dates and zones. The round trip through a real server is in test/sink and test/source.
import { describe, expect, it } from 'vitest';
import {
  formatDecimal,
  formatMySqlDateTime,
  logicalTypeToMySql,
  mysqlToLogicalType,
  mysqlValueReader,
  mysqlValueWriter,
  parseDecimal,
  parseExactInteger,
  parseMySqlColumnType,
  parseMySqlDateTime,
  zoneOffsetMs,
} from '../../src/types/mysql-types.js';

describe('mysql-types', () => {
  it('parses COLUMN_TYPE texts', () => {
    expect(parseMySqlColumnType('bigint(20) unsigned')).toMatchObject({ dataType: 'bigint', unsigned: true, length: 20 });
    expect(parseMySqlColumnType('decimal(38,10)')).toMatchObject({ dataType: 'decimal', precision: 38, scale: 10 });
    expect(parseMySqlColumnType('datetime(3)')).toMatchObject({ dataType: 'datetime', scale: 3 });
    expect(parseMySqlColumnType("enum('a','b,c')")).toMatchObject({ dataType: 'enum' });
    expect(parseMySqlColumnType('double precision')).toMatchObject({ dataType: 'double precision' });
    expect(parseMySqlColumnType('int(10) unsigned zerofill')).toMatchObject({ dataType: 'int', unsigned: true });
  });

  it('maps MySQL types to Runnel types as Flink CDC does', () => {
    const m = (s: string): string => {
      const l = mysqlToLogicalType(parseMySqlColumnType(s), false);
      return `${l.root}${l.precision !== undefined ? `(${l.precision}${l.scale !== undefined ? `,${l.scale}` : ''})` : ''}`;
    };
    expect(m('tinyint(1)')).toBe('BOOLEAN');
    expect(m('tinyint(4)')).toBe('TINYINT');
    expect(m('tinyint unsigned')).toBe('SMALLINT');
    expect(m('int unsigned')).toBe('BIGINT');
    expect(m('bigint unsigned')).toBe('DECIMAL(20,0)');
    expect(m('decimal(65,2)')).toBe('VARCHAR(2147483647)');
    expect(m('datetime(6)')).toBe('TIMESTAMP(6)');
    expect(m('timestamp(3)')).toBe('TIMESTAMP_LTZ(3)');
    expect(m('bit(8)')).toBe('VARBINARY(2147483647)');
    expect(m('json')).toBe('VARCHAR(2147483647)');
    expect(logicalTypeToMySql({ root: 'DECIMAL', nullable: true, precision: 12, scale: 3 })).toBe('DECIMAL(12,3)');
    expect(logicalTypeToMySql({ root: 'TIMESTAMP_LTZ', nullable: true, precision: 3 })).toBe('TIMESTAMP(3)');
  });

  it('parses integers and decimals exactly, never through a number', () => {
    expect(parseExactInteger('18446744073709551615')).toBe(18446744073709551615n);
    expect(parseExactInteger('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(() => parseExactInteger(2 ** 60)).toThrow(/not an exact integer/);
    expect(parseDecimal('12345678901234567890.123456789', 9)).toBe(12345678901234567890123456789n);
    expect(parseDecimal('-0.05', 2)).toBe(-5n);
    expect(parseDecimal('1.005', 2)).toBe(101n);
    expect(parseDecimal('7', 3)).toBe(7000n);
    expect(() => parseDecimal('1e3', 0)).toThrow(/not a decimal/);
    expect(formatDecimal(-5n, 2)).toBe('-0.05');
    expect(formatDecimal(12345678901234567890123456789n, 9)).toBe('12345678901234567890.123456789');
    expect(formatDecimal(42n, 0)).toBe('42');
  });

  it('parses the driver\'s canonical date-times and decimals like the general grammar (fast paths)', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const y = 1 + rand(9999);
      const ms = new Date(Date.UTC(2000, rand(12), 1 + rand(28), rand(24), rand(60), rand(60), rand(1000))).setUTCFullYear(y);
      const text = formatMySqlDateTime(ms);
      expect(text).toBe(new Date(ms).toISOString().replace('T', ' ').replace('Z', '').replace(/^\+?0*(\d{4})/, '$1'));
      expect(parseMySqlDateTime(text)).toBe(ms);
      expect(parseMySqlDateTime(`${text}456`)).toBe(ms);
      expect(parseMySqlDateTime(text.slice(0, 19))).toBe(ms - (ms % 1000 + 1000) % 1000);
      const unscaled = BigInt(rand(2 ** 30)) * BigInt(rand(2 ** 30)) * (rand(2) === 0 ? 1n : -1n);
      expect(parseDecimal(formatDecimal(unscaled, 4), 4)).toBe(unscaled);
      expect(parseDecimal(formatDecimal(unscaled, 2), 4)).toBe(unscaled * 100n);
    }
    expect(() => parseMySqlDateTime('2024-13-01 00:00:00')).toThrow(/not a valid date-time/);
    expect(parseMySqlDateTime('2024-00-01 00:00:00')).toBeNull();
    expect(parseDecimal('-.5', 1)).toBe(-5n);
    expect(parseDecimal('1.25', 1)).toBe(13n);
  });

  it('reads driver values into Runnel values and refuses what does not fit', () => {
    const dec = mysqlValueReader('amount', { root: 'DECIMAL', nullable: true, precision: 20, scale: 0 }, parseMySqlColumnType('bigint unsigned'));
    expect(dec('18446744073709551615')).toBe(18446744073709551615n);
    expect(dec(null)).toBeNull();
    const big = mysqlValueReader('id', { root: 'BIGINT', nullable: false });
    expect(big('9223372036854775807')).toBe(9223372036854775807n);
    expect(() => big('18446744073709551615')).toThrow(/column 'id'.*outside BIGINT/);
    expect(() => big(null)).toThrow(/column 'id': NULL in a NOT NULL/);
    const tiny = mysqlValueReader('t', { root: 'TINYINT', nullable: true });
    expect(() => tiny(300)).toThrow(/range/);
    const bool = mysqlValueReader('b', { root: 'BOOLEAN', nullable: true }, parseMySqlColumnType('bit(1)'));
    expect(bool(Buffer.from([1]))).toBe(true);
    const date = mysqlValueReader('d', { root: 'DATE', nullable: true });
    expect(date('1970-01-02')).toBe(1);
    expect(date('0000-00-00')).toBeNull();
    const time = mysqlValueReader('t', { root: 'TIME', nullable: true });
    expect(time('23:59:59.999999')).toBe(86_399_999);
    expect(() => time('25:00:00')).toThrow(/outside a day/);
  });

  it('reads and writes DATETIME and TIMESTAMP with the zone where local date-times meet instants', () => {
    const opts = { timeZone: 'Asia/Shanghai' };
    const local = Date.UTC(2024, 0, 1, 8, 0, 0, 123);
    const instant = Date.UTC(2024, 0, 1, 0, 0, 0, 123);
    const ts = parseMySqlColumnType('timestamp(3)');
    const dt = parseMySqlColumnType('datetime(3)');
    // A MySQL TIMESTAMP arrives as UTC text (session time_zone +00:00).
    expect(mysqlValueReader('x', { root: 'TIMESTAMP_LTZ', nullable: true }, ts, opts)('2024-01-01 00:00:00.123')).toBe(instant);
    expect(mysqlValueReader('x', { root: 'TIMESTAMP', nullable: true }, ts, opts)('2024-01-01 00:00:00.123')).toBe(local);
    // A DATETIME is a local date-time.
    expect(mysqlValueReader('x', { root: 'TIMESTAMP', nullable: true }, dt, opts)('2024-01-01 08:00:00.123')).toBe(local);
    expect(mysqlValueReader('x', { root: 'TIMESTAMP_LTZ', nullable: true }, dt, opts)('2024-01-01 08:00:00.123')).toBe(instant);
    expect(mysqlValueWriter('x', { root: 'TIMESTAMP_LTZ', nullable: true }, dt, opts)(instant)).toBe('2024-01-01 08:00:00.123');
    expect(mysqlValueWriter('x', { root: 'TIMESTAMP', nullable: true }, ts, opts)(local)).toBe('2024-01-01 00:00:00.123');
    expect(mysqlValueWriter('x', { root: 'TIMESTAMP', nullable: true }, dt, opts)(local)).toBe('2024-01-01 08:00:00.123');
    expect(parseMySqlDateTime('2024-03-05 01:02:03.456789')).toBe(Date.UTC(2024, 2, 5, 1, 2, 3, 456));
    expect(formatMySqlDateTime(new Date(Date.UTC(2000, 0, 1)).setUTCFullYear(1))).toBe('0001-01-01 00:00:00.000');
    expect(zoneOffsetMs('+05:30')(0)).toBe(330 * 60_000);
    // Daylight saving: Berlin is +1 in winter, +2 in summer.
    expect(zoneOffsetMs('Europe/Berlin')(Date.UTC(2024, 0, 1))).toBe(3_600_000);
    expect(zoneOffsetMs('Europe/Berlin')(Date.UTC(2024, 6, 1))).toBe(7_200_000);
    expect(() => zoneOffsetMs('Mars/Olympus')).toThrow(/unknown time zone/);
  });

  it('writes exact texts for BIGINT and DECIMAL and refuses NaN', () => {
    expect(mysqlValueWriter('x', { root: 'BIGINT', nullable: true })(-9223372036854775808n)).toBe('-9223372036854775808');
    expect(mysqlValueWriter('x', { root: 'DECIMAL', nullable: true, precision: 10, scale: 2 })(-12345n)).toBe('-123.45');
    expect(() => mysqlValueWriter('x', { root: 'DOUBLE', nullable: true })(Number.NaN)).toThrow(/column 'x'.*NaN/);
    expect(mysqlValueWriter('x', { root: 'VARBINARY', nullable: true })(new Uint8Array([0, 255]))).toEqual(Buffer.from([0, 255]));
  });
});
