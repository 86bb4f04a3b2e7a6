// Metric types every component can report through: counters, gauges, meters and histograms. Implementations
// live in `@runnel/metrics`; plugins only see these interfaces.

/** @public */
export interface Counter {
  readonly kind: 'counter';
  inc(n?: number): void;
  dec(n?: number): void;
  getCount(): number;
}

/** @public */
export interface Gauge<T = number> {
  readonly kind: 'gauge';
  getValue(): T;
}

/**
 * A rate over a sliding time span (per second), plus the total count.
 *
 * @public
 */
export interface Meter {
  readonly kind: 'meter';
  markEvent(n?: number): void;
  getRate(): number;
  getCount(): number;
}

/** @public */
export interface HistogramStatistics {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** @public */
export interface Histogram {
  readonly kind: 'histogram';
  update(value: number): void;
  getCount(): number;
  getStatistics(): HistogramStatistics;
}

/** @public */
export type Metric = Counter | Gauge<unknown> | Meter | Histogram;
