// Map state: per key and namespace a JS `Map` keyed by normalised user keys (tuple and date keys compare by
// value, as in the heap backend). In LevelDB a map is one entry per (key, namespace) holding all its pairs — see
// the README for why (the synchronous MapState API needs the whole map resident anyway, and one entry per map
// keeps prefetch a single batched `getMany`). With TTL each map entry expires on its own, as in Flink.
import type { MapState, MapStateDescriptor, StateKind } from '@runnel/api/state';
import { AbstractLevelState, ttlPair } from './abstract-level-state.js';
import { markDirty, readCell, removeCell, writeCell, type Cursor } from './key-slot.js';
import type { StateMeta } from './state-meta.js';
import { TtlEntry, denormalizeKey, normalizeKey, type TtlPolicy } from '@runnel/api/state';

function pairsOf(name: string, canonical: unknown): readonly (readonly [unknown, unknown])[] {
  if (!Array.isArray(canonical)) {
    throw new TypeError(`map state '${name}': expected an array of [key, value] pairs, got ${String(canonical)}`);
  }
  return canonical as readonly (readonly [unknown, unknown])[];
}

/** Shared conversions of both map state classes. */
abstract class AbstractLevelMapState extends AbstractLevelState {
  readonly kind: StateKind = 'map';

  protected kser(k: unknown): unknown {
    const user = denormalizeKey(k);
    return this.ks === undefined ? user : this.ks.serialize(user);
  }

  protected kdeser(x: unknown, version: number): unknown {
    if (version === 0) return normalizeKey(x);
    if (this.ks === undefined) {
      throw new Error(`map state '${this.name}': map keys were written by a serializer but the descriptor names none`);
    }
    return normalizeKey(this.ks.deserialize(x as Uint8Array, version));
  }

  checkMergeable(): void {}
}

/**
 * Map state without TTL.
 *
 * @internal
 */
export class LevelMapState<K, V> extends AbstractLevelMapState implements MapState<K, V> {
  constructor(descriptor: MapStateDescriptor<K, V>, c: Cursor, m: StateMeta) {
    super(descriptor.name, c, m, undefined, descriptor.valueSerializer as never, descriptor.keySerializer as never);
  }

  private map(): Map<unknown, V> | undefined {
    return readCell(this.c, this.m) as Map<unknown, V> | undefined;
  }

  private mapForWrite(): Map<unknown, V> {
    let m = this.map();
    if (m === undefined) writeCell(this.c, this.m, (m = new Map()));
    else markDirty(this.c, this.m);
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
    if (m === undefined || !m.delete(normalizeKey(key))) return;
    if (m.size === 0) removeCell(this.c, this.m);
    else markDirty(this.c, this.m);
  }

  contains(key: K): boolean {
    const m = this.map();
    return m !== undefined && m.has(normalizeKey(key));
  }

  *entries(): IterableIterator<[K, V]> {
    const m = this.map();
    if (m !== undefined) for (const [k, v] of m) yield [denormalizeKey(k) as K, v];
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

  toCanonical(stored: unknown): unknown {
    return Array.from(stored as Map<unknown, unknown>, ([k, v]) => [this.kser(k), this.ser(v)]);
  }
  fromCanonical(canonical: unknown, valueVersion: number, mapKeyVersion: number): unknown {
    const m = new Map<unknown, unknown>();
    for (const [k, v] of pairsOf(this.name, canonical)) m.set(this.kdeser(k, mapKeyVersion), this.deser(v, valueVersion));
    return m.size === 0 ? undefined : m;
  }
  isLive(): boolean {
    return true;
  }
  mergeStored(target: unknown, source: unknown): unknown {
    if (target === undefined) return source;
    const t = target as Map<unknown, unknown>;
    for (const [k, v] of source as Map<unknown, unknown>) t.set(k, v);
    return t;
  }
}

/**
 * Map state with TTL per entry.
 *
 * @internal
 */
export class TtlLevelMapState<K, V> extends AbstractLevelMapState implements MapState<K, V> {
  constructor(descriptor: MapStateDescriptor<K, V>, c: Cursor, m: StateMeta, ttl: TtlPolicy) {
    super(descriptor.name, c, m, ttl, descriptor.valueSerializer as never, descriptor.keySerializer as never);
  }

  private map(): Map<unknown, TtlEntry<V>> | undefined {
    return readCell(this.c, this.m) as Map<unknown, TtlEntry<V>> | undefined;
  }

  /** The visible entry of a map key, with lazy removal of an expired one and read-and-write refresh. */
  private read(m: Map<unknown, TtlEntry<V>>, mapKey: unknown, now: number): TtlEntry<V> | undefined {
    const e = m.get(mapKey);
    if (e === undefined) return undefined;
    const ttl = this.ttl!;
    if (ttl.expired(e, now)) {
      m.delete(mapKey);
      if (m.size === 0) removeCell(this.c, this.m);
      else markDirty(this.c, this.m);
      return ttl.returnExpired ? e : undefined;
    }
    if (ttl.updateOnRead) {
      e.timestamp = now;
      markDirty(this.c, this.m);
    }
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
    if (m === undefined) writeCell(this.c, this.m, (m = new Map()));
    else markDirty(this.c, this.m);
    m.set(normalizeKey(key), new TtlEntry(value, now));
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    const now = this.access();
    let m = this.map();
    for (const [k, v] of entries) {
      if (m === undefined) writeCell(this.c, this.m, (m = new Map()));
      else markDirty(this.c, this.m);
      m.set(normalizeKey(k), new TtlEntry(v, now));
    }
  }

  remove(key: K): void {
    this.access();
    const m = this.map();
    if (m === undefined || !m.delete(normalizeKey(key))) return;
    if (m.size === 0) removeCell(this.c, this.m);
    else markDirty(this.c, this.m);
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
    removeCell(this.c, this.m);
  }

  toCanonical(stored: unknown): unknown {
    return Array.from(stored as Map<unknown, TtlEntry<unknown>>, ([k, e]) => [
      this.kser(k),
      [this.ser(e.value), e.timestamp],
    ]);
  }
  fromCanonical(canonical: unknown, valueVersion: number, mapKeyVersion: number): unknown {
    const m = new Map<unknown, TtlEntry<unknown>>();
    for (const [k, x] of pairsOf(this.name, canonical)) {
      const [v, ts] = ttlPair(this.name, x);
      m.set(this.kdeser(k, mapKeyVersion), new TtlEntry(this.deser(v, valueVersion), ts));
    }
    return m.size === 0 ? undefined : m;
  }
  isLive(stored: unknown, now: number): boolean {
    const ttl = this.ttl!;
    for (const e of (stored as Map<unknown, TtlEntry<unknown>>).values()) if (!ttl.expired(e, now)) return true;
    return false;
  }
  mergeStored(target: unknown, source: unknown, now: number): unknown {
    const ttl = this.ttl!;
    const src = source as Map<unknown, TtlEntry<unknown>>;
    if (target === undefined) return ttl.returnExpired ? src : purgeMap(ttl, src, now);
    const t = target as Map<unknown, TtlEntry<unknown>>;
    for (const [k, e] of src) if (ttl.usable(e, now)) t.set(k, e);
    return ttl.returnExpired ? t : purgeMap(ttl, t, now);
  }
}

function purgeMap(
  ttl: TtlPolicy,
  m: Map<unknown, TtlEntry<unknown>>,
  now: number,
): Map<unknown, TtlEntry<unknown>> | undefined {
  for (const [k, e] of m) if (ttl.expired(e, now)) m.delete(k);
  return m.size === 0 ? undefined : m;
}
