// Flink's `datagen` source: rows of random or sequence fields at `rows-per-second` (over all subtasks), bounded
// by `number-of-rows` and by the shortest sequence. Bounded sources split their row numbers into contiguous
// chunks, one per subtask, so each subtask emits an even, contiguous part of every sequence (as Flink does);
// unbounded ones interleave row numbers.
import type { VersionedSerializer } from '@runnel/api';
import type {
  Boundedness,
  ReaderOutput,
  Source,
  SourceReader,
  SourceReaderContext,
  SplitEnumerator,
  SplitEnumeratorContext,
} from '@runnel/api/connector';
import { DataGenRowGenerator, type DataGenFieldSpec, type DataGenRow } from './datagen-fields.js';
import {
  rowNumberSplits,
  sequenceEnumeratorStateSerializer,
  sequenceSplitSerializer,
  type SequenceEnumeratorState,
  type SequenceSplit,
} from '../sequence/sequence-split.js';
import { StaticSplitEnumerator } from '../sequence/static-enumerator.js';
import { SequenceSourceReader, type RangeEmitter, type Scheduler } from '../sequence/sequence-reader.js';
import type { Clock } from '../sequence/rate-limiter.js';

/**
 * Configuration of a {@link DataGenSource}.
 *
 * @public
 */
export interface DataGenSourceConfig {
  /** Fields in row order. */
  readonly fields: Readonly<Record<string, DataGenFieldSpec>>;
  /** `rows-per-second` over all subtasks (default 10000); 0 = unlimited. */
  readonly rowsPerSecond?: number;
  /** `number-of-rows`; absent = unbounded (unless a sequence bounds it). */
  readonly numberOfRows?: number;
  /** `seed` of random values (default 0). */
  readonly seed?: number;
  /** Rows per `pollNext` (default 1024). */
  readonly batchSize?: number;
  /** Test hooks. */
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  /** Wall clock for random timestamps without bounds (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * A split of the datagen source.
 *
 * @public
 */
export type DataGenSplit = SequenceSplit;

/**
 * State of the datagen enumerator.
 *
 * @public
 */
export type DataGenEnumeratorState = SequenceEnumeratorState;

class DataGenEmitter implements RangeEmitter<DataGenRow> {
  constructor(private readonly rows: DataGenRowGenerator) {}

  emitRange(output: ReaderOutput<DataGenRow>, first: number, stride: number, count: number): void {
    const rows = this.rows;
    for (let i = 0, r = first; i < count; i++, r += stride) output.collect(rows.generate(r));
  }
}

/**
 * The `datagen` source.
 *
 * @public
 */
export class DataGenSource implements Source<DataGenRow, DataGenSplit, DataGenEnumeratorState> {
  readonly boundedness: Boundedness;
  /** Total rows, or Infinity when unbounded. */
  readonly totalRows: number;
  readonly splitSerializer: VersionedSerializer<DataGenSplit> = sequenceSplitSerializer('runnel.datagen.split');
  readonly enumeratorStateSerializer: VersionedSerializer<DataGenEnumeratorState> =
    sequenceEnumeratorStateSerializer('runnel.datagen.enumerator-state');
  private readonly seed: number;
  private readonly rowsPerSecond: number;

  constructor(private readonly config: DataGenSourceConfig) {
    this.seed = config.seed ?? 0;
    // Validates the fields eagerly, so configuration errors surface when the job is built.
    const probe = new DataGenRowGenerator(config.fields, this.seed, config.now);
    const n = config.numberOfRows;
    if (n !== undefined && (!Number.isSafeInteger(n) || n < 0)) {
      throw new Error(`datagen: number-of-rows must be a non-negative integer, got ${n}`);
    }
    this.totalRows = Math.min(n ?? Number.POSITIVE_INFINITY, probe.sequenceRows);
    this.boundedness = Number.isFinite(this.totalRows) ? 'bounded' : 'continuous-unbounded';
    this.rowsPerSecond = config.rowsPerSecond ?? 10_000;
    if (!(this.rowsPerSecond >= 0)) throw new Error(`datagen: rows-per-second must be >= 0, got ${this.rowsPerSecond}`);
  }

  /** The initial splits for `parallelism` subtasks. */
  createSplits(parallelism: number): DataGenSplit[] {
    return rowNumberSplits('datagen', this.totalRows, parallelism);
  }

  createEnumerator(context: SplitEnumeratorContext<DataGenSplit>): SplitEnumerator<DataGenSplit, DataGenEnumeratorState> {
    return new StaticSplitEnumerator(context, this.createSplits(context.currentParallelism));
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<DataGenSplit>,
    state: DataGenEnumeratorState,
  ): SplitEnumerator<DataGenSplit, DataGenEnumeratorState> {
    return new StaticSplitEnumerator(context, state.pending);
  }

  createReader(context: SourceReaderContext): SourceReader<DataGenRow, DataGenSplit> {
    const rows = new DataGenRowGenerator(this.config.fields, this.seed, this.config.now);
    return new SequenceSourceReader(new DataGenEmitter(rows), {
      batchSize: this.config.batchSize,
      ratePerSecond: this.rowsPerSecond > 0 ? this.rowsPerSecond / context.parallelism : 0,
      clock: this.config.clock,
      scheduler: this.config.scheduler,
    });
  }
}
