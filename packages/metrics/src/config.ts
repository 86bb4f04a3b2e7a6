// Reads the registry's options from flat configuration (the same keys as Flink), so `runnel.yaml` / CLI options
// configure metrics like `metrics.reporter.log.interval: 30 s`.
import type { MetricReporter } from '@runnel/api/metrics';
import type { MetricRegistryOptions, ReporterSetup } from './metric-registry.js';

/**
 * Option keys understood by `metricRegistryOptionsFromConfig`.
 *
 * @public
 */
export const MetricOptions = {
  /** Delimiter of scope components in metric identifiers (default `.`). */
  SCOPE_DELIMITER: 'metrics.scope.delimiter',
  /** Comma-separated names of the reporters to enable (default: all given). */
  REPORTERS: 'metrics.reporters',
  /** Prefix of a reporter's options: `metrics.reporter.<name>.interval` (e.g. `10 s`, `500 ms`, `1 min`). */
  REPORTER_PREFIX: 'metrics.reporter.',
} as const;

/**
 * Builds registry options from configuration and named reporter instances. Each enabled reporter gets the keys under
 * `metrics.reporter.<name>.` (prefix stripped) as its `open()` config, and `interval` as its report interval.
 *
 * @public
 */
export function metricRegistryOptionsFromConfig(
  config: Readonly<Record<string, string>>,
  reporters: Readonly<Record<string, MetricReporter>> = {},
): MetricRegistryOptions {
  const enabled = config[MetricOptions.REPORTERS]
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const setups: ReporterSetup[] = [];
  for (const [name, reporter] of Object.entries(reporters)) {
    if (enabled !== undefined && !enabled.includes(name)) continue;
    const prefix = `${MetricOptions.REPORTER_PREFIX}${name}.`;
    const reporterConfig: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
      if (key.startsWith(prefix)) reporterConfig[key.slice(prefix.length)] = value;
    }
    const interval = reporterConfig['interval'];
    setups.push({
      name,
      reporter,
      config: reporterConfig,
      ...(interval === undefined ? {} : { intervalMs: parseDurationMs(interval, `${prefix}interval`) }),
    });
  }
  const delimiter = config[MetricOptions.SCOPE_DELIMITER];
  return { reporters: setups, ...(delimiter === undefined ? {} : { scopeDelimiter: delimiter }) };
}

const UNITS_MS: Record<string, number> = {
  ms: 1, milli: 1, millis: 1, millisecond: 1, milliseconds: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
};

/**
 * Parses a Flink-style duration (`500`, `500 ms`, `10 s`, `1 min`, `2 h`; a bare number is milliseconds).
 *
 * @public
 */
export function parseDurationMs(text: string, key = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = match?.[2]?.toLowerCase() ?? '';
  const factor = unit === '' ? 1 : UNITS_MS[unit];
  if (match === null || factor === undefined) {
    throw new Error(`Invalid duration for '${key}': '${text}' (expected e.g. '500 ms', '10 s', '1 min')`);
  }
  return Number(match[1]) * factor;
}
