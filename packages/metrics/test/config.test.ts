import { describe, expect, it } from 'vitest';
import { metricRegistryOptionsFromConfig, parseDurationMs } from '../src/config.js';
import { RecordingReporter } from './recording-reporter.js';

describe('metricRegistryOptionsFromConfig', () => {
  it('reads delimiter, enabled reporters, their intervals and their own options', () => {
    const log = new RecordingReporter();
    const prom = new RecordingReporter();
    const options = metricRegistryOptionsFromConfig(
      {
        'metrics.scope.delimiter': '_',
        'metrics.reporters': 'log',
        'metrics.reporter.log.interval': '30 s',
        'metrics.reporter.log.filter': 'numRecords',
        'metrics.reporter.prom.port': '9249',
      },
      { log, prom },
    );
    expect(options.scopeDelimiter).toBe('_');
    expect(options.reporters).toEqual([
      { name: 'log', reporter: log, config: { interval: '30 s', filter: 'numRecords' }, intervalMs: 30_000 },
    ]);
  });

  it('parses Flink-style durations and rejects garbage', () => {
    expect(parseDurationMs('500')).toBe(500);
    expect(parseDurationMs('500 ms')).toBe(500);
    expect(parseDurationMs('10s')).toBe(10_000);
    expect(parseDurationMs('1 min')).toBe(60_000);
    expect(parseDurationMs('2 h')).toBe(7_200_000);
    expect(() => parseDurationMs('soon', 'metrics.reporter.x.interval')).toThrow(/metrics.reporter.x.interval/);
    expect(() => parseDurationMs('5 fortnights')).toThrow();
  });
});
