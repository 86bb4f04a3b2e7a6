// A MetricGroup for tests of connectors and backends: counters, gauges, meters and histograms that record what they
// are given, so a test can read a metric back by name.
import type { Counter, Gauge, Histogram, HistogramStatistics, Meter, MetricGroup } from '@runnel/api';

class TestCounter implements Counter {
  readonly kind = 'counter';
  private n = 0;
  inc(n = 1): void {
    this.n += n;
  }
  dec(n = 1): void {
    this.n -= n;
  }
  getCount(): number {
    return this.n;
  }
}

/**
 * A metric group that keeps every metric registered on it (and on its subgroups) by identifier.
 *
 * @public
 */
export class TestMetricGroup implements MetricGroup {
  /** Every metric registered here or in a subgroup, by identifier (`scope.name`). */
  readonly metrics: Map<string, Counter | Gauge<unknown> | Meter | Histogram>;

  constructor(
    private readonly scope: readonly string[] = ['test'],
    shared?: Map<string, Counter | Gauge<unknown> | Meter | Histogram>,
  ) {
    this.metrics = shared ?? new Map();
  }

  counter(name: string, counter?: Counter): Counter {
    return this.register(name, () => counter ?? new TestCounter()) as Counter;
  }
  gauge<T>(name: string, gauge: Gauge<T> | (() => T)): Gauge<T> {
    return this.register(name, () => (typeof gauge === 'function' ? { kind: 'gauge', getValue: gauge } : gauge)) as Gauge<T>;
  }
  meter(name: string, meter?: Meter): Meter {
    return this.register(name, () => meter ?? testMeter()) as Meter;
  }
  histogram(name: string, histogram?: Histogram): Histogram {
    return this.register(name, () => histogram ?? testHistogram()) as Histogram;
  }
  addGroup(name: string, value?: string): MetricGroup {
    return new TestMetricGroup([...this.scope, ...(value === undefined ? [name] : [name, value])], this.metrics);
  }
  getScopeComponents(): readonly string[] {
    return this.scope;
  }
  getAllVariables(): Readonly<Record<string, string>> {
    return {};
  }
  getMetricIdentifier(metricName: string): string {
    return [...this.scope, metricName].join('.');
  }

  /** The count of counter `name` of this group (0 when it was never registered). */
  count(name: string): number {
    const m = this.metrics.get(this.getMetricIdentifier(name));
    return m !== undefined && m.kind === 'counter' ? m.getCount() : 0;
  }

  /** The value of gauge `name` of this group. */
  gaugeValue(name: string): unknown {
    const m = this.metrics.get(this.getMetricIdentifier(name));
    return m !== undefined && m.kind === 'gauge' ? m.getValue() : undefined;
  }

  private register(name: string, make: () => Counter | Gauge<unknown> | Meter | Histogram): unknown {
    const id = this.getMetricIdentifier(name);
    let m = this.metrics.get(id);
    if (m === undefined) this.metrics.set(id, (m = make()));
    return m;
  }
}

function testMeter(): Meter {
  let count = 0;
  return { kind: 'meter', markEvent: (n = 1) => void (count += n), getCount: () => count, getRate: () => 0 };
}

function testHistogram(): Histogram {
  const values: number[] = [];
  return {
    kind: 'histogram',
    update: (v) => void values.push(v),
    getCount: () => values.length,
    getStatistics: (): HistogramStatistics => statisticsOf(values),
  };
}

function statisticsOf(values: readonly number[]): HistogramStatistics {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const q = (p: number): number => (n === 0 ? 0 : sorted[Math.min(n - 1, Math.floor(p * n))]!);
  return {
    count: n,
    min: n === 0 ? 0 : sorted[0]!,
    max: n === 0 ? 0 : sorted[n - 1]!,
    mean: n === 0 ? 0 : sorted.reduce((a, b) => a + b, 0) / n,
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
  };
}
