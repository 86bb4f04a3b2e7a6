// What a MySQL scan source is configured with, from the DataStream API or a `jdbc` SQL table.
import type { LogicalType, Row } from '@runnel/api';
import type { MySqlConnectionSettings } from '../jdbc/mysql-connection.js';

/**
 * The settings of a {@link MySqlScanSource}.
 *
 * @public
 */
export interface MySqlScanSettings<T = Row> {
  readonly connection: MySqlConnectionSettings;
  /** The table (one identifier, quoted). */
  readonly table: string;
  /** The columns to read, in this order, with the Runnel types of their values. */
  readonly columns: readonly { readonly name: string; readonly type: LogicalType }[];
  /** Reads `partition.num` ranges of this integer column in parallel (Flink's `scan.partition.*`; rows outside the bounds are not read). */
  readonly partitionColumn?: string;
  readonly partition?: { readonly num: number; readonly lower: bigint; readonly upper: bigint };
  /** Rows buffered ahead per split (default 1024). */
  readonly fetchSize?: number;
  /** Turns a row (+I, the columns' values) into a stream element (default: the row). */
  readonly toRecord?: (row: Row) => T;
}
