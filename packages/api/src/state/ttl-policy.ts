// TTL semantics shared by every state backend (Flink's StateTtlConfig): when an entry has expired, whether a read
// refreshes it, and whether an expired entry that was not cleaned up yet may still be returned. Defined once here so
// that a value expires at the same moment whichever backend holds it (backends differ only in how they store the
// last-access timestamp and when they clean up).
import type { StateTtlConfig } from './descriptors.js';

/**
 * Canonical (snapshot) form of a TTL value: `[value, lastAccessTimestamp]`, as in `@runnel/api/state`'s
 * `KeyedStateEntry`.
 *
 * @public
 */
export type TtlPair<T> = readonly [value: T, timestamp: number];

/**
 * Mutable stored form of a TTL value (timestamps are refreshed in place on read-and-write TTL).
 *
 * @public
 */
export class TtlEntry<T> {
  constructor(
    public value: T,
    public timestamp: number,
  ) {}
}

/**
 * A state's TTL configuration resolved to flags, with the backend clock (shared by the state backends, so that
 * TTL means the same everywhere).
 *
 * @public
 */
export class TtlPolicy {
  readonly ttlMs: number;
  readonly updateOnRead: boolean;
  readonly returnExpired: boolean;

  constructor(
    stateName: string,
    config: StateTtlConfig,
    readonly clock: () => number,
  ) {
    if (!(config.ttlMs > 0) || !Number.isFinite(config.ttlMs)) {
      throw new RangeError(`state '${stateName}': ttlMs must be a positive finite number, got ${config.ttlMs}`);
    }
    const updateType = config.updateType ?? 'on-create-and-write';
    if (updateType !== 'on-create-and-write' && updateType !== 'on-read-and-write') {
      throw new RangeError(`state '${stateName}': unknown TTL updateType '${String(updateType)}'`);
    }
    const visibility = config.visibility ?? 'never-return-expired';
    if (visibility !== 'never-return-expired' && visibility !== 'return-expired-if-not-cleaned-up') {
      throw new RangeError(`state '${stateName}': unknown TTL visibility '${String(visibility)}'`);
    }
    this.ttlMs = config.ttlMs;
    this.updateOnRead = updateType === 'on-read-and-write';
    this.returnExpired = visibility === 'return-expired-if-not-cleaned-up';
  }

  /** Flink semantics: expired once `timestamp + ttl <= now`. */
  expired(entry: { readonly timestamp: number }, now: number): boolean {
    return entry.timestamp + this.ttlMs <= now;
  }

  /** Whether a value may be used: not expired, or expired but the visibility still returns it. */
  usable(entry: { readonly timestamp: number }, now: number): boolean {
    return this.returnExpired || entry.timestamp + this.ttlMs > now;
  }
}

/**
 * Whether two TTL configurations are the same after defaults.
 *
 * @public
 */
export function sameTtl(a: StateTtlConfig | undefined, b: StateTtlConfig | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.ttlMs === b.ttlMs &&
    (a.updateType ?? 'on-create-and-write') === (b.updateType ?? 'on-create-and-write') &&
    (a.visibility ?? 'never-return-expired') === (b.visibility ?? 'never-return-expired')
  );
}
