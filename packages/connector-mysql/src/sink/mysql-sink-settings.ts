// What a MySQL sink is configured with, from the DataStream API (`new MySqlSink({...})`) or from a SQL table
// (jdbc-table-sink.ts): where to write, the rows' columns with their Runnel types, the key that makes it an upsert
// sink, and how rows are buffered, retried and committed.
import type { LogicalType, Row } from '@runnel/api';
import type { MySqlConnectionSettings } from '../jdbc/mysql-connection.js';

/**
 * A column the sink writes: its name in the MySQL table and the Runnel type of its values.
 *
 * @public
 */
export interface MySqlSinkColumn {
  readonly name: string;
  readonly type: LogicalType;
}

/**
 * The delivery guarantee of a MySQL sink (see the README's Guarantees).
 *
 * @public
 */
export type MySqlDeliveryGuarantee = 'exactly-once' | 'at-least-once' | 'none';

/**
 * The settings of a {@link MySqlSink}.
 *
 * @public
 */
export interface MySqlSinkSettings<T = Row> {
  readonly connection: MySqlConnectionSettings;
  /** The table (one identifier, quoted). */
  readonly table: string;
  /** The fields of the rows, in order. */
  readonly columns: readonly MySqlSinkColumn[];
  /**
   * The primary key (column names): rows are upserted (`INSERT ... ON DUPLICATE KEY UPDATE`) and deleted by it, and
   * updates of one key within a buffer are reduced to the last. Without it the sink appends inserts only.
   */
  readonly primaryKey?: readonly string[];
  /** Default `exactly-once`. */
  readonly deliveryGuarantee?: MySqlDeliveryGuarantee;
  /** at-least-once: rows buffered (after reduction) before a flush (default 100; 0: no row limit). */
  readonly bufferFlushMaxRows?: number;
  /** at-least-once: the longest time rows stay buffered, ms (default 1000; 0: no timed flush). */
  readonly bufferFlushIntervalMs?: number;
  /** Retries of a flush or commit that fails for a retriable reason (default 3). */
  readonly maxRetries?: number;
  /** exactly-once: the fence table, in the connection's database (default `runnel_sink_fence`). */
  readonly fenceTable?: string;
  /**
   * exactly-once, after a restore at another parallelism: how long a committer holding a later batch of a writer
   * waits for the committer holding an earlier one to apply it, so that they land in order (default 60 000 ms);
   * past that it applies the later batch first (each still exactly once).
   */
  readonly outOfOrderWaitMs?: number;
  /** Turns a stream element into a row (default: the element is a `Row`). */
  readonly toRow?: (value: T) => Row;
  /** The most rows per multi-row statement (default 1000; also bounded by MySQL's 65 535 placeholders). */
  readonly statementMaxRows?: number;
}
