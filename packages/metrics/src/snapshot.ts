// Snapshots turn live metric objects into plain data that can cross a worker-thread boundary (structured clone),
// be served by the REST API (JSON) and be aggregated on the job manager, without sharing the metric objects.
import type { HistogramStatistics, Metric, MetricGroup } from '@runnel/api/metrics';

/**
 * The value of one metric at one point in time, as plain data.
 *
 * @remarks
 * `value` is the count for counters and meters, the statistics for histograms, and the gauge's value for gauges:
 * numbers, strings, booleans and null pass unchanged, bigints become decimal strings, other values become their
 * JSON text (or `String(value)`), and a gauge whose supplier throws reports null. Numbers are not altered, so a
 * gauge may carry `-Infinity` (e.g. "no watermark yet"); it survives structured clone but `JSON.stringify`
 * renders it as null. `rate` (events per second) is present for meters only.
 *
 * @public
 */
export interface MetricSnapshot {
  /** Scope components of the group, from the root. */
  scope: string[];
  /** Variables of the group (`<job_name>`, `<subtask_index>`, ...). */
  variables: Record<string, string>;
  name: string;
  kind: 'counter' | 'gauge' | 'meter' | 'histogram';
  value: number | string | boolean | null | HistogramStatistics;
  rate?: number;
}

/** @internal */
export function snapshotOf(metric: Metric, name: string, group: MetricGroup): MetricSnapshot {
  const scope = [...group.getScopeComponents()];
  const variables = { ...group.getAllVariables() };
  switch (metric.kind) {
    case 'counter':
      return { scope, variables, name, kind: 'counter', value: metric.getCount() };
    case 'meter':
      return { scope, variables, name, kind: 'meter', value: metric.getCount(), rate: metric.getRate() };
    case 'histogram':
      return { scope, variables, name, kind: 'histogram', value: { ...metric.getStatistics() } };
    case 'gauge':
      return { scope, variables, name, kind: 'gauge', value: gaugeValue(metric) };
  }
}

function gaugeValue(gauge: { getValue(): unknown }): MetricSnapshot['value'] {
  let value: unknown;
  try {
    value = gauge.getValue();
  } catch {
    // A gauge reads foreign state (queues, connections) that may already be gone; a snapshot must not fail.
    return null;
  }
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
      return null;
    default:
      if (value === null) return null;
      try {
        return JSON.stringify(value) ?? String(value);
      } catch {
        return String(value);
      }
  }
}
