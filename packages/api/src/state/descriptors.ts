// State descriptors name a piece of state, its kind, its serializers and its TTL. The name plus the operator uid
// identify the state in checkpoints and savepoints, so names must be stable across versions of a job.
import type { VersionedSerializer } from '../serialization/versioned-serializer.js';

/**
 * Time-to-live of state entries (processing time), as in Flink's StateTtlConfig.
 *
 * @public
 */
export interface StateTtlConfig {
  /** Milliseconds an entry lives after its last timestamp update. */
  readonly ttlMs: number;
  /** Which accesses refresh the timestamp. Default `on-create-and-write`. */
  readonly updateType?: 'on-create-and-write' | 'on-read-and-write';
  /** Whether an expired entry that was not cleaned up yet may still be returned. Default `never-return-expired`. */
  readonly visibility?: 'never-return-expired' | 'return-expired-if-not-cleaned-up';
}

/** @public */
export type StateKind = 'value' | 'list' | 'map' | 'reducing' | 'aggregating';

interface DescriptorBase {
  readonly kind: StateKind;
  /** Stable name, unique within the operator. */
  readonly name: string;
  readonly ttl?: StateTtlConfig;
}

/** @public */
export interface ValueStateDescriptor<T> extends DescriptorBase {
  readonly kind: 'value';
  readonly serializer?: VersionedSerializer<T>;
  readonly defaultValue?: T;
}

/** @public */
export interface ListStateDescriptor<T> extends DescriptorBase {
  readonly kind: 'list';
  readonly serializer?: VersionedSerializer<T>;
}

/** @public */
export interface MapStateDescriptor<K, V> extends DescriptorBase {
  readonly kind: 'map';
  readonly keySerializer?: VersionedSerializer<K>;
  readonly valueSerializer?: VersionedSerializer<V>;
}

/** @public */
export interface ReducingStateDescriptor<T> extends DescriptorBase {
  readonly kind: 'reducing';
  readonly reduce: (a: T, b: T) => T;
  readonly serializer?: VersionedSerializer<T>;
}

/**
 * Aggregate function contract, shared by aggregating state and window aggregations.
 *
 * @public
 */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  /** Required by merging (session) windows. */
  merge?(a: ACC, b: ACC): ACC;
}

/** @public */
export interface AggregatingStateDescriptor<IN, ACC, OUT> extends DescriptorBase {
  readonly kind: 'aggregating';
  readonly aggregate: AggregateFunction<IN, ACC, OUT>;
  readonly serializer?: VersionedSerializer<ACC>;
}

/** @public */
export type StateDescriptor =
  | ValueStateDescriptor<any>
  | ListStateDescriptor<any>
  | MapStateDescriptor<any, any>
  | ReducingStateDescriptor<any>
  | AggregatingStateDescriptor<any, any, any>;
