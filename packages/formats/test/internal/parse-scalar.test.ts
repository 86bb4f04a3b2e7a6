import { describe, expect, it } from 'vitest';
import {
  parseBase64,
  parseBigintText,
  parseBooleanText,
  parseDateText,
  parseDoubleText,
  parseIntegerText,
  parseTimestampText,
  parseTimeText,
} from '../../src/internal/parse-scalar.js';

const utc = (iso: string) => Date.parse(`${iso}Z`);

describe('parse-scalar', () => {
  it('reads booleans, integers and doubles as Java parses them (trimmed)', () => {
    expect([parseBooleanText(' TRUE '), parseBooleanText('false'), parseBooleanText('yes')]).toEqual([true, false, undefined]);
    expect([parseIntegerText(' 12 '), parseIntegerText('+3'), parseIntegerText('-7'), parseIntegerText('1.0'), parseIntegerText('')]).toEqual([
      12,
      3,
      -7,
      undefined,
      undefined,
    ]);
    expect(parseBigintText('9223372036854775807')).toBe(9223372036854775807n);
    expect(parseBigintText('+9007199254740993')).toBe(9007199254740993n);
    expect(parseBigintText('1e3')).toBeUndefined();
    expect([parseDoubleText('1.5'), parseDoubleText('-2e3'), parseDoubleText('.5'), parseDoubleText('Infinity'), parseDoubleText('x')]).toEqual([
      1.5,
      -2000,
      0.5,
      Number.POSITIVE_INFINITY,
      undefined,
    ]);
    expect(parseDoubleText('NaN')).toBeNaN();
  });

  it('reads dates strictly, or as java.sql.Date.valueOf (one-digit month and day) when lenient', () => {
    expect(parseDateText('1970-01-01')).toBe(0);
    expect(parseDateText('2020-12-30')).toBe(18_626);
    expect(parseDateText('1969-12-31')).toBe(-1);
    expect(parseDateText('+10000-01-01')).toBe(Math.round(utc('+010000-01-01T00:00:00') / 86_400_000));
    for (const bad of ['2020-2-3', '20191112', '2019-02-29', '2020-13-01', '2020-12-30 ', '99-01-01']) expect(parseDateText(bad)).toBeUndefined();
    expect(parseDateText('2020-2-3', true)).toBe(parseDateText('2020-02-03'));
  });

  it('reads times with seconds (SQL) or optional seconds (ISO), fractions up to nanoseconds cut to milliseconds', () => {
    expect(parseTimeText('12:13:14')).toBe(43_994_000);
    expect(parseTimeText('12:13:14.1')).toBe(43_994_100);
    expect(parseTimeText('12:13:14.123456789')).toBe(43_994_123);
    expect(parseTimeText('12:13')).toBeUndefined();
    expect(parseTimeText('12:13', true)).toBe(43_980_000);
    for (const bad of ['18:00:243', '24:00:00', '12:60:00', '12:13:14.', '12:13:14.1234567890']) expect(parseTimeText(bad)).toBeUndefined();
  });

  it('reads timestamps in the SQL and ISO-8601 forms, TIMESTAMP_LTZ with a trailing Z', () => {
    const ms = utc('2020-12-30T12:13:14.123');
    expect(parseTimestampText('2020-12-30 12:13:14.123', 'SQL', false)).toBe(ms);
    expect(parseTimestampText('2020-12-30T12:13:14.123', 'ISO-8601', false)).toBe(ms);
    expect(parseTimestampText('2020-12-30 12:13:14.123Z', 'SQL', true)).toBe(ms);
    expect(parseTimestampText('2020-12-30T12:13:14.123Z', 'ISO-8601', true)).toBe(ms);
    expect(parseTimestampText('2020-12-30T12:13', 'ISO-8601', false)).toBe(utc('2020-12-30T12:13'));
    expect(parseTimestampText('1969-12-31 23:59:59.999', 'SQL', false)).toBe(-1);
    // Flink's JsonRowDataSerDeSchemaTest: each form is refused in the other standard, and zones other than Z are refused.
    expect(parseTimestampText('2019-11-12 18:00:12', 'ISO-8601', false)).toBeUndefined();
    expect(parseTimestampText('2019-11-12T18:00:12', 'SQL', false)).toBeUndefined();
    expect(parseTimestampText('2019-11-12T18:00:12Z', 'ISO-8601', false)).toBeUndefined();
    expect(parseTimestampText('2019-11-12T18:00:12', 'ISO-8601', true)).toBeUndefined();
    expect(parseTimestampText('2019-11-12T18:00:12+0800', 'ISO-8601', true)).toBeUndefined();
    expect(parseTimestampText('2020-12-30 12:13', 'SQL', false)).toBeUndefined();
  });

  it('reads standard base64 only', () => {
    expect(parseBase64('awML')).toEqual(new Uint8Array([107, 3, 11]));
    expect(parseBase64('AQ==')).toEqual(new Uint8Array([1]));
    expect(parseBase64('AQ')).toEqual(new Uint8Array([1]));
    expect(parseBase64('')).toEqual(new Uint8Array([]));
    expect(parseBase64('not base64!')).toBeUndefined();
    expect(parseBase64('A')).toBeUndefined();
    expect(Object.getPrototypeOf(parseBase64('awML'))).toBe(Uint8Array.prototype);
  });
});
