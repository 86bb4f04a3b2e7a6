import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/config/duration.js';
import { ConfigurationError } from '../../src/config/configuration-error.js';

describe('parseDuration (Flink grammar)', () => {
  it('reads every unit label, singular and plural, into milliseconds', () => {
    const cases: Record<string, number> = {
      '2 d': 172_800_000, '1 day': 86_400_000, '2 days': 172_800_000,
      '3 h': 10_800_000, '1 hour': 3_600_000, '2 hours': 7_200_000,
      '1 min': 60_000, '2 m': 120_000, '1 minute': 60_000, '3 minutes': 180_000,
      '10 s': 10_000, '1 sec': 1000, '2 secs': 2000, '1 second': 1000, '5 seconds': 5000,
      '500 ms': 500, '1 milli': 1, '2 millis': 2, '1 millisecond': 1, '7 milliseconds': 7,
      '500 µs': 0.5, '500 μs': 0.5, '250 us': 0.25, '1 micro': 0.001, '2 micros': 0.002, '1 microsecond': 0.001, '3000 microseconds': 3,
      '1000000 ns': 1, '1 nano': 0.000001, '2000000 nanos': 2, '1 nanosecond': 0.000001, '5000000 nanoseconds': 5,
    };
    for (const [text, ms] of Object.entries(cases)) expect(parseDuration(text), text).toBeCloseTo(ms, 12);
  });

  it('takes a bare number as milliseconds, with or without whitespace, in any case', () => {
    expect(parseDuration('250')).toBe(250);
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('  10 \t s  ')).toBe(10_000);
    expect(parseDuration('10 S')).toBe(10_000);
    expect(parseDuration('1 MIN')).toBe(60_000);
    expect(parseDuration('2 Hours')).toBe(7_200_000);
    expect(parseDuration('3MS')).toBe(3);
  });

  it('still reads what earlier Runnel versions read: fractions and mins', () => {
    // runtime-config: /(\d+(?:\.\d+)?)\s*(ms|s|min|h)?/; metrics and the file connector also mins/millis/secs;
    // datagen also d/day; the CLI '1.5min'
    expect(parseDuration('200 ms')).toBe(200);
    expect(parseDuration('1 s')).toBe(1000);
    expect(parseDuration('1.5min')).toBe(90_000);
    expect(parseDuration('0.5')).toBe(0.5);
    expect(parseDuration('2 mins')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1 d')).toBe(86_400_000);
  });

  it('says which key, what was given and what is expected', () => {
    expect(() => parseDuration('10 parsecs', 'execution.checkpointing.interval')).toThrow(
      "option 'execution.checkpointing.interval': '10 parsecs' is not a duration (expected e.g. '500 ms', '10 s', '1 min')",
    );
    expect(() => parseDuration('soon')).toThrow("'soon' is not a duration (expected e.g. '500 ms', '10 s', '1 min')");
    for (const bad of ['', ' ', 's', '-5 s', '+5 s', '5 s s', '1e3', '.5 s', '5.', '1 fortnight', '10 milli second', '0x10']) {
      expect(() => parseDuration(bad, 'k'), bad).toThrow(ConfigurationError);
    }
    expect(() => parseDuration('99999999999999999999 d', 'k')).toThrow(/is not a duration/);
  });
});

describe('formatDuration', () => {
  it('uses the largest exact unit, and parses back', () => {
    const cases: [number, string][] = [
      [0, '0 ms'], [200, '200 ms'], [1000, '1 s'], [1500, '1500 ms'], [60_000, '1 min'], [90_000, '90 s'],
      [3_600_000, '1 h'], [86_400_000, '1 d'], [0.5, '500 µs'], [0.000001, '1 ns'],
    ];
    for (const [ms, text] of cases) {
      expect(formatDuration(ms)).toBe(text);
      expect(parseDuration(text)).toBeCloseTo(ms, 12);
    }
  });
});
