// The entries of one state that were accessed since the last checkpoint capture, for incremental snapshots: per key
// group, the map keys of the void namespace and, per other namespace (window), the map keys touched there. A delta
// snapshot re-encodes exactly these positions (their current value, or a tombstone when they are gone).
//
// Positions are recorded on access, reads included, not only on writes: handles hand out live objects (a list's
// array, a map, a user's accumulator) that callers may change in place, so a read may be a write. The cost is one
// `Set.add` per state, key and namespace between two position changes (the table remembers the cursor epoch it
// last recorded), not per access. Hot keys are touched over and over between two checkpoints; a small direct-mapped
// cache of recently recorded numeric positions answers most of those repeats without hashing into the sets
// (measured on Nexmark q5: the marking cost drops from ~16 % to a few % of the run).
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';

/**
 * Touched positions of one state, per key group.
 *
 * @internal
 */
/** Slots of the recently-recorded cache (a power of two). */
const RECENT_BITS = 14;
const RECENT_SLOTS = 1 << RECENT_BITS;

export class ChangeSet {
  /** Index `keyGroup - range.start` → map keys touched in the void namespace. */
  readonly voidKeys: (Set<unknown> | undefined)[];
  /** Index `keyGroup - range.start` → namespace → map keys touched there. */
  readonly nsKeys: (Map<StateNamespace, Set<unknown>> | undefined)[];

  // The cache: a slot holds a recorded (key group, namespace, key) with a numeric key and a numeric or void
  // namespace. A hit proves the position is in the sets; a miss or a collision only costs the set insertion.
  private readonly recentKey = new Float64Array(RECENT_SLOTS).fill(Number.NaN);
  private readonly recentNs = new Float64Array(RECENT_SLOTS);
  /** `kgIndex * 2 + (void namespace ? 1 : 0)`, -1 for an empty slot. */
  private readonly recentKgVoid = new Int32Array(RECENT_SLOTS).fill(-1);

  constructor(readonly size: number) {
    this.voidKeys = new Array<Set<unknown> | undefined>(size).fill(undefined);
    this.nsKeys = new Array<Map<StateNamespace, Set<unknown>> | undefined>(size).fill(undefined);
  }

  add(kgIndex: number, namespace: StateNamespace, mapKey: unknown): void {
    if (typeof mapKey === 'number') {
      const isVoid = namespace === VOID_NAMESPACE;
      if (isVoid || typeof namespace === 'number') {
        const ns = isVoid ? 0 : (namespace as number);
        const tag = kgIndex * 2 + (isVoid ? 1 : 0);
        const slot =
          (Math.imul(mapKey | 0, 0x9e3779b1) ^ Math.imul((ns % 0x7fffffff) | 0, 0x85ebca6b) ^ Math.imul(tag, 0xc2b2ae35)) >>> (32 - RECENT_BITS);
        if (this.recentKey[slot] === mapKey && this.recentNs[slot] === ns && this.recentKgVoid[slot] === tag) return;
        this.recentKey[slot] = mapKey;
        this.recentNs[slot] = ns;
        this.recentKgVoid[slot] = tag;
      }
    }
    this.insert(kgIndex, namespace, mapKey);
  }

  private insert(kgIndex: number, namespace: StateNamespace, mapKey: unknown): void {
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
      if (v !== undefined) for (const k of v) this.insert(i, VOID_NAMESPACE, k);
      const byNs = other.nsKeys[i];
      if (byNs !== undefined) for (const [ns, s] of byNs) for (const k of s) this.insert(i, ns, k);
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
