// Entry point of `@runnel/api/metrics`.
export type { Counter, Gauge, Meter, Histogram, HistogramStatistics, Metric } from './metric.js';
export type { MetricGroup, MetricReporter } from './metric-group.js';
