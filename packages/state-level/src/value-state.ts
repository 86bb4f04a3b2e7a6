// Value state: one value per key and namespace. `undefined` means "no value": `value()` then returns the
// descriptor's default and `update(undefined)` clears (as the heap backend).
import type { StateKind, ValueState, ValueStateDescriptor } from '@runnel/api/state';
import { AbstractLevelState } from './abstract-level-state.js';
import { readCell, removeCell, writeCell, type Cursor } from './key-slot.js';
import type { StateMeta } from './state-meta.js';
import type { TtlEntry, TtlPolicy } from '@runnel/api/state';

function cannotMerge(name: string): Error {
  return new Error(`value state '${name}' cannot merge namespaces (use list, reducing or aggregating state)`);
}

/**
 * Value state without TTL: the stored value is the user value.
 *
 * @internal
 */
export class LevelValueState<T> extends AbstractLevelState implements ValueState<T> {
  readonly kind: StateKind = 'value';
  private readonly defaultValue: T | undefined;

  constructor(descriptor: ValueStateDescriptor<T>, c: Cursor, m: StateMeta) {
    super(descriptor.name, c, m, undefined, descriptor.serializer as never);
    this.defaultValue = descriptor.defaultValue;
  }

  value(): T | undefined {
    const s = readCell(this.c, this.m);
    return s === undefined ? this.defaultValue : (s as T);
  }

  update(value: T): void {
    if (value === undefined) removeCell(this.c, this.m);
    else writeCell(this.c, this.m, value);
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
    throw cannotMerge(this.name);
  }
  mergeStored(): unknown {
    throw cannotMerge(this.name);
  }
}

/**
 * Value state with TTL: the stored value is a {@link TtlEntry}.
 *
 * @internal
 */
export class TtlLevelValueState<T> extends AbstractLevelState implements ValueState<T> {
  readonly kind: StateKind = 'value';
  private readonly defaultValue: T | undefined;

  constructor(descriptor: ValueStateDescriptor<T>, c: Cursor, m: StateMeta, ttl: TtlPolicy) {
    super(descriptor.name, c, m, ttl, descriptor.serializer as never);
    this.defaultValue = descriptor.defaultValue;
  }

  value(): T | undefined {
    const e = this.readTtl(this.access());
    return e === undefined ? this.defaultValue : (e.value as T);
  }

  update(value: T): void {
    const now = this.access();
    if (value === undefined) removeCell(this.c, this.m);
    else this.writeTtl(value, now);
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
    throw cannotMerge(this.name);
  }
  mergeStored(): unknown {
    throw cannotMerge(this.name);
  }
}
