// The positions of one state that were accessed during one change interval (between two checkpoint captures), for
// incremental snapshots. A delta snapshot re-encodes exactly these positions: their current value, or a tombstone
// when they are gone.
//
// The list is appended to only on a position's first access in the interval: while tracking, every entry of the
// state table is a `Cell` stamped with the interval it was last recorded in (as Flink's CopyOnWriteStateMap stamps
// its entries with a state version), and an access compares that stamp with the table's interval, in the cache line
// it just loaded anyway. An earlier design kept a hash set of positions beside the table: a second random memory
// access (and a hash of a boxed window start) per access cost Nexmark q5 about a quarter of its throughput; the
// stamp costs a compare, the list a sequential append.
//
// A position may appear more than once (removed and created again within an interval, or in several intervals
// that one delta spans); the capture writes each live position once and repeats a tombstone at most harmlessly.
import type { StateNamespace } from '@runnel/api/state';

/**
 * Positions (key-group index, namespace, map key) recorded in one change interval of one state, in order.
 *
 * @internal
 */
export class ChangeList {
  // Flat triples (key-group index, namespace, map key): one array grows instead of three.
  private items: unknown[] = [];

  constructor(readonly size: number) {}

  /** Number of recorded positions (repeats included). */
  get length(): number {
    return this.items.length / 3;
  }

  push(kgIndex: number, namespace: StateNamespace, mapKey: unknown): void {
    this.items.push(kgIndex, namespace, mapKey);
  }

  /**
   * The positions of several lists grouped by key-group index, for a capture that visits the key groups in order:
   * a counting sort by key group over their concatenation.
   */
  static byKeyGroup(lists: readonly ChangeList[], size: number): ChangesByKeyGroup {
    const starts = new Int32Array(size + 1);
    let total = 0;
    for (const l of lists) {
      const items = l.items;
      for (let i = 0; i < items.length; i += 3) starts[(items[i] as number) + 1]!++;
      total += items.length / 3;
    }
    for (let k = 0; k < size; k++) starts[k + 1]! += starts[k]!;
    const next = starts.slice(0, size);
    const namespaces = new Array<StateNamespace>(total);
    const keys = new Array<unknown>(total);
    for (const l of lists) {
      const items = l.items;
      for (let i = 0; i < items.length; i += 3) {
        const at = next[items[i] as number]!++;
        namespaces[at] = items[i + 1] as StateNamespace;
        keys[at] = items[i + 2];
      }
    }
    return { starts, namespaces, keys };
  }
}

/**
 * Positions grouped by key-group index: those of index `i` are at `[starts[i], starts[i + 1])`.
 *
 * @internal
 */
export interface ChangesByKeyGroup {
  readonly starts: Int32Array;
  readonly namespaces: readonly StateNamespace[];
  readonly keys: readonly unknown[];
}
