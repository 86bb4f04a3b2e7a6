// Map state: per key and namespace a JS `Map`. User map keys go through the same normalisation as state keys,
// so tuple and date map keys compare by value. Without TTL the stored map holds user values; with TTL each entry
// holds a TtlEntry and expires on its own, as in Flink.
import type { MapState, MapStateDescriptor, StateKind } from '@runnel/api/state';
import { AbstractKeyedState } from './abstract-keyed-state.js';
import { denormalizeKey, normalizeKey, TtlEntry, type TtlPolicy } from '@runnel/api/state';
import type { StateCursor } from './state-cursor.js';
import { readStored, removeStored, writeStored, type StateTable } from './state-table.js';
import { toTtlEntry, toTtlPair } from './value-state.js';

function entriesOf(value: unknown): Iterable<readonly [unknown, unknown]> {
  if (value instanceof Map) return value as Map<unknown, unknown>;
  return value as Iterable<readonly [unknown, unknown]>;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };

/**
 * `entries()` of a heap map state as a plain iterator rather than a generator: it hands out the entry arrays the
 * `Map` iterator makes anyway, with the key denormalised in place, so a step allocates nothing of its own (the
 * generator and its `[key, value]` copies were about 7 % of Nexmark q11 in SQL, which lists a key's sessions per
 * row). As the generator did, it reads the stored map at the first `next()`, for the then current key.
 */
class HeapMapEntries<K, V> implements IterableIterator<[K, V]> {
  private it: IterableIterator<[unknown, V]> | undefined;
  private started = false;

  constructor(
    private readonly cursor: StateCursor,
    private readonly table: StateTable,
  ) {}

  next(): IteratorResult<[K, V]> {
    if (!this.started) {
      this.started = true;
      this.it = (readStored(this.cursor, this.table) as Map<unknown, V> | undefined)?.entries();
    }
    const it = this.it;
    if (it === undefined) return DONE as IteratorResult<[K, V]>;
    const r = it.next();
    if (r.done === true) {
      this.it = undefined;
      return DONE as IteratorResult<[K, V]>;
    }
    r.value[0] = denormalizeKey(r.value[0]);
    return r as unknown as IteratorResult<[K, V]>;
  }

  /** Ends the iteration (a `break` out of `for ... of`). */
  return(): IteratorResult<[K, V]> {
    this.started = true;
    this.it = undefined;
    return DONE as IteratorResult<[K, V]>;
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this;
  }
}

/**
 * Heap map state without TTL.
 *
 * @internal
 */
export class HeapMapState<K, V> extends AbstractKeyedState implements MapState<K, V> {
  readonly kind: StateKind = 'map';

  constructor(descriptor: MapStateDescriptor<K, V>, cursor: StateCursor, table: StateTable) {
    super(descriptor.name, cursor, table, undefined, 0);
  }

  private map(): Map<unknown, V> | undefined {
    return readStored(this.cursor, this.table) as Map<unknown, V> | undefined;
  }

  private mapForWrite(): Map<unknown, V> {
    let m = readStored(this.cursor, this.table) as Map<unknown, V> | undefined;
    if (m === undefined) writeStored(this.cursor, this.table, (m = new Map()));
    return m;
  }

  get(key: K): V | undefined {
    const m = this.map();
    return m === undefined ? undefined : m.get(normalizeKey(key));
  }

  put(key: K, value: V): void {
    this.mapForWrite().set(normalizeKey(key), value);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    let m: Map<unknown, V> | undefined;
    for (const [k, v] of entries) (m ??= this.mapForWrite()).set(normalizeKey(k), v);
  }

  remove(key: K): void {
    const m = this.map();
    if (m === undefined) return;
    m.delete(normalizeKey(key));
    if (m.size === 0) removeStored(this.cursor, this.table);
  }

  contains(key: K): boolean {
    const m = this.map();
    return m !== undefined && m.has(normalizeKey(key));
  }

  entries(): IterableIterator<[K, V]> {
    return new HeapMapEntries<K, V>(this.cursor, this.table);
  }

  *keys(): IterableIterator<K> {
    const m = this.map();
    if (m !== undefined) for (const k of m.keys()) yield denormalizeKey(k) as K;
  }

  values(): IterableIterator<V> {
    const m = this.map();
    return m === undefined ? new Map<never, V>().values() : m.values();
  }

  isEmpty(): boolean {
    const m = this.map();
    return m === undefined || m.size === 0;
  }

  isLive(): boolean {
    return true;
  }
  purge(stored: unknown): unknown {
    return stored;
  }
  /** `[userKey, value]` pairs. */
  exportValue(stored: unknown): unknown {
    return Array.from(stored as Map<unknown, unknown>, ([k, v]) => [denormalizeKey(k), v]);
  }
  importValue(value: unknown): unknown {
    const m = new Map<unknown, unknown>();
    for (const [k, v] of entriesOf(value)) m.set(normalizeKey(k), v);
    return m.size === 0 ? undefined : m;
  }
  checkMergeable(): void {}
  mergeStored(target: unknown, source: unknown): unknown {
    if (target === undefined) return source;
    const t = target as Map<unknown, unknown>;
    for (const [k, v] of source as Map<unknown, unknown>) t.set(k, v);
    return t;
  }
}

/**
 * Heap map state with TTL per entry.
 *
 * @internal
 */
export class TtlHeapMapState<K, V> extends AbstractKeyedState implements MapState<K, V> {
  readonly kind: StateKind = 'map';

  constructor(
    descriptor: MapStateDescriptor<K, V>,
    cursor: StateCursor,
    table: StateTable,
    ttl: TtlPolicy,
    cleanupSize: number,
  ) {
    super(descriptor.name, cursor, table, ttl, cleanupSize);
  }

  private map(): Map<unknown, TtlEntry<V>> | undefined {
    return readStored(this.cursor, this.table) as Map<unknown, TtlEntry<V>> | undefined;
  }

  /** The visible entry of a map key, with lazy removal of an expired one and read-and-write refresh. */
  private read(m: Map<unknown, TtlEntry<V>>, mapKey: unknown, now: number): TtlEntry<V> | undefined {
    const e = m.get(mapKey);
    if (e === undefined) return undefined;
    const ttl = this.ttl!;
    if (ttl.expired(e, now)) {
      m.delete(mapKey);
      if (m.size === 0) removeStored(this.cursor, this.table);
      return ttl.returnExpired ? e : undefined;
    }
    if (ttl.updateOnRead) e.timestamp = now;
    return e;
  }

  /** Every visible entry, read as by `get` (expired ones removed, returned once if the visibility allows). */
  private readAll(): [unknown, TtlEntry<V>][] {
    const now = this.access();
    const m = this.map();
    const out: [unknown, TtlEntry<V>][] = [];
    if (m === undefined) return out;
    for (const k of Array.from(m.keys())) {
      const e = this.read(m, k, now);
      if (e !== undefined) out.push([k, e]);
    }
    return out;
  }

  get(key: K): V | undefined {
    const now = this.access();
    const m = this.map();
    if (m === undefined) return undefined;
    const e = this.read(m, normalizeKey(key), now);
    return e === undefined ? undefined : e.value;
  }

  put(key: K, value: V): void {
    const now = this.access();
    let m = this.map();
    if (m === undefined) writeStored(this.cursor, this.table, (m = new Map()));
    m.set(normalizeKey(key), new TtlEntry(value, now));
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    const now = this.access();
    let m = this.map();
    for (const [k, v] of entries) {
      if (m === undefined) writeStored(this.cursor, this.table, (m = new Map()));
      m.set(normalizeKey(k), new TtlEntry(v, now));
    }
  }

  remove(key: K): void {
    this.access();
    const m = this.map();
    if (m === undefined) return;
    m.delete(normalizeKey(key));
    if (m.size === 0) removeStored(this.cursor, this.table);
  }

  contains(key: K): boolean {
    const now = this.access();
    const m = this.map();
    return m !== undefined && this.read(m, normalizeKey(key), now) !== undefined;
  }

  entries(): IterableIterator<[K, V]> {
    return this.readAll()
      .map(([k, e]): [K, V] => [denormalizeKey(k) as K, e.value])
      [Symbol.iterator]();
  }

  keys(): IterableIterator<K> {
    return this.readAll()
      .map(([k]) => denormalizeKey(k) as K)
      [Symbol.iterator]();
  }

  values(): IterableIterator<V> {
    return this.readAll()
      .map(([, e]) => e.value)
      [Symbol.iterator]();
  }

  isEmpty(): boolean {
    return this.readAll().length === 0;
  }

  override clear(): void {
    this.access();
    removeStored(this.cursor, this.table);
  }

  isLive(stored: unknown, now: number): boolean {
    const ttl = this.ttl!;
    for (const e of (stored as Map<unknown, TtlEntry<unknown>>).values()) if (!ttl.expired(e, now)) return true;
    return false;
  }
  purge(stored: unknown, now: number): unknown {
    const m = stored as Map<unknown, TtlEntry<unknown>>;
    const ttl = this.ttl!;
    for (const [k, e] of m) if (ttl.expired(e, now)) m.delete(k);
    return m.size === 0 ? undefined : m;
  }
  exportValue(stored: unknown, now: number): unknown {
    const ttl = this.ttl!;
    const out: unknown[] = [];
    for (const [k, e] of stored as Map<unknown, TtlEntry<unknown>>) {
      if (ttl.usable(e, now)) out.push([denormalizeKey(k), toTtlPair(e)]);
    }
    return out.length === 0 ? undefined : out;
  }
  importValue(value: unknown): unknown {
    const m = new Map<unknown, TtlEntry<unknown>>();
    for (const [k, v] of entriesOf(value)) m.set(normalizeKey(k), toTtlEntry(this.name, v));
    return m.size === 0 ? undefined : m;
  }
  checkMergeable(): void {}
  mergeStored(target: unknown, source: unknown, now: number): unknown {
    const ttl = this.ttl!;
    if (target === undefined) return ttl.returnExpired ? source : this.purge(source, now);
    const t = target as Map<unknown, TtlEntry<unknown>>;
    for (const [k, e] of source as Map<unknown, TtlEntry<unknown>>) if (ttl.usable(e, now)) t.set(k, e);
    return ttl.returnExpired ? t : this.purge(t, now);
  }
}
