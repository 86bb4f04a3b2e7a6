// Time-to-live support, with the heap backend's semantics (Flink's TTL decorators): a state with a TTL keeps each
// value (list element, map entry) with its last-access timestamp; expired entries are dropped lazily when read
// and are never written to snapshots under `never-return-expired`. There is no background cleanup of entries that
// live only on disk: they are dropped when their key is read again, or left out of the next snapshot.
import type { StateTtlConfig } from '@runnel/api/state';

/**
 * Mutable stored (in-cache) form of a TTL value.
 *
 * @internal
 */
export class TtlEntry<T> {
  constructor(
    public value: T,
    public timestamp: number,
  ) {}
}

/**
 * A state's TTL configuration resolved to flags, with the backend clock.
 *
 * @internal
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

/** Whether two TTL configurations are the same after defaults. @internal */
export function sameTtl(a: StateTtlConfig | undefined, b: StateTtlConfig | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.ttlMs === b.ttlMs &&
    (a.updateType ?? 'on-create-and-write') === (b.updateType ?? 'on-create-and-write') &&
    (a.visibility ?? 'never-return-expired') === (b.visibility ?? 'never-return-expired')
  );
}
