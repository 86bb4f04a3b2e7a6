// The canonical keyed-state snapshot contract. A checkpoint or savepoint stores keyed state per key group, as
// entries (state name, key, namespace, value) that every backend can write and read: this is what lets a savepoint
// restore at another parallelism (key groups move between subtasks) and on another backend (heap ↔ LevelDB).
//
// A snapshot has two phases: `snapshot()` is called synchronously at the checkpoint barrier and must capture a
// consistent view cheaply (records keep flowing right after it returns); `write()` then produces the canonical
// entries asynchronously.
import type { StateKind, StateTtlConfig } from './descriptors.js';
import type { StateNamespace } from './backend.js';
import type { SerializerSnapshot } from '../serialization/versioned-serializer.js';

/**
 * What a snapshot records about one registered state: enough to check compatibility without the entries.
 *
 * @public
 */
export interface StateMetaInfo {
  readonly name: string;
  readonly kind: StateKind;
  /** Serializer of the values (of the elements for list state, of the map values for map state). */
  readonly valueSerializer: SerializerSnapshot;
  /** Serializer of map keys (map state only). */
  readonly mapKeySerializer?: SerializerSnapshot;
  readonly ttl?: StateTtlConfig;
}

/**
 * One entry of keyed state in canonical form.
 *
 * `value` by kind: `value`/`reducing`/`aggregating` — the value (accumulator); `list` — an array of elements;
 * `map` — an array of `[mapKey, mapValue]` pairs. With TTL, each value/element/map value is a pair
 * `[value, lastAccessTimestamp]`. Values are plain data encodable by the generic codec (`runnel.generic`),
 * or, for states whose descriptor names a serializer, the `Uint8Array` that serializer produced.
 *
 * @public
 */
export interface KeyedStateEntry {
  readonly state: string;
  readonly key: unknown;
  readonly namespace: StateNamespace;
  readonly value: unknown;
}

/**
 * The entries of one key group.
 *
 * @public
 */
export interface KeyGroupEntries {
  readonly keyGroup: number;
  readonly entries: readonly KeyedStateEntry[];
}

/**
 * A captured keyed-state snapshot.
 *
 * @public
 */
export interface KeyedStateSnapshot {
  readonly states: readonly StateMetaInfo[];
  /** Produces the entries of every non-empty key group, in key-group order. */
  write(): AsyncIterable<KeyGroupEntries> | Iterable<KeyGroupEntries>;
  /** Releases what the capture holds (e.g. a LevelDB snapshot); idempotent. */
  release(): void | Promise<void>;
}

/**
 * Operator (non-keyed) list state in canonical form.
 *
 * @public
 */
export interface OperatorStateEntries {
  readonly name: string;
  /** `split`: elements are redistributed evenly on rescale; `union`: every subtask gets all elements. */
  readonly mode: 'split' | 'union';
  readonly elements: readonly unknown[];
}

/**
 * Receives canonical keyed-state entries as they are encoded: key groups in ascending order, each opened with
 * `beginKeyGroup` and closed with `endKeyGroup`. Values are encoded immediately, so a backend may pass live objects.
 * In an incremental snapshot (`snapshotChangesTo`) a `value` of `undefined` is a tombstone: the entry was removed.
 *
 * @public
 */
export interface KeyedStateEncoder {
  beginKeyGroup(keyGroup: number): void;
  entry(state: string, key: unknown, namespace: StateNamespace, value: unknown): void;
  endKeyGroup(): void;
}
