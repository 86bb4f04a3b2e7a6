// The entries of one state that were accessed since the last checkpoint capture, for incremental snapshots: per key
// group, the map keys of the void namespace and, per other namespace (window), the map keys touched there. A delta
// snapshot re-encodes exactly these positions (their current value, or a tombstone when they are gone).
//
// Positions are recorded on access, reads included, not only on writes: handles hand out live objects (a list's
// array, a map, a user's accumulator) that callers may change in place, so a read may be a write. The cost is one
// `Set.add` per state, key and namespace between two position changes (the table remembers the cursor epoch it
// last recorded), not per access.
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';

/**
 * Touched positions of one state, per key group.
 *
 * @internal
 */
export class ChangeSet {
  /** Index `keyGroup - range.start` → map keys touched in the void namespace. */
  readonly voidKeys: (Set<unknown> | undefined)[];
  /** Index `keyGroup - range.start` → namespace → map keys touched there. */
  readonly nsKeys: (Map<StateNamespace, Set<unknown>> | undefined)[];

  constructor(readonly size: number) {
    this.voidKeys = new Array<Set<unknown> | undefined>(size).fill(undefined);
    this.nsKeys = new Array<Map<StateNamespace, Set<unknown>> | undefined>(size).fill(undefined);
  }

  add(kgIndex: number, namespace: StateNamespace, mapKey: unknown): void {
    if (namespace === VOID_NAMESPACE) {
      let s = this.voidKeys[kgIndex];
      if (s === undefined) this.voidKeys[kgIndex] = s = new Set();
      s.add(mapKey);
      return;
    }
    let byNs = this.nsKeys[kgIndex];
    if (byNs === undefined) this.nsKeys[kgIndex] = byNs = new Map();
    let s = byNs.get(namespace);
    if (s === undefined) byNs.set(namespace, (s = new Set()));
    s.add(mapKey);
  }

  /** Adds every position of `other` (same key-group range). */
  addAll(other: ChangeSet): void {
    for (let i = 0; i < other.size; i++) {
      const v = other.voidKeys[i];
      if (v !== undefined) for (const k of v) this.add(i, VOID_NAMESPACE, k);
      const byNs = other.nsKeys[i];
      if (byNs !== undefined) for (const [ns, s] of byNs) for (const k of s) this.add(i, ns, k);
    }
  }

  /** Visits the touched positions of one key group. */
  forEachInKeyGroup(kgIndex: number, fn: (namespace: StateNamespace, mapKey: unknown) => void): void {
    const v = this.voidKeys[kgIndex];
    if (v !== undefined) for (const k of v) fn(VOID_NAMESPACE, k);
    const byNs = this.nsKeys[kgIndex];
    if (byNs !== undefined) for (const [ns, s] of byNs) for (const k of s) fn(ns, k);
  }
}
