import { describe, expect, it } from 'vitest';
import { formatBase64, formatDate, formatFloat, formatTime, formatTimestamp } from '../../src/internal/format-scalar.js';

describe('format-scalar', () => {
  it('writes dates as ISO local dates, signed beyond four-digit years', () => {
    expect(formatDate(0)).toBe('1970-01-01');
    expect(formatDate(18_626)).toBe('2020-12-30');
    expect(formatDate(-719_528)).toBe('0000-01-01');
    expect(formatDate(-719_529)).toBe('-0001-12-31');
    expect(formatDate(2_932_897)).toBe('+10000-01-01');
  });

  it('writes fractions with as few digits as needed, as Java appendFraction(0, 9)', () => {
    expect(formatTime(43_994_000)).toBe('12:13:14');
    expect(formatTime(43_994_100)).toBe('12:13:14.1');
    expect(formatTime(43_994_120)).toBe('12:13:14.12');
    expect(formatTime(43_994_123)).toBe('12:13:14.123');
    expect(formatTime(43_994_003)).toBe('12:13:14.003');
  });

  it('writes timestamps in both standards, TIMESTAMP_LTZ in UTC with Z', () => {
    const ms = Date.parse('2020-12-30T12:13:14.123Z');
    expect(formatTimestamp(ms, 'SQL', false)).toBe('2020-12-30 12:13:14.123');
    expect(formatTimestamp(ms, 'ISO-8601', false)).toBe('2020-12-30T12:13:14.123');
    expect(formatTimestamp(ms, 'SQL', true)).toBe('2020-12-30 12:13:14.123Z');
    expect(formatTimestamp(ms, 'ISO-8601', true)).toBe('2020-12-30T12:13:14.123Z');
    expect(formatTimestamp(-1, 'SQL', false)).toBe('1969-12-31 23:59:59.999');
  });

  it('writes floats with the shortest digits that read back to the same float', () => {
    expect(formatFloat(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat(Math.fround(0.33333334))).toBe('0.33333334');
    expect(formatFloat(Math.fround(16777217))).toBe('16777216');
    expect(formatFloat(1.5)).toBe('1.5');
  });

  it('writes bytes as padded base64', () => {
    expect(formatBase64(new Uint8Array([107, 3, 11]))).toBe('awML');
    expect(formatBase64(new Uint8Array([1]))).toBe('AQ==');
    expect(formatBase64(new Uint8Array(new ArrayBuffer(8), 2, 1).fill(1))).toBe('AQ==');
  });
});
