// The sink of a `jdbc` SQL table: with a PRIMARY KEY it takes the query's changelog without update-befores (the
// planner drops them: the key identifies the row, +U replaces it) and upserts and deletes by the key; without one
// it takes inserts only. Options: `sink.buffer-flush.*`, `sink.max-retries`, `sink.delivery-guarantee`,
// `sink.fence-table` (`sink.parallelism` is the planner's).
import { RowKind, type ChangelogMode, type Row, type Sink } from '@runnel/api';
import { INSERT_ONLY, type SinkRequest, type TableFactoryContext, type TableSink } from '@runnel/api/table';
import { JdbcOptions } from '../jdbc/jdbc-options.js';
import { MySqlSink } from '../sink/mysql-sink.js';
import { parseJdbcTableOptions, type JdbcTableOptions } from './jdbc-table-options.js';

/**
 * The sink of a `jdbc` table.
 *
 * @public
 */
export class JdbcTableSink implements TableSink {
  private readonly parsed: JdbcTableOptions;
  private readonly primaryKey: readonly string[];

  constructor(private readonly context: TableFactoryContext) {
    this.parsed = parseJdbcTableOptions(context.tableName, context.options);
    this.primaryKey = context.schema.primaryKey?.columns ?? [];
  }

  changelogMode(requested: ChangelogMode): ChangelogMode {
    if (this.primaryKey.length === 0) return INSERT_ONLY;
    return { kinds: requested.kinds.filter((k) => k !== RowKind.UPDATE_BEFORE), keyOnlyDeletes: true };
  }

  createSink(request: SinkRequest): Sink<Row, any, any> {
    const o = this.parsed.options;
    return new MySqlSink({
      connection: this.parsed.connection,
      table: this.parsed.table,
      columns: request.consumedType.fields.map((f) => ({ name: f.name, type: f.type })),
      primaryKey: this.primaryKey,
      deliveryGuarantee: o.get(JdbcOptions.sinkDeliveryGuarantee) as 'exactly-once' | 'at-least-once' | 'none',
      bufferFlushMaxRows: o.get(JdbcOptions.sinkBufferFlushMaxRows),
      bufferFlushIntervalMs: o.get(JdbcOptions.sinkBufferFlushInterval),
      maxRetries: o.get(JdbcOptions.sinkMaxRetries),
      fenceTable: o.get(JdbcOptions.sinkFenceTable),
    });
  }

  summary(): string {
    const key = this.primaryKey.length > 0 ? `upsert on (${this.primaryKey.join(', ')})` : 'append';
    return `jdbc(url=${this.parsed.describedUrl}, table=${this.parsed.table}, ${key}, ${this.parsed.options.get(JdbcOptions.sinkDeliveryGuarantee)})`;
  }
}
