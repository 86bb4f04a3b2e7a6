// Table sources and sinks (Flink's `DynamicTableSource` / `DynamicTableSink`): what a connector factory creates for
// a `CREATE TABLE ... WITH ('connector' = ...)`. The factory receives the resolved schema and options; the source
// declares the changelog it produces and the sink the changelog it accepts, so the planner can check a query
// against its sink before the job starts. Formats are obtained through the context, which applies the table's
// error policy, so connectors depend on `@runnel/api` alone.
import type { Sink } from '../connector/sink.js';
import type { Source } from '../connector/source.js';
import type { ChangelogMode } from './changelog-mode.js';
import type { LogicalType, RowType } from './logical-type.js';
import type { Row } from './row.js';
import type { ResolvedSchema } from './schema.js';

/**
 * A message a format could not decode, routed to the table's dead-letter output (`<format>.error-policy` =
 * `dead-letter`) instead of failing the job. Sources collect it like a row; the planner splits it off right after
 * the source.
 *
 * @public
 */
export class DeadLetter {
  constructor(
    /** Where the message came from: `file:line`, `topic/partition@offset`. */
    readonly position: string,
    /** Why it could not be decoded. */
    readonly error: string,
    /** The message as read. */
    readonly raw: Uint8Array | string,
  ) {}
}

/**
 * A decoder with the table's error policy applied: malformed messages fail the job with their position (`fail`),
 * are counted and dropped (`skip`), or are emitted as {@link DeadLetter}s (`dead-letter`).
 *
 * @public
 */
export interface TableDecoder {
  readonly changelogMode: ChangelogMode;
  /**
   * Decodes one message. `source` and `offset` say where it came from (a file and line, a topic-partition and
   * offset); they are formatted only when the message is bad.
   */
  decode(message: Uint8Array | string, emit: (row: Row | DeadLetter) => void, source: string, offset: number | bigint): void;
}

/**
 * Encodes rows for a sink.
 *
 * @public
 */
export interface TableEncoder {
  /** The row kinds the format can write (its `RowEncoder.changelogMode`); absent means insert-only. */
  readonly changelogMode?: ChangelogMode;
  encode(row: Row): Uint8Array | string;
}

/**
 * What a table factory receives.
 *
 * @public
 */
export interface TableFactoryContext {
  /** The table's name as the user wrote it (for messages). */
  readonly tableName: string;
  readonly schema: ResolvedSchema;
  /** All options of the table (`WITH (...)`), including `connector` and the format's. */
  readonly options: Readonly<Record<string, string>>;
  /** The session configuration (`table.local-time-zone`, `table.exec.source.idle-timeout`, ...). */
  readonly config: Readonly<Record<string, string>>;
  /**
   * The decoder of the format named by option `formatKey` (default `format`; `key.format`, `value.format`), for
   * the given row type, with the table's error policy applied. With `metadataKeys` (keys of
   * {@link TableFactoryContext.formatMetadata}), its rows carry that metadata after the fields of `rowType`.
   */
  decoder(rowType: RowType, formatKey?: string, metadataKeys?: readonly string[]): TableDecoder;
  /**
   * Optional capability: the metadata the format named by `formatKey` can read (its factory's `readableMetadata`;
   * empty when it has none).
   */
  formatMetadata?(formatKey?: string): Readonly<Record<string, LogicalType>>;
  /** The encoder of the format named by option `formatKey` (default `format`). */
  encoder(rowType: RowType, formatKey?: string): TableEncoder;
}

/**
 * What the planner asks a table source to read.
 *
 * @public
 */
export interface ScanRequest {
  /**
   * The physical columns to produce, in this order. Every physical column of the schema, as declared, unless the
   * source declares {@link TableSource.projectionPushDown}: then only the columns the query reads (in schema order;
   * at least one) and, for `'nested'`, ROW columns with only the fields the query reads (in declared order; possibly
   * none).
   */
  readonly physicalType: RowType;
  /** The metadata keys to append after the physical fields, in this order. */
  readonly metadataKeys: readonly string[];
}

/**
 * A table source.
 *
 * @public
 */
export interface TableSource {
  /** The row kinds the source produces. */
  readonly changelogMode: ChangelogMode;
  /** The metadata the source can produce, by key. */
  readonly readableMetadata?: Readonly<Record<string, LogicalType>>;
  /** Whether the source ends (a bounded scan). */
  readonly bounded: boolean;
  /**
   * Which projections {@link TableSource.createSource} takes in {@link ScanRequest.physicalType} (Flink's
   * `SupportsProjectionPushDown`): `'columns'`, a subset of the physical columns; `'nested'`, also ROW columns
   * pruned to the fields read. Absent: the planner always asks for every physical column as declared. A source
   * that builds its rows field by field (a generator, a columnar or JSON decoder) then builds only what is read.
   *
   * @beta
   */
  readonly projectionPushDown?: 'columns' | 'nested';
  /** Creates the runtime source; its rows have the physical fields, then the metadata, as requested. */
  createSource(request: ScanRequest): Source<Row | DeadLetter, any, any>;
  /** A one-line description for EXPLAIN (no secrets). */
  summary(): string;
}

/**
 * What the planner asks a table sink to write.
 *
 * @public
 */
export interface SinkRequest {
  /** The rows the sink receives: the physical columns, then the writable metadata, as requested. */
  readonly consumedType: RowType;
  readonly metadataKeys: readonly string[];
  /** The changelog the query produces, as accepted by {@link TableSink.changelogMode}. */
  readonly changelogMode: ChangelogMode;
  /** Field indexes of the key that updates and deletes refer to (the primary key), when the query has updates. */
  readonly upsertKey?: readonly number[];
}

/**
 * A table sink.
 *
 * @public
 */
export interface TableSink {
  /**
   * The changelog the sink accepts given what the query produces; the planner refuses the query when a kind it
   * produces is missing. Return the requested mode to accept everything.
   */
  changelogMode(requested: ChangelogMode): ChangelogMode;
  /** The metadata the sink can write, by key. */
  readonly writableMetadata?: Readonly<Record<string, LogicalType>>;
  createSink(request: SinkRequest): Sink<Row, any, any>;
  /** A one-line description for EXPLAIN (no secrets). */
  summary(): string;
}
