// Transformations are what the DataStream API records: a DAG of logical operations (sources, operators, sinks)
// plus virtual ones (partitioning, unions, side-output selection) that become edge properties of the StreamGraph.
// The DAG is built by user code; in worker-thread mode every thread runs that code again, so building must be
// deterministic (ids are assigned in creation order).
import type { StreamOperatorFactory } from '../operators/stream-operator.js';
import type { KeySelector } from '../api/functions.js';
import type { RecordCodec } from '../api/record-codec.js';

/**
 * How records are distributed from a producer's subtasks to a consumer's subtasks.
 *
 * @public
 */
export type PartitionerKind = 'forward' | 'rebalance' | 'hash' | 'broadcast' | 'global';

/** @internal */
export interface PartitionSpec {
  readonly kind: PartitionerKind;
  readonly keySelector?: KeySelector<any, unknown>;
}

/** @internal */
export type ChainingStrategy = 'always' | 'head' | 'never';

/** @internal */
export type TransformationKind = 'source' | 'one-input' | 'two-input' | 'sink' | 'partition' | 'union' | 'side-output';

/**
 * A node of the logical DAG.
 *
 * @internal
 */
export class Transformation {
  uid: string | undefined;
  parallelism: number | undefined;
  maxParallelism: number | undefined;
  chaining: ChainingStrategy = 'always';
  /** For sources: the Source, which the coordinator needs for its split enumerator. */
  source: import('@runnel/api').Source<unknown, any, any> | undefined;
  /** Key selectors of keyed operators, per input (index 0 and 1). */
  keySelectors: (KeySelector<any, unknown> | undefined)[] = [];
  /** How records of the main output cross the network; undefined: the generic value codec. */
  recordCodec: RecordCodec<unknown> | undefined;
  constructor(
    readonly id: number,
    public name: string,
    readonly kind: TransformationKind,
    readonly inputs: readonly Transformation[],
    readonly operatorFactory: StreamOperatorFactory | undefined,
    /** For `partition`: the partitioner. */
    readonly partition?: PartitionSpec,
    /** For `side-output`: the tag id. */
    readonly sideOutputTag?: string,
    /** For two-input operators: which input of the operator each element of `inputs` feeds. */
    readonly inputIndexes?: readonly number[],
  ) {}

  get isVirtual(): boolean {
    return this.kind === 'partition' || this.kind === 'union' || this.kind === 'side-output';
  }
}
