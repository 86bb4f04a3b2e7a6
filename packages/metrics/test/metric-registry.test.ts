import { describe, expect, it } from 'vitest';
import type { MetricReporter } from '@runnel/api/metrics';
import { MetricRegistry } from '../src/metric-registry.js';
import { MeterView } from '../src/meter-view.js';
import { TimeRatioTracker, registerTimeRatioGauges } from '../src/time-ratio-tracker.js';
import { RecordingReporter } from './recording-reporter.js';

describe('MetricRegistry', () => {
  it('opens reporters with their config and closes them once', async () => {
    const a = new RecordingReporter();
    const b = new RecordingReporter();
    const registry = new MetricRegistry({ reporters: [a, { name: 'b', reporter: b, config: { port: '9249' } }] });
    await registry.open();
    await registry.open();
    expect(a.opened).toEqual({});
    expect(b.opened).toEqual({ port: '9249' });
    const first = registry.close();
    const second = registry.close();
    expect(second).toBe(first);
    await Promise.all([first, second, registry.close()]);
    expect(a.closeCalls).toBe(1);
    expect(b.closeCalls).toBe(1);
  });

  it('tick updates meters with the given time or the injected clock', () => {
    let now = 0;
    const registry = new MetricRegistry({ clock: () => now });
    const group = registry.createRootGroup(['r']);
    const meter = group.meter('events');
    const other = new MeterView();
    registry.tick();
    meter.markEvent(40);
    now = 2000;
    registry.tick();
    expect(meter.getRate()).toBe(20);
    registry.tick(4000);
    expect(meter.getRate()).toBe(10);
    other.update(0);
    other.markEvent(5);
    registry.tick(5000);
    expect(other.getRate()).toBe(0); // not registered: not ticked
  });

  it('stops ticking a meter once it is removed', () => {
    const registry = new MetricRegistry();
    const group = registry.createRootGroup(['r']);
    const meter = group.meter('m');
    registry.tick(0);
    meter.markEvent(10);
    registry.tick(1000);
    expect(meter.getRate()).toBe(10);
    group.removeMetric('m');
    meter.markEvent(100);
    registry.tick(2000);
    expect(meter.getRate()).toBe(10);
  });

  it('ticks time-ratio trackers registered as gauges', () => {
    let now = 0;
    const registry = new MetricRegistry({ clock: () => now });
    const tracker = new TimeRatioTracker({ clock: () => now });
    const task = registry.createRootGroup({ task_name: 't' });
    registerTimeRatioGauges(task, tracker);
    now = 400;
    tracker.markBusy();
    now = 1000;
    registry.tick();
    const values = Object.fromEntries(registry.snapshot().map((s) => [s.name, s.value]));
    expect(values).toEqual({ busyTimeMsPerSecond: 600, backPressuredTimeMsPerSecond: 0, idleTimeMsPerSecond: 400 });
  });

  it('calls push reporters at their interval, starting from the first tick', () => {
    const fast = new RecordingReporter();
    const slow = new RecordingReporter();
    const registry = new MetricRegistry({
      reporters: [
        { reporter: fast, intervalMs: 1000 },
        { reporter: slow, intervalMs: 5000 },
      ],
    });
    for (let s = 0; s <= 10; s++) registry.tick(s * 1000);
    expect(fast.reports).toBe(10);
    expect(slow.reports).toBe(2);
  });

  it('isolates reporter failures and skips reports while one is still running', async () => {
    const errors: string[] = [];
    let pending: (() => void) | undefined;
    let reports = 0;
    const failing: MetricReporter = {
      open: () => undefined,
      close: () => {
        throw new Error('close failed');
      },
      notifyOfAddedMetric: () => {
        throw new Error('add failed');
      },
      notifyOfRemovedMetric: () => undefined,
      report: () => {
        reports++;
        return new Promise<void>((resolve) => (pending = resolve));
      },
    };
    const registry = new MetricRegistry({
      reporters: [{ name: 'bad', reporter: failing, intervalMs: 1000 }],
      onReporterError: (error, name) => errors.push(`${name}: ${(error as Error).message}`),
    });
    const c = registry.createRootGroup(['r']).counter('c');
    expect(c.getCount()).toBe(0);
    registry.tick(0);
    registry.tick(1000);
    registry.tick(2000); // previous report still running
    expect(reports).toBe(1);
    pending!();
    await new Promise((r) => setImmediate(r));
    registry.tick(3000);
    expect(reports).toBe(2);
    await registry.close();
    expect(errors).toEqual(['bad: add failed', 'bad: close failed']);
  });

  it('routes rejected asynchronous reports to onReporterError', async () => {
    const errors: unknown[] = [];
    const reporter = new RecordingReporter();
    reporter.report = () => Promise.reject(new Error('push failed'));
    const registry = new MetricRegistry({ reporters: [reporter], onReporterError: (e) => errors.push(e) });
    await registry.report();
    expect(errors).toEqual([new Error('push failed')]);
  });

  it('report() calls every push reporter now', async () => {
    const r = new RecordingReporter();
    const registry = new MetricRegistry({ reporters: [r] });
    await registry.report();
    expect(r.reports).toBe(1);
  });
});
