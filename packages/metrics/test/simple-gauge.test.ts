import { describe, expect, it } from 'vitest';
import { FunctionGauge, SimpleGauge } from '../src/simple-gauge.js';

describe('gauges', () => {
  it('SimpleGauge returns the value last written', () => {
    const g = new SimpleGauge<string>('starting');
    expect(g.getValue()).toBe('starting');
    g.set('running');
    expect(g.getValue()).toBe('running');
    g.value = 'finished';
    expect(g.getValue()).toBe('finished');
  });

  it('FunctionGauge reads its supplier on every read', () => {
    const queue: number[] = [];
    const g = new FunctionGauge(() => queue.length);
    expect(g.getValue()).toBe(0);
    queue.push(1, 2, 3);
    expect(g.getValue()).toBe(3);
  });
});
