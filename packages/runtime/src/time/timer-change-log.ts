// Timer changes between checkpoint captures, for incremental snapshots: an append-only log of timers added and
// removed (deleted or fired), per capture interval. A delta snapshot replays the intervals since its base in order,
// so restoring "base, then deltas" re-creates exactly the timers that exist: a later removal cancels an earlier
// addition of the same timer. Logging is an array push per change, no lookups, no per-timer allocation beyond the
// timer objects the queues already hold.
import type { Timer } from './timer-queue.js';

/** Operation codes of the log. */
const ADD_EVENT = 0;
const REMOVE_EVENT = 1;
const ADD_PROCESSING = 2;
const REMOVE_PROCESSING = 3;

interface Interval {
  readonly id: number;
  timers: Timer[];
  ops: number[];
}

/** One logged change, as replayed into a snapshot. @internal */
export interface TimerChange {
  readonly timer: Timer;
  readonly processing: boolean;
  readonly removed: boolean;
}

/** Intervals kept at most without the base moving forward (as the heap backend's change intervals). */
const MAX_INTERVALS = 64;

/** @internal */
export class TimerChangeLog {
  private timers: Timer[] = [];
  private ops: number[] = [];
  private intervals: Interval[] = [];

  added(t: Timer, processing: boolean): void {
    this.timers.push(t);
    this.ops.push(processing ? ADD_PROCESSING : ADD_EVENT);
  }

  removed(t: Timer, processing: boolean): void {
    this.timers.push(t);
    this.ops.push(processing ? REMOVE_PROCESSING : REMOVE_EVENT);
  }

  removedAll(batch: readonly Timer[], processing: boolean): void {
    const op = processing ? REMOVE_PROCESSING : REMOVE_EVENT;
    for (let i = 0; i < batch.length; i++) {
      this.timers.push(batch[i]!);
      this.ops.push(op);
    }
  }

  /** Forgets what was logged (after a restore: the restored timers are the base, not changes). */
  clear(): void {
    this.timers = [];
    this.ops = [];
  }

  /** Whether changes since capture `id` are known. */
  covers(id: number): boolean {
    return this.intervals.some((i) => i.id === id);
  }

  /**
   * Ends the current interval at capture `id`. With `base`, returns every change since capture `base` in order
   * (and forgets the intervals before it); without, returns nothing.
   */
  seal(id: number, base?: number): TimerChange[] | undefined {
    if (id >= 0) {
      this.intervals.push({ id, timers: this.timers, ops: this.ops });
      this.timers = [];
      this.ops = [];
    }
    let out: TimerChange[] | undefined;
    if (base !== undefined) {
      const at = this.intervals.findIndex((i) => i.id === base);
      if (at < 0) throw new Error(`timer changes since checkpoint ${base} are not known`);
      out = [];
      for (let k = at + 1; k < this.intervals.length; k++) {
        const { timers, ops } = this.intervals[k]!;
        for (let i = 0; i < timers.length; i++) {
          const op = ops[i]!;
          out.push({ timer: timers[i]!, processing: op >= ADD_PROCESSING, removed: op === REMOVE_EVENT || op === REMOVE_PROCESSING });
        }
      }
      this.intervals = this.intervals.slice(at);
      this.intervals[0] = { id: base, timers: [], ops: [] };
    }
    if (this.intervals.length > MAX_INTERVALS) this.intervals.splice(0, this.intervals.length - MAX_INTERVALS);
    return out;
  }
}
