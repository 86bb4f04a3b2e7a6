// Wall-clock pacing of generator readers: permits accrue at `ratePerSecond` from the first request; at most one
// second of unused permits is kept, so a reader that was back-pressured for a while does not burst far above its
// rate afterwards. The clock is injectable so that tests can drive it without real time.

/**
 * A monotonic millisecond clock.
 *
 * @public
 */
export type Clock = () => number;

/**
 * Grants permits at a fixed rate.
 *
 * @public
 */
export class RateLimiter {
  private startMs = Number.NaN;
  private granted = 0;

  constructor(
    /** Permits per second, > 0. */
    readonly ratePerSecond: number,
    private readonly clock: Clock = () => performance.now(),
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`rate must be positive, got ${ratePerSecond}`);
  }

  /** Takes up to `max` permits available now; returns how many were taken (0 when none). */
  acquire(max: number): number {
    const available = this.available();
    const n = available < max ? available : max;
    this.granted += n;
    return n;
  }

  /** Permits available now. */
  available(): number {
    const now = this.clock();
    if (Number.isNaN(this.startMs)) this.startMs = now;
    let accrued = Math.floor(((now - this.startMs) * this.ratePerSecond) / 1000) + 1;
    const cap = Math.max(1, Math.ceil(this.ratePerSecond));
    if (accrued - this.granted > cap) {
      // Forget permits older than one second: move the origin forward.
      const excess = accrued - this.granted - cap;
      this.startMs += (excess * 1000) / this.ratePerSecond;
      accrued -= excess;
    }
    return Math.max(0, accrued - this.granted);
  }

  /** Milliseconds until at least one permit is available (0 if one is available now). */
  msUntilAvailable(): number {
    if (this.available() > 0) return 0;
    const dueAt = this.startMs + (this.granted * 1000) / this.ratePerSecond;
    return Math.max(1, Math.ceil(dueAt - this.clock()));
  }
}
