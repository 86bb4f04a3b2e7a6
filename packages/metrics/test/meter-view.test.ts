import { describe, expect, it } from 'vitest';
import { MeterView } from '../src/meter-view.js';
import { SimpleCounter } from '../src/simple-counter.js';

describe('MeterView', () => {
  it('is 0 before two samples and then the exact rate over the sampled interval', () => {
    const m = new MeterView();
    m.markEvent(50);
    m.update(1000);
    expect(m.getRate()).toBe(0);
    m.markEvent(30);
    m.update(2000); // 30 events in 1 s
    expect(m.getRate()).toBe(30);
    m.markEvent(10);
    m.update(3000); // 40 events in 2 s
    expect(m.getRate()).toBe(20);
    expect(m.getCount()).toBe(90);
  });

  it('measures over the last time span only, sliding as ticks come', () => {
    const counter = new SimpleCounter();
    const m = new MeterView(counter, 10);
    let now = 0;
    m.update(now);
    for (let s = 1; s <= 10; s++) {
      counter.count += 100; // 100 events per second
      m.update((now = s * 1000));
    }
    expect(m.getRate()).toBe(100);
    // Five more seconds without events: the window (5 s..15 s) holds 500 events.
    for (let s = 11; s <= 15; s++) m.update((now = s * 1000));
    expect(m.getRate()).toBe(50);
    for (let s = 16; s <= 20; s++) m.update((now = s * 1000));
    expect(m.getRate()).toBe(0);
    expect(now).toBe(20_000);
  });

  it('measures the rate of a wrapped counter incremented elsewhere', () => {
    const counter = new SimpleCounter();
    const m = new MeterView(counter, 5);
    m.update(0);
    counter.inc(250);
    m.update(5000);
    expect(m.getRate()).toBe(50);
    m.markEvent(5); // marks the wrapped counter
    expect(counter.getCount()).toBe(255);
  });

  it('tolerates jitter and ignores non-advancing timestamps', () => {
    const m = new MeterView(2);
    m.update(0);
    m.markEvent(10);
    m.update(1000);
    m.markEvent(1000);
    m.update(1000); // same instant: ignored
    m.update(500); // clock went backwards: ignored
    expect(m.getRate()).toBe(10);
    m.update(2000);
    m.update(3010); // window 2 s + 10 ms jitter still starts at the sample of t=1000
    expect(m.getRate()).toBeCloseTo((1000 * 1000) / 2010, 10);
  });

  it('uses the previous sample when the gap between ticks exceeds the span', () => {
    const m = new MeterView(2);
    m.update(0);
    m.markEvent(600);
    m.update(60_000);
    expect(m.getRate()).toBe(10);
  });

  it('accepts a time span as the only argument and rejects invalid spans', () => {
    expect(new MeterView(30).timeSpanSeconds).toBe(30);
    expect(() => new MeterView(undefined, 0)).toThrow(RangeError);
  });
});
