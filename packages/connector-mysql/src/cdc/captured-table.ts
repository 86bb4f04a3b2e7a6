// The tables a mysql-cdc source captures: found by matching `database-name` and `table-name` (whole-name regular
// expressions) against INFORMATION_SCHEMA, each with its columns and primary key as of discovery, and split into
// snapshot chunks by primary-key ranges. A table whose primary key is one integer column is split into ranges of
// about `chunk.size` rows (`SELECT pk ... ORDER BY pk LIMIT 1 OFFSET size` walks the index from one boundary to the
// next, so uneven keys give even chunks); any other table is one chunk (its key order depends on collations the
// binlog filter cannot reproduce in JavaScript). Captured tables are plain data: they travel in split and enumerator
// state.
import type { Connection } from 'mysql2';
import { converterFor, isIntegerColumn, type CdcColumn } from './cdc-column.js';
import { qualifiedName, queryRows, quoteIdentifier } from './cdc-connection.js';
import { MySqlCdcError, translateMySqlError } from './mysql-cdc-error.js';

/**
 * A captured table: its columns and primary key at discovery.
 *
 * @public
 */
export interface CapturedTable {
  readonly database: string;
  readonly table: string;
  readonly columns: readonly CdcColumn[];
  readonly primaryKey: readonly string[];
  /** The single integer primary-key column chunks are split by; absent: the table is one chunk. */
  readonly chunkKey?: string;
}

/**
 * `db.table` (the id of a table in splits and state).
 *
 * @public
 */
export function tableId(t: { database: string; table: string }): string {
  return `${t.database}.${t.table}`;
}

/** Whether a table matches the capture patterns (whole names; `table-name` with `\.` matches `db.table`). @internal */
export function tableMatcher(databasePattern: string, tablePattern: string): (database: string, table: string) => boolean {
  const db = new RegExp(`^(?:${databasePattern})$`);
  const qualified = tablePattern.includes('\\.');
  const tb = new RegExp(`^(?:${tablePattern})$`);
  return (database, table) => db.test(database) && (qualified ? tb.test(`${database}.${table}`) : tb.test(table));
}

/**
 * Finds the tables matching the patterns, with their columns and keys.
 *
 * @internal
 */
export async function discoverTables(c: Connection, databasePattern: string, tablePattern: string): Promise<CapturedTable[]> {
  const matches = tableMatcher(databasePattern, tablePattern);
  let tables: { db: string; t: string }[];
  try {
    tables = await queryRows(
      c,
      "SELECT TABLE_SCHEMA AS db, TABLE_NAME AS t FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY TABLE_SCHEMA, TABLE_NAME",
    );
  } catch (e) {
    throw translateMySqlError(e, 'listing tables');
  }
  const out: CapturedTable[] = [];
  for (const { db, t } of tables) {
    if (!matches(db, t)) continue;
    out.push(await describeTable(c, db, t));
  }
  return out;
}

/** Reads a table's columns and primary key. @internal */
export async function describeTable(c: Connection, database: string, table: string): Promise<CapturedTable> {
  const cols = await queryRows<{
    name: string;
    dataType: string;
    columnType: string;
    nullable: string;
    np: number | string | null;
    ns: number | string | null;
    dp: number | string | null;
    key: string;
  }>(
    c,
    'SELECT COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, IS_NULLABLE AS nullable, NUMERIC_PRECISION AS np, NUMERIC_SCALE AS ns, DATETIME_PRECISION AS dp FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [database, table],
  );
  const pk = await queryRows<{ name: string }>(
    c,
    "SELECT COLUMN_NAME AS name FROM INFORMATION_SCHEMA.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
    [database, table],
  );
  const columns: CdcColumn[] = cols.map((r) => {
    const dt = String(r.dataType).toLowerCase();
    const temporal = dt === 'datetime' || dt === 'timestamp' || dt === 'time';
    const col: CdcColumn = {
      name: r.name,
      dataType: dt,
      columnType: String(r.columnType).toLowerCase(),
      nullable: r.nullable === 'YES',
      ...(temporal && r.dp !== null ? { precision: Number(r.dp) } : {}),
      ...(!temporal && r.np !== null ? { precision: Number(r.np) } : {}),
      ...(r.ns !== null ? { scale: Number(r.ns) } : {}),
    };
    converterFor(col, `table ${database}.${table}`); // fails now for unsupported types
    return col;
  });
  const primaryKey = pk.map((r) => r.name);
  const keyCol = primaryKey.length === 1 ? columns.find((col) => col.name === primaryKey[0]) : undefined;
  return { database, table, columns, primaryKey, ...(keyCol !== undefined && isIntegerColumn(keyCol) ? { chunkKey: keyCol.name } : {}) };
}

/**
 * A chunk's key range `[start, end)` (decimal integer strings; null: unbounded).
 *
 * @public
 */
export interface KeyRange {
  readonly start: string | null;
  readonly end: string | null;
}

/**
 * Splits a table into chunks of about `chunkSize` rows by its chunk key.
 *
 * @internal
 */
export async function splitTable(c: Connection, t: CapturedTable, chunkSize: number): Promise<KeyRange[]> {
  if (t.chunkKey === undefined) return [{ start: null, end: null }];
  const key = quoteIdentifier(t.chunkKey);
  const name = qualifiedName(t.database, t.table);
  const ranges: KeyRange[] = [];
  let start: string | null = null;
  try {
    for (;;) {
      const rows: { k: string | number }[] =
        start === null
          ? await queryRows(c, `SELECT ${key} AS k FROM ${name} ORDER BY ${key} LIMIT 1 OFFSET ${chunkSize}`)
          : await queryRows(c, `SELECT ${key} AS k FROM ${name} WHERE ${key} >= ? ORDER BY ${key} LIMIT 1 OFFSET ${chunkSize}`, [start]);
      if (rows.length === 0) break;
      const end = String(rows[0]!.k);
      ranges.push({ start, end });
      start = end;
    }
  } catch (e) {
    throw translateMySqlError(e, `splitting ${tableId(t)} into chunks`);
  }
  ranges.push({ start, end: null });
  return ranges;
}

/** Fails when a table has no columns (dropped between discovery and use). @internal */
export function requireColumns(t: CapturedTable): void {
  if (t.columns.length === 0) throw new MySqlCdcError(`mysql-cdc: table ${tableId(t)} has no columns (was it dropped?)`, 'configuration');
}
