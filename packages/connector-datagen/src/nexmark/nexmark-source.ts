// The Nexmark source: n interleaved splits (n = parallelism at first start; split i generates event numbers
// i, i+n, i+2n, ...), so that every subtask's event time advances at the same pace and watermarks progress
// evenly. Bounded when `events.num` > 0. Positions are event numbers, and events are a pure function of their
// number, so a restored split resumes with exactly the events it had not emitted.
import type { VersionedSerializer } from '@runnel/api';
import type {
  Boundedness,
  Source,
  SourceReader,
  SourceReaderContext,
  SplitEnumerator,
  SplitEnumeratorContext,
} from '@runnel/api/connector';
import { NexmarkGenerator } from './generator.js';
import { resolveNexmarkConfig, type NexmarkConfig } from './config.js';
import type { NexmarkEvent } from './model.js';
import {
  sequenceEnumeratorStateSerializer,
  sequenceSplitSerializer,
  type SequenceEnumeratorState,
  type SequenceSplit,
} from '../sequence/sequence-split.js';
import { StaticSplitEnumerator } from '../sequence/static-enumerator.js';
import { SequenceSourceReader, type Scheduler } from '../sequence/sequence-reader.js';
import type { Clock } from '../sequence/rate-limiter.js';

/**
 * A split of the Nexmark source.
 *
 * @public
 */
export type NexmarkSplit = SequenceSplit;

/**
 * State of the Nexmark enumerator (unassigned splits).
 *
 * @public
 */
export type NexmarkEnumeratorState = SequenceEnumeratorState;

/**
 * Options of a {@link NexmarkSource} beyond the generator configuration.
 *
 * @public
 */
export interface NexmarkSourceOptions {
  /** `rate-limit`: events per wall-clock second over all subtasks; 0 = as fast as possible (default). */
  readonly rateLimit?: number;
  /** Events per `pollNext` (default 1024). */
  readonly batchSize?: number;
  /** Test hooks for the rate limiter. */
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
}

/**
 * The Nexmark source.
 *
 * @public
 */
export class NexmarkSource implements Source<NexmarkEvent, NexmarkSplit, NexmarkEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly config: NexmarkConfig;
  readonly splitSerializer: VersionedSerializer<NexmarkSplit> = sequenceSplitSerializer('runnel.nexmark.split');
  readonly enumeratorStateSerializer: VersionedSerializer<NexmarkEnumeratorState> =
    sequenceEnumeratorStateSerializer('runnel.nexmark.enumerator-state');

  constructor(
    config: Partial<NexmarkConfig> = {},
    private readonly options: NexmarkSourceOptions = {},
  ) {
    this.config = resolveNexmarkConfig(config);
    this.boundedness = this.config.eventsNum > 0 ? 'bounded' : 'continuous-unbounded';
    if (options.rateLimit !== undefined && !(options.rateLimit >= 0)) {
      throw new Error(`nexmark: rate-limit must be >= 0, got ${options.rateLimit}`);
    }
  }

  /** The initial splits for `parallelism` subtasks. */
  createSplits(parallelism: number): NexmarkSplit[] {
    const end = this.config.eventsNum > 0 ? this.config.eventsNum : null;
    return Array.from({ length: parallelism }, (_, i) => ({ splitId: `nexmark-${i}`, index: i, next: i, stride: parallelism, end }));
  }

  createEnumerator(context: SplitEnumeratorContext<NexmarkSplit>): SplitEnumerator<NexmarkSplit, NexmarkEnumeratorState> {
    return new StaticSplitEnumerator(context, this.createSplits(context.currentParallelism));
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<NexmarkSplit>,
    state: NexmarkEnumeratorState,
  ): SplitEnumerator<NexmarkSplit, NexmarkEnumeratorState> {
    return new StaticSplitEnumerator(context, state.pending);
  }

  createReader(context: SourceReaderContext): SourceReader<NexmarkEvent, NexmarkSplit> {
    const rate = this.options.rateLimit ?? 0;
    return new SequenceSourceReader(new NexmarkGenerator(this.config), {
      batchSize: this.options.batchSize,
      ratePerSecond: rate > 0 ? rate / context.parallelism : 0,
      clock: this.options.clock,
      scheduler: this.options.scheduler,
    });
  }
}
