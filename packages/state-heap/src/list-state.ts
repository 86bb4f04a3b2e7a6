// List state: per key and namespace a JS array, in insertion order. Without TTL `get()` returns the stored array
// itself (no copy per read, as Flink's heap backend): callers must not mutate it and see later appends. With
// TTL each element carries its own timestamp and `get()` builds a fresh array of the visible elements.
import type { ListState, ListStateDescriptor, StateKind } from '@runnel/api/state';
import { AbstractKeyedState } from './abstract-keyed-state.js';
import type { StateCursor } from './state-cursor.js';
import { readStored, removeStored, writeStored, type StateTable } from './state-table.js';
import { TtlEntry, type TtlPolicy } from '@runnel/api/state';
import { toTtlEntry, toTtlPair } from './value-state.js';

/** The shared result of reading an empty list. */
const EMPTY: readonly never[] = Object.freeze([]);

/**
 * Heap list state without TTL.
 *
 * @internal
 */
export class HeapListState<T> extends AbstractKeyedState implements ListState<T> {
  readonly kind: StateKind = 'list';

  constructor(descriptor: ListStateDescriptor<T>, cursor: StateCursor, table: StateTable) {
    super(descriptor.name, cursor, table, undefined, 0);
  }

  get(): readonly T[] {
    const s = readStored(this.cursor, this.table) as T[] | undefined;
    return s === undefined ? EMPTY : s;
  }

  add(value: T): void {
    const s = readStored(this.cursor, this.table) as T[] | undefined;
    if (s === undefined) writeStored(this.cursor, this.table, [value]);
    else s.push(value);
  }

  addAll(values: Iterable<T>): void {
    let s = readStored(this.cursor, this.table) as T[] | undefined;
    for (const v of values) {
      if (s === undefined) writeStored(this.cursor, this.table, (s = []));
      s.push(v);
    }
  }

  update(values: Iterable<T>): void {
    const arr = Array.from(values);
    if (arr.length === 0) removeStored(this.cursor, this.table);
    else writeStored(this.cursor, this.table, arr);
  }

  isLive(): boolean {
    return true;
  }
  purge(stored: unknown): unknown {
    return stored;
  }
  exportValue(stored: unknown): unknown {
    return stored;
  }
  importValue(value: unknown): unknown {
    const arr = Array.from(value as Iterable<unknown>);
    return arr.length === 0 ? undefined : arr;
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
 * Heap list state with TTL per element.
 *
 * @internal
 */
export class TtlHeapListState<T> extends AbstractKeyedState implements ListState<T> {
  readonly kind: StateKind = 'list';

  constructor(
    descriptor: ListStateDescriptor<T>,
    cursor: StateCursor,
    table: StateTable,
    ttl: TtlPolicy,
    cleanupSize: number,
  ) {
    super(descriptor.name, cursor, table, ttl, cleanupSize);
  }

  get(): readonly T[] {
    const now = this.access();
    const s = readStored(this.cursor, this.table) as TtlEntry<T>[] | undefined;
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
    if (expired > 0 && this.purge(s, now) === undefined) removeStored(this.cursor, this.table);
    return out;
  }

  add(value: T): void {
    const now = this.access();
    const s = readStored(this.cursor, this.table) as TtlEntry<T>[] | undefined;
    if (s === undefined) writeStored(this.cursor, this.table, [new TtlEntry(value, now)]);
    else s.push(new TtlEntry(value, now));
  }

  addAll(values: Iterable<T>): void {
    const now = this.access();
    let s = readStored(this.cursor, this.table) as TtlEntry<T>[] | undefined;
    for (const v of values) {
      if (s === undefined) writeStored(this.cursor, this.table, (s = []));
      s.push(new TtlEntry(v, now));
    }
  }

  update(values: Iterable<T>): void {
    const now = this.access();
    const arr = Array.from(values, (v) => new TtlEntry(v, now));
    if (arr.length === 0) removeStored(this.cursor, this.table);
    else writeStored(this.cursor, this.table, arr);
  }

  override clear(): void {
    this.access();
    removeStored(this.cursor, this.table);
  }

  isLive(stored: unknown, now: number): boolean {
    const ttl = this.ttl!;
    return (stored as TtlEntry<unknown>[]).some((e) => !ttl.expired(e, now));
  }
  /** Compacts the array in place, dropping expired elements. */
  purge(stored: unknown, now: number): unknown {
    const s = stored as TtlEntry<unknown>[];
    const ttl = this.ttl!;
    let w = 0;
    for (let r = 0; r < s.length; r++) {
      const e = s[r]!;
      if (!ttl.expired(e, now)) s[w++] = e;
    }
    s.length = w;
    return w === 0 ? undefined : s;
  }
  exportValue(stored: unknown, now: number): unknown {
    const ttl = this.ttl!;
    const s = stored as TtlEntry<unknown>[];
    const out: unknown[] = [];
    for (const e of s) if (ttl.returnExpired || !ttl.expired(e, now)) out.push(toTtlPair(e));
    return out.length === 0 ? undefined : out;
  }
  importValue(value: unknown): unknown {
    const arr = Array.from(value as Iterable<unknown>, (e) => toTtlEntry(this.name, e));
    return arr.length === 0 ? undefined : arr;
  }
  checkMergeable(): void {}
  mergeStored(target: unknown, source: unknown, now: number): unknown {
    if (target === undefined) return this.ttl!.returnExpired ? source : this.purge(source, now);
    const t = target as TtlEntry<unknown>[];
    for (const e of source as TtlEntry<unknown>[]) t.push(e);
    return this.ttl!.returnExpired ? t : this.purge(t, now);
  }
}
