import { describe, expect, it } from 'vitest';
import { RestartStrategy } from '../../src/execution/restart-strategy.js';
import { configFromOptions, effectiveRestartStrategy } from '../../src/execution/runtime-config.js';

describe('restart strategies', () => {
  it('none fails at once; fixed-delay allows N attempts with its delay', () => {
    expect(new RestartStrategy({ type: 'none' }).onFailure()).toBeUndefined();
    const s = new RestartStrategy({ type: 'fixed-delay', attempts: 2, delayMs: 300 });
    expect([s.onFailure(), s.onFailure(), s.onFailure()]).toEqual([300, 300, undefined]);
  });

  it('exponential-delay backs off up to the maximum and resets after a quiet period', () => {
    let now = 0;
    const s = new RestartStrategy(
      { type: 'exponential-delay', initialBackoffMs: 100, maxBackoffMs: 500, multiplier: 2, resetBackoffThresholdMs: 10_000, attempts: 100 },
      () => now,
    );
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      delays.push(s.onFailure());
      now += 1000;
    }
    expect(delays).toEqual([100, 200, 400, 500, 500]);
    now += 20_000;
    expect(s.onFailure()).toBe(100);
  });

  it('failure-rate allows N failures per interval', () => {
    let now = 0;
    const s = new RestartStrategy({ type: 'failure-rate', maxFailuresPerInterval: 2, intervalMs: 1000, delayMs: 10 }, () => now);
    expect(s.onFailure()).toBe(10);
    now = 100;
    expect(s.onFailure()).toBe(10);
    now = 200;
    expect(s.onFailure()).toBeUndefined();
    const t = new RestartStrategy({ type: 'failure-rate', maxFailuresPerInterval: 2, intervalMs: 1000, delayMs: 10 }, () => now);
    now = 0;
    t.onFailure();
    now = 600;
    t.onFailure();
    now = 1500; // the first failure left the interval
    expect(t.onFailure()).toBe(10);
  });

  it('is configured with Flink option keys, with Flink defaults', () => {
    expect(effectiveRestartStrategy(configFromOptions({}))).toEqual({ type: 'none' });
    expect(effectiveRestartStrategy(configFromOptions({ 'execution.checkpointing.interval': '1 s' }))).toMatchObject({ type: 'fixed-delay', delayMs: 1000 });
    expect(
      configFromOptions({
        'restart-strategy.type': 'exponential-delay',
        'restart-strategy.exponential-delay.initial-backoff': '50 ms',
        'restart-strategy.exponential-delay.max-backoff': '2 s',
        'restart-strategy.exponential-delay.backoff-multiplier': 3,
      }).restartStrategy,
    ).toMatchObject({ type: 'exponential-delay', initialBackoffMs: 50, maxBackoffMs: 2000, multiplier: 3 });
    expect(() => configFromOptions({ 'restart-strategy.type': 'sometimes' })).toThrow(/restart-strategy.type/);
    expect(() => configFromOptions({ 'execution.checkpointing.interval': 'often' })).toThrow(/duration/);
  });
});
