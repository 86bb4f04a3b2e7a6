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

/**
 * Logged changes grouped by key-group index (`keyGroup - range.start`): those of index `i` are at
 * `[starts[i], starts[i + 1])`, in log order. `ops[j]` is one of the `TIMER_*` operation codes.
 *
 * @internal
 */
export interface TimerChangesByKeyGroup {
  readonly starts: Int32Array;
  readonly timers: readonly Timer[];
  readonly ops: Uint8Array;
}

/** Operation codes of {@link TimerChangesByKeyGroup.ops}. @internal */
export const TIMER_OPS = { ADD_EVENT, REMOVE_EVENT, ADD_PROCESSING, REMOVE_PROCESSING } as const;

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
   * Ends the current interval at capture `id`. With `base`, returns every change since capture `base`, grouped by
   * key group of `rangeStart`..`rangeStart + groups - 1` and in log order within each (and forgets the intervals
   * before it); without, returns nothing.
   */
  seal(id: number, base?: number, rangeStart = 0, groups = 0): TimerChangesByKeyGroup | undefined {
    if (id >= 0) {
      this.intervals.push({ id, timers: this.timers, ops: this.ops });
      this.timers = [];
      this.ops = [];
    }
    let out: TimerChangesByKeyGroup | undefined;
    if (base !== undefined) {
      const at = this.intervals.findIndex((i) => i.id === base);
      if (at < 0) throw new Error(`timer changes since checkpoint ${base} are not known`);
      // A counting sort by key group (stable, so a later removal still follows the addition it cancels).
      const since = this.intervals.slice(at + 1);
      const starts = new Int32Array(groups + 1);
      let total = 0;
      for (const { timers } of since) {
        for (let i = 0; i < timers.length; i++) starts[timers[i]!.keyGroup - rangeStart + 1]!++;
        total += timers.length;
      }
      for (let k = 0; k < groups; k++) starts[k + 1]! += starts[k]!;
      const next = starts.slice(0, groups);
      const timers = new Array<Timer>(total);
      const ops = new Uint8Array(total);
      for (const iv of since) {
        for (let i = 0; i < iv.timers.length; i++) {
          const t = iv.timers[i]!;
          const j = next[t.keyGroup - rangeStart]!++;
          timers[j] = t;
          ops[j] = iv.ops[i]!;
        }
      }
      out = { starts, timers, ops };
      this.intervals = this.intervals.slice(at);
      this.intervals[0] = { id: base, timers: [], ops: [] };
    }
    if (this.intervals.length > MAX_INTERVALS) this.intervals.splice(0, this.intervals.length - MAX_INTERVALS);
    return out;
  }
}
