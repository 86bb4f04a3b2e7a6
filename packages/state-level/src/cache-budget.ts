// The size bound of the write-back cache. Two limits apply, whichever is lower: `cache-size` (resident keys) and
// `cache-memory` (estimated JS heap bytes of the resident keys and their state). The byte bound is what matters
// for the process's memory — a key with a 3-element SQL accumulator costs twice the heap of a key with one counter,
// a key with a long list many times that — so it is kept as a key count too: the estimated bytes per resident key
// (a moving average over sampled resident keys, see heap-size.ts) turn the budget into the number of keys the
// eviction sweep keeps. Sampling instead of accounting every change keeps the per-record path untouched (a state
// update does not know its size), costs a few hundred nanoseconds per `SAMPLE_EVERY` prefetched keys, and follows
// state that grows in place (lists, maps) as the sampled keys are re-measured.

/** Bytes per key assumed before the first sample (a small key with one small value: see the README's table). */
const PRIOR_BYTES = 256;
/**
 * Samples averaged equally before the average becomes exponential with this window: short enough to follow state
 * that grows in place within a few thousand prefetched keys, long enough to smooth keys of different sizes.
 */
const WINDOW = 64;

/**
 * Resident-key limit of a write-back cache from its key and byte bounds.
 *
 * @internal
 */
export class CacheBudget {
  /** Estimated JS heap bytes per resident key (`PRIOR_BYTES` until sampled). */
  bytesPerKey = PRIOR_BYTES;
  /** Current bound on resident keys: `maxKeys`, or fewer when the byte budget is reached first. */
  limit: number;
  private samples = 0;

  constructor(
    /** `cache-size`: resident keys at most (`Infinity`: no key bound). */
    readonly maxKeys: number,
    /** `cache-memory`: estimated bytes at most (`Infinity`: no byte bound). */
    readonly maxBytes: number,
  ) {
    this.limit = this.compute();
  }

  /** Whether the byte budget applies (then resident keys are sampled). */
  get sized(): boolean {
    return this.maxBytes !== Infinity;
  }

  /** Adds one resident key's estimated size to the average and updates the limit. */
  sample(bytes: number): void {
    const n = this.samples < WINDOW ? ++this.samples : WINDOW;
    // The first sample replaces the prior; later ones move the (equal-weight, then exponential) average.
    this.bytesPerKey = n === 1 ? bytes : this.bytesPerKey + (bytes - this.bytesPerKey) / n;
    this.limit = this.compute();
  }

  private compute(): number {
    if (!this.sized) return this.maxKeys;
    return Math.min(this.maxKeys, Math.max(1, Math.floor(this.maxBytes / this.bytesPerKey)));
  }
}
