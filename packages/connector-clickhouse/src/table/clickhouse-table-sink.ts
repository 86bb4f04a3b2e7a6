// The `clickhouse` connector as a SQL table sink: the table's physical columns are written to the ClickHouse
// columns of the same names; SQL values are converted exactly (sql-value.ts) and checked against the real column
// types. The changelog it accepts follows `sink.update-strategy`: inserts only for `append` (the planner refuses a
// query with updates), everything for `replacing` (-U dropped), and retractions with before-images for the
// collapsing strategies (a query that produces upserts without -U cannot cancel rows: refused with a hint).
// `replacing` with a `sink.parallelism` other than the query's needs the planner's keyed shuffle by the primary key
// (`table.exec.sink.keyed-shuffle`, AUTO by default): the rows of one key must reach one subtask for its versions to
// order them, so that option set to NONE is refused (see `refuseUnkeyedReplacing`).
import { ConfigurationError, type ParsedOptions } from '@runnel/api/config';
import type { Sink } from '@runnel/api/connector';
import {
  ALL_KINDS,
  INSERT_ONLY,
  RowKind,
  formatChangelogMode,
  isInsertOnly,
  physicalRowType,
  type ChangelogMode,
  type Row,
  type SinkRequest,
  type TableFactoryContext,
  type TableSink,
} from '@runnel/api/table';
import type { ClickHouseNodeFactory } from '../client/clickhouse-node.js';
import { ClickHouseOptions, parseClickHouseOptions } from '../clickhouse-options.js';
import { ClickHouseSink } from '../sink/clickhouse-sink.js';
import { clickhouseSinkSettings, type ClickHouseSinkOptions, type UpdateStrategy } from '../sink/clickhouse-sink-options.js';
import { sqlValueConverter } from '../types/sql-value.js';

/**
 * The `clickhouse` table sink.
 *
 * @public
 */
export class ClickHouseTableSink implements TableSink {
  /** `sink.parallelism`, when given (the planner reads the option itself). */
  readonly parallelism: number | undefined;
  private readonly options: ParsedOptions;
  private readonly strategy: UpdateStrategy;
  private readonly where: string;

  /** Validates the table's options. */
  constructor(
    private readonly context: TableFactoryContext,
    private readonly nodeFactory?: ClickHouseNodeFactory,
  ) {
    this.options = parseClickHouseOptions(context.tableName, context.options);
    this.strategy = this.options.get(ClickHouseOptions.updateStrategy) as UpdateStrategy;
    this.parallelism = this.options.getOptional(ClickHouseOptions.parallelism);
    this.where = `clickhouse table '${context.tableName}'`;
    // Check the rest (urls, sharding key) now, before the job starts.
    clickhouseSinkSettings(this.sinkOptions(physicalRowType(context.schema).fields.map((f) => f.name), () => undefined));
  }

  changelogMode(requested: ChangelogMode): ChangelogMode {
    if (this.strategy === 'append') return INSERT_ONLY;
    if (this.strategy === 'replacing') return requested;
    return ALL_KINDS;
  }

  createSink(request: SinkRequest): Sink<Row, any, any> {
    const fields = request.consumedType.fields;
    if (request.metadataKeys.length > 0) throw new ConfigurationError(`${this.where}: the clickhouse sink writes no metadata (${request.metadataKeys.join(', ')})`);
    const kinds = request.changelogMode.kinds;
    if ((this.strategy === 'collapsing' || this.strategy === 'versioned-collapsing') && kinds.includes(RowKind.UPDATE_AFTER) && !kinds.includes(RowKind.UPDATE_BEFORE)) {
      throw new ConfigurationError(
        `${this.where}: '${this.strategy}' cancels the previous row of a key with its before-image (-U), and the query produces upserts ${formatChangelogMode(request.changelogMode)}; use 'sink.update-strategy' = 'replacing'`,
        'sink.update-strategy',
      );
    }
    // The key of the changes: the query's upsert key, else the table's primary key.
    const keyColumns = request.upsertKey?.map((i) => fields[i]!.name) ?? this.context.schema.primaryKey?.columns ?? [];
    if (this.strategy === 'replacing' && (!isInsertOnly(request.changelogMode) || keyColumns.length > 0)) this.refuseUnkeyedReplacing();
    const converters = fields.map((f) => sqlValueConverter(f.type));
    const value = (row: Row, i: number): unknown => {
      const v = row.fields[i];
      const c = converters[i];
      return c === undefined || v === null || v === undefined ? v : c(v);
    };
    return new ClickHouseSink<Row>({ ...this.sinkOptions(fields.map((f) => f.name), value), keyColumns });
  }

  /**
   * `replacing` keeps the row of the highest version per key, and the versions (checkpoint id and position with
   * exactly-once, the writer's clock with at-least-once) order the rows of one subtask only. When
   * `sink.parallelism` differs from the parallelism of the query (`parallelism.default`: SQL operators run with it),
   * the planner hash-partitions the rows by the primary key unless `table.exec.sink.keyed-shuffle` is NONE; then it
   * connects the sink round-robin: a retracting aggregation's -U (written as a delete unless its +U follows in the
   * same subtask) and +U land on different subtasks with equal or unrelated versions, and the older row or the delete
   * can win (a kill test read back no row at all this way). That combination is refused before the job starts.
   */
  private refuseUnkeyedReplacing(): void {
    const sink = this.parallelism;
    const configured = this.context.config['parallelism.default'];
    const input = configured === undefined ? 1 : Number(configured);
    // A malformed parallelism.default is the runtime's to report.
    const shuffle = (this.context.config['table.exec.sink.keyed-shuffle'] ?? 'AUTO').toUpperCase();
    if (sink === undefined || !Number.isInteger(input) || input < 1 || sink === input || shuffle !== 'NONE') return;
    throw new ConfigurationError(
      `${this.where}: 'sink.parallelism' = ${sink} differs from the query's parallelism ${input} (parallelism.default) and 'table.exec.sink.keyed-shuffle' = 'NONE', ` +
        `so the rows of one key would be spread over the sink's subtasks round-robin; 'sink.update-strategy' = 'replacing' needs every row of a key in one subtask ` +
        `(its versions order the rows of one subtask only: an older row or a delete could win). Set 'table.exec.sink.keyed-shuffle' to AUTO, or remove 'sink.parallelism' or set it to ${input}`,
      'sink.parallelism',
    );
  }

  private sinkOptions(columns: string[], value: (row: Row, i: number) => unknown): ClickHouseSinkOptions<Row> {
    const o = this.options;
    return {
      url: o.get(ClickHouseOptions.url)!,
      database: o.get(ClickHouseOptions.databaseName),
      table: o.get(ClickHouseOptions.tableName)!,
      username: o.get(ClickHouseOptions.username),
      password: o.get(ClickHouseOptions.password),
      rows: { columns, value, kind: (row) => row.kind },
      batchSize: o.get(ClickHouseOptions.batchSize),
      flushIntervalMs: o.get(ClickHouseOptions.flushInterval),
      maxInFlightBatches: o.get(ClickHouseOptions.maxInFlight),
      maxRetries: o.get(ClickHouseOptions.maxRetries),
      requestTimeoutMs: o.get(ClickHouseOptions.requestTimeout),
      updateStrategy: this.strategy,
      versionColumn: o.get(ClickHouseOptions.versionColumn),
      signColumn: o.get(ClickHouseOptions.signColumn),
      isDeletedColumn: o.get(ClickHouseOptions.isDeletedColumn),
      deliveryGuarantee: o.get(ClickHouseOptions.deliveryGuarantee) as 'at-least-once' | 'exactly-once',
      shardingKey: o.get(ClickHouseOptions.shardingKey),
      errorPolicy: o.get(ClickHouseOptions.errorPolicy) as 'fail' | 'skip',
      dedupTokenPrefix: o.getOptional(ClickHouseOptions.dedupTokenPrefix),
      nodeFactory: this.nodeFactory,
    };
  }

  summary(): string {
    const o = this.options;
    return `ClickHouse(url=${o.get(ClickHouseOptions.url)}, table=${o.get(ClickHouseOptions.databaseName)}.${o.get(ClickHouseOptions.tableName)}, strategy=${this.strategy}, delivery=${o.get(ClickHouseOptions.deliveryGuarantee)})`;
  }
}
