// Busy / back-pressured / idle accounting for a task, behind Flink's busyTimeMsPerSecond, backPressuredTimeMsPerSecond
// and idleTimeMsPerSecond. State switches only read the clock when the state actually changes, so marking the
// same state per batch is a comparison; the shares are computed from cumulative totals sampled once per tick.
import type { Gauge, MetricGroup } from '@runnel/api/metrics';

/**
 * The states a task's time is split into.
 *
 * @public
 */
export type TimeRatioState = 'busy' | 'backPressured' | 'idle';

/**
 * Options of a `TimeRatioTracker`.
 *
 * @public
 */
export interface TimeRatioTrackerOptions {
  /** Monotonic milliseconds (default `performance.now`); must be the time base of the registry that ticks it. */
  readonly clock?: () => number;
  /** Sliding window in seconds (default 10). */
  readonly windowSeconds?: number;
}

const BUSY = 0;
const BACK_PRESSURED = 1;
const IDLE = 2;
const STATE_INDEX: Record<TimeRatioState, number> = { busy: BUSY, backPressured: BACK_PRESSURED, idle: IDLE };
const STATE_NAMES: readonly TimeRatioState[] = ['busy', 'backPressured', 'idle'];
const WINDOW_SLACK_MS = 500; // see MeterView: tolerate ticker jitter

/**
 * Accounts a task's time to busy, back-pressured and idle, and reports each state's share of a sliding window.
 *
 * @remarks
 * A new tracker starts idle and takes its first sample at construction. `update()` (called by the registry's
 * tick, about once a second) samples the cumulative totals, counting the current state up to `nowMs`;
 * `msPerSecond(state)` is the state's share of the time between the newest sample and the oldest sample inside the
 * window, times 1000 (the three shares add up to 1000). Before the first `update()` it is 0.
 *
 * @public
 */
export class TimeRatioTracker {
  private readonly clock: () => number;
  readonly windowSeconds: number;
  private state = IDLE;
  private since: number;
  // cumulative ms per state, counted up to `since`
  private readonly totals = new Float64Array(3);
  // ring of samples: [time, busy, backPressured, idle] × capacity
  private readonly samples: Float64Array;
  private readonly capacity: number;
  private head = 0;
  private size = 0;
  private readonly shares = new Float64Array(3);

  constructor(options: TimeRatioTrackerOptions = {}) {
    this.clock = options.clock ?? (() => performance.now());
    this.windowSeconds = options.windowSeconds ?? 10;
    if (!(this.windowSeconds > 0)) throw new RangeError(`windowSeconds must be positive, got ${this.windowSeconds}`);
    this.capacity = Math.ceil(this.windowSeconds) + 1;
    this.samples = new Float64Array(this.capacity * 4);
    this.since = this.clock();
    this.pushSample(this.since);
  }

  markBusy(): void {
    if (this.state !== BUSY) this.switchTo(BUSY);
  }

  markBackPressured(): void {
    if (this.state !== BACK_PRESSURED) this.switchTo(BACK_PRESSURED);
  }

  markIdle(): void {
    if (this.state !== IDLE) this.switchTo(IDLE);
  }

  mark(state: TimeRatioState): void {
    const index = STATE_INDEX[state];
    if (this.state !== index) this.switchTo(index);
  }

  getState(): TimeRatioState {
    return STATE_NAMES[this.state]!;
  }

  /** Cumulative milliseconds spent in `state` since construction, up to `nowMs` (default: the clock). */
  totalMs(state: TimeRatioState, nowMs: number = this.clock()): number {
    const index = STATE_INDEX[state];
    return this.totals[index]! + (index === this.state ? Math.max(0, nowMs - this.since) : 0);
  }

  /** Milliseconds per second spent in `state` over the window, as of the last `update()`. */
  msPerSecond(state: TimeRatioState): number {
    return this.shares[STATE_INDEX[state]]!;
  }

  /** Samples the totals and recomputes the shares. Timestamps not later than the previous sample are ignored. */
  update(nowMs: number = this.clock()): void {
    const last = ((this.head + this.capacity - 1) % this.capacity) * 4;
    if (!(nowMs > this.samples[last]!)) return;
    this.flush(nowMs);
    this.pushSample(nowMs);
    const oldestAllowed = nowMs - this.windowSeconds * 1000 - WINDOW_SLACK_MS;
    for (let k = this.size; k >= 2; k--) {
      const i = ((this.head + this.capacity - k) % this.capacity) * 4;
      const t = this.samples[i]!;
      if (t >= oldestAllowed || k === 2) {
        const elapsed = nowMs - t;
        for (let s = 0; s < 3; s++) this.shares[s] = ((this.totals[s]! - this.samples[i + 1 + s]!) * 1000) / elapsed;
        return;
      }
    }
  }

  private switchTo(state: number): void {
    this.flush(this.clock());
    this.state = state;
  }

  // Moves the time since the last switch into the current state's total. A clock that went backwards (or a
  // timestamp from another time base) counts as no time rather than negative time.
  private flush(nowMs: number): void {
    if (nowMs > this.since) {
      this.totals[this.state] = this.totals[this.state]! + (nowMs - this.since);
      this.since = nowMs;
    }
  }

  private pushSample(nowMs: number): void {
    const i = this.head * 4;
    this.samples[i] = nowMs;
    this.samples[i + 1] = this.totals[BUSY]!;
    this.samples[i + 2] = this.totals[BACK_PRESSURED]!;
    this.samples[i + 3] = this.totals[IDLE]!;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }
}

/**
 * A gauge showing one state's ms-per-second of a tracker; it is a view, so the registry's tick updates the tracker.
 *
 * @internal
 */
export class TimeRatioGauge implements Gauge<number> {
  readonly kind = 'gauge' as const;

  constructor(
    readonly tracker: TimeRatioTracker,
    readonly state: TimeRatioState,
  ) {}

  getValue(): number {
    return this.tracker.msPerSecond(this.state);
  }

  // Three gauges share one tracker; the tracker ignores the second and third update with the same timestamp.
  update(nowMs: number): void {
    this.tracker.update(nowMs);
  }
}

/**
 * Registers Flink's task gauges `busyTimeMsPerSecond`, `backPressuredTimeMsPerSecond` and `idleTimeMsPerSecond` for
 * a tracker. Registered in a `MetricRegistry` group, the registry's `tick()` samples the tracker.
 *
 * @public
 */
export function registerTimeRatioGauges(group: MetricGroup, tracker: TimeRatioTracker): void {
  group.gauge('busyTimeMsPerSecond', new TimeRatioGauge(tracker, 'busy'));
  group.gauge('backPressuredTimeMsPerSecond', new TimeRatioGauge(tracker, 'backPressured'));
  group.gauge('idleTimeMsPerSecond', new TimeRatioGauge(tracker, 'idle'));
}
