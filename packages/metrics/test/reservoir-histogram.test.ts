import { describe, expect, it } from 'vitest';
import { ReservoirHistogram } from '../src/reservoir-histogram.js';

// Reference quantile on a plain sorted array, computed independently of the implementation.
function r7(sorted: number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

describe('ReservoirHistogram', () => {
  it('reports zeros when empty', () => {
    expect(new ReservoirHistogram().getStatistics()).toEqual({ count: 0, min: 0, max: 0, mean: 0, p50: 0, p95: 0, p99: 0 });
  });

  it('computes exact statistics while the reservoir is not full', () => {
    const h = new ReservoirHistogram(1024);
    const values: number[] = [];
    for (let i = 100; i >= 1; i--) {
      h.update(i); // inserted out of order on purpose
      values.push(i);
    }
    const s = h.getStatistics();
    expect(s.count).toBe(100);
    expect(s.min).toBe(1);
    expect(s.max).toBe(100);
    expect(s.mean).toBe(50.5);
    expect(s.p50).toBe(50.5);
    expect(s.p95).toBeCloseTo(95.05, 10);
    expect(s.p99).toBeCloseTo(99.01, 10);
    const sorted = values.sort((a, b) => a - b);
    expect(h.getQuantile(0.25)).toBeCloseTo(r7(sorted, 0.25), 10);
  });

  it('keeps exact count/min/max/mean and a representative sample beyond its size', () => {
    const h = new ReservoirHistogram(512, 42);
    const n = 100_000;
    for (let i = 0; i < n; i++) h.update(i);
    const s = h.getStatistics();
    expect(s.count).toBe(n);
    expect(s.min).toBe(0);
    expect(s.max).toBe(n - 1);
    expect(s.mean).toBe((n - 1) / 2);
    // A uniform 512-sample of 0..n-1: the median is within a few percent of n/2.
    expect(Math.abs(s.p50 - n / 2)).toBeLessThan(n * 0.08);
    expect(s.p99).toBeGreaterThan(n * 0.95);
  });

  it('is deterministic for a seed', () => {
    const a = new ReservoirHistogram(64, 7);
    const b = new ReservoirHistogram(64, 7);
    const c = new ReservoirHistogram(64, 8);
    for (let i = 0; i < 10_000; i++) {
      const v = (i * 7919) % 10_007;
      a.update(v);
      b.update(v);
      c.update(v);
    }
    expect(a.getStatistics()).toEqual(b.getStatistics());
    expect(a.getStatistics().p50).not.toBe(c.getStatistics().p50);
  });
});
