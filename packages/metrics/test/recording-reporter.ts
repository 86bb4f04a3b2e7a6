// A reporter for tests that records every call.
import type { Metric, MetricGroup, MetricReporter } from '@runnel/api/metrics';

export class RecordingReporter implements MetricReporter {
  readonly events: string[] = [];
  opened: Readonly<Record<string, string>> | undefined;
  closeCalls = 0;
  reports = 0;

  open(config: Readonly<Record<string, string>>): void {
    this.opened = config;
  }
  close(): void {
    this.closeCalls++;
  }
  notifyOfAddedMetric(metric: Metric, name: string, group: MetricGroup): void {
    this.events.push(`+${metric.kind}:${group.getMetricIdentifier(name)}`);
  }
  notifyOfRemovedMetric(metric: Metric, name: string, group: MetricGroup): void {
    this.events.push(`-${metric.kind}:${group.getMetricIdentifier(name)}`);
  }
  report(): void | Promise<void> {
    this.reports++;
  }
}
