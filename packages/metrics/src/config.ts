// Reads the registry's options from flat configuration (the same keys as Flink), so `runnel.yaml` / CLI options
// configure metrics like `metrics.reporter.log.interval: 30 s`. The options are declared as data and parsed by
// `@runnel/api/config` (Flink's duration grammar, errors that name the key).
import type { MetricReporter } from '@runnel/api/metrics';
import { defineOption, parseOptionValue, parseOptions, type OptionSet } from '@runnel/api/config';
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
 * The metric registry's options, declared as data. `<name>` in a key stands for a reporter's name.
 *
 * @public
 */
export const MetricConfigOptions = {
  scopeDelimiter: defineOption({
    key: MetricOptions.SCOPE_DELIMITER,
    type: 'string',
    defaultValue: '.',
    description: 'Delimiter of scope components in metric identifiers.',
  }),
  reporters: defineOption({
    key: MetricOptions.REPORTERS,
    type: 'string',
    defaultDescription: 'every reporter given',
    description: 'Comma-separated names of the reporters to enable.',
  }),
  reporterInterval: defineOption({
    key: `${MetricOptions.REPORTER_PREFIX}<name>.interval`,
    type: 'duration',
    min: 1,
    defaultValue: 10_000,
    description: "How often the reporter `<name>` reports (a push reporter's interval).",
  }),
} as const;

/**
 * The keys `metricRegistryOptionsFromConfig` reads: the two options and every key under `metrics.reporter.`
 * (a reporter's `interval` and its own options, passed to its `open()` without the prefix).
 *
 * @public
 */
export const METRIC_CONFIG_OPTIONS: OptionSet = [
  MetricConfigOptions.scopeDelimiter,
  MetricConfigOptions.reporters,
  {
    prefix: MetricOptions.REPORTER_PREFIX,
    description: "Options of the reporter `<name>` (`metrics.reporter.<name>.<option>`), passed to its `open()` without the prefix.",
  },
];

/**
 * Builds registry options from configuration and named reporter instances. Each enabled reporter gets the keys under
 * `metrics.reporter.<name>.` (prefix stripped) as its `open()` config, and `interval` as its report interval. Keys
 * of other components in the same configuration are ignored.
 *
 * @public
 */
export function metricRegistryOptionsFromConfig(
  config: Readonly<Record<string, string>>,
  reporters: Readonly<Record<string, MetricReporter>> = {},
): MetricRegistryOptions {
  const o = parseOptions(METRIC_CONFIG_OPTIONS, config, { allowUnknown: true });
  const enabled = o
    .getOptional(MetricConfigOptions.reporters)
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
      ...(interval === undefined ? {} : { intervalMs: parseOptionValue(MetricConfigOptions.reporterInterval, interval, `${prefix}interval`) }),
    });
  }
  const delimiter = o.getOptional(MetricConfigOptions.scopeDelimiter);
  return { reporters: setups, ...(delimiter === undefined ? {} : { scopeDelimiter: delimiter }) };
}
