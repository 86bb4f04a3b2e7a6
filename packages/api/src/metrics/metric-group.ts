// A metric group is a named scope (job → task → operator → ...) that owns metrics and child groups. Variables
// such as `<operator_name>` or `<subtask_index>` travel with the scope so reporters can turn them into labels.
import type { Counter, Gauge, Histogram, Meter, Metric } from './metric.js';

/**
 * A scope of metrics.
 *
 * @public
 */
export interface MetricGroup {
  counter(name: string, counter?: Counter): Counter;
  gauge<T>(name: string, gauge: Gauge<T> | (() => T)): Gauge<T>;
  meter(name: string, meter?: Meter): Meter;
  histogram(name: string, histogram?: Histogram): Histogram;
  /** A child group; with a value, a key/value group whose key becomes a variable (a label). */
  addGroup(name: string, value?: string): MetricGroup;
  /** The scope components from the root, e.g. `['job', 'op', 'subtask']`. */
  getScopeComponents(): readonly string[];
  /** Variables of this scope, e.g. `{ '<job_name>': 'q5', '<subtask_index>': '0' }`. */
  getAllVariables(): Readonly<Record<string, string>>;
  /** The identifier of a metric in this scope, joined with `.`. */
  getMetricIdentifier(metricName: string): string;
}

/**
 * Receives metric registrations and reports them somewhere (Prometheus, logs, ...).
 * `open`/`close` are symmetric; `close` is idempotent.
 *
 * @public
 */
export interface MetricReporter {
  open(config: Readonly<Record<string, string>>): void | Promise<void>;
  close(): void | Promise<void>;
  notifyOfAddedMetric(metric: Metric, metricName: string, group: MetricGroup): void;
  notifyOfRemovedMetric(metric: Metric, metricName: string, group: MetricGroup): void;
  /** Optional capability: push-based reporters are called at the reporting interval. */
  report?(): void | Promise<void>;
}
