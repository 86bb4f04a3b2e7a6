// Reducing state: one value per key and namespace, folded with the descriptor's `reduce` on every `add`.
// Namespaces merge with the same function.
import type { ReducingState, ReducingStateDescriptor, StateKind } from '@runnel/api/state';
import { AbstractKeyedState } from './abstract-keyed-state.js';
import type { StateCursor } from './state-cursor.js';
import { readStored, removeStored, writeStored, type StateTable } from './state-table.js';
import { TtlEntry, type TtlPolicy } from '@runnel/api/state';
import type { TtlValue } from './ttl.js';
import { toTtlEntry, toTtlPair } from './value-state.js';

/**
 * Heap reducing state without TTL.
 *
 * @internal
 */
export class HeapReducingState<T> extends AbstractKeyedState implements ReducingState<T> {
  readonly kind: StateKind = 'reducing';
  private readonly reduce: (a: T, b: T) => T;

  constructor(descriptor: ReducingStateDescriptor<T>, cursor: StateCursor, table: StateTable) {
    super(descriptor.name, cursor, table, undefined, 0);
    this.reduce = descriptor.reduce;
  }

  get(): T | undefined {
    return readStored(this.cursor, this.table) as T | undefined;
  }

  add(value: T): void {
    const s = readStored(this.cursor, this.table) as T | undefined;
    writeStored(this.cursor, this.table, s === undefined ? value : this.reduce(s, value));
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
    return value;
  }
  checkMergeable(): void {}
  mergeStored(target: unknown, source: unknown): unknown {
    return target === undefined ? source : this.reduce(target as T, source as T);
  }
}

/**
 * Heap reducing state with TTL.
 *
 * @internal
 */
export class TtlHeapReducingState<T> extends AbstractKeyedState implements ReducingState<T> {
  readonly kind: StateKind = 'reducing';
  private readonly reduce: (a: T, b: T) => T;

  constructor(
    descriptor: ReducingStateDescriptor<T>,
    cursor: StateCursor,
    table: StateTable,
    ttl: TtlPolicy,
    cleanupSize: number,
  ) {
    super(descriptor.name, cursor, table, ttl, cleanupSize);
    this.reduce = descriptor.reduce;
  }

  get(): T | undefined {
    const e = this.readTtl(this.access());
    return e === undefined ? undefined : (e.value as T);
  }

  add(value: T): void {
    const now = this.access();
    const e = this.readTtl(now);
    this.writeTtl(e === undefined ? value : this.reduce(e.value as T, value), now);
  }

  override clear(): void {
    this.access();
    removeStored(this.cursor, this.table);
  }

  isLive(stored: unknown, now: number): boolean {
    return !this.ttl!.expired(stored as TtlValue<unknown>, now);
  }
  purge(stored: unknown, now: number): unknown {
    return this.ttl!.expired(stored as TtlValue<unknown>, now) ? undefined : stored;
  }
  exportValue(stored: unknown, now: number): unknown {
    const e = stored as TtlValue<unknown>;
    return this.ttl!.usable(e, now) ? toTtlPair(e) : undefined;
  }
  importValue(value: unknown): unknown {
    return toTtlEntry(this.name, value);
  }
  checkMergeable(): void {}
  /** As Flink's TtlReduceFunction: unusable sides are dropped, the result gets a fresh timestamp. */
  mergeStored(target: unknown, source: unknown, now: number): unknown {
    const ttl = this.ttl!;
    const a = target as TtlEntry<T> | undefined;
    const b = source as TtlEntry<T>;
    const useA = a !== undefined && ttl.usable(a, now);
    const useB = ttl.usable(b, now);
    if (useA && useB) return new TtlEntry(this.reduce(a.value, b.value), now);
    if (useA) return new TtlEntry(a.value, now);
    if (useB) return new TtlEntry(b.value, now);
    return undefined;
  }
}
