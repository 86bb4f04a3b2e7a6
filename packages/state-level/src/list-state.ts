// List state: per key and namespace a JS array, in insertion order, stored in LevelDB as one entry per
// (key, namespace) holding the whole list. Without TTL `get()` returns the cached array itself (no copy per read,
// as the heap backend): callers must not mutate it. With TTL each element carries its own timestamp.
import type { ListState, ListStateDescriptor, StateKind } from '@runnel/api/state';
import { AbstractLevelState, ttlPair } from './abstract-level-state.js';
import { markDirty, readCell, removeCell, writeCell, type Cursor } from './key-slot.js';
import type { StateMeta } from './state-meta.js';
import { TtlEntry, type TtlPolicy } from '@runnel/api/state';

/** The shared result of reading an empty list. */
const EMPTY: readonly never[] = Object.freeze([]);

function elementsOf(name: string, canonical: unknown): readonly unknown[] {
  if (!Array.isArray(canonical)) throw new TypeError(`list state '${name}': expected an array, got ${String(canonical)}`);
  return canonical;
}

/**
 * List state without TTL.
 *
 * @internal
 */
export class LevelListState<T> extends AbstractLevelState implements ListState<T> {
  readonly kind: StateKind = 'list';

  constructor(descriptor: ListStateDescriptor<T>, c: Cursor, m: StateMeta) {
    super(descriptor.name, c, m, undefined, descriptor.serializer as never);
  }

  get(): readonly T[] {
    const s = readCell(this.c, this.m) as T[] | undefined;
    return s === undefined ? EMPTY : s;
  }

  add(value: T): void {
    const s = readCell(this.c, this.m) as T[] | undefined;
    if (s === undefined) writeCell(this.c, this.m, [value]);
    else {
      s.push(value);
      markDirty(this.c, this.m);
    }
  }

  addAll(values: Iterable<T>): void {
    const arr = Array.from(values);
    if (arr.length === 0) return;
    const s = readCell(this.c, this.m) as T[] | undefined;
    if (s === undefined) writeCell(this.c, this.m, arr);
    else {
      for (const v of arr) s.push(v);
      markDirty(this.c, this.m);
    }
  }

  update(values: Iterable<T>): void {
    const arr = Array.from(values);
    if (arr.length === 0) removeCell(this.c, this.m);
    else writeCell(this.c, this.m, arr);
  }

  toCanonical(stored: unknown): unknown {
    return this.vs === undefined ? stored : (stored as unknown[]).map((v) => this.ser(v));
  }
  fromCanonical(canonical: unknown, version: number): unknown {
    const arr = elementsOf(this.name, canonical).map((x) => this.deser(x, version));
    return arr.length === 0 ? undefined : arr;
  }
  isLive(): boolean {
    return true;
  }
  checkMergeable(): void {}
  mergeStored(target: unknown, source: unknown): unknown {
    if (target === undefined) return source;
    const t = target as unknown[];
    for (const v of source as unknown[]) t.push(v);
    return t;
  }
}

/**
 * List state with TTL per element.
 *
 * @internal
 */
export class TtlLevelListState<T> extends AbstractLevelState implements ListState<T> {
  readonly kind: StateKind = 'list';

  constructor(descriptor: ListStateDescriptor<T>, c: Cursor, m: StateMeta, ttl: TtlPolicy) {
    super(descriptor.name, c, m, ttl, descriptor.serializer as never);
  }

  get(): readonly T[] {
    const now = this.access();
    const s = readCell(this.c, this.m) as TtlEntry<T>[] | undefined;
    if (s === undefined) return EMPTY;
    const ttl = this.ttl!;
    const out: T[] = [];
    let expired = 0;
    for (const e of s) {
      if (ttl.expired(e, now)) {
        expired++;
        if (ttl.returnExpired) out.push(e.value);
      } else {
        if (ttl.updateOnRead) e.timestamp = now;
        out.push(e.value);
      }
    }
    if (expired > 0) {
      if (purge(ttl, s, now) === undefined) removeCell(this.c, this.m);
      else markDirty(this.c, this.m);
    } else if (ttl.updateOnRead) markDirty(this.c, this.m);
    return out;
  }

  add(value: T): void {
    const now = this.access();
    const s = readCell(this.c, this.m) as TtlEntry<T>[] | undefined;
    if (s === undefined) writeCell(this.c, this.m, [new TtlEntry(value, now)]);
    else {
      s.push(new TtlEntry(value, now));
      markDirty(this.c, this.m);
    }
  }

  addAll(values: Iterable<T>): void {
    const now = this.access();
    const arr = Array.from(values, (v) => new TtlEntry(v, now));
    if (arr.length === 0) return;
    const s = readCell(this.c, this.m) as TtlEntry<T>[] | undefined;
    if (s === undefined) writeCell(this.c, this.m, arr);
    else {
      for (const e of arr) s.push(e);
      markDirty(this.c, this.m);
    }
  }

  update(values: Iterable<T>): void {
    const now = this.access();
    const arr = Array.from(values, (v) => new TtlEntry(v, now));
    if (arr.length === 0) removeCell(this.c, this.m);
    else writeCell(this.c, this.m, arr);
  }

  override clear(): void {
    this.access();
    removeCell(this.c, this.m);
  }

  toCanonical(stored: unknown): unknown {
    return (stored as TtlEntry<unknown>[]).map((e) => [this.ser(e.value), e.timestamp]);
  }
  fromCanonical(canonical: unknown, version: number): unknown {
    const arr = elementsOf(this.name, canonical).map((x) => {
      const [v, ts] = ttlPair(this.name, x);
      return new TtlEntry(this.deser(v, version), ts);
    });
    return arr.length === 0 ? undefined : arr;
  }
  isLive(stored: unknown, now: number): boolean {
    const ttl = this.ttl!;
    return (stored as TtlEntry<unknown>[]).some((e) => !ttl.expired(e, now));
  }
  checkMergeable(): void {}
  mergeStored(target: unknown, source: unknown, now: number): unknown {
    const ttl = this.ttl!;
    if (target === undefined) return ttl.returnExpired ? source : purge(ttl, source as TtlEntry<unknown>[], now);
    const t = target as TtlEntry<unknown>[];
    for (const e of source as TtlEntry<unknown>[]) t.push(e);
    return ttl.returnExpired ? t : purge(ttl, t, now);
  }
}

/** Compacts a TTL list in place, dropping expired elements; `undefined` when nothing is left. */
function purge(ttl: TtlPolicy, s: TtlEntry<unknown>[], now: number): TtlEntry<unknown>[] | undefined {
  let w = 0;
  for (let r = 0; r < s.length; r++) {
    const e = s[r]!;
    if (!ttl.expired(e, now)) s[w++] = e;
  }
  s.length = w;
  return w === 0 ? undefined : s;
}
