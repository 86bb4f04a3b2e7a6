// Operator (non-keyed) state of one operator subtask: named lists, as Flink's operator list state. How a list is
// redistributed on rescale is part of its registration: `split` lists are divided among the new subtasks,
// `union` lists are given whole to every subtask. The checkpoint layer reads and restores the lists through the
// internal `forEachState` / `restoreState`.
import type { ListState, ListStateDescriptor, OperatorStateContext, OperatorStateEntries, OperatorStateStore } from '@runnel/api/state';
import { copyPlain } from './snapshot-copy.js';

/**
 * How an operator list state is redistributed on restore.
 *
 * @public
 */
export type OperatorStateDistribution = 'split' | 'union';

/** A plain list; `get()` returns the stored array (do not mutate it). */
class OperatorListState<T> implements ListState<T> {
  values: T[] = [];

  constructor(
    readonly name: string,
    readonly distribution: OperatorStateDistribution,
    readonly descriptor: ListStateDescriptor<T> | undefined,
  ) {}

  get(): readonly T[] {
    return this.values;
  }
  add(value: T): void {
    this.values.push(value);
  }
  addAll(values: Iterable<T>): void {
    for (const v of values) this.values.push(v);
  }
  update(values: Iterable<T>): void {
    this.values = Array.from(values);
  }
  clear(): void {
    this.values = [];
  }
}

/**
 * Operator list state of one operator subtask, held in JS memory.
 *
 * @public
 */
export class HeapOperatorStateStore implements OperatorStateStore {
  private readonly states = new Map<string, OperatorListState<unknown>>();
  private disposed = false;

  constructor(readonly context?: OperatorStateContext) {}

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.register(descriptor, 'split');
  }

  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.register(descriptor, 'union');
  }

  stateNames(): readonly string[] {
    return Array.from(this.states.keys());
  }

  /**
   * Visits every registered or restored list with its distribution mode. `values` is the live array: do not
   * mutate it or keep it past the callback.
   *
   * @internal
   */
  forEachState(
    visitor: (name: string, distribution: OperatorStateDistribution, values: readonly unknown[]) => void,
  ): void {
    this.checkOpen();
    for (const s of this.states.values()) visitor(s.name, s.distribution, s.values);
  }

  /**
   * Restores (appends to) a list before or after its registration; the later registration must use the same
   * distribution mode.
   *
   * @internal
   */
  restoreState(name: string, distribution: OperatorStateDistribution, values: Iterable<unknown>): void {
    this.checkOpen();
    let s = this.states.get(name);
    if (s === undefined) this.states.set(name, (s = new OperatorListState(name, distribution, undefined)));
    else if (s.distribution !== distribution) throw mismatch(name, s.distribution, distribution);
    s.addAll(values);
  }

  /** The current lists, copied (operators keep mutating theirs after the barrier). */
  snapshot(): OperatorStateEntries[] {
    const out: OperatorStateEntries[] = [];
    this.forEachState((name, mode, values) => out.push({ name, mode, elements: values.map(copyPlain) }));
    return out;
  }

  /** Restores lists already redistributed for this subtask. */
  restore(states: readonly OperatorStateEntries[]): void {
    for (const st of states) this.restoreState(st.name, st.mode, st.elements);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.states.clear();
  }

  private register<T>(descriptor: ListStateDescriptor<T>, distribution: OperatorStateDistribution): ListState<T> {
    this.checkOpen();
    const name = descriptor.name;
    if (typeof name !== 'string' || name === '') throw new TypeError('a state descriptor needs a non-empty name');
    if (descriptor.kind !== undefined && descriptor.kind !== 'list') {
      throw new TypeError(`operator state '${name}' must be list state, got a ${descriptor.kind} descriptor`);
    }
    const existing = this.states.get(name);
    if (existing !== undefined) {
      if (existing.distribution !== distribution) throw mismatch(name, existing.distribution, distribution);
      return existing as OperatorListState<T>;
    }
    const s = new OperatorListState<T>(name, distribution, descriptor);
    this.states.set(name, s as OperatorListState<unknown>);
    return s;
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error('operator state store is disposed');
  }
}

function mismatch(name: string, had: OperatorStateDistribution, wanted: OperatorStateDistribution): Error {
  const label = (d: OperatorStateDistribution): string => (d === 'union' ? 'union list state' : 'list state');
  return new Error(`operator state '${name}' is registered as ${label(had)} and cannot be used as ${label(wanted)}`);
}
