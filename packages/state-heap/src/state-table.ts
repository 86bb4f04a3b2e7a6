// Storage of one keyed state: per key group, a map from normalised key to the stored value. State in the void
// namespace (most keyed state) lives in a flat map per key group, so an access costs one array index and one
// `Map` lookup; state in other namespaces (windows) lives in a map of namespace to key map per key group, so a
// window's state can be dropped or listed without scanning every key. Organising by key group is what lets a
// checkpoint snapshot, and a restore redistribute, whole key groups.
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';
import type { ChangeSet } from './change-set.js';
import type { StateCursor } from './state-cursor.js';

/**
 * Normalised key → stored value, for one namespace of one key group.
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

  /** Positions accessed since the last capture, when the backend takes incremental snapshots. */
  changes: ChangeSet | undefined = undefined;
  /** The cursor epoch whose position `changes` already holds (see `StateCursor.epoch`). */
  markedEpoch = -1;

  constructor(readonly size: number) {
    // Filled (not holey) arrays keep element access on V8's fast path.
    this.voidMaps = new Array<KeyMap | undefined>(size).fill(undefined);
    this.nsMaps = new Array<Map<StateNamespace, KeyMap> | undefined>(size).fill(undefined);
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

  get(kgIndex: number, mapKey: unknown, namespace: StateNamespace): unknown {
    const m = this.mapOf(kgIndex, namespace);
    return m === undefined ? undefined : m.get(mapKey);
  }

  set(kgIndex: number, mapKey: unknown, namespace: StateNamespace, stored: unknown): void {
    this.mapForWrite(kgIndex, namespace).set(mapKey, stored);
  }

  /** Removes an entry; drops a namespace's key map when it becomes empty so finished windows leave nothing. */
  delete(kgIndex: number, mapKey: unknown, namespace: StateNamespace): void {
    if (namespace === VOID_NAMESPACE) {
      const m = this.voidMaps[kgIndex];
      if (m !== undefined) m.delete(mapKey);
      return;
    }
    const byNs = this.nsMaps[kgIndex];
    if (byNs === undefined) return;
    const m = byNs.get(namespace);
    if (m === undefined) return;
    m.delete(mapKey);
    if (m.size === 0) byNs.delete(namespace);
  }

  /** Visits every entry of a key group: void namespace first, then the other namespaces. */
  forEachInKeyGroup(
    kgIndex: number,
    fn: (namespace: StateNamespace, mapKey: unknown, stored: unknown) => void,
  ): void {
    const vm = this.voidMaps[kgIndex];
    if (vm !== undefined) for (const [k, s] of vm) fn(VOID_NAMESPACE, k, s);
    const byNs = this.nsMaps[kgIndex];
    if (byNs !== undefined) for (const [ns, m] of byNs) for (const [k, s] of m) fn(ns, k, s);
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
    this.voidMaps.fill(undefined);
    this.nsMaps.fill(undefined);
  }
}

// Scoped accessors. They are free functions over (cursor, table) rather than methods of a shared handle base
// class on purpose: their property loads then only ever see StateCursor and StateTable objects (monomorphic),
// while each handle class loads `this.cursor` / `this.table` in its own methods. A base-class method would share
// one feedback slot among all handle classes and turn megamorphic in a job that uses several state kinds
// (measured: about half the throughput of a keyed count).

/**
 * Records the cursor's position as changed (incremental snapshots); call only when `t.changes` is set.
 *
 * @internal
 */
export function markChange(c: StateCursor, t: StateTable): void {
  t.markedEpoch = c.epoch;
  t.changes!.add(c.kgIndex, c.namespace, c.mapKey);
}

/**
 * The stored value of the cursor's current key and namespace.
 *
 * @internal
 */
export function readStored(c: StateCursor, t: StateTable): unknown {
  if (t.changes !== undefined && t.markedEpoch !== c.epoch) markChange(c, t);
  if (c.isVoid) {
    const m = t.voidMaps[c.kgIndex];
    return m === undefined ? undefined : m.get(c.mapKey);
  }
  return t.get(c.kgIndex, c.mapKey, c.namespace);
}

/**
 * Stores a value for the cursor's current key and namespace.
 *
 * @internal
 */
export function writeStored(c: StateCursor, t: StateTable, stored: unknown): void {
  if (t.changes !== undefined && t.markedEpoch !== c.epoch) markChange(c, t);
  if (c.isVoid) {
    const m = t.voidMaps[c.kgIndex];
    if (m !== undefined) {
      m.set(c.mapKey, stored);
      return;
    }
  }
  t.set(c.kgIndex, c.mapKey, c.namespace, stored);
}

/**
 * Removes the state of the cursor's current key and namespace.
 *
 * @internal
 */
export function removeStored(c: StateCursor, t: StateTable): void {
  if (t.changes !== undefined && t.markedEpoch !== c.epoch) markChange(c, t);
  t.delete(c.kgIndex, c.mapKey, c.namespace);
}
