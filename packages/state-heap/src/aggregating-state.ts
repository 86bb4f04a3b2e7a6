// Aggregating state: per key and namespace an accumulator of the descriptor's AggregateFunction; `add` folds an
// input in, `get` returns the function's result. Namespaces merge with `merge`, which the function must have.
import type {
  AggregateFunction,
  AggregatingState,
  AggregatingStateDescriptor,
  StateKind,
} from '@runnel/api/state';
import { AbstractKeyedState } from './abstract-keyed-state.js';
import type { StateCursor } from './state-cursor.js';
import { readStored, removeStored, writeStored, type StateTable } from './state-table.js';
import { TtlEntry, type TtlPolicy } from '@runnel/api/state';
import type { TtlValue } from './ttl.js';
import { toTtlEntry, toTtlPair } from './value-state.js';

function checkMerge(name: string, fn: AggregateFunction<unknown, unknown, unknown>): void {
  if (typeof fn.merge !== 'function') {
    throw new Error(`aggregating state '${name}' cannot merge namespaces: its AggregateFunction has no merge()`);
  }
}

/**
 * Heap aggregating state without TTL: the stored value is the accumulator.
 *
 * @internal
 */
export class HeapAggregatingState<IN, ACC, OUT> extends AbstractKeyedState implements AggregatingState<IN, OUT> {
  readonly kind: StateKind = 'aggregating';
  private readonly fn: AggregateFunction<IN, ACC, OUT>;

  constructor(descriptor: AggregatingStateDescriptor<IN, ACC, OUT>, cursor: StateCursor, table: StateTable) {
    super(descriptor.name, cursor, table, undefined, 0);
    this.fn = descriptor.aggregate;
  }

  get(): OUT | undefined {
    const acc = readStored(this.cursor, this.table) as ACC | undefined;
    return acc === undefined ? undefined : this.fn.getResult(acc);
  }

  add(value: IN): void {
    const acc = readStored(this.cursor, this.table) as ACC | undefined;
    writeStored(this.cursor, this.table, this.fn.add(value, acc === undefined ? this.fn.createAccumulator() : acc));
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
  checkMergeable(): void {
    checkMerge(this.name, this.fn as AggregateFunction<unknown, unknown, unknown>);
  }
  mergeStored(target: unknown, source: unknown): unknown {
    return target === undefined ? source : this.fn.merge!(target as ACC, source as ACC);
  }
}

/**
 * Heap aggregating state with TTL: the stored value is a TtlEntry of the accumulator.
 *
 * @internal
 */
export class TtlHeapAggregatingState<IN, ACC, OUT>
  extends AbstractKeyedState
  implements AggregatingState<IN, OUT>
{
  readonly kind: StateKind = 'aggregating';
  private readonly fn: AggregateFunction<IN, ACC, OUT>;

  constructor(
    descriptor: AggregatingStateDescriptor<IN, ACC, OUT>,
    cursor: StateCursor,
    table: StateTable,
    ttl: TtlPolicy,
    cleanupSize: number,
  ) {
    super(descriptor.name, cursor, table, ttl, cleanupSize);
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
