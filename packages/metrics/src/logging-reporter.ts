// An example push reporter: keeps the metrics it is told about and, on every `report()` (the registry calls it at
// the reporter's interval), prints one compact multi-line report through an injected `log` function, so it can go
// to a logger, stderr or a test array alike.
import type { Metric, MetricGroup, MetricReporter } from '@runnel/api/metrics';

/**
 * Options of a `LoggingReporter`.
 *
 * @public
 */
export interface LoggingReporterOptions {
  /** Receives one report (lines joined with `\n`). Default: `console.log`. */
  readonly log?: (report: string) => void;
  /** Only metrics whose identifier contains this text are printed (also option `filter` in `open()`). */
  readonly filter?: string;
}

/**
 * Logs every registered metric at each `report()`, one line per metric, sorted by identifier:
 * `q5.map.0.numRecordsIn: 1200`, `...numRecordsInPerSecond: 120/s (count 1200)`,
 * `...latency: count=10 min=1 mean=2.5 p50=2 p95=4 p99=4 max=4`.
 *
 * @public
 */
export class LoggingReporter implements MetricReporter {
  private readonly log: (report: string) => void;
  private filter: string | undefined;
  private readonly metrics = new Map<string, Metric>();
  private closed = false;

  constructor(options: LoggingReporterOptions = {}) {
    this.log = options.log ?? ((report) => console.log(report));
    this.filter = options.filter;
  }

  open(config: Readonly<Record<string, string>>): void {
    if (config['filter'] !== undefined) this.filter = config['filter'];
  }

  close(): void {
    this.closed = true;
    this.metrics.clear();
  }

  notifyOfAddedMetric(metric: Metric, metricName: string, group: MetricGroup): void {
    if (!this.closed) this.metrics.set(group.getMetricIdentifier(metricName), metric);
  }

  notifyOfRemovedMetric(metric: Metric, metricName: string, group: MetricGroup): void {
    const id = group.getMetricIdentifier(metricName);
    if (this.metrics.get(id) === metric) this.metrics.delete(id);
  }

  report(): void {
    if (this.closed) return;
    const lines: string[] = [];
    for (const id of [...this.metrics.keys()].sort()) {
      if (this.filter !== undefined && !id.includes(this.filter)) continue;
      lines.push(`${id}: ${formatMetric(this.metrics.get(id)!)}`);
    }
    this.log(`-- metrics (${lines.length}) --\n${lines.join('\n')}`);
  }
}

function formatMetric(metric: Metric): string {
  switch (metric.kind) {
    case 'counter':
      return fmt(metric.getCount());
    case 'meter':
      return `${fmt(metric.getRate())}/s (count ${fmt(metric.getCount())})`;
    case 'histogram': {
      const s = metric.getStatistics();
      return `count=${s.count} min=${fmt(s.min)} mean=${fmt(s.mean)} p50=${fmt(s.p50)} p95=${fmt(s.p95)} p99=${fmt(s.p99)} max=${fmt(s.max)}`;
    }
    case 'gauge': {
      try {
        const v = metric.getValue();
        return typeof v === 'number' ? fmt(v) : String(v);
      } catch (error) {
        return `<error: ${error instanceof Error ? error.message : String(error)}>`;
      }
    }
  }
}

// Three decimals at most: enough for rates and means, short enough to scan.
function fmt(n: number): string {
  return Number.isInteger(n) || !Number.isFinite(n) ? String(n) : String(Math.round(n * 1000) / 1000);
}
