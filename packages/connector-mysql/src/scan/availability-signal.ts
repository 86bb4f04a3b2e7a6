// A reusable "something changed" signal: callers take a promise, producers settle it. One promise is shared by all
// waiters until it settles, so waiting costs one allocation per wake-up, not per record.

/**
 * A resettable wake-up signal.
 *
 * @internal
 */
export class AvailabilitySignal {
  private pending: Promise<void> | undefined;
  private resolvePending: (() => void) | undefined;

  /** A promise that settles on the next {@link AvailabilitySignal.notify}. */
  promise(): Promise<void> {
    if (this.pending === undefined) {
      this.pending = new Promise<void>((resolve) => {
        this.resolvePending = resolve;
      });
    }
    return this.pending;
  }

  /** Wakes every waiter. */
  notify(): void {
    const resolve = this.resolvePending;
    this.pending = undefined;
    this.resolvePending = undefined;
    resolve?.();
  }
}
