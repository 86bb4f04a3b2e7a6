// The statements of a sink, generated once per table and column list, with every identifier quoted and every value
// a placeholder: multi-row `INSERT ... VALUES (...), (...)` (append), `INSERT ... ON DUPLICATE KEY UPDATE` (upsert)
// and `DELETE ... WHERE key IN (...)` (a composite key as `(k1 = ? AND k2 = ?) OR ...`). Values go through mysql2's
// `execute` (the binary protocol: values travel apart from the statement, nothing is spliced into SQL text). The
// number of rows per statement is the largest power of two up to the maximum, then smaller powers of two for the
// rest, so that a table has at most about a dozen statement shapes for the server to prepare and the driver to cache.
import type { Connection } from 'mysql2/promise';
import type { MySqlBindValue } from '../types/mysql-types.js';
import { placeholders, quoteIdentifier } from '../jdbc/sql-text.js';

/** MySQL's limit of placeholders in one prepared statement. */
const MAX_PLACEHOLDERS = 65_535;

/**
 * A batch of changes with bound values: what one flush or one checkpoint applies.
 *
 * @public
 */
export interface MySqlChangeBatch {
  /** Full rows to insert (append) or upsert (with a primary key), values in column order. */
  readonly rows: MySqlBindValue[][];
  /** Keys to delete, values in primary-key order. */
  readonly deletes: MySqlBindValue[][];
}

/**
 * Builds and runs the statements of one table.
 *
 * @internal
 */
export class MySqlStatements {
  private readonly table: string;
  private readonly columns: string[];
  private readonly keyColumns: string[];
  private readonly maxRows: number;
  private readonly maxDeletes: number;
  private readonly writeCache = new Map<number, string>();
  private readonly deleteCache = new Map<number, string>();
  private readonly updateClause: string;

  constructor(table: string, columnNames: readonly string[], primaryKey: readonly string[], statementMaxRows = 1000) {
    this.table = quoteIdentifier(table);
    this.columns = columnNames.map(quoteIdentifier);
    this.keyColumns = primaryKey.map(quoteIdentifier);
    this.maxRows = Math.max(1, Math.min(statementMaxRows, Math.floor(MAX_PLACEHOLDERS / Math.max(1, columnNames.length))));
    this.maxDeletes = Math.max(1, Math.min(statementMaxRows, Math.floor(MAX_PLACEHOLDERS / Math.max(1, primaryKey.length))));
    const keys = new Set(this.keyColumns);
    const nonKey = this.columns.filter((c) => !keys.has(c));
    // All columns in the key: a duplicate leaves the row as it is.
    this.updateClause = (nonKey.length > 0 ? nonKey : this.columns.slice(0, 1)).map((c) => `${c} = VALUES(${c})`).join(', ');
  }

  /** The INSERT (or upsert) for `n` rows. */
  writeSql(n: number): string {
    let s = this.writeCache.get(n);
    if (s === undefined) {
      const row = placeholders(this.columns.length);
      s = `INSERT INTO ${this.table} (${this.columns.join(', ')}) VALUES ${new Array<string>(n).fill(row).join(', ')}`;
      if (this.keyColumns.length > 0) s += ` ON DUPLICATE KEY UPDATE ${this.updateClause}`;
      this.writeCache.set(n, s);
    }
    return s;
  }

  /** The DELETE of `n` keys. */
  deleteSql(n: number): string {
    let s = this.deleteCache.get(n);
    if (s === undefined) {
      if (this.keyColumns.length === 1) {
        s = `DELETE FROM ${this.table} WHERE ${this.keyColumns[0]} IN ${placeholders(n)}`;
      } else {
        const one = `(${this.keyColumns.map((k) => `${k} = ?`).join(' AND ')})`;
        s = `DELETE FROM ${this.table} WHERE ${new Array<string>(n).fill(one).join(' OR ')}`;
      }
      this.deleteCache.set(n, s);
    }
    return s;
  }

  /** Applies a batch on `c` (deletes first: a batch holds one change per key, so the order between keys is free). */
  async apply(c: Connection, batch: MySqlChangeBatch): Promise<void> {
    await this.run(c, batch.deletes, this.maxDeletes, (n) => this.deleteSql(n));
    await this.run(c, batch.rows, this.maxRows, (n) => this.writeSql(n));
  }

  private async run(c: Connection, rows: readonly MySqlBindValue[][], max: number, sql: (n: number) => string): Promise<void> {
    let i = 0;
    while (i < rows.length) {
      const left = rows.length - i;
      const n = left >= max ? max : 2 ** Math.floor(Math.log2(left));
      const values: MySqlBindValue[] = [];
      for (let j = i; j < i + n; j++) for (const v of rows[j]!) values.push(v);
      await c.execute(sql(n), values);
      i += n;
    }
  }
}
