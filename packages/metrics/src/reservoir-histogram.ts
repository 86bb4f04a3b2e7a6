// A histogram that keeps a uniform random sample (Vitter's algorithm R) of everything it has seen, so memory stays
// fixed however many values arrive. The random source is a seeded PRNG: two histograms fed the same values with
// the same seed hold the same sample, which makes statistics reproducible in tests and across runs.
import type { Histogram, HistogramStatistics } from '@runnel/api/metrics';

/**
 * A fixed-size reservoir-sampling histogram.
 *
 * @remarks
 * `count`, `min`, `max` and `mean` are exact over every value since creation. Percentiles are estimated from the
 * reservoir (exact while fewer than `size` values were seen) with linear interpolation between closest ranks
 * (the R-7 / NumPy default method). An empty histogram reports zeros. `update` is O(1) and allocation-free;
 * `getStatistics` sorts a copy of the reservoir (O(size log size)), so call it at reporting time, not per record.
 *
 * @public
 */
export class ReservoirHistogram implements Histogram {
  readonly kind = 'histogram' as const;
  readonly size: number;
  private readonly reservoir: Float64Array;
  private count = 0;
  private sum = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private state: number;

  /**
   * @param size - reservoir capacity (default 1024).
   * @param seed - seed of the sampling PRNG (32-bit integer).
   */
  constructor(size = 1024, seed = 0x2545f491) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`Histogram size must be a positive integer, got ${size}`);
    this.size = size;
    this.reservoir = new Float64Array(size);
    this.state = seed >>> 0;
  }

  update(value: number): void {
    const n = this.count++;
    this.sum += value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (n < this.size) {
      this.reservoir[n] = value;
    } else {
      // Keep the new value with probability size / (n + 1), replacing a uniformly chosen slot.
      const j = Math.floor(this.nextRandom() * (n + 1));
      if (j < this.size) this.reservoir[j] = value;
    }
  }

  getCount(): number {
    return this.count;
  }

  getStatistics(): HistogramStatistics {
    if (this.count === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 };
    const sample = this.reservoir.slice(0, Math.min(this.count, this.size)).sort();
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      mean: this.sum / this.count,
      p50: quantile(sample, 0.5),
      p95: quantile(sample, 0.95),
      p99: quantile(sample, 0.99),
    };
  }

  /** A quantile (0..1) of the current reservoir. */
  getQuantile(q: number): number {
    if (this.count === 0) return 0;
    return quantile(this.reservoir.slice(0, Math.min(this.count, this.size)).sort(), q);
  }

  // mulberry32: tiny, fast, good enough for sampling decisions; state is one 32-bit integer.
  private nextRandom(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
