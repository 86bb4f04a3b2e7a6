// The column encoders without a server: exact decimal text (never through a float), integer ranges, date-times in a
// named zone (DST gaps and overlaps), Nullable and nested types, and the messages of refused values.
import { describe, expect, it } from 'vitest';
import { parseClickHouseType } from '../../src/types/clickhouse-type.js';
import { columnEncoder } from '../../src/types/column-encoder.js';
import { localToInstant } from '../../src/types/time-zone.js';
import { sqlValueConverter } from '../../src/types/sql-value.js';

const enc = (type: string): ((v: unknown) => string) => columnEncoder(parseClickHouseType(type));

describe('column encoders', () => {
  it('parses the types the server prints', () => {
    expect(parseClickHouseType("Nullable(DateTime64(3, 'Asia/Tokyo'))")).toMatchObject({ name: 'Nullable', args: [{ name: 'DateTime64', precision: 3, timeZone: 'Asia/Tokyo' }] });
    expect(parseClickHouseType('Decimal64(4)')).toMatchObject({ name: 'Decimal', precision: 18, scale: 4 });
    expect(parseClickHouseType('Map(String, Array(Nullable(Int8)))').args.map((a) => a.name)).toEqual(['String', 'Array']);
    expect(parseClickHouseType("Enum8('a' = 1, 'b\\'c' = 2)").enumValues).toEqual(new Map([['a', 1], ["b'c", 2]]));
  });

  it('writes decimals exactly and refuses what would be rounded or overflow', () => {
    const d = enc('Decimal(38, 10)');
    expect(d({ unscaled: 123456789012345678901234567890n, scale: 10 })).toBe('12345678901234567890.123456789');
    expect(d({ unscaled: -5n, scale: 3 })).toBe('-0.005');
    expect(d('0007.50')).toBe('7.5');
    expect(d(42n)).toBe('42');
    const small = enc('Decimal(5, 2)');
    expect(small('999.99')).toBe('999.99');
    expect(() => small('1000')).toThrow(/out of the range of Decimal\(5, 2\)/);
    expect(() => small('0.001')).toThrow(/more than 2 decimal places/);
    expect(() => small(0.1)).toThrow(/not exact/);
    expect(() => small('1e3')).toThrow(/not a decimal/);
  });

  it('checks integer ranges over the full 64 bits, without wrapping', () => {
    expect(enc('UInt64')(18446744073709551615n)).toBe('18446744073709551615');
    expect(() => enc('UInt64')(-1)).toThrow(/out of the range of UInt64/);
    expect(() => enc('Int8')(128)).toThrow(/out of the range of Int8/);
    expect(enc('Int32')('-2147483648')).toBe('-2147483648');
    expect(() => enc('Int32')('12a')).toThrow(/"12a" is not a number \(Int32\)/);
    expect(() => enc('Int32')(1.5)).toThrow(/not an integer/);
  });

  it('date-times: instants as epoch seconds, local text in the column zone (gap forward, overlap earlier)', () => {
    const berlin = enc("DateTime('Europe/Berlin')");
    expect(berlin(Date.UTC(2024, 0, 1, 12))).toBe(String(Date.UTC(2024, 0, 1, 12) / 1000));
    expect(berlin('2024-01-01 00:00:00')).toBe(String(Date.UTC(2023, 11, 31, 23) / 1000));
    expect(berlin('2024-03-31 02:30:00')).toBe(String(Date.UTC(2024, 2, 31, 1, 30) / 1000)); // gap: 03:30 CEST
    expect(berlin('2024-10-27 02:30:00')).toBe(String(Date.UTC(2024, 9, 27, 0, 30) / 1000)); // overlap: CEST
    expect(localToInstant('America/New_York', Date.UTC(2024, 10, 3, 1, 30))).toBe(Date.UTC(2024, 10, 3, 5, 30));
    expect(() => berlin('2024-02-30 00:00:00')).toThrow(/not a valid date-time/);
    expect(() => enc('DateTime')(-1000)).toThrow(/out of the range of DateTime/);
    expect(enc("DateTime64(3, 'UTC')")(Date.UTC(2024, 0, 1, 0, 0, 0, 5))).toBe(`"${Date.UTC(2024, 0, 1) / 1000}.005"`);
    expect(enc("DateTime64(3, 'UTC')")(-1)).toBe('"1969-12-31 23:59:59.999"');
    expect(enc('Date')('2024-02-29')).toBe('"2024-02-29"');
    expect(() => enc('Date')('2023-02-29')).toThrow(/not a valid date-time/);
  });

  it('NULL only into Nullable; nested types; strings escaped as JSON', () => {
    expect(enc('Nullable(Int32)')(null)).toBe('null');
    expect(() => enc('Int32')(null)).toThrow(/NULL cannot be written into Int32/);
    expect(enc('LowCardinality(Nullable(String))')(null)).toBe('null');
    expect(enc('Array(Nullable(Int8))')([1, null])).toBe('[1,null]');
    expect(enc('Map(String, UInt8)')(new Map([['a"', 1]]))).toBe('{"a\\"":1}');
    expect(enc('String')('x"\n\\')).toBe('"x\\"\\n\\\\"');
    expect(() => enc('FixedString(2)')('abc')).toThrow(/longer than 2 bytes/);
  });

  it('converts SQL values exactly: DECIMAL unscaled with its scale, TIMESTAMP as local text, DATE as a day', () => {
    expect(sqlValueConverter({ root: 'DECIMAL', nullable: true, precision: 10, scale: 2 })!(12345n)).toEqual({ unscaled: 12345n, scale: 2 });
    expect(sqlValueConverter({ root: 'TIMESTAMP', nullable: true, precision: 3 })!(Date.UTC(2024, 0, 2, 3, 4, 5, 6))).toBe('2024-01-02 03:04:05.006');
    expect(sqlValueConverter({ root: 'DATE', nullable: true })!(19723)).toBe('2024-01-01');
    expect(sqlValueConverter({ root: 'BIGINT', nullable: true })).toBeUndefined();
  });
});
