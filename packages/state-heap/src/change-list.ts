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
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';

/** `kinds` bits: the namespace / the map key is not a number (kept in `objs`); the namespace is the void one. */
const NS_OBJ = 1;
const KEY_OBJ = 2;
const NS_VOID = 4;

/**
 * Positions (key-group index, namespace, map key, slot) recorded in one change interval of one state, in order.
 *
 * @internal
 */
export class ChangeList {
  // Structure of arrays, pre-sized from the previous interval: typed arrays for the key-group index, the slot and
  // numeric namespaces and keys (window starts, numeric keys), so appending stores no pointers (no write barrier,
  // nothing for the scavenger to visit) and a boxed double from the cursor is not kept alive into the next
  // scavenge. Only a namespace or key that is not a number (other than the void namespace) goes to `objs`,
  // allocated on first use.
  private kgs: Int32Array;
  private slots: Int32Array;
  private nums: Float64Array;
  private kinds: Uint8Array;
  private objs: unknown[] | undefined = undefined;
  private n = 0;
  /** Slots whose entries were removed in this list's interval, once sealed; reusable after `StateTable.release`. */
  freed: number[] | undefined = undefined;

  /** @param expected - positions expected (the previous interval's count) */
  constructor(expected = 0) {
    const cap = Math.max(64, expected);
    this.kgs = new Int32Array(cap);
    this.slots = new Int32Array(cap);
    this.nums = new Float64Array(cap * 2);
    this.kinds = new Uint8Array(cap);
  }

  /** Number of recorded positions (repeats included). */
  get length(): number {
    return this.n;
  }

  push(kgIndex: number, namespace: StateNamespace, mapKey: unknown, slot: number): void {
    const i = this.n;
    if (i === this.kgs.length) this.grow();
    this.kgs[i] = kgIndex;
    this.slots[i] = slot;
    let kind = 0;
    if (typeof namespace === 'number') this.nums[2 * i] = namespace;
    else if (namespace === VOID_NAMESPACE) kind = NS_VOID;
    else {
      kind = NS_OBJ;
      this.objsForWrite()[2 * i] = namespace;
    }
    if (typeof mapKey === 'number') this.nums[2 * i + 1] = mapKey;
    else {
      kind |= KEY_OBJ;
      this.objsForWrite()[2 * i + 1] = mapKey;
    }
    this.kinds[i] = kind;
    this.n = i + 1;
  }

  private objsForWrite(): unknown[] {
    // Pre-sized (not grown by index from empty, which could turn a large sparse array into a dictionary).
    return (this.objs ??= new Array<unknown>(this.kgs.length * 2).fill(undefined));
  }

  private grow(): void {
    const cap = this.kgs.length * 2;
    const kgs = new Int32Array(cap);
    kgs.set(this.kgs);
    this.kgs = kgs;
    const slots = new Int32Array(cap);
    slots.set(this.slots);
    this.slots = slots;
    const nums = new Float64Array(cap * 2);
    nums.set(this.nums);
    this.nums = nums;
    const kinds = new Uint8Array(cap);
    kinds.set(this.kinds);
    this.kinds = kinds;
    if (this.objs !== undefined) for (let j = this.objs.length; j < cap * 2; j++) this.objs.push(undefined);
  }

  /**
   * The positions of several lists grouped by key-group index, for a capture that visits the key groups in order:
   * a stable counting sort by key group over their concatenation (entries of one position keep their order).
   */
  static byKeyGroup(lists: readonly ChangeList[], size: number): ChangesByKeyGroup {
    const starts = new Int32Array(size + 1);
    let total = 0;
    let anyObjs = false;
    for (const l of lists) {
      const kgs = l.kgs;
      for (let i = 0; i < l.n; i++) starts[kgs[i]! + 1]!++;
      total += l.n;
      if (l.objs !== undefined) anyObjs = true;
    }
    for (let k = 0; k < size; k++) starts[k + 1]! += starts[k]!;
    const next = starts.slice(0, size);
    const out = new ChangesByKeyGroup(starts, total, anyObjs);
    const { slots, nums, kinds, objs } = out;
    for (const l of lists) {
      const lo = l.objs;
      for (let i = 0; i < l.n; i++) {
        const j = next[l.kgs[i]!]!++;
        const kind = l.kinds[i]!;
        slots[j] = l.slots[i]!;
        kinds[j] = kind;
        nums[2 * j] = l.nums[2 * i]!;
        nums[2 * j + 1] = l.nums[2 * i + 1]!;
        if ((kind & (NS_OBJ | KEY_OBJ)) !== 0) {
          objs![2 * j] = lo![2 * i];
          objs![2 * j + 1] = lo![2 * i + 1];
        }
      }
    }
    return out;
  }
}

/**
 * Positions grouped by key-group index: those of index `k` are the entries `starts[k]` up to `starts[k + 1]`, each
 * with its namespace, map key and slot.
 *
 * @internal
 */
export class ChangesByKeyGroup {
  readonly slots: Int32Array;
  readonly nums: Float64Array;
  readonly kinds: Uint8Array;
  readonly objs: unknown[] | undefined;

  constructor(
    readonly starts: Int32Array,
    total: number,
    withObjs: boolean,
  ) {
    this.slots = new Int32Array(total);
    this.nums = new Float64Array(total * 2);
    this.kinds = new Uint8Array(total);
    this.objs = withObjs ? new Array<unknown>(total * 2).fill(undefined) : undefined;
  }

  namespaceAt(j: number): StateNamespace {
    const kind = this.kinds[j]!;
    if ((kind & NS_VOID) !== 0) return VOID_NAMESPACE;
    return (kind & NS_OBJ) !== 0 ? (this.objs![2 * j] as StateNamespace) : this.nums[2 * j]!;
  }

  keyAt(j: number): unknown {
    return (this.kinds[j]! & KEY_OBJ) !== 0 ? this.objs![2 * j + 1] : this.nums[2 * j + 1]!;
  }
}
