// The `nexmark` connector as a SQL table source: the Nexmark benchmark's `datagen` table (nexmark-flink's DDL and
// options). It generates exactly the events of the DataStream `NexmarkSource` for the same options — the same
// generator, the same interleaved splits (split i of n takes event numbers i, i + n, ...), the same rate limit — and
// projects each into a row of the requested columns (`nexmark-row-projection.ts`), so SQL and DataStream benchmark
// runs see identical input. Positions are event numbers, checkpointed per split; rows are +I only and carry the
// event time as their timestamp.
import type { VersionedSerializer } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
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
import type { NexmarkConfig } from '../nexmark/config.js';
import { NexmarkGenerator } from '../nexmark/generator.js';
import { NexmarkSource, type NexmarkSourceOptions } from '../nexmark/nexmark-source.js';
import { SequenceSourceReader, type RangeEmitter } from '../sequence/sequence-reader.js';
import {
  sequenceEnumeratorStateSerializer,
  sequenceSplitSerializer,
  type SequenceEnumeratorState,
  type SequenceSplit,
} from '../sequence/sequence-split.js';
import { NexmarkRowProjection } from './nexmark-row-projection.js';

class NexmarkRowEmitter implements RangeEmitter<Row> {
  constructor(
    private readonly generator: NexmarkGenerator,
    private readonly projection: NexmarkRowProjection,
  ) {}

  emitRange(output: ReaderOutput<Row>, first: number, stride: number, count: number): void {
    const g = this.generator;
    const p = this.projection;
    for (let i = 0, n = first; i < count; i++, n += stride) {
      const event = g.generate(n);
      output.collect({ kind: RowKind.INSERT, fields: p.project(event) }, g.lastTimestamp);
    }
  }
}

/**
 * The runtime source of a nexmark table scan.
 *
 * @public
 */
export class NexmarkRowSource implements Source<Row, SequenceSplit, SequenceEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly splitSerializer: VersionedSerializer<SequenceSplit> = sequenceSplitSerializer('runnel.nexmark.table-split');
  readonly enumeratorStateSerializer: VersionedSerializer<SequenceEnumeratorState> =
    sequenceEnumeratorStateSerializer('runnel.nexmark.table-enumerator-state');
  /** The DataStream source these rows are projected from: its splits and enumerator are used as they are. */
  private readonly events: NexmarkSource;

  /** @internal */
  constructor(
    config: NexmarkConfig,
    private readonly options: NexmarkSourceOptions,
    private readonly projection: NexmarkRowProjection,
  ) {
    this.events = new NexmarkSource(config, options);
    this.boundedness = this.events.boundedness;
  }

  /** The generator configuration. */
  get config(): NexmarkConfig {
    return this.events.config;
  }

  /** The initial splits for `parallelism` subtasks (those of the DataStream source). */
  createSplits(parallelism: number): SequenceSplit[] {
    return this.events.createSplits(parallelism);
  }

  createEnumerator(context: SplitEnumeratorContext<SequenceSplit>): SplitEnumerator<SequenceSplit, SequenceEnumeratorState> {
    return this.events.createEnumerator(context);
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<SequenceSplit>,
    state: SequenceEnumeratorState,
  ): SplitEnumerator<SequenceSplit, SequenceEnumeratorState> {
    return this.events.restoreEnumerator(context, state);
  }

  createReader(context: SourceReaderContext): SourceReader<Row, SequenceSplit> {
    const rate = this.options.rateLimit ?? 0;
    return new SequenceSourceReader(new NexmarkRowEmitter(new NexmarkGenerator(this.events.config), this.projection), {
      batchSize: this.options.batchSize,
      ratePerSecond: rate > 0 ? rate / context.parallelism : 0,
      clock: this.options.clock,
      scheduler: this.options.scheduler,
    });
  }
}

/**
 * The `nexmark` table source (created by the `nexmark` connector factory's `createTableSource`).
 *
 * @public
 */
export class NexmarkTableSource implements TableSource {
  readonly changelogMode: ChangelogMode = INSERT_ONLY;
  readonly bounded: boolean;
  /** The projection builds only the columns and ROW fields asked for (nexmark-row-projection.ts). */
  readonly projectionPushDown = 'nested';

  /** @internal */
  constructor(
    private readonly tableName: string,
    readonly config: NexmarkConfig,
    private readonly options: NexmarkSourceOptions = {},
  ) {
    this.bounded = config.eventsNum > 0;
  }

  createSource(request: ScanRequest): NexmarkRowSource {
    const where = `nexmark table '${this.tableName}'`;
    if (request.metadataKeys.length > 0) {
      throw new ConfigurationError(`${where}: the nexmark connector has no metadata (asked for ${request.metadataKeys.join(', ')})`);
    }
    return new NexmarkRowSource(this.config, this.options, new NexmarkRowProjection(where, request.physicalType));
  }

  summary(): string {
    const c = this.config;
    const events = c.eventsNum > 0 ? `, events.num=${c.eventsNum}` : '';
    return `Nexmark(first-event.rate=${c.firstEventRate}${events}, proportions=${c.personProportion}/${c.auctionProportion}/${c.bidProportion})`;
  }
}
