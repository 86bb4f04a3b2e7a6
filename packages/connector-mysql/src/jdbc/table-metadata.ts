// A table's columns and primary key as the server describes them (information_schema), read once when a sink,
// scan or lookup opens: the MySQL column types decide how values are converted (a TIMESTAMP column takes UTC
// text, a DATETIME a local date-time), and a column the connector was told about but the table lacks fails with a
// configuration error naming it, before any row is written.
import type { Connection } from 'mysql2/promise';
import { parseMySqlColumnType, type MySqlColumnType } from '../types/mysql-types.js';
import { MySqlConnectorError } from './mysql-errors.js';

/**
 * A column of a MySQL table.
 *
 * @public
 */
export interface MySqlTableColumn {
  readonly name: string;
  readonly type: MySqlColumnType;
  readonly nullable: boolean;
}

/**
 * A MySQL table's columns (in order) and primary key.
 *
 * @public
 */
export interface MySqlTableMetadata {
  readonly database: string;
  readonly table: string;
  readonly columns: readonly MySqlTableColumn[];
  readonly primaryKey: readonly string[];
}

/**
 * Reads a table's metadata.
 *
 * @throws MySqlConnectorError (configuration) when the table does not exist
 * @internal
 */
export async function readTableMetadata(c: Connection, database: string, table: string): Promise<MySqlTableMetadata> {
  const [cols] = await c.execute(
    'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable FROM information_schema.COLUMNS ' +
      'WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [database, table],
  );
  const columns = (cols as { name: string; type: string; nullable: string }[]).map((r) => ({
    name: r.name,
    type: parseMySqlColumnType(r.type),
    nullable: r.nullable === 'YES',
  }));
  if (columns.length === 0) {
    throw new MySqlConnectorError(`table ${JSON.stringify(table)} does not exist in database ${JSON.stringify(database)} (or is not visible to the user)`, 'configuration');
  }
  const [keys] = await c.execute(
    "SELECT COLUMN_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX",
    [database, table],
  );
  return { database, table, columns, primaryKey: (keys as { name: string }[]).map((r) => r.name) };
}

/**
 * The MySQL columns of `names`, in that order.
 *
 * @throws MySqlConnectorError (configuration) naming the columns the table lacks
 * @internal
 */
export function columnsByName(meta: MySqlTableMetadata, names: readonly string[]): MySqlTableColumn[] {
  const byName = new Map(meta.columns.map((c) => [c.name.toLowerCase(), c]));
  const missing = names.filter((n) => !byName.has(n.toLowerCase()));
  if (missing.length > 0) {
    throw new MySqlConnectorError(
      `table ${JSON.stringify(meta.table)} has no column${missing.length > 1 ? 's' : ''} ${missing.map((n) => JSON.stringify(n)).join(', ')}; its columns: ${meta.columns.map((c) => JSON.stringify(c.name)).join(', ')}`,
      'configuration',
    );
  }
  return names.map((n) => byName.get(n.toLowerCase())!);
}
