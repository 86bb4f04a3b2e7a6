// The keyed state store of one operator subtask, in LevelDB. State access is synchronous (the contract keeps the
// per-record path free of promises) while LevelDB is asynchronous; the bridge is a write-back cache of resident
// keys:
//
// - `prefetch(keys)` (once per input batch, before timers fire) makes the batch's keys resident: keys in the cache
//   cost a `Map` lookup; keys the Bloom filter has never seen are known absent at once (no I/O); the others are
//   read with one batched `getMany` (plus per-key range reads only for namespaced state with many live
//   namespaces). Accessing a key that was not prefetched throws.
// - Writes change the cached cells and mark them dirty. When the cache exceeds its bound (`cache-memory` as an
//   estimate of its heap bytes, and `cache-size` keys: see cache-budget.ts), a CLOCK sweep evicts keys not used by
//   the current batch; dirty ones are encoded and written back in one chained `db.batch()`
//   through an ordered queue, and stay readable from `inflight` until their batch landed.
// - `snapshot()` takes a LevelDB snapshot plus an overlay of unlanded writes and dirty cells at the barrier
//   (see level-keyed-snapshot.ts); `restore()` bulk-loads canonical entries.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import type { VersionedSerializer } from '@runnel/api';
import {
  VOID_NAMESPACE,
  type AggregatingState,
  type AggregatingStateDescriptor,
  type KeyGroupEntries,
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
  type StateMetaInfo,
  type StateNamespace,
  type ValueState,
  type ValueStateDescriptor,
} from '@runnel/api/state';
import { BinaryReader, GENERIC_SERIALIZER_ID } from '@runnel/codec';
import type { AbstractLevelState } from './abstract-level-state.js';
import { LevelAggregatingState, TtlLevelAggregatingState } from './aggregating-state.js';
import { KeyBloomFilter } from './bloom-filter.js';
import { isNamespace, normalizeCanonical } from './canonical.js';
import {
  MAX_STATE_ID,
  VOID_NS_BYTES,
  checkVersion,
  dbKey,
  decodeDbKey,
  decodeDbValue,
  encodeDbValue,
  groupStart,
  keyPrefix,
  encodeKeyScratch,
  keyScratch,
  namespaceBytes,
  prefixEnd,
} from './db-layout.js';
import { CacheBudget } from './cache-budget.js';
import { Cursor, KeySlot, getNs, loadNs, removeNs, setNs, slotFor, slotHeapSize } from './key-slot.js';
import { LevelKeyedStateSnapshot, type SnapshotStateView } from './level-keyed-snapshot.js';
import { LevelListState, TtlLevelListState } from './list-state.js';
import { LevelMapState, TtlLevelMapState } from './map-state.js';
import { resolveLevelOptions, type LevelStateBackendOptions } from './options.js';
import { LevelReducingState, TtlLevelReducingState } from './reducing-state.js';
import { StateMeta } from './state-meta.js';
import { checkRestoredSerializers, normalizeKey, sameTtl, TtlPolicy, type StateOwner } from '@runnel/api/state';
import { LevelValueState, TtlLevelValueState } from './value-state.js';
import { WriteQueue, type WriteOp } from './write-queue.js';

/** Smallest number of keys worth a `getMany` job of its own when reads are split. */
const MIN_READ_CHUNK = 128;

/** With a byte budget: one resident key is sized per this many prefetched keys (see cache-budget.ts). */
const SAMPLE_EVERY = 32;

/** Entries per `db.batch` when restoring. */
const RESTORE_BATCH = 10_000;

type Db = Level<Buffer, Buffer>;

/**
 * Counters of a {@link LevelKeyedStateBackend} (cumulative since creation).
 *
 * @beta
 */
export interface LevelStateStats {
  /** Keys currently resident in the write-back cache. */
  readonly residentKeys: number;
  /** The current bound on resident keys: `cache-size`, or fewer where `cache-memory` is reached first. */
  readonly keyLimit: number;
  /** Estimated JS heap bytes per resident key (sampled; only with a `cache-memory` budget, else 0). */
  readonly bytesPerKey: number;
  /** Keys evicted whose write-back has not landed yet. */
  readonly inflightKeys: number;
  /** Keys made resident without I/O because nothing of them can be on disk (Bloom filter / never spilled). */
  readonly knownAbsent: number;
  /** Keys loaded from LevelDB by prefetch. */
  readonly keysLoaded: number;
  /** LevelDB point reads issued (`getMany` keys). */
  readonly pointReads: number;
  /** Per-key range reads issued (namespaced state with many namespaces). */
  readonly rangeReads: number;
  /** Keys evicted from the cache. */
  readonly evictions: number;
  /** Write operations (puts and deletes) handed to LevelDB. */
  readonly writeOps: number;
}

/**
 * Keyed state of one operator subtask, kept in a LevelDB database of its own behind a write-back cache.
 *
 * Use: call `prefetch(keys, keyGroups)` (and await the promise it may return) before processing a batch of
 * records or firing timers; the synchronous state accessors then serve those keys.
 *
 * @public
 */
export class LevelKeyedStateBackend implements KeyedStateBackend {
  readonly keyGroupRange: KeyGroupRange;
  /** Maximum resident keys (`cache-size`; `Infinity` when not set). */
  readonly cacheSize: number;
  /** Maximum estimated heap bytes of the resident keys (`cache-memory`; `Infinity` when only `cache-size` is set). */
  readonly cacheMemory: number;
  /** The LevelDB directory of this backend (deleted by `dispose`). */
  readonly directory: string;
  private readonly size: number;
  private readonly clock: () => number;
  private readonly cursor: Cursor;
  private readonly byName = new Map<string, StateMeta>();
  private readonly byId: StateMeta[] = [];
  /** Registered states by registration index. */
  private readonly registered: StateMeta[] = [];
  private readonly descriptors = new Map<StateMeta, StateDescriptor>();
  private readonly cache = new Map<unknown, KeySlot>();
  /**
   * The CLOCK queue: every resident slot exactly once in `order[hand..]`, oldest first. A slot given a second
   * chance is appended again. (Moving it to the end of `cache` instead, by a `Map` delete and set, measured about
   * as costly as the rest of eviction together.)
   */
  private order: KeySlot[] = [];
  private hand = 0;
  private readonly inflight = new Map<unknown, KeySlot>();
  private readonly budget: CacheBudget;
  /** Prefetched keys since the last size sample. */
  private sampleDebt = 0;
  /** State of the sampler's xorshift generator (which resident key to size). */
  private sampleSeed = 0x2545f491;
  private readonly bloom: KeyBloomFilter;
  private readonly writer: WriteQueue;
  /** See the option `prefetch.max-point-read-namespaces`. */
  private readonly pointReadNamespaces: number;
  /** See the option `prefetch.read-parallelism`. */
  private readonly readParallelism: number;
  /** `keys()` support: state → namespace → (normalised key → key) of keys with state, see `prepareKeys`. */
  private readonly prepared = new Map<StateMeta, Map<StateNamespace, Map<unknown, unknown>>>();
  private gen = 0;
  private disposing: Promise<void> | undefined;
  /** Names the operator (uid, subtask) in errors about its restored state. */
  private readonly owner: StateOwner | undefined;
  private counters = { knownAbsent: 0, keysLoaded: 0, pointReads: 0, rangeReads: 0, evictions: 0, writeOps: 0 };

  private constructor(
    context: KeyedStateBackendContext,
    private readonly db: Db,
    directory: string,
    cacheSize: number,
    cacheMemory: number,
    pointReadNamespaces: number,
    readParallelism: number,
  ) {
    this.pointReadNamespaces = pointReadNamespaces;
    this.readParallelism = readParallelism;
    const { start, end } = context.keyGroupRange;
    this.keyGroupRange = { start, end };
    this.size = Math.max(0, end - start + 1);
    this.clock = context.clock;
    this.owner = typeof context.operatorUid === 'string' ? { uid: context.operatorUid, subtask: context.subtaskIndex } : undefined;
    this.directory = directory;
    this.cacheSize = cacheSize;
    this.cacheMemory = cacheMemory;
    this.budget = new CacheBudget(cacheSize, cacheMemory);
    this.cursor = new Cursor((c, m) => this.miss(c, m));
    this.bloom = new KeyBloomFilter(Math.min(this.budget.limit, 1 << 20));
    this.writer = new WriteQueue(db as never, (slots) => this.landed(slots));
  }

  /**
   * Creates the backend: a fresh LevelDB directory under `options.directory`, the context's `localDirectory`
   * or the OS temp directory.
   */
  static async open(
    context: KeyedStateBackendContext,
    options?: LevelStateBackendOptions,
  ): Promise<LevelKeyedStateBackend> {
    const resolved = resolveLevelOptions(options);
    const { cacheSize, cacheMemory, pointReadNamespaces, readParallelism, dbOptions } = resolved;
    const { start, end } = context.keyGroupRange;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > 0xfffe) {
      throw new RangeError(`invalid key-group range [${start}, ${end}]`);
    }
    const parent = resolved.directory ?? context.localDirectory ?? tmpdir();
    await mkdir(parent, { recursive: true });
    const label = `${context.operatorUid}-${context.subtaskIndex}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 80);
    const directory = await mkdtemp(join(parent, `runnel-level-${label}-`));
    const db: Db = new Level<Buffer, Buffer>(directory, { keyEncoding: 'buffer', valueEncoding: 'buffer', ...dbOptions });
    try {
      await db.open();
    } catch (err) {
      await rm(directory, { recursive: true, force: true });
      throw err;
    }
    return new LevelKeyedStateBackend(context, db, directory, cacheSize, cacheMemory, pointReadNamespaces, readParallelism);
  }

  // ---- current key and namespace (per record; keep cheap) ----

  setCurrentKey(key: unknown, keyGroup: number): void {
    const index = keyGroup - this.keyGroupRange.start;
    if (!(index >= 0 && index < this.size && (index | 0) === index)) this.rejectKeyGroup(key, keyGroup);
    const c = this.cursor;
    const nk = typeof key === 'number' ? key : normalizeKey(key);
    c.key = key;
    c.keyGroup = keyGroup;
    c.nk = nk;
    c.slot = this.cache.get(nk);
  }

  getCurrentKey(): unknown {
    return this.cursor.key;
  }

  getCurrentKeyGroup(): number {
    return this.cursor.keyGroup;
  }

  setCurrentNamespace(namespace: StateNamespace): void {
    this.cursor.namespace = namespace;
    this.cursor.isVoid = namespace === VOID_NAMESPACE;
  }

  getCurrentNamespace(): StateNamespace {
    return this.cursor.namespace;
  }

  /** Slow path of every state access: the key is not resident (or not loaded for a newly registered state). */
  private miss(c: Cursor, m: StateMeta): KeySlot {
    this.checkOpen();
    if (c.keyGroup < 0) throw new Error('no current key: call setCurrentKey before accessing keyed state');
    const s = this.cache.get(c.nk);
    if (s !== undefined && s.epoch >= m.reg) {
      c.slot = s;
      return s;
    }
    throw new Error(
      `state of key ${describe(c.key)} was not prefetched (state '${m.name}'): the LevelDB backend serves state ` +
        'synchronously only for keys made resident by prefetch(keys, keyGroups) — call it (and await it) for the ' +
        'keys of each batch and before firing timers',
    );
  }

  private rejectKeyGroup(key: unknown, keyGroup: number): never {
    this.checkOpen();
    const { start, end } = this.keyGroupRange;
    throw new RangeError(
      `key group ${keyGroup} of key ${describe(key)} is outside this subtask's key-group range [${start}, ${end}]: ` +
        'the record was routed to the wrong subtask (keyBy routing and state must use the same maxParallelism)',
    );
  }

  // ---- state registration ----

  getValueState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.register(descriptor, 'value', (m, ttl) =>
      ttl === undefined
        ? new LevelValueState(descriptor, this.cursor, m)
        : new TtlLevelValueState(descriptor, this.cursor, m, ttl),
    ) as unknown as ValueState<T>;
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.register(descriptor, 'list', (m, ttl) =>
      ttl === undefined
        ? new LevelListState(descriptor, this.cursor, m)
        : new TtlLevelListState(descriptor, this.cursor, m, ttl),
    ) as unknown as ListState<T>;
  }

  getMapState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V> {
    return this.register(descriptor, 'map', (m, ttl) =>
      ttl === undefined
        ? new LevelMapState(descriptor, this.cursor, m)
        : new TtlLevelMapState(descriptor, this.cursor, m, ttl),
    ) as unknown as MapState<K, V>;
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    if (typeof descriptor.reduce !== 'function') {
      throw new TypeError(`reducing state '${descriptor.name}' needs a reduce function`);
    }
    return this.register(descriptor, 'reducing', (m, ttl) =>
      ttl === undefined
        ? new LevelReducingState(descriptor, this.cursor, m)
        : new TtlLevelReducingState(descriptor, this.cursor, m, ttl),
    ) as unknown as ReducingState<T>;
  }

  getAggregatingState<IN, ACC, OUT>(
    descriptor: AggregatingStateDescriptor<IN, ACC, OUT>,
  ): AggregatingState<IN, OUT> {
    if (descriptor.aggregate === undefined || typeof descriptor.aggregate.add !== 'function') {
      throw new TypeError(`aggregating state '${descriptor.name}' needs an AggregateFunction`);
    }
    return this.register(descriptor, 'aggregating', (m, ttl) =>
      ttl === undefined
        ? new LevelAggregatingState(descriptor, this.cursor, m)
        : new TtlLevelAggregatingState(descriptor, this.cursor, m, ttl),
    ) as unknown as AggregatingState<IN, OUT>;
  }

  /**
   * Registers a state once per name; later calls with the same name and kind return the same handle. A name
   * reused with another kind or TTL is an error (as in the heap backend), and so is registering a restored state
   * as another kind or with TTL switched on or off (the stored form differs).
   */
  private register(
    descriptor: StateDescriptor,
    kind: StateKind,
    create: (m: StateMeta, ttl: TtlPolicy | undefined) => AbstractLevelState,
  ): AbstractLevelState {
    this.checkOpen();
    const name = descriptor.name;
    if (typeof name !== 'string' || name === '') throw new TypeError('a state descriptor needs a non-empty name');
    if (descriptor.kind !== undefined && descriptor.kind !== kind) {
      throw new TypeError(`state '${name}': a ${descriptor.kind} descriptor was passed to get${cap(kind)}State`);
    }
    let m = this.byName.get(name);
    if (m?.handle !== undefined) {
      if (m.kind !== kind) {
        throw new Error(`state '${name}' is already registered as ${m.kind} state and cannot be used as ${kind} state`);
      }
      if (!sameTtl(this.descriptors.get(m)?.ttl, descriptor.ttl)) {
        throw new Error(`state '${name}' is already registered with a different TTL configuration`);
      }
      return m.handle;
    }
    if (m !== undefined && m.restored !== undefined) {
      if (m.kind !== kind) {
        throw new Error(`state '${name}' was restored as ${m.kind} state and cannot be used as ${kind} state`);
      }
      if ((m.restored.ttl === undefined) !== (descriptor.ttl === undefined)) {
        throw new Error(
          `state '${name}' was restored ${m.restored.ttl === undefined ? 'without' : 'with'} TTL and cannot be ` +
            `registered ${descriptor.ttl === undefined ? 'without' : 'with'} TTL`,
        );
      }
      checkRestoredSerializers(descriptor, m.restored, this.owner);
    }
    m ??= this.newMeta(name, kind);
    const ttl = descriptor.ttl === undefined ? undefined : new TtlPolicy(name, descriptor.ttl, this.clock);
    const handle = create(m, ttl);
    if (handle.valueVersion !== 0) checkVersion(name, handle.valueVersion);
    if (handle.mapKeyVersion !== 0) checkVersion(name, handle.mapKeyVersion);
    m.register(this.registered.length, handle);
    this.registered.push(m);
    this.descriptors.set(m, descriptor);
    return handle;
  }

  private newMeta(name: string, kind: StateKind): StateMeta {
    const id = this.byId.length;
    if (id > MAX_STATE_ID) throw new RangeError(`too many keyed states (at most ${MAX_STATE_ID + 1})`);
    const m = new StateMeta(name, id, kind);
    this.byName.set(name, m);
    this.byId.push(m);
    return m;
  }

  /**
   * The descriptors of all registered states, in registration order.
   *
   * @internal
   */
  registeredStates(): readonly StateDescriptor[] {
    return this.registered.map((m) => this.descriptors.get(m)!);
  }

  // ---- prefetch, loading and eviction ----

  /**
   * Makes the state of these keys resident (all registered states, all namespaces). Returns `undefined` when
   * nothing had to be loaded (and the write-back queue is not backed up), else a promise to await before
   * touching the keys. `keyGroups[i]` is the key group of `keys[i]`.
   */
  prefetch(keys: ArrayLike<unknown>, keyGroups: ArrayLike<number>): Promise<void> | undefined {
    this.checkOpen();
    if (this.writer.failure !== undefined) return Promise.reject(this.writer.failure);
    // Sized before this batch's keys join: every resident key's state is as its last batch left it (a new slot
    // of this batch would count as empty).
    if (this.budget.sized && (this.sampleDebt += keys.length) >= SAMPLE_EVERY) this.sampleSizes();
    const gen = ++this.gen;
    const regCount = this.registered.length;
    let toLoad: KeySlot[] | undefined;
    let waits: Promise<void>[] | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const nk = typeof key === 'number' ? key : normalizeKey(key);
      let s = this.cache.get(nk);
      if (s === undefined) {
        s = this.inflight.get(nk);
        if (s !== undefined) {
          this.cache.set(nk, s);
          this.order.push(s);
        } else {
          const kg = keyGroups[i]!;
          const index = kg - this.keyGroupRange.start;
          if (!(index >= 0 && index < this.size && (index | 0) === index)) this.rejectKeyGroup(key, kg);
          s = new KeySlot(key, nk, kg, regCount);
          this.cache.set(nk, s);
          this.order.push(s);
          if (this.bloom.empty || !this.mightBeOnDisk(key)) {
            // The per-key "known absent" marker: nothing of this key was ever written to disk.
            s.epoch = regCount;
            this.counters.knownAbsent++;
          } else {
            // Filter answers never turn from "maybe" to "no" (stages are only added), so adding it again on
            // write-back would only use up capacity (and grow the filter, raising its false-positive rate).
            s.inBloom = true;
          }
        }
      }
      s.ref = true;
      s.gen = gen;
      if (s.epoch < regCount) {
        if (s.loading !== undefined) (waits ??= []).push(s.loading);
        else (toLoad ??= []).push(s);
      }
    }
    const limit = this.budget.limit;
    if (this.cache.size > limit) this.evict(gen, limit);
    const load = toLoad === undefined ? undefined : this.load(toLoad, regCount);
    // Write backlog (operations) above which prefetch waits for the writer.
    if (this.writer.backlog > Math.max(4096, limit >>> 2)) (waits ??= []).push(this.writer.idle());
    if (waits === undefined) return load;
    if (load !== undefined) waits.push(load);
    return Promise.all(waits).then(noop);
  }

  /** Whether the Bloom filter of written keys may contain the key (hashes its encoding without a copy). */
  private mightBeOnDisk(key: unknown): boolean {
    const n = encodeKeyScratch(key); // first: encoding may rebind the scratch bytes
    return this.bloom.mightContain(keyScratch(), n);
  }

  private addToBloom(key: unknown): void {
    const n = encodeKeyScratch(key);
    this.bloom.add(keyScratch(), n);
  }

  private load(slots: KeySlot[], regCount: number): Promise<void> {
    const p = this.read(slots, regCount).finally(() => {
      for (const s of slots) if (s.loading === p) s.loading = undefined;
    });
    for (const s of slots) s.loading = p;
    return p;
  }

  /** Reads the missing states of the slots: one `getMany` for all point reads, range reads only when needed. */
  private async read(slots: KeySlot[], regCount: number): Promise<void> {
    const keys: Buffer[] = [];
    const slotOf: KeySlot[] = [];
    const metaOf: StateMeta[] = [];
    const nsOf: StateNamespace[] = [];
    const ranges: [KeySlot, StateMeta][] = [];
    for (const s of slots) {
      for (let r = s.epoch; r < regCount; r++) {
        const m = this.registered[r]!;
        if (!m.onDisk) continue; // nothing of this state was ever written: absent
        if (m.namespaced && m.liveNs.size > this.pointReadNamespaces) {
          ranges.push([s, m]);
          continue;
        }
        keys.push(dbKey(s.keyGroup, m.stateId, s.key, VOID_NS_BYTES));
        slotOf.push(s);
        metaOf.push(m);
        nsOf.push(VOID_NAMESPACE);
        if (m.namespaced) {
          for (const ns of m.liveNs.keys()) {
            keys.push(dbKey(s.keyGroup, m.stateId, s.key, namespaceBytes(ns)));
            slotOf.push(s);
            metaOf.push(m);
            nsOf.push(ns);
          }
        }
      }
    }
    this.counters.keysLoaded += slots.length;
    this.counters.pointReads += keys.length;
    this.counters.rangeReads += ranges.length;
    const [values, rangeResults] = await Promise.all([
      this.getMany(keys),
      Promise.all(
        ranges.map(([s, m]) => {
          const prefix = keyPrefix(s.keyGroup, m.stateId, s.key);
          return this.db.iterator({ gte: prefix, lt: prefixEnd(prefix) }).all();
        }),
      ),
    ]);
    if (this.disposing !== undefined) return;
    const reader = new BinaryReader();
    const valueReader = new BinaryReader();
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v === undefined) continue;
      const m = metaOf[i]!;
      const stored = this.decodeStored(m, v, valueReader);
      if (stored !== undefined) loadNs(slotOf[i]!, m, nsOf[i]!, stored);
    }
    for (let i = 0; i < ranges.length; i++) {
      const [s, m] = ranges[i]!;
      for (const [k, v] of rangeResults[i]!) {
        const stored = this.decodeStored(m, v, valueReader);
        if (stored !== undefined) loadNs(s, m, decodeDbKey(k, reader).namespace, stored);
      }
    }
    for (const s of slots) if (s.epoch < regCount) s.epoch = regCount;
  }

  /**
   * One batch's point reads. classic-level runs a `getMany` as one job on the libuv thread pool, reading its keys
   * one after another, while the task thread waits for the batch; split into `readParallelism` concurrent jobs,
   * the reads use the other cores too. Small reads stay one job (each job has a fixed cost).
   */
  private getMany(keys: Buffer[]): Promise<(Buffer | undefined)[]> | (Buffer | undefined)[] {
    const n = keys.length;
    if (n === 0) return [];
    const p = Math.min(this.readParallelism, Math.floor(n / MIN_READ_CHUNK));
    if (p <= 1) return this.db.getMany(keys);
    const parts: Promise<(Buffer | undefined)[]>[] = [];
    const step = Math.ceil(n / p);
    for (let i = 0; i < n; i += step) parts.push(this.db.getMany(keys.slice(i, i + step)));
    return Promise.all(parts).then((r) => r.flat());
  }

  private decodeStored(m: StateMeta, bytes: Buffer, reader?: BinaryReader): unknown {
    const d = decodeDbValue(bytes, reader);
    return m.handle!.fromCanonical(d.canonical, d.valueVersion, d.mapKeyVersion);
  }

  /** Sizes one resident key per `SAMPLE_EVERY` prefetched keys, picked at random from the CLOCK queue. */
  private sampleSizes(): void {
    const order = this.order;
    const from = this.hand;
    const n = order.length - from;
    let k = Math.floor(this.sampleDebt / SAMPLE_EVERY);
    this.sampleDebt -= k * SAMPLE_EVERY;
    if (n <= 0) return;
    let x = this.sampleSeed;
    while (k-- > 0) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.budget.sample(slotHeapSize(order[from + ((x >>> 0) % n)]!));
    }
    this.sampleSeed = x;
  }

  /**
   * CLOCK eviction down to a bit below `limit` (so write-backs go out in batches): keys of the current batch and
   * keys being loaded are skipped, keys touched since the last sweep get a second chance.
   */
  private evict(gen: number, limit: number): void {
    let need = this.cache.size - (limit - (limit >>> 5));
    let steps = this.cache.size * 3;
    const ops: WriteOp[] = [];
    const written: KeySlot[] = [];
    const order = this.order;
    let hand = this.hand;
    while (need > 0 && steps-- > 0 && hand < order.length) {
      const s = order[hand++]!;
      if (s.gen === gen || s.loading !== undefined || s.ref) {
        s.ref = false;
        order.push(s);
        continue;
      }
      this.cache.delete(s.nk);
      need--;
      this.counters.evictions++;
      if (this.cursor.slot === s) this.cursor.slot = undefined;
      if (s.dirty !== 0 || s.removed !== undefined) this.writeBack(s, ops, written);
    }
    // Drop the consumed front once it is most of the array (amortised O(1) per step).
    if (hand >= 1024 && hand * 2 >= order.length) {
      order.copyWithin(0, hand);
      order.length -= hand;
      hand = 0;
    }
    this.hand = hand;
    if (ops.length > 0) this.enqueue(ops, written);
  }

  /** Encodes the dirty states of a slot into write operations and marks the slot in flight. */
  private writeBack(s: KeySlot, ops: WriteOp[], written: KeySlot[]): void {
    const before = ops.length;
    const key = s.key;
    const kg = s.keyGroup;
    let puts = false;
    for (const m of this.registered) {
      if ((s.dirty & m.bit) === 0 || s.epoch < m.reg) continue;
      const h = m.handle!;
      const v = s.v[m.idx];
      if (v !== undefined) {
        const value = encodeDbValue(h.valueVersion, h.mapKeyVersion, h.toCanonical(v));
        ops.push({ type: 'put', key: dbKey(kg, m.stateId, key, VOID_NS_BYTES), value });
        s.vDisk |= m.bit;
        puts = true;
      } else if ((s.vDisk & m.bit) !== 0) {
        ops.push({ type: 'del', key: dbKey(kg, m.stateId, key, VOID_NS_BYTES) });
      }
      const mm = s.ns?.[m.idx];
      if (mm !== undefined) {
        for (const [ns, cell] of mm) {
          const value = encodeDbValue(h.valueVersion, h.mapKeyVersion, h.toCanonical(cell));
          ops.push({ type: 'put', key: dbKey(kg, m.stateId, key, namespaceBytes(ns)), value });
          puts = true;
        }
      }
      m.onDisk = true;
      const prepared = this.prepared.get(m);
      if (prepared !== undefined) this.updatePrepared(s, m, prepared);
    }
    const removed = s.removed;
    if (removed !== undefined) {
      for (let i = 0; i < removed.length; i += 2) {
        const m = this.registered[removed[i] as number]!;
        const ns = removed[i + 1] as StateNamespace;
        if (s.ns?.[m.idx]?.has(ns) !== true) {
          ops.push({ type: 'del', key: dbKey(kg, m.stateId, key, namespaceBytes(ns)) });
        }
      }
      s.removed = undefined;
    }
    s.dirty = 0;
    if (puts && !s.inBloom) {
      this.addToBloom(key);
      s.inBloom = true;
    }
    if (ops.length > before) {
      s.pending++;
      this.inflight.set(s.nk, s);
      written.push(s);
    }
  }

  private enqueue(ops: WriteOp[], slots: KeySlot[]): void {
    this.counters.writeOps += ops.length;
    this.writer.enqueue(ops, slots);
  }

  private landed(slots: readonly KeySlot[]): void {
    for (const s of slots) {
      if (--s.pending === 0 && this.inflight.get(s.nk) === s) this.inflight.delete(s.nk);
    }
  }

  /**
   * Writes every dirty cache entry to LevelDB and waits until all write-backs landed. Not needed for
   * correctness; useful before `prepareKeys` or to bound recovery work.
   *
   * @beta
   */
  async flush(): Promise<void> {
    this.checkOpen();
    const ops: WriteOp[] = [];
    const written: KeySlot[] = [];
    for (const s of this.cache.values()) if (s.dirty !== 0 || s.removed !== undefined) this.writeBack(s, ops, written);
    if (ops.length > 0) this.enqueue(ops, written);
    await this.writer.idle();
  }

  // ---- work across keys ----

  mergeNamespaces(stateName: string, target: StateNamespace, sources: readonly StateNamespace[]): void {
    const m = this.registeredMeta(stateName);
    const h = m.handle!;
    h.checkMergeable();
    const c = this.cursor;
    if (c.keyGroup < 0) throw new Error('no current key: call setCurrentKey before merging namespaces');
    // All namespaces of a resident key are loaded (prefetch reads every live namespace), so merging is local.
    const s = slotFor(c, m);
    const now = h.ttl === undefined ? 0 : this.clock();
    let acc = getNs(s, m, target);
    let changed = false;
    for (const source of sources) {
      if (source === target) continue;
      const v = getNs(s, m, source);
      if (v === undefined) continue;
      removeNs(s, m, source);
      acc = h.mergeStored(acc, v, now);
      changed = true;
    }
    if (!changed) return;
    if (acc === undefined) removeNs(s, m, target);
    else setNs(s, m, target, acc);
  }

  /**
   * Every key that has state under `stateName` in `namespace`. Synchronous, so it can only see what is in
   * memory: while no entry of the state was ever written to LevelDB it answers from the cache; afterwards
   * `await prepareKeys(stateName, namespace)` must have run first (it scans LevelDB once; the result is then
   * kept exact as keys are written back), otherwise this throws.
   */
  keys(stateName: string, namespace: StateNamespace): Iterable<unknown> {
    this.checkOpen();
    const m = this.byName.get(stateName);
    if (m === undefined || m.handle === undefined) return [];
    const p = this.prepared.get(m)?.get(namespace);
    if (m.onDisk && p === undefined) {
      throw new Error(
        `keys('${stateName}', ${describe(namespace)}): the state has entries in LevelDB that a synchronous call ` +
          `cannot read; await prepareKeys('${stateName}', namespace) first (between batches)`,
      );
    }
    return this.iterateKeys(m, namespace, p);
  }

  private *iterateKeys(
    m: StateMeta,
    namespace: StateNamespace,
    p: Map<unknown, unknown> | undefined,
  ): Generator<unknown, void, undefined> {
    const h = m.handle!;
    const filter = h.ttl !== undefined && !h.ttl.returnExpired;
    const now = filter ? this.clock() : 0;
    if (p !== undefined) {
      for (const [nk, key] of p) {
        const s = this.cache.get(nk);
        if (s === undefined || s.epoch < m.reg) yield key; // resident keys are answered from the cache below
      }
    }
    for (const s of this.cache.values()) {
      if (s.epoch < m.reg) continue;
      const cell = getNs(s, m, namespace);
      if (cell !== undefined && (!filter || h.isLive(cell, now))) yield s.key;
    }
  }

  /**
   * Prepares `keys(stateName, namespace)`: waits for pending write-backs, then scans the state's entries in
   * LevelDB once. Call it between batches (not concurrently with record processing) and await it.
   *
   * @beta
   */
  async prepareKeys(stateName: string, namespace: StateNamespace): Promise<void> {
    this.checkOpen();
    const m = this.registeredMeta(stateName);
    const h = m.handle!;
    await this.writer.idle();
    const filter = h.ttl !== undefined && !h.ttl.returnExpired;
    const now = filter ? this.clock() : 0;
    const found = new Map<unknown, unknown>();
    const reader = new BinaryReader();
    for (let kg = this.keyGroupRange.start; kg <= this.keyGroupRange.end; kg++) {
      const prefix = Buffer.from([kg >>> 8, kg & 0xff, m.stateId >>> 8, m.stateId & 0xff]);
      const it = this.db.iterator({ gte: prefix, lt: prefixEnd(prefix) });
      try {
        for (;;) {
          const batch = await it.nextv(1000);
          if (batch.length === 0) break;
          for (const [k, v] of batch) {
            const d = decodeDbKey(k, reader);
            if (d.namespace !== namespace) continue;
            if (filter) {
              const stored = this.decodeStored(m, v);
              if (stored === undefined || !h.isLive(stored, now)) continue;
            }
            found.set(normalizeKey(d.key), d.key);
          }
        }
      } finally {
        await it.close();
      }
    }
    let byNs = this.prepared.get(m);
    if (byNs === undefined) this.prepared.set(m, (byNs = new Map()));
    byNs.set(namespace, found);
  }

  /** Keeps prepared key sets exact when a key's state goes to disk. */
  private updatePrepared(s: KeySlot, m: StateMeta, prepared: Map<StateNamespace, Map<unknown, unknown>>): void {
    const h = m.handle!;
    const filter = h.ttl !== undefined && !h.ttl.returnExpired;
    const now = filter ? this.clock() : 0;
    for (const [ns, set] of prepared) {
      const cell = getNs(s, m, ns);
      if (cell !== undefined && (!filter || h.isLive(cell, now))) set.set(s.nk, s.key);
      else set.delete(s.nk);
    }
  }

  // ---- checkpoints ----

  /**
   * Synchronous capture at the barrier: a LevelDB snapshot plus the encoded dirty cache entries and unlanded
   * write-backs. The dirty entries are then written back (the slots stay resident and become clean), so a
   * checkpoint also bounds the work a later eviction has to do.
   */
  snapshot(checkpointId: number): LevelKeyedStateSnapshot {
    this.checkOpen();
    if (this.writer.failure !== undefined) throw this.writer.failure;
    const now = this.clock();
    const overlay = new Map<number, Map<string, Buffer | null>>();
    const add = (op: WriteOp): void => {
      const kg = (op.key[0]! << 8) | op.key[1]!;
      let g = overlay.get(kg);
      if (g === undefined) overlay.set(kg, (g = new Map()));
      g.set(op.key.toString('latin1'), op.type === 'put' ? op.value : null);
    };
    this.writer.forEachUnlanded(add);
    const ops: WriteOp[] = [];
    const written: KeySlot[] = [];
    for (const s of this.cache.values()) if (s.dirty !== 0 || s.removed !== undefined) this.writeBack(s, ops, written);
    for (const op of ops) add(op);
    const dbSnapshot = this.db.snapshot();
    if (ops.length > 0) this.enqueue(ops, written);
    const views: (SnapshotStateView | undefined)[] = this.byId.map((m) => {
      const ttl = m.handle !== undefined ? m.handle.ttl : undefined;
      const restoredTtl = m.restored?.ttl;
      const dropAfter =
        m.handle !== undefined
          ? ttl !== undefined && !ttl.returnExpired
            ? ttl.ttlMs
            : undefined
          : restoredTtl !== undefined && (restoredTtl.visibility ?? 'never-return-expired') === 'never-return-expired'
            ? restoredTtl.ttlMs
            : undefined;
      return { name: m.name, kind: m.kind, handle: m.handle, dropExpiredAfterMs: dropAfter };
    });
    return new LevelKeyedStateSnapshot(
      checkpointId,
      this.stateMetaInfos(),
      this.db as never,
      dbSnapshot,
      overlay,
      views,
      this.keyGroupRange,
      now,
    );
  }

  /** Meta information of every registered or restored state. */
  private stateMetaInfos(): StateMetaInfo[] {
    const out: StateMetaInfo[] = [];
    for (const m of this.byId) {
      const d = this.descriptors.get(m);
      if (d === undefined) {
        if (m.restored !== undefined) out.push(m.restored);
        continue;
      }
      const info: { -readonly [K in keyof StateMetaInfo]: StateMetaInfo[K] } = {
        name: m.name,
        kind: m.kind,
        valueSerializer: serializerSnapshot(d.kind === 'map' ? d.valueSerializer : d.serializer),
      };
      if (d.kind === 'map') info.mapKeySerializer = serializerSnapshot(d.keySerializer);
      if (d.ttl !== undefined) info.ttl = d.ttl;
      out.push(info);
    }
    return out;
  }

  /**
   * Loads canonical entries (from any backend, any key-group range that lies inside this one) with batched
   * writes. Call it once, before processing starts.
   */
  async restore(states: readonly StateMetaInfo[], groups: Iterable<KeyGroupEntries>): Promise<void> {
    this.checkOpen();
    if (this.gen > 0 || this.cache.size > 0) throw new Error('restore must be called before processing starts');
    const versions = new Map<StateMeta, [number, number]>();
    for (const info of states) {
      let m = this.byName.get(info.name);
      if (m === undefined) m = this.newMeta(info.name, info.kind);
      else if (m.kind !== info.kind) {
        throw new Error(`cannot restore state '${info.name}' of kind ${info.kind} into ${m.kind} state`);
      }
      if (m.handle !== undefined && (info.ttl === undefined) !== (m.handle.ttl === undefined)) {
        throw new Error(`cannot restore state '${info.name}': TTL was ${info.ttl === undefined ? 'off' : 'on'}`);
      }
      const registered = this.descriptors.get(m);
      if (registered !== undefined) checkRestoredSerializers(registered, info, this.owner);
      m.restored = info;
      versions.set(m, [
        versionOf(info.name, info.valueSerializer),
        info.mapKeySerializer === undefined ? 0 : versionOf(info.name, info.mapKeySerializer),
      ]);
    }
    let ops: WriteOp[] = [];
    for (const group of groups) {
      const kg = group.keyGroup;
      if (!(kg >= this.keyGroupRange.start && kg <= this.keyGroupRange.end && Number.isInteger(kg))) {
        const { start, end } = this.keyGroupRange;
        throw new RangeError(`cannot restore key group ${kg}: outside this backend's range [${start}, ${end}]`);
      }
      for (const e of group.entries) {
        const m = this.byName.get(e.state);
        const v = m === undefined ? undefined : versions.get(m);
        if (m === undefined || v === undefined) {
          throw new Error(`cannot restore an entry of state '${e.state}': the snapshot has no meta info for it`);
        }
        if (!isNamespace(e.namespace)) throw new TypeError(`state '${e.state}': invalid namespace ${String(e.namespace)}`);
        if (e.value === undefined) {
          // A tombstone of an incremental snapshot: the entry was removed after the snapshot before it in the
          // chain; entries apply in order (a batch keeps the order of its operations).
          ops.push({ type: 'del', key: dbKey(kg, m.stateId, e.key, namespaceBytes(e.namespace)) });
          continue;
        }
        const canonical = normalizeCanonical(e.state, m.kind, m.restored!.ttl !== undefined, e.value);
        if (canonical === undefined) continue;
        const key = e.key;
        ops.push({
          type: 'put',
          key: dbKey(kg, m.stateId, key, namespaceBytes(e.namespace)),
          value: encodeDbValue(v[0], v[1], canonical),
        });
        this.addToBloom(key);
        m.onDisk = true;
        if (e.namespace !== VOID_NAMESPACE) m.nsCreated(e.namespace);
        if (ops.length >= RESTORE_BATCH) {
          this.counters.writeOps += ops.length;
          await this.db.batch(ops);
          ops = [];
        }
      }
    }
    if (ops.length > 0) {
      this.counters.writeOps += ops.length;
      await this.db.batch(ops);
    }
    this.prepared.clear();
  }

  // ---- diagnostics and lifecycle ----

  /**
   * Cache and I/O counters.
   *
   * @beta
   */
  stats(): LevelStateStats {
    const budget = this.budget;
    return {
      residentKeys: this.cache.size,
      keyLimit: budget.limit,
      bytesPerKey: budget.sized ? Math.round(budget.bytesPerKey) : 0,
      inflightKeys: this.inflight.size,
      ...this.counters,
    };
  }

  /** Closes the database and deletes its directory; idempotent. Open snapshots become unusable. */
  dispose(): Promise<void> {
    if (this.disposing !== undefined) return this.disposing;
    const close = async (): Promise<void> => {
      try {
        await this.writer.idle();
      } catch {
        // the state is being thrown away; a failed write-back no longer matters
      }
      try {
        await this.db.close();
      } finally {
        await rm(this.directory, { recursive: true, force: true });
      }
    };
    this.disposing = close();
    this.cache.clear();
    this.order = [];
    this.hand = 0;
    this.inflight.clear();
    this.prepared.clear();
    this.bloom.clear();
    this.cursor.slot = undefined;
    this.cursor.keyGroup = -1;
    return this.disposing;
  }

  // ---- helpers ----

  private registeredMeta(stateName: string): StateMeta {
    const m = this.byName.get(stateName);
    if (m === undefined || m.handle === undefined) throw new Error(`no keyed state named '${stateName}' is registered`);
    return m;
  }

  private checkOpen(): void {
    if (this.disposing !== undefined) throw new Error('keyed state backend is disposed');
  }
}

function serializerSnapshot(s: VersionedSerializer<unknown> | undefined): { id: string; version: number } {
  return s === undefined ? { id: GENERIC_SERIALIZER_ID, version: 1 } : { id: s.id, version: s.version };
}

/** The version byte stored with restored values: 0 for plain data (the generic serializer). */
function versionOf(stateName: string, s: { id: string; version: number }): number {
  return s.id === GENERIC_SERIALIZER_ID ? 0 : checkVersion(stateName, s.version);
}

function describe(key: unknown): string {
  if (typeof key === 'string') return JSON.stringify(key);
  if (Array.isArray(key)) return `[${key.map(describe).join(', ')}]`;
  return String(key);
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function noop(): void {}

