// Restart strategies, as Flink's: after a failure the job restarts from its latest completed checkpoint if the
// strategy allows, after a delay. `none` fails at once; `fixed-delay` allows N attempts; `exponential-delay` backs
// off exponentially (and resets after a quiet period); `failure-rate` allows N failures per interval.

/**
 * Restart strategy configuration (`restart-strategy.type` and its options).
 *
 * @public
 */
export type RestartStrategyConfig =
  | { readonly type: 'none' }
  | { readonly type: 'fixed-delay'; readonly attempts: number; readonly delayMs: number }
  | {
      readonly type: 'exponential-delay';
      readonly initialBackoffMs: number;
      readonly maxBackoffMs: number;
      readonly multiplier: number;
      /** Quiet time after which the backoff starts again from the initial value. */
      readonly resetBackoffThresholdMs: number;
      readonly attempts: number;
    }
  | { readonly type: 'failure-rate'; readonly maxFailuresPerInterval: number; readonly intervalMs: number; readonly delayMs: number };

/**
 * Decides, failure by failure, whether and when to restart.
 *
 * @internal
 */
export class RestartStrategy {
  private failures: number[] = [];
  private attempts = 0;
  private backoff: number;
  private lastFailureAt = Number.NEGATIVE_INFINITY;

  constructor(
    readonly config: RestartStrategyConfig,
    private readonly clock: () => number = Date.now,
  ) {
    this.backoff = config.type === 'exponential-delay' ? config.initialBackoffMs : 0;
  }

  /** Records a failure; returns the delay before restarting, or undefined when the job must fail. */
  onFailure(): number | undefined {
    const now = this.clock();
    const c = this.config;
    switch (c.type) {
      case 'none':
        return undefined;
      case 'fixed-delay':
        if (++this.attempts > c.attempts) return undefined;
        return c.delayMs;
      case 'exponential-delay': {
        if (now - this.lastFailureAt >= c.resetBackoffThresholdMs) {
          this.backoff = c.initialBackoffMs;
          this.attempts = 0;
        }
        this.lastFailureAt = now;
        if (++this.attempts > c.attempts) return undefined;
        const d = Math.min(this.backoff, c.maxBackoffMs);
        this.backoff = Math.min(this.backoff * c.multiplier, c.maxBackoffMs);
        return d;
      }
      case 'failure-rate': {
        this.failures = this.failures.filter((t) => now - t < c.intervalMs);
        this.failures.push(now);
        if (this.failures.length > c.maxFailuresPerInterval) return undefined;
        return c.delayMs;
      }
    }
  }

  describe(): string {
    const c = this.config;
    switch (c.type) {
      case 'none':
        return 'no restarts';
      case 'fixed-delay':
        return `fixed-delay (${c.attempts} attempts, ${c.delayMs} ms)`;
      case 'exponential-delay':
        return `exponential-delay (${c.initialBackoffMs}..${c.maxBackoffMs} ms ×${c.multiplier}, ${c.attempts} attempts)`;
      case 'failure-rate':
        return `failure-rate (${c.maxFailuresPerInterval} per ${c.intervalMs} ms)`;
    }
  }
}
