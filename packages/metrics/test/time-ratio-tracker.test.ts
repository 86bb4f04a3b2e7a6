import { describe, expect, it } from 'vitest';
import { TimeRatioTracker } from '../src/time-ratio-tracker.js';

function fakeClock(start = 0) {
  const clock = { now: start, read: () => clock.now };
  return clock;
}

describe('TimeRatioTracker', () => {
  it('starts idle and accounts time to the state that was current', () => {
    const clock = fakeClock(1000);
    const t = new TimeRatioTracker({ clock: clock.read });
    expect(t.getState()).toBe('idle');
    clock.now = 1200;
    t.markBusy();
    clock.now = 1500;
    t.markBusy(); // no change
    clock.now = 1700;
    t.markBackPressured();
    clock.now = 2000;
    t.markIdle();
    expect(t.totalMs('idle', 2000)).toBe(200);
    expect(t.totalMs('busy', 2000)).toBe(500);
    expect(t.totalMs('backPressured', 2000)).toBe(300);
    t.mark('busy');
    expect(t.totalMs('busy', 2100)).toBe(600); // includes the ongoing state
  });

  it('reports ms per second over the sliding window', () => {
    const clock = fakeClock(0);
    const t = new TimeRatioTracker({ clock: clock.read, windowSeconds: 10 });
    expect(t.msPerSecond('busy')).toBe(0);
    // Every second: 600 ms busy, 100 ms back-pressured, 300 ms idle.
    for (let s = 0; s < 10; s++) {
      clock.now = s * 1000;
      t.markBusy();
      clock.now = s * 1000 + 600;
      t.markBackPressured();
      clock.now = s * 1000 + 700;
      t.markIdle();
      clock.now = (s + 1) * 1000;
      t.update(clock.now);
    }
    expect(t.msPerSecond('busy')).toBeCloseTo(600, 9);
    expect(t.msPerSecond('backPressured')).toBeCloseTo(100, 9);
    expect(t.msPerSecond('idle')).toBeCloseTo(300, 9);
    // Then fully busy for 5 s: half the window is the old pattern, half busy.
    t.markBusy();
    for (let s = 11; s <= 15; s++) t.update((clock.now = s * 1000));
    expect(t.msPerSecond('busy')).toBeCloseTo((5 * 600 + 5 * 1000) / 10, 9);
    expect(t.msPerSecond('busy') + t.msPerSecond('backPressured') + t.msPerSecond('idle')).toBeCloseTo(1000, 9);
  });

  it('counts a state that is still ongoing at the sample', () => {
    const clock = fakeClock(0);
    const t = new TimeRatioTracker({ clock: clock.read, windowSeconds: 10 });
    clock.now = 250;
    t.markBackPressured();
    t.update(1000);
    expect(t.msPerSecond('backPressured')).toBe(750);
    expect(t.msPerSecond('idle')).toBe(250);
    t.update(1000); // same instant: ignored
    t.update(2000);
    expect(t.msPerSecond('backPressured')).toBe(875);
  });
});
