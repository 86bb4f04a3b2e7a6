// Operator (non-keyed) state of the LevelDB backend. Operator state is small by nature (source offsets, buffered
// elements of a sink), so it lives in JS memory, as with Flink's RocksDB backend; `split` lists are divided among
// the new subtasks on rescale, `union` lists are given whole to every subtask.
import type {
  ListState,
  ListStateDescriptor,
  OperatorStateContext,
  OperatorStateEntries,
  OperatorStateStore,
} from '@runnel/api/state';

type Mode = OperatorStateEntries['mode'];

/** A plain list; `get()` returns the stored array (do not mutate it). */
class OperatorListState<T> implements ListState<T> {
  values: T[] = [];

  constructor(
    readonly name: string,
    readonly mode: Mode,
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
export class LevelOperatorStateStore implements OperatorStateStore {
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

  /** The current contents (copies of the lists), captured synchronously. */
  snapshot(): OperatorStateEntries[] {
    this.checkOpen();
    return Array.from(this.states.values(), (s) => ({ name: s.name, mode: s.mode, elements: s.values.slice() }));
  }

  /** Appends restored contents (already redistributed for this subtask), before or after registration. */
  restore(states: readonly OperatorStateEntries[]): void {
    this.checkOpen();
    for (const e of states) {
      let s = this.states.get(e.name);
      if (s === undefined) this.states.set(e.name, (s = new OperatorListState(e.name, e.mode)));
      else if (s.mode !== e.mode) throw mismatch(e.name, s.mode, e.mode);
      s.addAll(e.elements);
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.states.clear();
  }

  private register<T>(descriptor: ListStateDescriptor<T>, mode: Mode): ListState<T> {
    this.checkOpen();
    const name = descriptor.name;
    if (typeof name !== 'string' || name === '') throw new TypeError('a state descriptor needs a non-empty name');
    if (descriptor.kind !== undefined && descriptor.kind !== 'list') {
      throw new TypeError(`operator state '${name}' must be list state, got a ${descriptor.kind} descriptor`);
    }
    const existing = this.states.get(name);
    if (existing !== undefined) {
      if (existing.mode !== mode) throw mismatch(name, existing.mode, mode);
      return existing as OperatorListState<T>;
    }
    const s = new OperatorListState<T>(name, mode);
    this.states.set(name, s as OperatorListState<unknown>);
    return s;
  }

  private checkOpen(): void {
    if (this.disposed) throw new Error('operator state store is disposed');
  }
}

function mismatch(name: string, had: Mode, wanted: Mode): Error {
  const label = (d: Mode): string => (d === 'union' ? 'union list state' : 'list state');
  return new Error(`operator state '${name}' is registered as ${label(had)} and cannot be used as ${label(wanted)}`);
}
