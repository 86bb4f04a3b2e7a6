// A processing-time service whose time moves only when a test moves it: advancing it fires every processing-time
// timer that falls due, in time order, each seeing the clock at its own time (as a task would have run it then).
// As in the runtime, a timer for time T fires once processing time has passed T, i.e. at T + 1 ms: a record in the
// last millisecond of a processing-time window still belongs to it.
import type { ProcessingTimeService } from '@runnel/runtime/testing';

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: (time: number) => void;
  cancelled: boolean;
}

/**
 * A manual processing-time clock (epoch milliseconds) with timers. A timer registered for time T fires when the
 * clock reaches T + 1 (processing time has passed T), as the runtime's timers do.
 *
 * @public
 */
export class ManualClock {
  private current: number;
  private seq = 0;
  private readonly timers: PendingTimer[] = [];

  /** @param start - the initial time (default 1_000_000, so that a test can go back a little without negative times). */
  constructor(start = 1_000_000) {
    if (!Number.isFinite(start)) throw new RangeError(`the clock's start time must be a finite number, got ${start}`);
    this.current = start;
  }

  /** The current processing time. */
  now(): number {
    return this.current;
  }

  /** Timers registered and neither fired nor cancelled. */
  pendingTimers(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /**
   * Moves the clock forward by `ms`, firing due timers in order (timers that firing timers register fire too when
   * they fall due before the new time).
   */
  advance(ms: number): void {
    if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`advance by a finite number of milliseconds >= 0, got ${ms}`);
    this.advanceTo(this.current + ms);
  }

  /** Moves the clock to `time` (not backwards), firing due timers in order. */
  advanceTo(time: number): void {
    if (!Number.isFinite(time)) throw new RangeError(`time must be a finite number, got ${time}`);
    if (time < this.current) throw new RangeError(`processing time cannot go backwards (now ${this.current}, asked for ${time})`);
    for (let fired = 0; ; fired++) {
      if (fired > 10_000_000) throw new Error('processing-time timers keep registering due timers (more than 10 M fired in one advance)');
      let due: PendingTimer | undefined;
      for (const t of this.timers) {
        if (t.cancelled || t.at + 1 > time) continue;
        if (due === undefined || t.at < due.at || (t.at === due.at && t.seq < due.seq)) due = t;
      }
      if (due === undefined) break;
      due.cancelled = true;
      this.current = Math.max(this.current, due.at + 1);
      due.fn(this.current);
    }
    this.current = time;
    for (let i = this.timers.length - 1; i >= 0; i--) if (this.timers[i]!.cancelled) this.timers.splice(i, 1);
  }

  /** The service operators see. @internal */
  service(): ProcessingTimeService {
    return {
      now: () => this.current,
      registerTimer: (at, fn) => {
        const t: PendingTimer = { at, seq: this.seq++, fn, cancelled: false };
        this.timers.push(t);
        return () => void (t.cancelled = true);
      },
    };
  }
}
