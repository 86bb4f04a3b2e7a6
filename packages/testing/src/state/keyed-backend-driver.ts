// Drives a KeyedStateBackend as the runtime's keyed operators do: state keys made resident first (`prefetch`, for
// off-heap backends), then the current key and namespace set, then synchronous access; snapshots taken the way the
// runtime prefers (`snapshotTo`, else `snapshot` + `write`), encoded into the checkpoint's key-group format, and
// restored from those bytes with only the key groups of the restoring backend's range.
import {
  DEFAULT_MAX_PARALLELISM,
  keyGroupFor,
  keyGroupRangeForSubtask,
  VOID_NAMESPACE,
  type KeyedStateBackend,
  type KeyGroupEntries,
  type KeyGroupRange,
  type KeyedStateEntry,
  type StateBackend,
  type StateDescriptor,
  type StateMetaInfo,
  type StateNamespace,
} from '@runnel/api';
import { decodeKeyGroupRange, encodeKeyGroups } from '@runnel/runtime/testing';

/**
 * A keyed-state snapshot as a checkpoint stores it: what the backend wrote about its states, and the entries in the
 * checkpoint's key-group format.
 *
 * @public
 */
export interface KeyedStateCheckpoint {
  readonly checkpointId: number;
  readonly states: readonly StateMetaInfo[];
  readonly bytes: Uint8Array;
  /** `[keyGroup, offset, length]` of each key group in `bytes`. */
  readonly index: readonly (readonly [number, number, number])[];
  readonly maxParallelism: number;
}

/**
 * Options of {@link KeyedBackendDriver.open}.
 *
 * @public
 */
export interface KeyedBackendDriverOptions {
  /** Subtask of the keyed operator (default 0 of 1) and number of key groups (default 128). */
  readonly subtaskIndex?: number;
  readonly parallelism?: number;
  readonly maxParallelism?: number;
  /** The processing-time clock TTL uses (default: a fixed time a test moves with `clock.now`). */
  readonly clock?: { now: number };
  /** Directory for backends with local files (unique per backend). */
  readonly localDirectory?: string;
  /** Restores these checkpoints (of any parallelism) into the new backend, keeping only its key groups. */
  readonly restore?: readonly KeyedStateCheckpoint[];
  /** The operator uid the backend is created for (default `conformance`). */
  readonly operatorUid?: string;
}

/**
 * One keyed state backend of one operator subtask, driven as the runtime drives it.
 *
 * @public
 */
export class KeyedBackendDriver {
  private constructor(
    /** The backend under test. */
    readonly backend: KeyedStateBackend,
    /** The clock TTL reads; set `clock.now` to move processing time. */
    readonly clock: { now: number },
    readonly maxParallelism: number,
  ) {}

  /** Creates the subtask's keyed backend and restores `options.restore` into it. */
  static async open(stateBackend: StateBackend, options: KeyedBackendDriverOptions = {}): Promise<KeyedBackendDriver> {
    const parallelism = options.parallelism ?? 1;
    const subtaskIndex = options.subtaskIndex ?? 0;
    const maxParallelism = options.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
    if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism) throw new RangeError(`subtaskIndex must be in [0, ${parallelism - 1}], got ${subtaskIndex}`);
    const clock = options.clock ?? { now: 1_000_000 };
    const keyGroupRange = keyGroupRangeForSubtask(maxParallelism, parallelism, subtaskIndex);
    const backend = await stateBackend.createKeyedStateBackend({
      jobId: 'conformance',
      operatorUid: options.operatorUid ?? 'conformance',
      subtaskIndex,
      parallelism,
      maxParallelism,
      keyGroupRange,
      clock: () => clock.now,
      localDirectory: options.localDirectory,
    });
    const d = new KeyedBackendDriver(backend, clock, maxParallelism);
    if (options.restore !== undefined && options.restore.length > 0) await d.restore(options.restore);
    return d;
  }

  /**
   * Registers states before any key is accessed, as operators do in `open()` (backends that load state per key need
   * to know every state before keys are prefetched).
   */
  register(descriptors: readonly StateDescriptor[]): void {
    const b = this.backend;
    for (const d of descriptors) {
      if (d.kind === 'value') b.getValueState(d);
      else if (d.kind === 'list') b.getListState(d);
      else if (d.kind === 'map') b.getMapState(d);
      else if (d.kind === 'reducing') b.getReducingState(d);
      else if (d.kind === 'aggregating') b.getAggregatingState(d);
      else throw new TypeError(`unknown state kind '${String((d as { kind: unknown }).kind)}' of state '${(d as { name: string }).name}'`);
    }
  }

  get keyGroupRange(): KeyGroupRange {
    return this.backend.keyGroupRange;
  }

  /** The key group of a key. */
  keyGroupOf(key: unknown): number {
    return keyGroupFor(key, this.maxParallelism);
  }

  /** Whether this backend's range owns `key`. */
  owns(key: unknown): boolean {
    const kg = this.keyGroupOf(key);
    return kg >= this.keyGroupRange.start && kg <= this.keyGroupRange.end;
  }

  /**
   * Makes `key` (and `namespace`, default the void namespace) current, after making its state resident, and runs
   * `access` (synchronous state access, as in a user function).
   */
  async at<R>(key: unknown, access: (backend: KeyedStateBackend) => R, namespace: StateNamespace = VOID_NAMESPACE): Promise<R> {
    const kg = this.keyGroupOf(key);
    const p = this.backend.prefetch?.([key], [kg]);
    if (p !== undefined) await p;
    this.backend.setCurrentKey(key, kg);
    this.backend.setCurrentNamespace(namespace);
    return access(this.backend);
  }

  /** A full snapshot, as the runtime takes it at a barrier, encoded in the checkpoint's key-group format. */
  async snapshot(checkpointId: number): Promise<KeyedStateCheckpoint> {
    const b = this.backend;
    let states: readonly StateMetaInfo[];
    const groups: KeyGroupEntries[] = [];
    if (b.snapshotTo) {
      let current: { keyGroup: number; entries: KeyedStateEntry[] } | undefined;
      states = b.snapshotTo(checkpointId, {
        beginKeyGroup: (keyGroup) => void (current = { keyGroup, entries: [] }),
        // Values are encoded at once in the runtime (a backend may pass live objects): copy through the format below.
        entry: (state, key, namespace, value) => void current!.entries.push({ state, key, namespace, value: structuredCloneable(value) }),
        endKeyGroup: () => {
          if (current !== undefined && current.entries.length > 0) groups.push(current);
          current = undefined;
        },
      });
    } else if (b.snapshot) {
      const snap = b.snapshot(checkpointId);
      try {
        states = snap.states;
        for await (const g of snap.write()) if (g.entries.length > 0) groups.push(g);
      } finally {
        await snap.release();
      }
    } else {
      throw new Error('the keyed state backend has neither snapshotTo nor snapshot: it cannot take part in checkpoints');
    }
    const { bytes, index } = encodeKeyGroups(groups);
    return { checkpointId, states: [...states], bytes, index, maxParallelism: this.maxParallelism };
  }

  /** Restores checkpoints (entries of this backend's key groups only), in order. */
  async restore(checkpoints: readonly KeyedStateCheckpoint[]): Promise<void> {
    if (!this.backend.restore) throw new Error('the keyed state backend has no restore: it cannot be restored from a checkpoint');
    const states = new Map<string, StateMetaInfo>();
    const groups: KeyGroupEntries[] = [];
    for (const c of checkpoints) {
      if (c.maxParallelism !== this.maxParallelism) throw new RangeError(`a checkpoint with maxParallelism ${c.maxParallelism} cannot be restored into maxParallelism ${this.maxParallelism}`);
      for (const s of c.states) states.set(s.name, s);
      groups.push(...decodeKeyGroupRange(c.bytes, c.index, this.keyGroupRange));
    }
    groups.sort((a, b) => a.keyGroup - b.keyGroup);
    await this.backend.restore([...states.values()], groups);
  }

  /** Releases the backend. */
  async dispose(): Promise<void> {
    await this.backend.dispose();
  }
}

/** Live values are copied by the key-group encoding anyway; arrays and plain objects are copied here for the same reason. */
function structuredCloneable(value: unknown): unknown {
  return value === undefined || value === null || typeof value !== 'object' || value instanceof Uint8Array ? value : structuredClone(value);
}
