import { describe, expect, it } from 'vitest';
import type { HistogramStatistics } from '@runnel/api/metrics';
import { MetricRegistry } from '../src/metric-registry.js';
import { SimpleGauge } from '../src/simple-gauge.js';

describe('MetricRegistry.snapshot', () => {
  it('captures every metric kind with scope and variables as plain data', () => {
    const registry = new MetricRegistry();
    const job = registry.createRootGroup({ job_name: 'q5' }, { job_id: 'j1' });
    const op = job.addScope({ operator_name: 'map', subtask_index: '1' });
    const c = op.counter('numRecordsIn');
    c.count = 12;
    const m = op.meter('numRecordsInPerSecond');
    registry.tick(0);
    m.markEvent(30);
    registry.tick(3000);
    const h = op.histogram('latency');
    for (const v of [1, 2, 3, 4]) h.update(v);
    op.gauge('status', new SimpleGauge('RUNNING'));
    op.gauge('watermark', () => Number.NEGATIVE_INFINITY);
    op.gauge('big', () => 12345678901234567890n);
    op.gauge('obj', () => ({ a: 1 }));
    op.gauge('missing', () => undefined);
    op.gauge('broken', () => {
      throw new Error('gone');
    });

    const snapshots = registry.snapshot();
    const variables = { '<job_name>': 'q5', '<job_id>': 'j1', '<operator_name>': 'map', '<subtask_index>': '1' };
    const scope = ['q5', 'map', '1'];
    const [counter, meter, histogram, ...gauges] = snapshots;
    expect(counter).toEqual({ scope, variables, name: 'numRecordsIn', kind: 'counter', value: 12 });
    expect(meter).toEqual({ scope, variables, name: 'numRecordsInPerSecond', kind: 'meter', value: 30, rate: 10 });
    expect(histogram).toMatchObject({ scope, variables, name: 'latency', kind: 'histogram' });
    // Percentiles of [1,2,3,4] by linear interpolation: p95 = 3 + 0.85, p99 = 3 + 0.97.
    const stats = histogram!.value as HistogramStatistics;
    expect({ ...stats, p95: undefined, p99: undefined }).toEqual({ count: 4, min: 1, max: 4, mean: 2.5, p50: 2.5 });
    expect(stats.p95).toBeCloseTo(3.85, 10);
    expect(stats.p99).toBeCloseTo(3.97, 10);
    expect(gauges).toEqual([
      { scope, variables, name: 'status', kind: 'gauge', value: 'RUNNING' },
      { scope, variables, name: 'watermark', kind: 'gauge', value: Number.NEGATIVE_INFINITY },
      { scope, variables, name: 'big', kind: 'gauge', value: '12345678901234567890' },
      { scope, variables, name: 'obj', kind: 'gauge', value: '{"a":1}' },
      { scope, variables, name: 'missing', kind: 'gauge', value: null },
      { scope, variables, name: 'broken', kind: 'gauge', value: null },
    ]);

    // Plain data: survives structured clone and JSON, and is detached from the live metrics.
    expect(structuredClone(snapshots)).toEqual(snapshots);
    expect(() => JSON.stringify(snapshots)).not.toThrow();
    c.count = 99;
    expect(snapshots[0]!.value).toBe(12);
  });

  it('lists groups in creation order and metrics in registration order', () => {
    const registry = new MetricRegistry();
    const a = registry.createRootGroup(['a']);
    const b = registry.createRootGroup(['b']);
    b.counter('x');
    a.counter('y');
    a.addGroup('child').counter('z');
    a.counter('w');
    expect(registry.snapshot().map((s) => [...s.scope, s.name].join('.'))).toEqual(['a.y', 'a.w', 'a.child.z', 'b.x']);
  });
});

