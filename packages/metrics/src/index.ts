// `@runnel/metrics`: the metric registry, metric groups and metric types behind the `@runnel/api/metrics`
// contracts, plus Flink's standard operator/task metrics, snapshots and their aggregation across subtasks.
export { SimpleCounter } from './simple-counter.js';
export { MeterView } from './meter-view.js';
export { SimpleGauge, FunctionGauge } from './simple-gauge.js';
export { ReservoirHistogram } from './reservoir-histogram.js';
export { RegistryMetricGroup, DuplicateMetricError } from './metric-group-impl.js';
export type { ScopeComponents } from './metric-group-impl.js';
export { MetricRegistry } from './metric-registry.js';
export type { MetricRegistryOptions, ReporterSetup } from './metric-registry.js';
export type { MetricSnapshot } from './snapshot.js';
export { aggregateSnapshots } from './aggregate.js';
export type { AggregatedMetric } from './aggregate.js';
export { TimeRatioTracker, registerTimeRatioGauges } from './time-ratio-tracker.js';
export type { TimeRatioState, TimeRatioTrackerOptions } from './time-ratio-tracker.js';
export { createOperatorMetrics } from './operator-metrics.js';
export type { OperatorMetrics } from './operator-metrics.js';
export {
  ScopeVariables,
  createJobMetricGroup,
  addTaskMetricGroup,
  addOperatorMetricGroup,
} from './standard-groups.js';
export type { JobGroupInfo, TaskGroupInfo, OperatorGroupInfo } from './standard-groups.js';
export { LoggingReporter } from './logging-reporter.js';
export type { LoggingReporterOptions } from './logging-reporter.js';
export { MetricOptions, MetricConfigOptions, METRIC_CONFIG_OPTIONS, metricRegistryOptionsFromConfig } from './config.js';
