// The keyed state store of one operator subtask, in JS memory. It owns the current key/namespace cursor shared
// with all its state handles, one StateTable per registered state, and the operations that work across keys:
// merging namespaces, listing keys, and the per-key-group entry walk and restore that checkpoints build on.
import { copyPlain } from './snapshot-copy.js';
import {
  VOID_NAMESPACE,
  type AggregatingState,
  type AggregatingStateDescriptor,
  type KeyGroupRange,
  type KeyedStateBackend,
  type KeyedStateBackendContext,
  type ListState,
  type ListStateDescriptor,
  type MapState,
  type MapStateDescriptor,
  type ReducingState,
  type ReducingStateDescriptor,
  type StateDescriptor,
  type StateKind,
  type StateNamespace,
  type ValueState,
  type ValueStateDescriptor,
  type KeyedStateSnapshot,
  type KeyedStateEncoder,
  type KeyGroupEntries,
  type KeyedStateEntry,
  type StateMetaInfo,
} from '@runnel/api/state';
import type { AbstractKeyedState } from './abstract-keyed-state.js';
import { ChangeList, type ChangesByKeyGroup } from './change-list.js';
import { HeapAggregatingState, TtlHeapAggregatingState } from './aggregating-state.js';
import { checkRestoredSerializers, denormalizeKey, normalizeKey, sameTtl, TtlPolicy, type StateOwner } from '@runnel/api/state';
import { HeapListState, TtlHeapListState } from './list-state.js';
import { HeapMapState, TtlHeapMapState } from './map-state.js';
import { cleanupSizeOf, type HeapStateBackendOptions } from './options.js';
import { HeapReducingState, TtlHeapReducingState } from './reducing-state.js';
import { StateCursor } from './state-cursor.js';
import { StateTable } from './state-table.js';
import { HeapValueState, TtlHeapValueState } from './value-state.js';

interface RegisteredState {
  readonly descriptor: StateDescriptor;
  readonly handle: AbstractKeyedState;
}

interface PendingEntry {
  readonly keyGroup: number;
  readonly key: unknown;
  readonly namespace: StateNamespace;
  readonly value: unknown;
}

/**
 * Callback of {@link HeapKeyedStateBackend.forEachEntry}.
 *
 * `value` is the canonical form of `@runnel/api/state`'s `KeyedStateEntry`: the value (value state), the array of
 * elements (list), an array of `[mapKey, mapValue]` pairs (map), the value (reducing) or the accumulator
 * (aggregating). For a state with TTL each value, element or map value is a `[value, lastAccessTimestamp]` pair.
 * User values and list arrays may be live references: do not mutate them and do not keep them past the callback
 * (serialize or copy them).
 *
 * @internal
 */
export type StateEntryVisitor = (stateName: string, key: unknown, namespace: StateNamespace, value: unknown) => void;

/**
 * Keyed state of one operator subtask, held in JS memory and organised by key group.
 *
 * @public
 */
export class HeapKeyedStateBackend implements KeyedStateBackend {
  readonly keyGroupRange: KeyGroupRange;
  private size: number;
  private readonly clock: () => number;
  private readonly cleanupSize: number;
  private readonly cursor = new StateCursor();
  private readonly states = new Map<string, RegisteredState>();
  /** Restored entries of states not registered yet: their kind (and TTL) is only known at registration. */
  private readonly pending = new Map<string, PendingEntry[]>();
  /** What restored snapshots said about each state (serializers, to read their bytes at registration). */
  private readonly restoredMeta = new Map<string, StateMetaInfo>();
  /** Whether state handles record the positions they touch (incremental snapshots). */
  private readonly tracking: boolean;
  /**
   * Sealed change intervals, oldest first: `changes` holds, per state, what was touched between the previous
   * capture and capture `id` (emptied once no delta can need it; the id stays as proof of the capture).
   */
  private generations: { id: number; changes: Map<string, ChangeList> | undefined }[] = [];
  /** Incremental captures taken (each stamps the cells it wrote with its own mark). */
  private captures = 0;
  private disposed = false;
  /** Names the operator (uid, subtask) in errors about its restored state. */
  private readonly owner: StateOwner | undefined;

  constructor(context: KeyedStateBackendContext, options?: HeapStateBackendOptions) {
    const { start, end } = context.keyGroupRange;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0) {
      throw new RangeError(`invalid key-group range [${start}, ${end}]`);
    }
    this.keyGroupRange = { start, end };
    this.size = Math.max(0, end - start + 1);
    this.clock = context.clock;
    this.cleanupSize = cleanupSizeOf(options);
    this.tracking = context.incrementalSnapshots === true;
    this.owner = typeof context.operatorUid === 'string' ? { uid: context.operatorUid, subtask: context.subtaskIndex } : undefined;
  }

  // ---- current key and namespace (per record; keep cheap) ----

  setCurrentKey(key: unknown, keyGroup: number): void {
    const c = this.cursor;
    const index = keyGroup - this.keyGroupRange.start;
    if (!(index >= 0 && index < this.size && (index | 0) === index)) this.rejectKeyGroup(key, keyGroup);
    c.key = key;
    c.keyGroup = keyGroup;
    c.kgIndex = index;
    c.mapKey = typeof key === 'number' ? key : normalizeKey(key);
    c.epoch++;
  }

  getCurrentKey(): unknown {
    return this.cursor.key;
  }

  getCurrentKeyGroup(): number {
    return this.cursor.keyGroup;
  }

  setCurrentNamespace(namespace: StateNamespace): void {
    const c = this.cursor;
    c.namespace = namespace;
    c.isVoid = namespace === VOID_NAMESPACE;
    c.epoch++;
  }

  getCurrentNamespace(): StateNamespace {
    return this.cursor.namespace;
  }

  private rejectKeyGroup(key: unknown, keyGroup: number): never {
    if (this.disposed) throw new Error('keyed state backend is disposed');
    const { start, end } = this.keyGroupRange;
    throw new RangeError(
      `key group ${keyGroup} of key ${String(key)} is outside this subtask's key-group range [${start}, ${end}]: ` +
        'the record was routed to the wrong subtask (keyBy routing and state must use the same maxParallelism)',
    );
  }

  // ---- state registration ----

  getValueState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.register(descriptor, 'value', (table, ttl) =>
      ttl === undefined
        ? new HeapValueState(descriptor, this.cursor, table)
        : new TtlHeapValueState(descriptor, this.cursor, table, ttl, this.cleanupSize),
    ) as unknown as ValueState<T>;
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.register(descriptor, 'list', (table, ttl) =>
      ttl === undefined
        ? new HeapListState(descriptor, this.cursor, table)
        : new TtlHeapListState(descriptor, this.cursor, table, ttl, this.cleanupSize),
    ) as unknown as ListState<T>;
  }

  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V> {
    return this.register(descriptor, 'map', (table, ttl) =>
      ttl === undefined
        ? new HeapMapState(descriptor, this.cursor, table)
        : new TtlHeapMapState(descriptor, this.cursor, table, ttl, this.cleanupSize),
    ) as unknown as MapState<K, V>;
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    if (typeof descriptor.reduce !== 'function') {
      throw new TypeError(`reducing state '${descriptor.name}' needs a reduce function`);
    }
    return this.register(descriptor, 'reducing', (table, ttl) =>
      ttl === undefined
        ? new HeapReducingState(descriptor, this.cursor, table)
        : new TtlHeapReducingState(descriptor, this.cursor, table, ttl, this.cleanupSize),
    ) as unknown as ReducingState<T>;
  }

  getAggregatingState<IN, ACC, OUT>(
    descriptor: AggregatingStateDescriptor<IN, ACC, OUT>,
  ): AggregatingState<IN, OUT> {
    if (descriptor.aggregate === undefined || typeof descriptor.aggregate.add !== 'function') {
      throw new TypeError(`aggregating state '${descriptor.name}' needs an AggregateFunction`);
    }
    return this.register(descriptor, 'aggregating', (table, ttl) =>
      ttl === undefined
        ? new HeapAggregatingState(descriptor, this.cursor, table)
        : new TtlHeapAggregatingState(descriptor, this.cursor, table, ttl, this.cleanupSize),
    ) as unknown as AggregatingState<IN, OUT>;
  }

  /**
   * Registers a state once per name; later calls with the same name and kind return the same handle. A name
   * reused with another kind or TTL is an error: the stored representation differs.
   */
  private register(
    descriptor: StateDescriptor,
    kind: StateKind,
    create: (table: StateTable, ttl: TtlPolicy | undefined) => AbstractKeyedState,
  ): AbstractKeyedState {
    this.checkOpen();
    const name = descriptor.name;
    if (typeof name !== 'string' || name === '') throw new TypeError('a state descriptor needs a non-empty name');
    if (descriptor.kind !== undefined && descriptor.kind !== kind) {
      throw new TypeError(`state '${name}': a ${descriptor.kind} descriptor was passed to get${cap(kind)}State`);
    }
    const existing = this.states.get(name);
    if (existing !== undefined) {
      if (existing.handle.kind !== kind) {
        throw new Error(
          `state '${name}' is already registered as ${existing.handle.kind} state and cannot be used as ${kind} state`,
        );
      }
      if (!sameTtl(existing.descriptor.ttl, descriptor.ttl)) {
        throw new Error(`state '${name}' is already registered with a different TTL configuration`);
      }
      return existing.handle;
    }
    const restored = this.restoredMeta.get(name);
    if (restored !== undefined) checkRestoredSerializers(descriptor, restored, this.owner);
    const ttl = descriptor.ttl === undefined ? undefined : new TtlPolicy(name, descriptor.ttl, this.clock);
    const table = new StateTable(this.size, this.tracking);
    const handle = create(table, ttl);
    this.states.set(name, { descriptor, handle });
    const pending = this.pending.get(name);
    if (pending !== undefined) {
      this.pending.delete(name);
      const meta = this.restoredMeta.get(name);
      for (const p of pending) {
        this.restoreInto(handle, p.keyGroup, p.key, p.namespace, meta && p.value !== undefined ? fromCanonical(descriptor, meta, p.value) : p.value);
      }
    }
    return handle;
  }

  /**
   * The descriptors of all registered states, in registration order.
   *
   * @internal
   */
  registeredStates(): readonly StateDescriptor[] {
    return Array.from(this.states.values(), (s) => s.descriptor);
  }

  // ---- work across keys ----

  mergeNamespaces(stateName: string, target: StateNamespace, sources: readonly StateNamespace[]): void {
    const handle = this.handleOf(stateName);
    handle.checkMergeable();
    const c = this.cursor;
    if (c.kgIndex < 0) throw new Error('no current key: call setCurrentKey before merging namespaces');
    const table = handle.table;
    const now = handle.ttl === undefined ? 0 : this.clock();
    let acc = table.get(c.kgIndex, c.mapKey, target);
    let changed = false;
    for (const source of sources) {
      if (source === target) continue;
      const s = table.get(c.kgIndex, c.mapKey, source);
      if (s === undefined) continue;
      table.delete(c.kgIndex, c.mapKey, source);
      acc = handle.mergeStored(acc, s, now);
      changed = true;
    }
    if (!changed) return;
    if (acc === undefined) table.delete(c.kgIndex, c.mapKey, target);
    else table.set(c.kgIndex, c.mapKey, target, acc);
  }

  *keys(stateName: string, namespace: StateNamespace): Iterable<unknown> {
    const registered = this.states.get(stateName);
    if (registered === undefined) return;
    const { handle } = registered;
    const table = handle.table;
    const filter = handle.ttl !== undefined && !handle.ttl.returnExpired;
    const now = filter ? this.clock() : 0;
    for (let i = 0; i < table.size; i++) {
      const m = table.mapOf(i, namespace);
      if (m === undefined) continue;
      for (const [k, e] of m) if (!filter || handle.isLive(table.valueOf(e), now)) yield denormalizeKey(k);
    }
  }

  // ---- checkpoint support ----

  /**
   * Visits every entry of every registered state in one key group (fully expired TTL entries are skipped under
   * `never-return-expired`). See {@link StateEntryVisitor} for the form of the values.
   *
   * @internal
   */
  forEachEntry(keyGroup: number, visitor: StateEntryVisitor): void {
    this.checkOpen();
    const index = this.indexOf(keyGroup);
    let now = 0;
    for (const { handle } of this.states.values()) {
      if (handle.ttl !== undefined) {
        now = this.clock();
        break;
      }
    }
    for (const [name, { handle }] of this.states) {
      handle.table.forEachInKeyGroup(index, (namespace, mapKey, stored) => {
        const value = handle.exportValue(stored, now);
        if (value !== undefined) visitor(name, denormalizeKey(mapKey), namespace, value);
      });
    }
  }

  /**
   * Puts one entry back, in the canonical form `forEachEntry` produces (map state also accepts a `Map`), possibly
   * written by another backend or subtask: rescaling restores whole key groups into whichever subtask now owns
   * them. Entries of a state that is not registered yet are kept until its descriptor is registered.
   *
   * @internal
   */
  restoreEntry(stateName: string, keyGroup: number, key: unknown, namespace: StateNamespace, value: unknown): void {
    this.checkOpen();
    this.indexOf(keyGroup);
    const registered = this.states.get(stateName);
    if (registered !== undefined) {
      this.restoreInto(registered.handle, keyGroup, key, namespace, value);
      return;
    }
    let list = this.pending.get(stateName);
    if (list === undefined) this.pending.set(stateName, (list = []));
    list.push({ keyGroup, key, namespace, value });
  }

  private restoreInto(
    handle: AbstractKeyedState,
    keyGroup: number,
    key: unknown,
    namespace: StateNamespace,
    value: unknown,
  ): void {
    // A tombstone of an incremental snapshot (value undefined) removes what an earlier entry put.
    const stored = value === undefined ? undefined : handle.importValue(value);
    // (Not recorded as changes: the first snapshot after a restore is a full one.)
    if (stored === undefined) handle.table.delete(keyGroup - this.keyGroupRange.start, normalizeKey(key), namespace, false);
    else handle.table.restore(keyGroup - this.keyGroupRange.start, normalizeKey(key), namespace, stored);
  }

  /**
   * Number of stored entries (key × namespace) of one state, or of all states; expired TTL entries that were not
   * cleaned up yet are included (as Flink's `numKeyValueStateEntries`).
   *
   * @internal
   */
  numEntries(stateName?: string): number {
    if (stateName !== undefined) return this.states.get(stateName)?.handle.table.count() ?? 0;
    let n = 0;
    for (const { handle } of this.states.values()) n += handle.table.count();
    return n;
  }

  /**
   * Canonical snapshot, captured synchronously: every entry of every key group of this subtask, values copied (or,
   * for states whose descriptor names a serializer, serialized). Restored state that this job never registered is
   * carried over as it was, as Flink does.
   */
  snapshot(_checkpointId: number): KeyedStateSnapshot {
    this.checkOpen();
    const descriptors = new Map(this.registeredStates().map((d) => [d.name, d]));
    const groups: KeyGroupEntries[] = [];
    const pendingByGroup = new Map<number, KeyedStateEntry[]>();
    for (const [state, list] of this.pending) {
      for (const p of compactPending(list)) {
        let l = pendingByGroup.get(p.keyGroup);
        if (!l) pendingByGroup.set(p.keyGroup, (l = []));
        l.push({ state, key: p.key, namespace: p.namespace, value: p.value });
      }
    }
    for (let kg = this.keyGroupRange.start; kg <= this.keyGroupRange.end; kg++) {
      const entries: KeyedStateEntry[] = [];
      this.forEachEntry(kg, (state, key, namespace, value) => {
        const d = descriptors.get(state)!;
        entries.push({ state, key, namespace, value: toCanonical(d, value) });
      });
      const parked = pendingByGroup.get(kg);
      if (parked) for (const e of parked) entries.push(e);
      if (entries.length > 0) groups.push({ keyGroup: kg, entries });
    }
    return { states: this.snapshotStates(descriptors), write: () => groups, release() {} };
  }

  /**
   * The fast capture: encodes every key group of the range straight from the live tables (values are encoded as
   * they are visited, so nothing is copied and no entry objects are built).
   */
  snapshotTo(checkpointId: number, encoder: KeyedStateEncoder): StateMetaInfo[] {
    this.checkOpen();
    this.seal(checkpointId);
    const descriptors = new Map(this.registeredStates().map((d) => [d.name, d]));
    const plain = new Set([...descriptors.values()].filter((d) => !serializersOf(d).value && !serializersOf(d).key).map((d) => d.name));
    const parkedByGroup = new Map<number, { state: string; p: PendingEntry }[]>();
    for (const [state, list] of this.pending) {
      for (const p of compactPending(list)) {
        let l = parkedByGroup.get(p.keyGroup);
        if (!l) parkedByGroup.set(p.keyGroup, (l = []));
        l.push({ state, p });
      }
    }
    const visit: StateEntryVisitor = (state, key, namespace, value) =>
      encoder.entry(state, key, namespace, plain.has(state) ? value : liveCanonical(descriptors.get(state)!, value));
    for (let kg = this.keyGroupRange.start; kg <= this.keyGroupRange.end; kg++) {
      encoder.beginKeyGroup(kg);
      this.forEachEntry(kg, visit);
      const parked = parkedByGroup.get(kg);
      if (parked) for (const { state, p } of parked) encoder.entry(state, p.key, p.namespace, p.value);
      encoder.endKeyGroup();
    }
    return this.snapshotStates(descriptors);
  }

  /**
   * The incremental capture (with `incrementalSnapshots` in the context): encodes, per key group, every position a
   * state handle touched since the capture of `baseCheckpointId` — its current value, or a tombstone when it is gone
   * (expired TTL entries included). `undefined` when that capture is not known (nothing was tracked since it).
   */
  snapshotChangesTo(checkpointId: number, baseCheckpointId: number, encoder: KeyedStateEncoder): StateMetaInfo[] | undefined {
    this.checkOpen();
    if (!this.tracking) return undefined;
    if (!this.generations.some((g) => g.id === baseCheckpointId)) return undefined;
    this.seal(checkpointId);
    const baseAt = this.generations.findIndex((g) => g.id === baseCheckpointId);
    // (Only if sealing dropped the base as the oldest of too many intervals: the caller takes a full snapshot,
    // whose interval then follows this one.)
    if (baseAt < 0) return undefined;
    // Bases only move forward: intervals up to the base are no longer needed.
    const since = this.generations.slice(baseAt + 1);
    this.dropGenerations(baseAt + 1);
    this.generations.unshift({ id: baseCheckpointId, changes: undefined });
    const descriptors = new Map(this.registeredStates().map((d) => [d.name, d]));
    let now = 0;
    for (const { handle } of this.states.values()) if (handle.ttl !== undefined) now = this.clock();
    // Per state, the positions of the intervals since the base (usually one: the previous checkpoint completed),
    // grouped by key group.
    const perState: { name: string; handle: AbstractKeyedState; plain: boolean; d: StateDescriptor; changes: ChangesByKeyGroup }[] = [];
    for (const [name, { handle, descriptor }] of this.states) {
      const lists: ChangeList[] = [];
      for (const g of since) {
        const c = g.changes?.get(name);
        if (c !== undefined && c.length > 0) lists.push(c);
      }
      if (lists.length === 0) continue;
      const ser = serializersOf(descriptor);
      perState.push({ name, handle, plain: !ser.value && !ser.key, d: descriptor, changes: ChangeList.byKeyGroup(lists, this.size) });
    }
    // A slot listed more than once is written once: it is stamped with this capture's mark (a negative number no
    // interval uses, distinct per capture since an older delta's marks must not hide a position). An empty slot
    // (its entry was removed) is a tombstone.
    const mark = -2 - ++this.captures;
    for (let kg = this.keyGroupRange.start; kg <= this.keyGroupRange.end; kg++) {
      encoder.beginKeyGroup(kg);
      const index = kg - this.keyGroupRange.start;
      for (const { name, handle, plain, d, changes } of perState) {
        const { vals, gens } = handle.table;
        const slots = changes.slots;
        for (let j = changes.starts[index]!, end = changes.starts[index + 1]!; j < end; j++) {
          const slot = slots[j]!;
          const stored = vals[slot];
          let value: unknown;
          if (stored !== undefined) {
            if (gens[slot] === mark) continue;
            // (Restamping is safe: the current interval began at seal, and any stamp but its own means "not listed".)
            gens[slot] = mark;
            value = handle.exportValue(stored, now);
          }
          encoder.entry(name, denormalizeKey(changes.keyAt(j)), changes.namespaceAt(j), value === undefined || plain ? value : liveCanonical(d, value));
        }
      }
      encoder.endKeyGroup();
    }
    return this.snapshotStates(descriptors);
  }

  /** What a snapshot says about its states: the registered ones, and restored ones the job never registered. */
  private snapshotStates(descriptors: ReadonlyMap<string, StateDescriptor>): StateMetaInfo[] {
    const states: StateMetaInfo[] = [...descriptors.values()].map((d) => stateMetaInfo(d));
    for (const name of this.pending.keys()) {
      const m = this.restoredMeta.get(name);
      if (m && !descriptors.has(name)) states.push(m);
    }
    return states;
  }

  /** Ends the current change interval at capture `checkpointId` (final snapshots, id < 0, end nothing). */
  private seal(checkpointId: number): void {
    if (!this.tracking || checkpointId < 0) return;
    const changes = new Map<string, ChangeList>();
    for (const [name, { handle }] of this.states) changes.set(name, handle.table.seal());
    this.generations.push({ id: checkpointId, changes });
    // Without a base moving forward (every checkpoint failing), keep memory bounded: the oldest intervals go, and
    // a delta against them becomes a full snapshot.
    if (this.generations.length > MAX_GENERATIONS) this.dropGenerations(this.generations.length - MAX_GENERATIONS);
  }

  /** Drops the oldest `n` intervals; the slots removed in them become reusable (no retained list names them). */
  private dropGenerations(n: number): void {
    for (const g of this.generations.splice(0, n)) {
      if (g.changes === undefined) continue;
      for (const [name, list] of g.changes) this.states.get(name)?.handle.table.release(list);
    }
  }

  /** Restores canonical entries (written by any backend, at any parallelism). */
  restore(states: readonly StateMetaInfo[], groups: Iterable<KeyGroupEntries>): void {
    const registered = new Map(this.registeredStates().map((d) => [d.name, d]));
    for (const m of states) {
      const d = registered.get(m.name);
      if (d !== undefined) checkRestoredSerializers(d, m, this.owner);
      this.restoredMeta.set(m.name, m);
    }
    for (const g of groups) {
      for (const e of g.entries) {
        const d = registered.get(e.state);
        const meta = this.restoredMeta.get(e.state);
        this.restoreEntry(e.state, g.keyGroup, e.key, e.namespace, d && meta && e.value !== undefined ? fromCanonical(d, meta, e.value) : e.value);
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const { handle } of this.states.values()) handle.table.clear();
    this.states.clear();
    this.pending.clear();
    // Any further access fails in setCurrentKey / mapForWrite instead of silently writing to dropped tables.
    this.size = 0;
    this.cursor.kgIndex = -1;
  }

  // ---- helpers ----

  private handleOf(stateName: string): AbstractKeyedState {
    const registered = this.states.get(stateName);
    if (registered === undefined) throw new Error(`no keyed state named '${stateName}' is registered`);
    return registered.handle;
  }

  private indexOf(keyGroup: number): number {
    const index = keyGroup - this.keyGroupRange.start;
    if (!(index >= 0 && index < this.size && (index | 0) === index)) {
      const { start, end } = this.keyGroupRange;
      throw new RangeError(`key group ${keyGroup} is outside this backend's key-group range [${start}, ${end}]`);
    }
    return index;
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error('keyed state backend is disposed');
  }
}

/** Change intervals kept at most (see `seal`). */
const MAX_GENERATIONS = 64;

/**
 * The net effect of parked restored entries, in order: a later entry for the same key and namespace replaces an
 * earlier one, a tombstone removes it. Parked entries are rare (restored state the job never registered), so the
 * composite identity string is affordable here.
 */
function compactPending(list: readonly PendingEntry[]): PendingEntry[] {
  const byId = new Map<string, PendingEntry>();
  for (const p of list) {
    const mk = normalizeKey(p.key);
    const id = `${p.keyGroup}\u0000${typeof p.namespace}:${String(p.namespace)}\u0000${typeof mk}:${String(mk)}`;
    byId.delete(id);
    if (p.value !== undefined) byId.set(id, p);
  }
  return [...byId.values()];
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const GENERIC = { id: 'runnel.generic', version: 1 } as const;

/** What a snapshot records about a registered state. @internal */
export function stateMetaInfo(d: StateDescriptor): StateMetaInfo {
  const ser = (x: { id: string; version: number } | undefined) => (x ? { id: x.id, version: x.version } : GENERIC);
  switch (d.kind) {
    case 'map':
      return { name: d.name, kind: d.kind, valueSerializer: ser(d.valueSerializer), mapKeySerializer: ser(d.keySerializer), ttl: d.ttl };
    default:
      return { name: d.name, kind: d.kind, valueSerializer: ser(d.serializer), ttl: d.ttl };
  }
}

type Ser = { id: string; version: number; serialize(v: unknown): Uint8Array; deserialize(b: Uint8Array, version: number): unknown };

function serializersOf(d: StateDescriptor): { value?: Ser; key?: Ser } {
  if (d.kind === 'map') return { value: d.valueSerializer as Ser | undefined, key: d.keySerializer as Ser | undefined };
  return { value: (d as { serializer?: Ser }).serializer };
}

/** Applies `f` to each value of a canonical entry (TTL pairs keep their timestamp). */
function mapCanonical(d: StateDescriptor, v: unknown, val: (x: unknown) => unknown, key: (x: unknown) => unknown): unknown {
  const ttl = d.ttl !== undefined;
  const one = (x: unknown): unknown => (ttl ? [val((x as [unknown, number])[0]), (x as [unknown, number])[1]] : val(x));
  switch (d.kind) {
    case 'list':
      return (v as unknown[]).map(one);
    case 'map':
      return (v as [unknown, unknown][]).map(([k, x]) => [key(k), one(x)]);
    default:
      return one(v);
  }
}

/** Canonical form of a live value for immediate encoding: the value itself, or its serializers' bytes. */
function liveCanonical(d: StateDescriptor, value: unknown): unknown {
  const s = serializersOf(d);
  return mapCanonical(
    d,
    value,
    (x) => (s.value ? s.value.serialize(x) : x),
    (k) => (s.key ? s.key.serialize(k) : k),
  );
}

/** Canonical form of a snapshot value: copied plain data, or the bytes of the descriptor's serializers. */
function toCanonical(d: StateDescriptor, value: unknown): unknown {
  const s = serializersOf(d);
  if (!s.value && !s.key) return copyPlain(value);
  return mapCanonical(
    d,
    value,
    (x) => (s.value ? s.value.serialize(x) : copyPlain(x)),
    (k) => (s.key ? s.key.serialize(k) : copyPlain(k)),
  );
}

/** Reads a restored canonical value with the descriptor's serializers (checked by `checkRestoredSerializers`). */
function fromCanonical(d: StateDescriptor, meta: StateMetaInfo, value: unknown): unknown {
  const s = serializersOf(d);
  if (!s.value && !s.key) return value;
  return mapCanonical(
    d,
    value,
    (x) => (s.value ? s.value.deserialize(x as Uint8Array, meta.valueSerializer.version) : x),
    (k) => (s.key ? s.key.deserialize(k as Uint8Array, meta.mapKeySerializer!.version) : k),
  );
}
