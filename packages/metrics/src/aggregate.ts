// Aggregation of snapshots across parallel subtasks: the job manager collects snapshots from every worker and
// shows one row per operator (records in/out summed, rates summed, the minimum watermark) on the dashboard.
import type { HistogramStatistics } from '@runnel/api/metrics';
import type { MetricSnapshot } from './snapshot.js';

/**
 * One metric aggregated over the snapshots that share the `by` variables.
 *
 * @remarks
 * For counters and meters the aggregated number is the count; for numeric gauges the value (non-numeric gauges
 * are left out); for histograms the count. `sum`, `min`, `max` are over those numbers (so the minimum of
 * `currentInputWatermark` across subtasks is the operator's watermark). `rate` is the sum of meter rates.
 * `histogram` merges statistics: counts summed, min/max exact, mean weighted by count, and p50/p95/p99 the maximum
 * over members (an upper bound: percentiles cannot be merged exactly from summaries).
 *
 * @public
 */
export interface AggregatedMetric {
  /** The values of the `by` variables. */
  readonly variables: Record<string, string>;
  readonly name: string;
  readonly kind: MetricSnapshot['kind'];
  /** Number of snapshots aggregated (e.g. subtasks). */
  members: number;
  sum: number;
  min: number;
  max: number;
  rate?: number;
  histogram?: HistogramStatistics;
}

/**
 * Groups snapshots by the values of the variables in `by` (e.g. `['<job_name>', '<operator_id>']`) and metric
 * name, and aggregates each group. Snapshots that lack one of the `by` variables are left out. Results come in
 * first-seen order.
 *
 * @public
 */
export function aggregateSnapshots(snapshots: readonly MetricSnapshot[], by: readonly string[]): AggregatedMetric[] {
  const groups = new Map<string, AggregatedMetric>();
  outer: for (const snapshot of snapshots) {
    const variables: Record<string, string> = {};
    for (const variable of by) {
      const value = snapshot.variables[variable];
      if (value === undefined) continue outer;
      variables[variable] = value;
    }
    const stats = snapshot.kind === 'histogram' ? (snapshot.value as HistogramStatistics) : undefined;
    const n = stats !== undefined ? stats.count : snapshot.value;
    if (typeof n !== 'number') continue;
    const key = JSON.stringify([by.map((v) => variables[v]), snapshot.kind, snapshot.name]);
    let agg = groups.get(key);
    if (agg === undefined) {
      agg = { variables, name: snapshot.name, kind: snapshot.kind, members: 0, sum: 0, min: n, max: n };
      groups.set(key, agg);
    }
    agg.members++;
    agg.sum += n;
    if (n < agg.min) agg.min = n;
    if (n > agg.max) agg.max = n;
    if (snapshot.kind === 'meter') agg.rate = (agg.rate ?? 0) + (snapshot.rate ?? 0);
    if (stats !== undefined) agg.histogram = mergeStatistics(agg.histogram, stats);
  }
  return [...groups.values()];
}

function mergeStatistics(a: HistogramStatistics | undefined, b: HistogramStatistics): HistogramStatistics {
  if (a === undefined || a.count === 0) return { ...b };
  if (b.count === 0) return a;
  const count = a.count + b.count;
  return {
    count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    mean: (a.mean * a.count + b.mean * b.count) / count,
    p50: Math.max(a.p50, b.p50),
    p95: Math.max(a.p95, b.p95),
    p99: Math.max(a.p99, b.p99),
  };
}
