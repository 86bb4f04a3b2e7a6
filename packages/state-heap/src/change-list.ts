// The positions of one state that were accessed during one change interval (between two checkpoint captures), for
// incremental snapshots. A delta snapshot re-encodes exactly these positions: their current value, or a tombstone
// when they are gone.
//
// The list is appended to only on a position's first access in the interval: while tracking, every entry of the
// state table is a slot stamped with the interval it was last recorded in (as Flink's CopyOnWriteStateMap stamps
// its entries with a state version), and an access compares that stamp with the table's interval. An earlier design kept a hash set of positions beside the table: a second random memory
// access (and a hash of a boxed window start) per access cost Nexmark q5 about a quarter of its throughput; the
// stamp costs a compare, the list a sequential append.
//
// The list keeps the position and its slot: the capture reads the value from the slot instead of looking the
// position up again (a random access into a large table per entry was a third of the capture). A slot whose entry
// was removed holds `undefined`, so its entries become tombstones; the table does not reuse it while a retained
// list names it (`freed`, see StateTable.release). A position may appear more than once (removed and created again,
// or listed in several intervals that one delta spans): entries of one position keep their order (the tombstone of
// a removed entry comes before the value of the one that replaced it), and the capture writes each live slot once.
import type { StateNamespace } from '@runnel/api/state';

/**
 * Positions (key-group index, namespace, map key, slot) recorded in one change interval of one state, in order.
 *
 * @internal
 */
export class ChangeList {
  // Flat quadruples (key-group index, namespace, map key, slot) in one array, pre-sized from the previous interval:
  // a large array lives outside the young generation, so the scavenger does not copy it as it grows. A numeric
  // namespace or key (window starts are doubles) goes to `numbers` instead, with `NUMBER` in its slot: keeping the
  // boxed double alive from the list (the cursor's one would otherwise die young) made every listed position a
  // survivor of the next scavenge, about a third of the tracking's garbage-collection cost on Nexmark q5.
  private items: unknown[];
  private numbers: Float64Array;
  private end = 0;
  /** Slots whose entries were removed in this list's interval, once sealed; reusable after `StateTable.release`. */
  freed: number[] | undefined = undefined;

  /** @param expected - positions expected (the previous interval's count) */
  constructor(expected = 0) {
    this.items = expected > 0 ? new Array<unknown>(expected * 4) : [];
    this.numbers = new Float64Array(Math.max(64, expected * 2));
  }

  /** Number of recorded positions (repeats included). */
  get length(): number {
    return this.end / 4;
  }

  push(kgIndex: number, namespace: StateNamespace, mapKey: unknown, slot: number): void {
    const items = this.items;
    const at = this.end;
    let numbers = this.numbers;
    if (at / 2 + 2 > numbers.length) {
      numbers = new Float64Array(numbers.length * 2);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    let ns: unknown = namespace;
    if (typeof namespace === 'number') {
      numbers[at / 2] = namespace;
      ns = NUMBER;
    }
    let key = mapKey;
    if (typeof mapKey === 'number') {
      numbers[at / 2 + 1] = mapKey;
      key = NUMBER;
    }
    if (at < items.length) {
      items[at] = kgIndex;
      items[at + 1] = ns;
      items[at + 2] = key;
      items[at + 3] = slot;
    } else {
      items.push(kgIndex, ns, key, slot);
    }
    this.end = at + 4;
  }

  /**
   * The positions of several lists grouped by key-group index, for a capture that visits the key groups in order:
   * a stable counting sort by key group over their concatenation (entries of one position keep their order).
   */
  static byKeyGroup(lists: readonly ChangeList[], size: number): ChangesByKeyGroup {
    const starts = new Int32Array(size + 1);
    let total = 0;
    for (const l of lists) {
      const items = l.items;
      for (let i = 0; i < l.end; i += 4) starts[(items[i] as number) + 1]!++;
      total += l.end / 4;
    }
    for (let k = 0; k < size; k++) starts[k + 1]! += starts[k]!;
    const next = starts.slice(0, size);
    const sorted = new Array<unknown>(total * 3);
    for (const l of lists) {
      const { items, numbers } = l;
      for (let i = 0; i < l.end; i += 4) {
        const at = next[items[i] as number]!++ * 3;
        const ns = items[i + 1];
        const key = items[i + 2];
        sorted[at] = ns === NUMBER ? numbers[i / 2] : ns;
        sorted[at + 1] = key === NUMBER ? numbers[i / 2 + 1] : key;
        sorted[at + 2] = items[i + 3];
      }
    }
    return { starts, items: sorted };
  }
}

/** Stands for a number kept in `ChangeList.numbers`. */
const NUMBER: unique symbol = Symbol('number');

/**
 * Positions grouped by key-group index: those of index `i` are the triples (namespace, map key, slot) at
 * `items[3 * starts[i]]` up to `items[3 * starts[i + 1]]`.
 *
 * @internal
 */
export interface ChangesByKeyGroup {
  readonly starts: Int32Array;
  readonly items: readonly unknown[];
}
