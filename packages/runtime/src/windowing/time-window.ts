// A time window [start, end): the unit windows are assigned, merged, fired and cleaned up by.

/**
 * A half-open time window `[start, end)` in epoch milliseconds.
 *
 * @public
 */
export class TimeWindow {
  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
  /** The largest timestamp that still belongs to the window (when event-time triggers fire). */
  maxTimestamp(): number {
    return this.end - 1;
  }
  intersects(other: TimeWindow): boolean {
    return this.start <= other.end && this.end >= other.start;
  }
  cover(other: TimeWindow): TimeWindow {
    return new TimeWindow(Math.min(this.start, other.start), Math.max(this.end, other.end));
  }
  toString(): string {
    return `[${this.start}, ${this.end})`;
  }
}

/**
 * Start of the window of `size` (with `offset`) that contains `timestamp` (Flink's getWindowStartWithOffset).
 *
 * @public
 */
export function windowStart(timestamp: number, offset: number, size: number): number {
  const r = (timestamp - offset) % size;
  return r < 0 ? timestamp - (r + size) : timestamp - r;
}
