// Combines the watermarks of several inputs (source splits, or the channels of an input gate) into one: the
// minimum over inputs that are active; idle inputs are excluded; finished inputs count as +Infinity. When every
// input is idle the combination is idle too, which downstream operators must not wait for.
//
// Two ways an input goes away: `finish` (a channel ended: once every input finished, the combination is +Infinity,
// the end of event time) and `release` (a source split was read to its end: the source may get more splits later,
// so releasing the last one must not end event time — the combination stays where it is until a new input moves
// it).

/** @internal */
export class WatermarkTracker {
  private readonly watermarks: number[] = [];
  private readonly idle: boolean[] = [];
  private readonly finished: boolean[] = [];
  /** Released inputs, whose slots `add` reuses (a long-running source holds many splits over time). */
  private readonly free: number[] = [];
  private combined = Number.NEGATIVE_INFINITY;
  private allIdle = false;

  /** Adds an input (with no watermark yet); returns its index. */
  add(): number {
    const reused = this.free.pop();
    if (reused !== undefined) {
      this.watermarks[reused] = Number.NEGATIVE_INFINITY;
      this.idle[reused] = false;
      this.finished[reused] = false;
      return reused;
    }
    this.watermarks.push(Number.NEGATIVE_INFINITY);
    this.idle.push(false);
    this.finished.push(false);
    return this.watermarks.length - 1;
  }

  get size(): number {
    return this.watermarks.length;
  }

  get current(): number {
    return this.combined;
  }

  get isIdle(): boolean {
    return this.allIdle;
  }

  /** Returns the new combined watermark if it advanced, else undefined. */
  update(input: number, watermark: number): number | undefined {
    if (watermark > this.watermarks[input]!) this.watermarks[input] = watermark;
    return this.recompute();
  }

  /** Marks an input idle (true) or active (false); returns the new combined watermark if it advanced. */
  setIdle(input: number, idle: boolean): number | undefined {
    this.idle[input] = idle;
    return this.recompute();
  }

  finish(input: number): number | undefined {
    this.finished[input] = true;
    this.watermarks[input] = Number.POSITIVE_INFINITY;
    return this.recompute();
  }

  /**
   * An input that no longer holds the combination back, without ending it: when no other input is left, the
   * combination stays (inputs added later start from it). Returns the new combined watermark if it advanced.
   */
  release(input: number): number | undefined {
    this.finished[input] = true;
    this.watermarks[input] = Number.POSITIVE_INFINITY;
    this.free.push(input);
    return this.recompute(false);
  }

  /** The watermark of one input (-Infinity when it has none yet). */
  watermarkOf(input: number): number {
    return this.watermarks[input]!;
  }

  private recompute(endWhenAllFinished = true): number | undefined {
    let min = Number.POSITIVE_INFINITY;
    let active = 0;
    let unfinished = 0;
    for (let i = 0; i < this.watermarks.length; i++) {
      if (this.finished[i]) continue;
      unfinished++;
      if (this.idle[i]) continue;
      active++;
      const w = this.watermarks[i]!;
      if (w < min) min = w;
    }
    this.allIdle = unfinished > 0 && active === 0;
    if (unfinished === 0 && !endWhenAllFinished) return undefined;
    if (this.allIdle) {
      // All inputs idle: what they emitted before going idle still holds, so the highest of their watermarks is
      // safe to emit (as Flink does); otherwise an input that turns idle together with the last active one would
      // swallow the watermark the active one had reached.
      let max = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < this.watermarks.length; i++) if (!this.finished[i] && this.watermarks[i]! > max) max = this.watermarks[i]!;
      if (max > this.combined) {
        this.combined = max;
        return max;
      }
      return undefined;
    }
    if (min > this.combined) {
      this.combined = min;
      return min;
    }
    return undefined;
  }
}
