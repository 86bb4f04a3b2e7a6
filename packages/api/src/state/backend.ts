// The StateBackend contract: a backend creates, per keyed operator subtask, a store for the key groups that subtask
// owns, and per operator subtask a store of non-keyed (operator) list state. Backends are plugins: they depend on
// this package only.
import type { KeyGroupRange } from './key-groups.js';
import type {
  AggregatingStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  ValueStateDescriptor,
} from './descriptors.js';
import type { AggregatingState, ListState, MapState, ReducingState, ValueState } from './state.js';
import type { MetricGroup } from '../metrics/metric-group.js';
import type { KeyGroupEntries, KeyedStateEncoder, KeyedStateSnapshot, OperatorStateEntries, StateMetaInfo } from './snapshot.js';

/**
 * The namespace state lives in besides its key: a window for window operators, `VOID_NAMESPACE` otherwise.
 *
 * @public
 */
export type StateNamespace = string | number;

/**
 * The namespace of state that is not scoped to a window.
 *
 * @public
 */
export const VOID_NAMESPACE: StateNamespace = '';

/**
 * What a backend is told when it creates keyed state for one operator subtask.
 *
 * @public
 */
export interface KeyedStateBackendContext {
  readonly jobId: string;
  readonly operatorUid: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** The key groups this subtask owns; keys of other groups are a routing bug and are rejected. */
  readonly keyGroupRange: KeyGroupRange;
  /** Processing-time clock in epoch milliseconds, used for TTL (injectable for tests). */
  readonly clock: () => number;
  /** A directory the backend may use for local files (LevelDB), unique to this subtask. */
  readonly localDirectory?: string;
  readonly metricGroup?: MetricGroup;
  /**
   * The runtime will ask for incremental snapshots (`snapshotChangesTo`), so a backend that supports them tracks
   * its changes from the start (`execution.checkpointing.incremental`). Backends without the capability ignore it.
   */
  readonly incrementalSnapshots?: boolean;
}

/**
 * Keyed state of one operator subtask, organised by key group.
 *
 * @public
 */
export interface KeyedStateBackend {
  readonly keyGroupRange: KeyGroupRange;
  /** Sets the key that subsequent state accesses are scoped to. */
  setCurrentKey(key: unknown, keyGroup: number): void;
  getCurrentKey(): unknown;
  getCurrentKeyGroup(): number;
  /** Sets the namespace (window) that subsequent state accesses are scoped to. */
  setCurrentNamespace(namespace: StateNamespace): void;
  getCurrentNamespace(): StateNamespace;

  getValueState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>): AggregatingState<IN, OUT>;

  /**
   * Merges the current key's state of `sources` namespaces into `target` and clears the sources (merging
   * windows). Value state cannot be merged; reducing/aggregating state merges with its function; lists concatenate.
   */
  mergeNamespaces(stateName: string, target: StateNamespace, sources: readonly StateNamespace[]): void;

  /** Every key that has state under `stateName` in `namespace` (e.g. to apply a function to all keys). */
  keys(stateName: string, namespace: StateNamespace): Iterable<unknown>;

  /**
   * Optional capability of backends that keep state off-heap: makes the state of these keys resident so that the
   * synchronous accessors can serve them. The runtime calls it once per input batch; returning `undefined` means
   * nothing had to be loaded.
   */
  prefetch?(keys: ArrayLike<unknown>, keyGroups: ArrayLike<number>): Promise<void> | undefined;

  /**
   * Optional capability (required for checkpoints): synchronous capture at the barrier; the returned snapshot
   * writes canonical entries asynchronously.
   */
  snapshot?(checkpointId: number): KeyedStateSnapshot;

  /**
   * Optional capability, preferred over `snapshot` when present: encodes the whole state synchronously at the
   * barrier, straight from the live structures (every key group of the range, in order), and returns what it wrote
   * about the states. For in-memory backends this is the cheapest consistent capture: no copies, no intermediate
   * objects.
   */
  snapshotTo?(checkpointId: number, encoder: KeyedStateEncoder): StateMetaInfo[];

  /**
   * Optional capability (incremental checkpoints): encodes, synchronously, only what changed since this backend's
   * capture for checkpoint `baseCheckpointId` (made by `snapshotTo` or `snapshotChangesTo`): the current value of
   * every entry written since then, and a tombstone (`value` undefined) for every entry removed since then. Applying
   * the entries in order on top of the base snapshot gives the current state.
   *
   * Returns `undefined`, without calling the encoder, when it cannot (changes since that capture are not tracked,
   * e.g. after a restore): the caller then takes a full snapshot with `snapshotTo`. Every capture starts a new
   * change interval. Bases only move forward: once asked for changes since `baseCheckpointId`, the backend may
   * forget what changed before it.
   */
  snapshotChangesTo?(checkpointId: number, baseCheckpointId: number, encoder: KeyedStateEncoder): StateMetaInfo[] | undefined;

  /**
   * Optional capability (required for restores): loads canonical entries written by any backend. Called before
   * processing starts; the caller passes only key groups in this backend's range. Entries apply in order: a later
   * entry for the same state, key and namespace replaces an earlier one, and an entry whose `value` is undefined
   * (a tombstone of an incremental snapshot) removes it.
   */
  restore?(states: readonly StateMetaInfo[], groups: Iterable<KeyGroupEntries>): void | Promise<void>;

  /** Releases memory and files; idempotent. */
  dispose(): void | Promise<void>;
}

/**
 * What a backend is told when it creates operator (non-keyed) state for one operator subtask.
 *
 * @public
 */
export interface OperatorStateContext {
  readonly jobId: string;
  readonly operatorUid: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
}

/**
 * Non-keyed state of one operator subtask: lists that are redistributed on rescale (split evenly, or for union
 * state, given whole to every subtask).
 *
 * @public
 */
export interface OperatorStateStore {
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  /** Names of all registered states. */
  stateNames(): readonly string[];
  /** Optional capability (required for checkpoints): the current contents, captured synchronously. */
  snapshot?(): OperatorStateEntries[];
  /** Optional capability (required for restores): contents already redistributed for this subtask. */
  restore?(states: readonly OperatorStateEntries[]): void;
  dispose(): void | Promise<void>;
}

/**
 * A state backend: a factory of keyed and operator state stores.
 *
 * @public
 */
export interface StateBackend {
  /** Short name used in configuration, e.g. `heap` or `level` (`state.backend.type`). */
  readonly name: string;
  createKeyedStateBackend(context: KeyedStateBackendContext): KeyedStateBackend | Promise<KeyedStateBackend>;
  /**
   * Optional: a store of operator (non-keyed) state. Operator state is small by nature (source positions, sink
   * committables), so without this capability the runtime keeps it in JS memory, as Flink does for every backend.
   */
  createOperatorStateStore?(context: OperatorStateContext): OperatorStateStore;
  /** Releases shared resources; idempotent. */
  close?(): void | Promise<void>;
}
