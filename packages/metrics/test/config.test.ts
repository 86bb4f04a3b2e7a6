import { describe, expect, it } from 'vitest';
import { metricRegistryOptionsFromConfig } from '../src/config.js';
import { RecordingReporter } from './recording-reporter.js';
import type { ReporterSetup } from '../src/metric-registry.js';

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

  it('parses reporter intervals in Flink\'s duration grammar (everything the old parser read) and rejects garbage', () => {
    const interval = (text: string): number | undefined =>
      (metricRegistryOptionsFromConfig({ 'metrics.reporter.x.interval': text }, { x: new RecordingReporter() }).reporters?.[0] as ReporterSetup)
        .intervalMs;
    expect(['500', '500 ms', '10s', '1 min', '2 h', '1.5 s', '3 mins', '1 d'].map(interval)).toEqual([
      500, 500, 10_000, 60_000, 7_200_000, 1500, 180_000, 86_400_000,
    ]);
    expect(() => interval('soon')).toThrow(
      "option 'metrics.reporter.x.interval': 'soon' is not a duration (expected e.g. '500 ms', '10 s', '1 min')",
    );
    expect(() => interval('5 fortnights')).toThrow(/is not a duration/);
    expect(() => interval('0 ms')).toThrow(/is out of range \(expected at least 1 ms\)/);
  });

  it('ignores keys of other components in the same configuration', () => {
    const options = metricRegistryOptionsFromConfig({ 'parallelism.default': '2', 'metrics.reporter.interval': '1 s' }, {});
    expect(options).toEqual({ reporters: [] });
  });
});
