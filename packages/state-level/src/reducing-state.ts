// Reducing state: one value per key and namespace, folded with the descriptor's `reduce` on every `add`.
// Namespaces merge with the same function.
import type { ReducingState, ReducingStateDescriptor, StateKind } from '@runnel/api/state';
import { AbstractLevelState } from './abstract-level-state.js';
import { readCell, writeCell, type Cursor } from './key-slot.js';
import type { StateMeta } from './state-meta.js';
import { TtlEntry, type TtlPolicy } from '@runnel/api/state';

/**
 * Reducing state without TTL.
 *
 * @internal
 */
export class LevelReducingState<T> extends AbstractLevelState implements ReducingState<T> {
  readonly kind: StateKind = 'reducing';
  private readonly reduce: (a: T, b: T) => T;

  constructor(descriptor: ReducingStateDescriptor<T>, c: Cursor, m: StateMeta) {
    super(descriptor.name, c, m, undefined, descriptor.serializer as never);
    this.reduce = descriptor.reduce;
  }

  get(): T | undefined {
    return readCell(this.c, this.m) as T | undefined;
  }

  add(value: T): void {
    const s = readCell(this.c, this.m) as T | undefined;
    writeCell(this.c, this.m, s === undefined ? value : this.reduce(s, value));
  }

  toCanonical(stored: unknown): unknown {
    return this.ser(stored);
  }
  fromCanonical(canonical: unknown, version: number): unknown {
    return this.deser(canonical, version);
  }
  isLive(): boolean {
    return true;
  }
  checkMergeable(): void {}
  mergeStored(target: unknown, source: unknown): unknown {
    return target === undefined ? source : this.reduce(target as T, source as T);
  }
}

/**
 * Reducing state with TTL.
 *
 * @internal
 */
export class TtlLevelReducingState<T> extends AbstractLevelState implements ReducingState<T> {
  readonly kind: StateKind = 'reducing';
  private readonly reduce: (a: T, b: T) => T;

  constructor(descriptor: ReducingStateDescriptor<T>, c: Cursor, m: StateMeta, ttl: TtlPolicy) {
    super(descriptor.name, c, m, ttl, descriptor.serializer as never);
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

  toCanonical(stored: unknown): unknown {
    return this.scalarToCanonical(stored);
  }
  fromCanonical(canonical: unknown, version: number): unknown {
    return this.scalarFromCanonical(canonical, version);
  }
  isLive(stored: unknown, now: number): boolean {
    return !this.ttl!.expired(stored as TtlEntry<unknown>, now);
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
