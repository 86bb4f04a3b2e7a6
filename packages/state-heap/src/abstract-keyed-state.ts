// Base of all keyed state handles: scoped access to the stored value of the current key and namespace, and the
// kind-specific hooks the backend uses for work across keys (merging namespaces, listing keys, snapshots,
// restores, TTL cleanup). Hot accessors live in state-table.ts as free functions (see the note there).
import type { StateKind } from '@runnel/api/state';
import type { StateCursor } from './state-cursor.js';
import { readStored, removeStored, writeStored, type StateTable } from './state-table.js';
import { TtlEntry, type TtlPolicy } from '@runnel/api/state';
import { IncrementalCleanup } from './ttl.js';

/**
 * A keyed state handle of the heap backend.
 *
 * @internal
 */
export abstract class AbstractKeyedState {
  abstract readonly kind: StateKind;
  /** Incremental cleanup of expired entries; only for states with TTL. */
  protected readonly cleanup: IncrementalCleanup | undefined;

  constructor(
    readonly name: string,
    protected readonly cursor: StateCursor,
    readonly table: StateTable,
    readonly ttl: TtlPolicy | undefined,
    cleanupSize: number,
  ) {
    this.cleanup =
      ttl === undefined || cleanupSize <= 0
        ? undefined
        : new IncrementalCleanup(table, (stored, now) => this.purge(stored, now), cleanupSize);
  }

  /** TTL states: reads the clock and advances the incremental cleanup; returns the current time. */
  protected access(): number {
    const now = this.ttl!.clock();
    if (this.cleanup !== undefined) this.cleanup.run(now);
    return now;
  }

  /**
   * TTL value-like states: the entry of the current key and namespace, or `undefined` when absent. An expired
   * entry is removed and, unless the visibility returns expired values, reported absent.
   */
  protected readTtl(now: number): TtlEntry<unknown> | undefined {
    const e = readStored(this.cursor, this.table) as TtlEntry<unknown> | undefined;
    if (e === undefined) return undefined;
    const ttl = this.ttl!;
    if (ttl.expired(e, now)) {
      removeStored(this.cursor, this.table);
      return ttl.returnExpired ? e : undefined;
    }
    if (ttl.updateOnRead) e.timestamp = now;
    return e;
  }

  /** TTL value-like states: writes a value with a fresh timestamp (reusing the stored entry when present). */
  protected writeTtl(value: unknown, now: number): void {
    const e = readStored(this.cursor, this.table) as TtlEntry<unknown> | undefined;
    if (e !== undefined) {
      e.value = value;
      e.timestamp = now;
    } else {
      writeStored(this.cursor, this.table, new TtlEntry(value, now));
    }
  }

  /** Drops state of the current key and namespace. */
  clear(): void {
    removeStored(this.cursor, this.table);
  }

  /** TTL states: whether a stored value still holds something unexpired (used by `keys()`). */
  abstract isLive(stored: unknown, now: number): boolean;

  /** TTL states: removes what has expired; `undefined` when nothing is left. */
  abstract purge(stored: unknown, now: number): unknown;

  /** Canonical (snapshot) form of a stored value; `undefined` to skip a fully expired entry. */
  abstract exportValue(stored: unknown, now: number): unknown;

  /** Stored form of a canonical value (the inverse of `exportValue`). */
  abstract importValue(value: unknown): unknown;

  /** Throws when this state cannot merge namespaces. */
  abstract checkMergeable(): void;

  /**
   * Merges a source namespace's stored value into the target's (`undefined` when the target has none yet);
   * returns the new stored value of the target, `undefined` when nothing is left.
   */
  abstract mergeStored(target: unknown, source: unknown, now: number): unknown;
}
