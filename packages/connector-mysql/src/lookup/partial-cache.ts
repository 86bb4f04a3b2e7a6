// Flink's PARTIAL lookup cache: at most `maxRows` keys (the least recently used go first), each living until
// `expireAfterWriteMs` after it was loaded and/or `expireAfterAccessMs` after it was last read; keys without rows
// are cached too unless `cacheMissingKey` is false. A Map in recency order (a hit moves its key to the end) gives
// O(1) get, put and eviction.

/**
 * Settings of a {@link PartialCache}.
 *
 * @public
 */
export interface PartialCacheSettings {
  readonly maxRows?: number;
  readonly expireAfterWriteMs?: number;
  readonly expireAfterAccessMs?: number;
  /** Default true. */
  readonly cacheMissingKey?: boolean;
}

interface Entry<V> {
  readonly rows: readonly V[];
  readonly writtenAt: number;
  accessedAt: number;
}

/**
 * A partial lookup cache.
 *
 * @public
 */
export class PartialCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  hits = 0;
  misses = 0;

  constructor(
    private readonly settings: PartialCacheSettings,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The cached rows of a key, or undefined when absent or expired. */
  get(key: string): readonly V[] | undefined {
    const e = this.entries.get(key);
    if (e === undefined) {
      this.misses++;
      return undefined;
    }
    const t = this.now();
    const s = this.settings;
    if ((s.expireAfterWriteMs !== undefined && t - e.writtenAt >= s.expireAfterWriteMs) || (s.expireAfterAccessMs !== undefined && t - e.accessedAt >= s.expireAfterAccessMs)) {
      this.entries.delete(key);
      this.misses++;
      return undefined;
    }
    e.accessedAt = t;
    this.entries.delete(key);
    this.entries.set(key, e);
    this.hits++;
    return e.rows;
  }

  put(key: string, rows: readonly V[]): void {
    if (rows.length === 0 && this.settings.cacheMissingKey === false) return;
    const t = this.now();
    this.entries.delete(key);
    this.entries.set(key, { rows, writtenAt: t, accessedAt: t });
    const max = this.settings.maxRows;
    if (max !== undefined) {
      while (this.entries.size > max) this.entries.delete(this.entries.keys().next().value!);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
