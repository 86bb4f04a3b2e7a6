import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../src/metric-registry.js';
import { LoggingReporter } from '../src/logging-reporter.js';

describe('LoggingReporter', () => {
  it('prints a compact sorted report at its interval and forgets removed metrics', async () => {
    const reports: string[] = [];
    const reporter = new LoggingReporter({ log: (r) => reports.push(r) });
    const registry = new MetricRegistry({ reporters: [{ reporter, intervalMs: 5000 }] });
    await registry.open();
    const op = registry.createRootGroup({ job_name: 'q5', operator_name: 'map' });
    const meter = op.meter('rate');
    op.counter('count').inc(7);
    op.gauge('lag', () => 2.123456);
    const h = op.histogram('latency');
    for (const v of [1, 2, 3, 4]) h.update(v);

    registry.tick(0);
    meter.markEvent(25);
    registry.tick(1000);
    expect(reports).toEqual([]);
    registry.tick(5000);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.split('\n')).toEqual([
      '-- metrics (4) --',
      'q5.map.count: 7',
      'q5.map.lag: 2.123',
      'q5.map.latency: count=4 min=1 mean=2.5 p50=2.5 p95=3.85 p99=3.97 max=4',
      'q5.map.rate: 5/s (count 25)',
    ]);

    op.removeMetric('lag');
    registry.tick(10_000);
    expect(reports[1]!.split('\n')[0]).toBe('-- metrics (3) --');
    expect(reports[1]).not.toContain('lag');

    await registry.close();
    await registry.close();
    registry.tick(20_000);
    reporter.report(); // closed: prints nothing
    expect(reports).toHaveLength(2);
  });

  it('filters by identifier from its open() config', async () => {
    const reports: string[] = [];
    const reporter = new LoggingReporter({ log: (r) => reports.push(r) });
    const registry = new MetricRegistry({ reporters: [{ reporter, config: { filter: 'numRecords' } }] });
    await registry.open();
    const g = registry.createRootGroup(['op']);
    g.counter('numRecordsIn');
    g.counter('other');
    await registry.report();
    expect(reports[0]).toBe('-- metrics (1) --\nop.numRecordsIn: 0');
  });
});
