// A meter that derives its rate from samples of a counter, like Flink's MeterView: marking an event is just a
// counter increment, and the (comparatively expensive) rate computation happens once per registry tick instead of
// per event. Samples live in preallocated typed arrays, so `update()` does not allocate either.
import type { Counter, Meter } from '@runnel/api/metrics';
import { SimpleCounter } from './simple-counter.js';

// Ticks from a timer jitter by a few milliseconds; a sample that is slightly older than the time span still
// belongs to the window, otherwise a jittery 1 s ticker would measure over 9 s instead of 10 s.
const WINDOW_SLACK_MS = 500;

/**
 * A rate over a sliding time span, computed from samples that `update()` takes (the registry ticks every view about
 * once a second).
 *
 * @remarks
 * The rate is `(count now − count at the oldest sample inside the time span) / (elapsed seconds between them)`,
 * so it is exact for the covered interval. Before a full time span has been sampled it covers the time since the
 * first sample (Flink instead divides by the full span and ramps up); with fewer than two samples it is 0.
 * The sample ring holds `ceil(timeSpanSeconds) + 1` samples: calling `update()` much more often than once a second
 * shortens the window. `update()` with a timestamp not later than the previous one is ignored.
 *
 * @public
 */
export class MeterView implements Meter {
  readonly kind = 'meter' as const;
  /** The counter whose rate this meter measures (its own one when none was given). */
  readonly counter: Counter;
  readonly timeSpanSeconds: number;
  private readonly times: Float64Array;
  private readonly counts: Float64Array;
  private head = 0; // index of the next write
  private size = 0;
  private rate = 0;

  /**
   * @param counterOrTimeSpan - the counter to measure (a meter wrapping `numRecordsIn` measures its rate), or
   *   omitted for a meter with its own counter; a number is taken as the time span (Flink's `MeterView(int)`).
   * @param timeSpanSeconds - the sliding window, in seconds (default 10).
   */
  constructor(counterOrTimeSpan?: Counter | number, timeSpanSeconds = 10) {
    if (typeof counterOrTimeSpan === 'number') {
      timeSpanSeconds = counterOrTimeSpan;
      counterOrTimeSpan = undefined;
    }
    if (!(timeSpanSeconds > 0) || !Number.isFinite(timeSpanSeconds)) {
      throw new RangeError(`MeterView time span must be a positive number of seconds, got ${timeSpanSeconds}`);
    }
    this.counter = counterOrTimeSpan ?? new SimpleCounter();
    this.timeSpanSeconds = timeSpanSeconds;
    const capacity = Math.ceil(timeSpanSeconds) + 1;
    this.times = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
  }

  markEvent(n = 1): void {
    this.counter.inc(n);
  }

  /** Events per second over the last time span, as of the last `update()`. */
  getRate(): number {
    return this.rate;
  }

  getCount(): number {
    return this.counter.getCount();
  }

  /** Takes a sample of the counter and recomputes the rate; `nowMs` defaults to `performance.now()`. */
  update(nowMs: number = performance.now()): void {
    const capacity = this.times.length;
    if (this.size > 0 && !(nowMs > this.times[(this.head + capacity - 1) % capacity]!)) return;
    const count = this.counter.getCount();
    this.times[this.head] = nowMs;
    this.counts[this.head] = count;
    this.head = (this.head + 1) % capacity;
    if (this.size < capacity) this.size++;
    if (this.size < 2) return;
    const oldestAllowed = nowMs - this.timeSpanSeconds * 1000 - WINDOW_SLACK_MS;
    // Walk from the oldest sample to the newest; the previous sample always qualifies, so a gap between ticks
    // longer than the span still yields the rate over that gap instead of nothing.
    for (let k = this.size; k >= 2; k--) {
      const i = (this.head + capacity - k) % capacity;
      const t = this.times[i]!;
      if (t >= oldestAllowed || k === 2) {
        this.rate = ((count - this.counts[i]!) * 1000) / (nowMs - t);
        return;
      }
    }
  }
}
