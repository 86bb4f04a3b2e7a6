// The `datagen` connector as a SQL table source. Rows are numbered; row `r` is a pure function of (seed, r, the
// table's options): sequence columns are `start + r`, random columns draw from a counter-based stream per column,
// positioned at `r` (so a column's values do not change when the query reads fewer columns). The runtime source is
// the generator sources' split machinery: bounded tables split their rows into contiguous chunks per subtask, so
// sequences split across subtasks without overlap, unbounded ones interleave; a split's position is its next row
// number, checkpointed, so a restore continues without duplicates or gaps at any parallelism. Rows are +I only.
import type { VersionedSerializer } from '@runnel/api';
import { ConfigurationError, closestKey } from '@runnel/api/config';
import type {
  Boundedness,
  ReaderOutput,
  Source,
  SourceReader,
  SourceReaderContext,
  SplitEnumerator,
  SplitEnumeratorContext,
} from '@runnel/api/connector';
import { INSERT_ONLY, RowKind, type ChangelogMode, type Row, type ScanRequest, type TableSource } from '@runnel/api/table';
import { CounterRng, hashSeed, mix32 } from '../internal/counter-rng.js';
import type { Clock } from '../sequence/rate-limiter.js';
import { SequenceSourceReader, type RangeEmitter, type Scheduler } from '../sequence/sequence-reader.js';
import {
  rowNumberSplits,
  sequenceEnumeratorStateSerializer,
  sequenceSplitSerializer,
  type SequenceEnumeratorState,
  type SequenceSplit,
} from '../sequence/sequence-split.js';
import { StaticSplitEnumerator } from '../sequence/static-enumerator.js';
import type { DataGenColumnPlan, DataGenTablePlan } from './datagen-table-plan.js';
import { HexPool, type Now, type ValueGenerator } from './datagen-value-generators.js';

/**
 * Test hooks of the datagen table source: clocks and batch size.
 *
 * @public
 */
export interface DataGenTableSourceHooks {
  /** The wall clock of time columns (default `Date.now`). */
  readonly now?: () => number;
  /** The clock and timers of the rate limiter. */
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  /** Rows per `pollNext` (default 1024). */
  readonly batchSize?: number;
}

/** A 32-bit seed per column, from the table's seed and the column's name. */
function columnSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return mix32(hashSeed(seed) ^ h);
}

/** Generates rows of the requested columns: one random stream per column, positioned at each row number. */
class DataGenRowEmitter implements RangeEmitter<Row> {
  private readonly generators: ValueGenerator[];
  private readonly rngs: CounterRng[];

  constructor(columns: readonly DataGenColumnPlan[], seed: number, longestString: number, now: Now) {
    const env = { now, pool: new HexPool(new CounterRng(seed), longestString) };
    this.generators = columns.map((c) => c.build(env));
    this.rngs = columns.map((c) => new CounterRng(columnSeed(seed, c.name)));
  }

  emitRange(output: ReaderOutput<Row>, first: number, stride: number, count: number): void {
    const gens = this.generators;
    const rngs = this.rngs;
    const k = gens.length;
    for (let i = 0, r = first; i < count; i++, r += stride) {
      const fields = new Array<unknown>(k);
      for (let f = 0; f < k; f++) {
        const rng = rngs[f]!;
        rng.reset(r);
        fields[f] = gens[f]!.next(rng, r);
      }
      output.collect({ kind: RowKind.INSERT, fields });
    }
  }
}

/**
 * The runtime source of a datagen table scan: rows of the requested columns, in their order.
 *
 * @public
 */
export class DataGenRowSource implements Source<Row, SequenceSplit, SequenceEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly splitSerializer: VersionedSerializer<SequenceSplit> = sequenceSplitSerializer('runnel.datagen.table-split');
  readonly enumeratorStateSerializer: VersionedSerializer<SequenceEnumeratorState> =
    sequenceEnumeratorStateSerializer('runnel.datagen.table-enumerator-state');

  /** @internal */
  constructor(
    private readonly plan: DataGenTablePlan,
    private readonly columns: readonly DataGenColumnPlan[],
    private readonly hooks: DataGenTableSourceHooks,
  ) {
    this.boundedness = Number.isFinite(plan.totalRows) ? 'bounded' : 'continuous-unbounded';
  }

  /** The initial splits for `parallelism` subtasks. */
  createSplits(parallelism: number): SequenceSplit[] {
    return rowNumberSplits('datagen', this.plan.totalRows, parallelism);
  }

  createEnumerator(context: SplitEnumeratorContext<SequenceSplit>): SplitEnumerator<SequenceSplit, SequenceEnumeratorState> {
    return new StaticSplitEnumerator(context, this.createSplits(context.currentParallelism));
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<SequenceSplit>,
    state: SequenceEnumeratorState,
  ): SplitEnumerator<SequenceSplit, SequenceEnumeratorState> {
    return new StaticSplitEnumerator(context, state.pending);
  }

  createReader(context: SourceReaderContext): SourceReader<Row, SequenceSplit> {
    const { plan, hooks } = this;
    const emitter = new DataGenRowEmitter(this.columns, plan.seed, plan.longestString, hooks.now ?? Date.now);
    return new SequenceSourceReader(emitter, {
      batchSize: hooks.batchSize,
      ratePerSecond: plan.rowsPerSecond > 0 ? plan.rowsPerSecond / context.parallelism : 0,
      clock: hooks.clock,
      scheduler: hooks.scheduler,
    });
  }
}

/**
 * The `datagen` table source (created by the `datagen` connector factory's `createTableSource`).
 *
 * @public
 */
export class DataGenTableSource implements TableSource {
  readonly changelogMode: ChangelogMode = INSERT_ONLY;
  readonly bounded: boolean;

  /** @internal */
  constructor(
    private readonly plan: DataGenTablePlan,
    private readonly hooks: DataGenTableSourceHooks = {},
  ) {
    this.bounded = Number.isFinite(plan.totalRows);
  }

  /** Rows to generate over all subtasks (Infinity when unbounded). */
  get totalRows(): number {
    return this.plan.totalRows;
  }

  createSource(request: ScanRequest): DataGenRowSource {
    const { where, columns } = this.plan;
    if (request.metadataKeys.length > 0) {
      throw new ConfigurationError(`${where}: the datagen connector has no metadata (asked for ${request.metadataKeys.join(', ')})`);
    }
    const requested = request.physicalType.fields.map((f) => {
      const c = columns.get(f.name);
      if (c === undefined) {
        const near = closestKey(f.name, columns.keys());
        throw new ConfigurationError(`${where}: no physical column '${f.name}'${near === undefined ? '' : ` (did you mean '${near}'?)`}`);
      }
      return c;
    });
    return new DataGenRowSource(this.plan, requested, this.hooks);
  }

  summary(): string {
    const rows = Number.isFinite(this.plan.totalRows) ? `, number-of-rows=${this.plan.totalRows}` : '';
    return `DataGen(rows-per-second=${this.plan.rowsPerSecond}${rows})`;
  }
}
