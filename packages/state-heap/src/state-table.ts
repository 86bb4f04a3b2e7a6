// Storage of one keyed state: per key group, a map from normalised key to the stored value. State in the void
// namespace (most keyed state) lives in a flat map per key group, so an access costs one array index and one
// `Map` lookup; state in other namespaces (windows) lives in a map of namespace to key map per key group, so a
// window's state can be dropped or listed without scanning every key. Organising by key group is what lets a
// checkpoint snapshot, and a restore redistribute, whole key groups.
//
// With incremental snapshots the maps hold slot numbers instead of the stored values: slot `s` keeps the value in
// `vals[s]` and, in `gens[s]`, the change interval in which its position was last recorded, so the first access of
// an interval appends the position to the table's `ChangeList` and later ones only compare a number (see
// change-list.ts). Slots rather than an object per entry: a slot number is a small integer stored inline in the
// map, so tracking allocates nothing per entry. An entry object was a young-generation survivor that every
// scavenge copied twice before promoting it; on Nexmark q5 that almost tripled the scavenge time, and it cost about
// 40 bytes per entry. Without incremental snapshots the maps hold the stored values and every access pays one
// predictable branch.
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';
import { ChangeList } from './change-list.js';
import type { StateCursor } from './state-cursor.js';

/** `gens` of restored entries: in no change list. */
const RESTORED = -1;

/**
 * Normalised key → stored value (a slot number in a tracked table), for one namespace of one key group.
 *
 * @internal
 */
export type KeyMap = Map<unknown, unknown>;

/**
 * The per-key-group maps of one state.
 *
 * @internal
 */
export class StateTable {
  /** Index `keyGroup - range.start` → key map of the void namespace. */
  readonly voidMaps: (KeyMap | undefined)[];
  /** Index `keyGroup - range.start` → namespace → key map. */
  readonly nsMaps: (Map<StateNamespace, KeyMap> | undefined)[];

  /** The current change interval (tracked tables): positions first accessed in it go to `changes`. */
  interval = 0;
  /** Positions first accessed in the current interval; `undefined` when the table is not tracked. */
  changes: ChangeList | undefined;
  /**
   * Tracked tables: slot → stored value; `undefined` for a free slot or one whose entry was removed (its change-list
   * entries are tombstones then).
   */
  vals: unknown[] = [];
  /**
   * Tracked tables: slot → the `interval` in which its position was last appended to the change list (any other
   * number: not listed in the current interval; a capture stamps the slots it wrote with its own negative mark).
   */
  gens = new Int32Array(0);
  /**
   * Slots free for reuse. A removed entry's slot is not reused while a retained change list may still name it (a
   * capture would read the new entry's value for the old position): it waits in `dying` until the list of its
   * interval is sealed and then released by the backend (`release`), which drops lists oldest first.
   */
  private free: number[] = [];
  private dying: number[] = [];
  /**
   * The slot `readStored` last returned the value of, at cursor epoch `lastEpoch` (tracked tables; -1: none). Every
   * removal of an entry forgets it, so while the epoch matches it is the slot at the cursor's position.
   */
  lastSlot = -1;
  lastEpoch = -1;

  /**
   * @param tracked - record accessed positions for incremental snapshots (the maps then hold slot numbers)
   */
  constructor(
    readonly size: number,
    readonly tracked = false,
  ) {
    // Filled (not holey) arrays keep element access on V8's fast path.
    this.voidMaps = new Array<KeyMap | undefined>(size).fill(undefined);
    this.nsMaps = new Array<Map<StateNamespace, KeyMap> | undefined>(size).fill(undefined);
    this.changes = tracked ? new ChangeList() : undefined;
  }

  /** Ends the current change interval and returns its positions (tracked tables). */
  seal(): ChangeList {
    const done = this.changes!;
    done.freed = this.dying;
    this.dying = [];
    this.changes = new ChangeList(done.length);
    this.interval++;
    return done;
  }

  /** Makes the slots removed in a sealed list's interval reusable: no retained list names them any more. */
  release(list: ChangeList): void {
    const freed = list.freed;
    if (freed === undefined) return;
    list.freed = undefined;
    for (let i = 0; i < freed.length; i++) this.free.push(freed[i]!);
  }

  /** A slot holding `stored`, stamped `gen`. */
  private newSlot(stored: unknown, gen: number): number {
    let s: number;
    if (this.free.length > 0) {
      s = this.free.pop()!;
      this.vals[s] = stored;
    } else {
      s = this.vals.length;
      this.vals.push(stored);
      if (s >= this.gens.length) {
        const grown = new Int32Array(Math.max(1024, this.gens.length * 2));
        grown.set(this.gens);
        this.gens = grown;
      }
    }
    this.gens[s] = gen;
    return s;
  }

  /** Empties a slot whose entry left its map (its change-list entries become tombstones). */
  dropSlot(s: number): void {
    this.vals[s] = undefined;
    this.dying.push(s);
    this.lastSlot = -1;
  }

  /** The key map of a namespace in a key group, if any state exists there. */
  mapOf(kgIndex: number, namespace: StateNamespace): KeyMap | undefined {
    if (namespace === VOID_NAMESPACE) return this.voidMaps[kgIndex];
    const byNs = this.nsMaps[kgIndex];
    return byNs === undefined ? undefined : byNs.get(namespace);
  }

  /** The key map of a namespace in a key group, created if missing. */
  mapForWrite(kgIndex: number, namespace: StateNamespace): KeyMap {
    if (!(kgIndex >= 0 && kgIndex < this.size)) {
      throw new Error('no current key: call setCurrentKey before accessing keyed state');
    }
    if (namespace === VOID_NAMESPACE) {
      let m = this.voidMaps[kgIndex];
      if (m === undefined) this.voidMaps[kgIndex] = m = new Map();
      return m;
    }
    let byNs = this.nsMaps[kgIndex];
    if (byNs === undefined) this.nsMaps[kgIndex] = byNs = new Map();
    let m = byNs.get(namespace);
    if (m === undefined) byNs.set(namespace, (m = new Map()));
    return m;
  }

  /** The stored value of a map entry (the slot's value in a tracked table). */
  valueOf(entry: unknown): unknown {
    return this.tracked ? this.vals[entry as number] : entry;
  }

  /** The stored value at a position (not recorded as accessed). */
  get(kgIndex: number, mapKey: unknown, namespace: StateNamespace): unknown {
    const m = this.mapOf(kgIndex, namespace);
    if (m === undefined) return undefined;
    const e = m.get(mapKey);
    return this.tracked && e !== undefined ? this.vals[e as number] : e;
  }

  /** Stores a value at a position (recorded as changed). */
  set(kgIndex: number, mapKey: unknown, namespace: StateNamespace, stored: unknown): void {
    const m = this.mapForWrite(kgIndex, namespace);
    if (!this.tracked) {
      m.set(mapKey, stored);
      return;
    }
    const slot = m.get(mapKey) as number | undefined;
    if (slot === undefined) {
      const created = this.newSlot(stored, this.interval);
      m.set(mapKey, created);
      this.changes!.push(kgIndex, namespace, mapKey, created);
      return;
    }
    this.vals[slot] = stored;
    this.record(slot, kgIndex, namespace, mapKey);
  }

  /** Stores a restored value (not recorded: the first snapshot after a restore is a full one). */
  restore(kgIndex: number, mapKey: unknown, namespace: StateNamespace, stored: unknown): void {
    this.lastSlot = -1;
    const m = this.mapForWrite(kgIndex, namespace);
    if (!this.tracked) {
      m.set(mapKey, stored);
      return;
    }
    const slot = m.get(mapKey) as number | undefined;
    if (slot === undefined) m.set(mapKey, this.newSlot(stored, RESTORED));
    else this.vals[slot] = stored;
  }

  /** Records the first access of a slot's position in the current interval. */
  record(slot: number, kgIndex: number, namespace: StateNamespace, mapKey: unknown): void {
    if (this.gens[slot] !== this.interval) {
      this.gens[slot] = this.interval;
      this.changes!.push(kgIndex, namespace, mapKey, slot);
    }
  }

  /**
   * Removes an entry (recorded as changed); drops a namespace's key map when it becomes empty so finished windows
   * leave nothing.
   */
  delete(kgIndex: number, mapKey: unknown, namespace: StateNamespace, recorded = true): void {
    const m = this.mapOf(kgIndex, namespace);
    if (m === undefined) return;
    this.lastSlot = -1;
    if (this.tracked) {
      const slot = m.get(mapKey) as number | undefined;
      if (slot === undefined) return;
      if (recorded) this.record(slot, kgIndex, namespace, mapKey);
      this.dropSlot(slot);
    }
    m.delete(mapKey);
    if (m.size === 0 && namespace !== VOID_NAMESPACE) this.nsMaps[kgIndex]!.delete(namespace);
  }

  /** Visits every entry of a key group: void namespace first, then the other namespaces. */
  forEachInKeyGroup(
    kgIndex: number,
    fn: (namespace: StateNamespace, mapKey: unknown, stored: unknown) => void,
  ): void {
    const vals = this.tracked ? this.vals : undefined;
    const vm = this.voidMaps[kgIndex];
    if (vm !== undefined) for (const [k, s] of vm) fn(VOID_NAMESPACE, k, vals !== undefined ? vals[s as number] : s);
    const byNs = this.nsMaps[kgIndex];
    if (byNs !== undefined) for (const [ns, m] of byNs) for (const [k, s] of m) fn(ns, k, vals !== undefined ? vals[s as number] : s);
  }

  /** Number of stored entries (key × namespace), expired TTL entries included. */
  count(): number {
    let n = 0;
    for (let i = 0; i < this.size; i++) {
      const vm = this.voidMaps[i];
      if (vm !== undefined) n += vm.size;
      const byNs = this.nsMaps[i];
      if (byNs !== undefined) for (const m of byNs.values()) n += m.size;
    }
    return n;
  }

  clear(): void {
    // (Only on dispose: change lists still naming the slots are dropped with the backend.)
    this.lastSlot = -1;
    this.vals = [];
    this.gens = new Int32Array(0);
    this.free = [];
    this.dying = [];
    this.voidMaps.fill(undefined);
    this.nsMaps.fill(undefined);
  }
}

// Scoped accessors. They are free functions over (cursor, table) rather than methods of a shared handle base
// class on purpose: their property loads then only ever see StateCursor and StateTable objects (monomorphic),
// while each handle class loads `this.cursor` / `this.table` in its own methods. A base-class method would share
// one feedback slot among all handle classes and turn megamorphic in a job that uses several state kinds
// (measured: about half the throughput of a keyed count).

/** The key map of the cursor's namespace, if any. */
function cursorMap(c: StateCursor, t: StateTable): KeyMap | undefined {
  return c.isVoid ? t.voidMaps[c.kgIndex] : t.mapOf(c.kgIndex, c.namespace);
}

/**
 * The stored value of the cursor's current key and namespace. In a tracked table a read records the position:
 * handles hand out live objects (a list's array, a map, a user's accumulator) that callers may change in place.
 *
 * @internal
 */
export function readStored(c: StateCursor, t: StateTable): unknown {
  const m = cursorMap(c, t);
  if (m === undefined) return undefined;
  const e = m.get(c.mapKey);
  if (!t.tracked || e === undefined) return e;
  const slot = e as number;
  if (t.gens[slot] !== t.interval) t.record(slot, c.kgIndex, c.namespace, c.mapKey);
  t.lastSlot = slot;
  t.lastEpoch = c.epoch;
  return t.vals[slot];
}

/**
 * Stores a value for the cursor's current key and namespace.
 *
 * @internal
 */
export function writeStored(c: StateCursor, t: StateTable, stored: unknown): void {
  if (!t.tracked) {
    if (c.isVoid) {
      const m = t.voidMaps[c.kgIndex];
      if (m !== undefined) {
        m.set(c.mapKey, stored);
        return;
      }
    }
  } else if (t.lastEpoch === c.epoch && t.lastSlot >= 0) {
    const slot = t.lastSlot;
    t.vals[slot] = stored;
    if (t.gens[slot] !== t.interval) t.record(slot, c.kgIndex, c.namespace, c.mapKey);
    return;
  }
  t.set(c.kgIndex, c.mapKey, c.namespace, stored);
}

/**
 * Removes the state of the cursor's current key and namespace.
 *
 * @internal
 */
export function removeStored(c: StateCursor, t: StateTable): void {
  t.delete(c.kgIndex, c.mapKey, c.namespace);
}
