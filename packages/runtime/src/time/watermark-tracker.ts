// Combines the watermarks of several inputs (source splits, or the channels of an input gate) into one: the
// minimum over inputs that are active; idle inputs are excluded; finished inputs count as +Infinity. When every
// input is idle the combination is idle too, which downstream operators must not wait for.

/** @internal */
export class WatermarkTracker {
  private readonly watermarks: number[] = [];
  private readonly idle: boolean[] = [];
  private readonly finished: boolean[] = [];
  private combined = Number.NEGATIVE_INFINITY;
  private allIdle = false;

  /** Adds an input; returns its index. */
  add(): number {
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

  private recompute(): number | undefined {
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
