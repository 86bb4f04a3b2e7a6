// Aggregating state: per key and namespace an accumulator of the descriptor's AggregateFunction; `add` folds an
// input in, `get` returns the function's result. Namespaces merge with `merge`, which the function must have.
import type { AggregateFunction, AggregatingState, AggregatingStateDescriptor, StateKind } from '@runnel/api/state';
import { AbstractLevelState } from './abstract-level-state.js';
import { readCell, writeCell, type Cursor } from './key-slot.js';
import type { StateMeta } from './state-meta.js';
import { TtlEntry, type TtlPolicy } from '@runnel/api/state';

function checkMerge(name: string, fn: AggregateFunction<unknown, unknown, unknown>): void {
  if (typeof fn.merge !== 'function') {
    throw new Error(`aggregating state '${name}' cannot merge namespaces: its AggregateFunction has no merge()`);
  }
}

/**
 * Aggregating state without TTL: the stored value is the accumulator.
 *
 * @internal
 */
export class LevelAggregatingState<IN, ACC, OUT> extends AbstractLevelState implements AggregatingState<IN, OUT> {
  readonly kind: StateKind = 'aggregating';
  private readonly fn: AggregateFunction<IN, ACC, OUT>;

  constructor(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>, c: Cursor, m: StateMeta) {
    super(descriptor.name, c, m, undefined, descriptor.serializer as never);
    this.fn = descriptor.aggregate;
  }

  get(): OUT | undefined {
    const acc = readCell(this.c, this.m) as ACC | undefined;
    return acc === undefined ? undefined : this.fn.getResult(acc);
  }

  add(value: IN): void {
    const acc = readCell(this.c, this.m) as ACC | undefined;
    writeCell(this.c, this.m, this.fn.add(value, acc === undefined ? this.fn.createAccumulator() : acc));
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
  checkMergeable(): void {
    checkMerge(this.name, this.fn as AggregateFunction<unknown, unknown, unknown>);
  }
  mergeStored(target: unknown, source: unknown): unknown {
    return target === undefined ? source : this.fn.merge!(target as ACC, source as ACC);
  }
}

/**
 * Aggregating state with TTL: the stored value is a TtlEntry of the accumulator.
 *
 * @internal
 */
export class TtlLevelAggregatingState<IN, ACC, OUT>
  extends AbstractLevelState
  implements AggregatingState<IN, OUT>
{
  readonly kind: StateKind = 'aggregating';
  private readonly fn: AggregateFunction<IN, ACC, OUT>;

  constructor(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>, c: Cursor, m: StateMeta, ttl: TtlPolicy) {
    super(descriptor.name, c, m, ttl, descriptor.serializer as never);
    this.fn = descriptor.aggregate;
  }

  get(): OUT | undefined {
    const e = this.readTtl(this.access());
    return e === undefined ? undefined : this.fn.getResult(e.value as ACC);
  }

  add(value: IN): void {
    const now = this.access();
    const e = this.readTtl(now);
    const acc = e === undefined ? this.fn.createAccumulator() : (e.value as ACC);
    this.writeTtl(this.fn.add(value, acc), now);
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
  checkMergeable(): void {
    checkMerge(this.name, this.fn as AggregateFunction<unknown, unknown, unknown>);
  }
  mergeStored(target: unknown, source: unknown, now: number): unknown {
    const ttl = this.ttl!;
    const a = target as TtlEntry<ACC> | undefined;
    const b = source as TtlEntry<ACC>;
    const useA = a !== undefined && ttl.usable(a, now);
    const useB = ttl.usable(b, now);
    if (useA && useB) return new TtlEntry(this.fn.merge!(a.value, b.value), now);
    if (useA) return new TtlEntry(a.value, now);
    if (useB) return new TtlEntry(b.value, now);
    return undefined;
  }
}
