import { describe, expect, it } from 'vitest';
import {
  bigDecimalText,
  durationText,
  instantText,
  javaBytesText,
  javaDoubleText,
  javaFloatText,
  localDateText,
  localDateTimeText,
  localTimeText,
  periodText,
} from '../../src/table/java-text.js';

describe('Java toString of Flink external values', () => {
  it('Double.toString: plain from 10^-3 to 10^7, computerized scientific outside', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [0.1, '0.1'],
      [100, '100.0'],
      [-2.5, '-2.5'],
      [0.001, '0.001'],
      [0.0001, '1.0E-4'],
      [1e7, '1.0E7'],
      [12345678.9, '1.23456789E7'],
      [9999999.5, '9999999.5'],
      [-1.5e-5, '-1.5E-5'],
      [Number.MAX_VALUE, '1.7976931348623157E308'],
      [Number.MIN_VALUE, '4.9E-324'],
      [0, '0.0'],
      [-0, '-0.0'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
    ];
    expect(cases.map(([v]) => javaDoubleText(v))).toEqual(cases.map(([, s]) => s));
  });

  it('Float.toString: the shortest digits of the 32-bit value', () => {
    const cases: [number, string][] = [
      [0.1, '0.1'],
      [1.1, '1.1'],
      [1 / 3, '0.33333334'],
      [16777216, '1.6777216E7'],
      [1e10, '1.0E10'],
      [3.4028234663852886e38, '3.4028235E38'],
      [1.401298464324817e-45, '1.4E-45'],
    ];
    expect(cases.map(([v]) => javaFloatText(v))).toEqual(cases.map(([, s]) => s));
  });

  it('BigDecimal.toString: the scale kept, scientific below 10^-6', () => {
    const cases: [bigint, number, string][] = [
      [12345n, 2, '123.45'],
      [1230n, 2, '12.30'],
      [-5n, 2, '-0.05'],
      [0n, 2, '0.00'],
      [123n, 0, '123'],
      [10n, 7, '0.0000010'],
      [1n, 7, '1E-7'],
      [0n, 8, '0E-8'],
      [-12n, 9, '-1.2E-8'],
      [99999999999999999999999999999999999999n, 0, '99999999999999999999999999999999999999'],
    ];
    expect(cases.map(([u, s]) => bigDecimalText(u, s))).toEqual(cases.map(([, , s]) => s));
  });

  it('LocalDate, LocalTime, LocalDateTime and Instant', () => {
    expect([0, -1, 18262, -719528].map(localDateText)).toEqual(['1970-01-01', '1969-12-31', '2020-01-01', '0000-01-01']);
    expect([0, 36_000_000, 36_005_000, 36_005_120, 36_000_001].map(localTimeText)).toEqual(['00:00', '10:00', '10:00:05', '10:00:05.120', '10:00:00.001']);
    expect(localDateTimeText(Date.UTC(2020, 0, 1, 10))).toBe('2020-01-01T10:00');
    expect(localDateTimeText(Date.UTC(1969, 11, 31, 23, 59, 59, 999))).toBe('1969-12-31T23:59:59.999');
    expect(instantText(Date.UTC(2020, 0, 1, 10))).toBe('2020-01-01T10:00:00Z');
    expect(instantText(Date.UTC(2020, 0, 1, 10, 0, 0, 120))).toBe('2020-01-01T10:00:00.120Z');
    expect(localDateText(2932897)).toBe('+10000-01-01');
  });

  it('Period and Duration', () => {
    expect([14, 0, -14, 12, 3].map(periodText)).toEqual(['P1Y2M', 'P0D', 'P-1Y-2M', 'P1Y', 'P3M']);
    expect([5_400_000, 500, -1500, 0, 90_061_001, -500, 60_000, -60_000].map(durationText)).toEqual([
      'PT1H30M',
      'PT0.5S',
      'PT-1.5S',
      'PT0S',
      'PT25H1M1.001S',
      'PT-0.5S',
      'PT1M',
      'PT-1M',
    ]);
  });

  it('Arrays.toString(byte[]): signed bytes', () => {
    expect(javaBytesText(Uint8Array.of(1, 255, 127, 128))).toBe('[1, -1, 127, -128]');
    expect(javaBytesText(new Uint8Array(0))).toBe('[]');
  });
});
