// Time-to-live support, as in Flink's TTL state decorators: a state with a TTL stores each value (each list
// element, each map entry) together with its last-access timestamp; only such states pay for it. Expired entries
// are removed lazily when read and by an incremental cleanup that visits a few entries on every access of the
// state, so state of keys that are never read again does not accumulate forever.
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';
import type { StateTable } from './state-table.js';

/**
 * A value with the processing time of its last timestamp update.
 *
 * @internal
 */
export interface TtlValue<T> {
  readonly value: T;
  readonly timestamp: number;
}

/**
 * Removes what has expired from a stored value: returns `undefined` when nothing is left (the entry is deleted),
 * otherwise the stored value (pruned in place for lists and maps).
 *
 * @internal
 */
export type PurgeFn = (stored: unknown, now: number) => unknown;

/**
 * Incremental TTL cleanup of one state: a cursor walks all entries of the state, round-robin over key groups and
 * namespaces, and `run` advances it by a few entries (Flink's `cleanupIncrementally`, default 5). JS `Map`
 * iterators tolerate deletion and insertion during iteration, so the walk needs no snapshot.
 *
 * @internal
 */
export class IncrementalCleanup {
  private now = 0;
  private readonly walker: Generator<void, never, void>;

  constructor(
    private readonly table: StateTable,
    private readonly purge: PurgeFn,
    private readonly entriesPerAccess: number,
  ) {
    this.walker = this.walk();
  }

  /** Visits up to `entriesPerAccess` entries (an empty key group counts as one visit, so this always ends). */
  run(now: number): void {
    this.now = now;
    for (let i = 0; i < this.entriesPerAccess; i++) this.walker.next();
  }

  /** Purges one entry of a key map; an entry left with nothing live is removed. */
  private visit(m: Map<unknown, unknown>, kg: number, ns: StateNamespace, k: unknown, e: unknown): void {
    const t = this.table;
    // Purging may change an entry in place or remove it: an incremental snapshot must see it.
    if (t.tracked) t.record(e as number, kg, ns, k);
    if (this.purge(t.tracked ? t.vals[e as number] : e, this.now) === undefined) {
      m.delete(k);
      if (t.tracked) t.dropSlot(e as number);
      t.lastSlot = -1;
    }
  }

  private *walk(): Generator<void, never, void> {
    const t = this.table;
    for (;;) {
      for (let kg = 0; kg < t.size; kg++) {
        const vm = t.voidMaps[kg];
        if (vm !== undefined) {
          for (const [k, e] of vm) {
            this.visit(vm, kg, VOID_NAMESPACE, k, e);
            yield;
          }
        }
        const byNs = t.nsMaps[kg];
        if (byNs !== undefined) {
          for (const [ns, m] of byNs) {
            for (const [k, e] of m) {
              this.visit(m, kg, ns, k, e);
              yield;
            }
            if (m.size === 0 && byNs.get(ns) === m) byNs.delete(ns);
          }
        }
        yield;
      }
    }
  }
}
