// The state handles user functions read and write. Access is synchronous, scoped to the current key (and, for
// window operators, the current namespace) that the runtime sets before each record or timer. Synchronous access
// keeps the per-record path free of promises; backends that keep state off-heap make the keys of a batch
// resident first (see KeyedStateBackend.prefetch).

/** @public */
export interface ValueState<T> {
  value(): T | undefined;
  update(value: T): void;
  clear(): void;
}

/** @public */
export interface ListState<T> {
  /** The elements, in insertion order; an empty array when there are none. */
  get(): readonly T[];
  add(value: T): void;
  addAll(values: Iterable<T>): void;
  /** Replaces the whole list. */
  update(values: Iterable<T>): void;
  clear(): void;
}

/** @public */
export interface MapState<K, V> {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putAll(entries: Iterable<readonly [K, V]>): void;
  remove(key: K): void;
  contains(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  isEmpty(): boolean;
  clear(): void;
}

/** @public */
export interface ReducingState<T> {
  get(): T | undefined;
  add(value: T): void;
  clear(): void;
}

/** @public */
export interface AggregatingState<IN, OUT> {
  get(): OUT | undefined;
  add(value: IN): void;
  clear(): void;
}
