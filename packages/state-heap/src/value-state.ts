// Value state: one value per key and namespace. `undefined` means "no value": `value()` then returns the
// descriptor's default and `update(undefined)` clears.
import type { StateKind, ValueState, ValueStateDescriptor } from '@runnel/api/state';
import { AbstractKeyedState } from './abstract-keyed-state.js';
import type { StateCursor } from './state-cursor.js';
import { readStored, removeStored, writeStored, type StateTable } from './state-table.js';
import { TtlEntry, type TtlPair, type TtlPolicy } from '@runnel/api/state';
import type { TtlValue } from './ttl.js';

/**
 * Heap value state without TTL: the stored value is the user value.
 *
 * @internal
 */
export class HeapValueState<T> extends AbstractKeyedState implements ValueState<T> {
  readonly kind: StateKind = 'value';
  private readonly defaultValue: T | undefined;

  constructor(descriptor: ValueStateDescriptor<T>, cursor: StateCursor, table: StateTable) {
    super(descriptor.name, cursor, table, undefined, 0);
    this.defaultValue = descriptor.defaultValue;
  }

  // The untracked void-namespace read is written out here (rather than calling readStored) because this is the
  // single hottest state access of most jobs.
  value(): T | undefined {
    const c = this.cursor;
    const t = this.table;
    let s: unknown;
    if (c.isVoid && !t.tracked) {
      const m = t.voidMaps[c.kgIndex];
      s = m === undefined ? undefined : m.get(c.mapKey);
    } else {
      s = readStored(c, t);
    }
    return s === undefined ? this.defaultValue : (s as T);
  }

  update(value: T): void {
    if (value === undefined) removeStored(this.cursor, this.table);
    else writeStored(this.cursor, this.table, value);
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
    throw new Error(`value state '${this.name}' cannot merge namespaces (use list, reducing or aggregating state)`);
  }
  mergeStored(): unknown {
    this.checkMergeable();
    return undefined;
  }
}

/**
 * Heap value state with TTL: the stored value is a {@link TtlEntry}.
 *
 * @internal
 */
export class TtlHeapValueState<T> extends AbstractKeyedState implements ValueState<T> {
  readonly kind: StateKind = 'value';
  private readonly defaultValue: T | undefined;

  constructor(
    descriptor: ValueStateDescriptor<T>,
    cursor: StateCursor,
    table: StateTable,
    ttl: TtlPolicy,
    cleanupSize: number,
  ) {
    super(descriptor.name, cursor, table, ttl, cleanupSize);
    this.defaultValue = descriptor.defaultValue;
  }

  value(): T | undefined {
    const e = this.readTtl(this.access());
    return e === undefined ? this.defaultValue : (e.value as T);
  }

  update(value: T): void {
    const now = this.access();
    if (value === undefined) removeStored(this.cursor, this.table);
    else this.writeTtl(value, now);
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
    throw new Error(`value state '${this.name}' cannot merge namespaces (use list, reducing or aggregating state)`);
  }
  mergeStored(): unknown {
    this.checkMergeable();
    return undefined;
  }
}

/**
 * The canonical `[value, timestamp]` pair of a stored TTL entry.
 *
 * @internal
 */
export function toTtlPair(e: TtlValue<unknown>): TtlPair<unknown> {
  return [e.value, e.timestamp];
}

/**
 * Validates a snapshotted `[value, timestamp]` pair and makes it a stored TTL entry.
 *
 * @internal
 */
export function toTtlEntry(stateName: string, value: unknown): TtlEntry<unknown> {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[1] !== 'number') {
    throw new TypeError(`restoring TTL state '${stateName}': expected a [value, timestamp] pair, got ${String(value)}`);
  }
  return new TtlEntry(value[0], value[1] as number);
}
