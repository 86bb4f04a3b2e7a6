// The counter the runtime increments per record. `count` is a plain public field so the hot path is a single
// property increment (`c.count++`), with no call and no allocation; `inc`/`dec` exist for the `Counter` contract.
import type { Counter } from '@runnel/api/metrics';

/**
 * A counter backed by a plain numeric field.
 *
 * @remarks
 * Hot paths may write `counter.count += n` directly. The value is a JS number: exact up to 2^53 events.
 *
 * @public
 */
export class SimpleCounter implements Counter {
  readonly kind = 'counter' as const;
  /** The current count; may be written directly on hot paths. */
  count = 0;

  inc(n = 1): void {
    this.count += n;
  }

  dec(n = 1): void {
    this.count -= n;
  }

  getCount(): number {
    return this.count;
  }
}
