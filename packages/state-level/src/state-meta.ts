// What the backend knows about one state name: its id in the LevelDB key layout, its handle once registered, what
// a restore said about it, and the bookkeeping prefetch needs for namespaced (window) state. One class for all
// states keeps the hot cell accessors monomorphic.
import type { StateKind, StateMetaInfo, StateNamespace } from '@runnel/api/state';
import type { AbstractLevelState } from './abstract-level-state.js';

/** Registration index from which all states share one dirty bit (a bitmask is a 31-bit int). */
const SHARED_BIT_FROM = 30;

/**
 * Per-state metadata of a LevelDB keyed backend.
 *
 * @internal
 */
export class StateMeta {
  /** Registration index (0-based) — the cell index in key slots; -1 while not registered. */
  idx = -1;
  /** `idx + 1` once registered: a key slot holds this state when `slot.epoch >= reg`. Unregistered: never. */
  reg = 0x7fffffff;
  /** Dirty bit of this state in `KeySlot.dirty`. */
  bit = 0;
  handle: AbstractLevelState | undefined = undefined;
  /** Meta information from a restore (kept for snapshots while the state is not registered). */
  restored: StateMetaInfo | undefined = undefined;
  /** Whether any entry in a non-void namespace was ever created (then prefetch must look for namespaces). */
  namespaced = false;
  /**
   * Non-void namespace → number of entries (keys) that have state in it, on disk or in the cache. Exact: every
   * creation and removal happens on a resident key. Lets prefetch fetch `(key, namespace)` pairs with one batched
   * `getMany` instead of a range read per key while few namespaces are live (tumbling/sliding windows).
   */
  readonly liveNs = new Map<StateNamespace, number>();
  /** Whether any entry of this state was ever written to LevelDB (then `keys()` needs `prepareKeys`). */
  onDisk = false;

  constructor(
    readonly name: string,
    readonly stateId: number,
    public kind: StateKind,
  ) {}

  /** Marks this state registered at `index`. */
  register(index: number, handle: AbstractLevelState): void {
    this.idx = index;
    this.reg = index + 1;
    this.bit = 1 << Math.min(index, SHARED_BIT_FROM);
    this.handle = handle;
  }

  /** Counts one more entry in a non-void namespace. */
  nsCreated(ns: StateNamespace): void {
    this.namespaced = true;
    this.liveNs.set(ns, (this.liveNs.get(ns) ?? 0) + 1);
  }

  /** Counts one entry less in a non-void namespace. */
  nsRemoved(ns: StateNamespace): void {
    const n = this.liveNs.get(ns);
    if (n === undefined) return;
    if (n <= 1) this.liveNs.delete(ns);
    else this.liveNs.set(ns, n - 1);
  }
}
