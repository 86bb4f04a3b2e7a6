// The write-back cache's unit: one key with the state of every registered state in every namespace. State
// accessors are synchronous, so a key must be resident (loaded by prefetch, or known to have no state) before a
// record touches it. A key is loaded with all its states at once because the runtime prefetches keys, not
// (key, state) pairs. The cursor and the free cell functions below are the hot path (see state-heap's note on why
// free functions over one cursor class stay monomorphic).
import { VOID_NAMESPACE, type StateNamespace } from '@runnel/api/state';
import { heapSize } from './heap-size.js';
import type { StateMeta } from './state-meta.js';

/**
 * Fixed heap bytes of a resident key besides its key and state values: the slot object (3 header words and 14
 * fields), its cell array's header and backing-store header, the cache `Map`'s entry and the CLOCK queue's
 * reference. With one state of Smi keys and values this measured 240 bytes per key after GC (README).
 */
const SLOT_BYTES = 17 * 8 + 6 * 8 + 4 * 8 + 8;

/**
 * One resident key.
 *
 * @internal
 */
export class KeySlot {
  /** Void-namespace cell per state registration index (`undefined`: no state). */
  v: unknown[];
  /** Non-void namespace cells per state registration index. */
  ns: (Map<StateNamespace, unknown> | undefined)[] | undefined = undefined;
  /** Flattened (state index, namespace) pairs removed since the last write-back (to delete them on disk). */
  removed: unknown[] | undefined = undefined;
  /** States (registration count) whose cells are loaded: state `m` is usable when `epoch >= m.reg`. */
  epoch = 0;
  /** Dirty bits of states changed since the last write-back. */
  dirty = 0;
  /** Bits of states whose void cell may exist on disk (a removal must then be written as a delete). */
  vDisk = 0;
  /** CLOCK reference bit, set when a prefetch touches the key. */
  ref = true;
  /** Prefetch generation that last touched the key: keys of the batch being processed are never evicted. */
  gen = 0;
  /** Write batches in flight that carry this key's state (while > 0 the slot also lives in `inflight`). */
  pending = 0;
  /** Whether the Bloom filter of written keys already answers "maybe" for this key. */
  inBloom = false;
  /** The load in progress, if any. */
  loading: Promise<void> | undefined = undefined;

  constructor(
    readonly key: unknown,
    /** Normalised key: the cache's `Map` key. */
    readonly nk: unknown,
    readonly keyGroup: number,
    states: number,
  ) {
    this.v = new Array<unknown>(states).fill(undefined);
  }
}

/**
 * The current key and namespace of a keyed backend, shared by all its state handles.
 *
 * @internal
 */
export class Cursor {
  slot: KeySlot | undefined = undefined;
  key: unknown = undefined;
  nk: unknown = undefined;
  keyGroup = -1;
  namespace: StateNamespace = VOID_NAMESPACE;
  isVoid = true;

  constructor(
    /** Slow path: the resident slot of the current key for a state, or throws "was not prefetched". */
    readonly miss: (c: Cursor, m: StateMeta) => KeySlot,
  ) {}
}

/**
 * The current key's slot, loaded for state `m`.
 *
 * @internal
 */
export function slotFor(c: Cursor, m: StateMeta): KeySlot {
  const s = c.slot;
  if (s !== undefined && s.epoch >= m.reg) return s;
  return c.miss(c, m);
}

/** The stored value of the current key and namespace. @internal */
export function readCell(c: Cursor, m: StateMeta): unknown {
  const s = slotFor(c, m);
  if (c.isVoid) return s.v[m.idx];
  return getNs(s, m, c.namespace);
}

/** Stores a value for the current key and namespace. @internal */
export function writeCell(c: Cursor, m: StateMeta, stored: unknown): void {
  const s = slotFor(c, m);
  if (c.isVoid) {
    s.v[m.idx] = stored;
    s.dirty |= m.bit;
    return;
  }
  setNs(s, m, c.namespace, stored);
}

/** Removes the state of the current key and namespace. @internal */
export function removeCell(c: Cursor, m: StateMeta): void {
  removeNs(slotFor(c, m), m, c.namespace);
}

/** Records an in-place change of the current cell (list append, map put, TTL timestamp refresh). @internal */
export function markDirty(c: Cursor, m: StateMeta): void {
  slotFor(c, m).dirty |= m.bit;
}

/** The cell of a namespace. @internal */
export function getNs(s: KeySlot, m: StateMeta, ns: StateNamespace): unknown {
  if (ns === VOID_NAMESPACE) return s.v[m.idx];
  const maps = s.ns;
  if (maps === undefined) return undefined;
  const mm = maps[m.idx];
  return mm === undefined ? undefined : mm.get(ns);
}

/** Sets the cell of a namespace (marks it dirty, counts a new namespace entry). @internal */
export function setNs(s: KeySlot, m: StateMeta, ns: StateNamespace, stored: unknown): void {
  s.dirty |= m.bit;
  if (ns === VOID_NAMESPACE) {
    s.v[m.idx] = stored;
    return;
  }
  const maps = (s.ns ??= []);
  let mm = maps[m.idx];
  if (mm === undefined) maps[m.idx] = mm = new Map();
  if (!mm.has(ns)) m.nsCreated(ns);
  mm.set(ns, stored);
}

/** Loads a cell read from disk (not dirty; namespace counts already include it). @internal */
export function loadNs(s: KeySlot, m: StateMeta, ns: StateNamespace, stored: unknown): void {
  if (ns === VOID_NAMESPACE) {
    s.v[m.idx] = stored;
    s.vDisk |= m.bit;
    return;
  }
  const maps = (s.ns ??= []);
  let mm = maps[m.idx];
  if (mm === undefined) maps[m.idx] = mm = new Map();
  mm.set(ns, stored);
}

/** Removes the cell of a namespace. @internal */
export function removeNs(s: KeySlot, m: StateMeta, ns: StateNamespace): void {
  if (ns === VOID_NAMESPACE) {
    if (s.v[m.idx] !== undefined) {
      s.v[m.idx] = undefined;
      s.dirty |= m.bit;
    }
    return;
  }
  const mm = s.ns?.[m.idx];
  if (mm === undefined || !mm.delete(ns)) return;
  m.nsRemoved(ns);
  s.dirty |= m.bit;
  (s.removed ??= []).push(m.idx, ns);
}

/**
 * Estimated JS heap bytes of a resident key with all its state (see heap-size.ts): sampled to bound the cache by
 * `cache-memory`.
 *
 * @internal
 */
export function slotHeapSize(s: KeySlot): number {
  let size = SLOT_BYTES + heapSize(s.key);
  if (s.nk !== s.key) size += heapSize(s.nk);
  const v = s.v;
  for (let i = 0; i < v.length; i++) size += 8 + heapSize(v[i]);
  const ns = s.ns;
  if (ns !== undefined) for (const mm of ns) if (mm !== undefined) size += heapSize(mm);
  if (s.removed !== undefined) size += heapSize(s.removed);
  return size;
}
