// The statements of a sink, generated once per table and column list, with every identifier quoted and every value
// a placeholder: multi-row `INSERT ... VALUES (...), (...)` (append), `INSERT ... ON DUPLICATE KEY UPDATE` (upsert)
// and `DELETE ... WHERE key IN (...)` (a composite key as `(k1 = ? AND k2 = ?) OR ...`). Values go through mysql2's
// `execute` (the binary protocol: values travel apart from the statement, nothing is spliced into SQL text). The
// number of rows per statement is the largest power of two up to the maximum, then smaller powers of two for the
// rest, so that a table has at most about a dozen statement shapes for the server to prepare and the driver to cache.
// 1000 rows per statement (the default) was measured cheapest for the server: statements of 4096 to 13 107 rows
// and the text protocol with the values escaped into the statement (64 KiB to 4 MiB) all cost MariaDB more CPU per
// row than the binary protocol's 1000-row statements (bench notes in the README). A statement is also kept within
// the server's `max_allowed_packet` (read once per connection): rows with large values go in fewer per statement
// (down to one), so a batch of big TEXT or BLOB rows never makes a packet the server refuses.
import type { Connection } from 'mysql2/promise';
import type { MySqlBindValue } from '../types/mysql-types.js';
import { placeholders, quoteIdentifier } from '../jdbc/sql-text.js';
import { skipValues, unpackValues } from './packed-values.js';

/** MySQL's limit of placeholders in one prepared statement. */
const MAX_PLACEHOLDERS = 65_535;

/**
 * A batch of changes, packed (packed-values.ts): what one flush or one checkpoint applies.
 *
 * @public
 */
export interface MySqlChangeBatch {
  /** Values per row (the sink's columns). */
  readonly width: number;
  /** Values per deleted key (the primary key's columns; 0 without a key). */
  readonly keyWidth: number;
  /** Rows to insert (append) or upsert (with a primary key). */
  readonly rowCount: number;
  /** Keys to delete. */
  readonly deleteCount: number;
  /** The rows' values, packed: `rowCount * width` values in column order, row after row. */
  readonly rows: Uint8Array;
  /** The deleted keys' values, packed: `deleteCount * keyWidth` values in primary-key order. */
  readonly deletes: Uint8Array;
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
  private readonly maxPacket = new WeakMap<Connection, number>();
  /** Values per row and per deleted key. */
  readonly width: number;
  readonly keyWidth: number;

  constructor(table: string, columnNames: readonly string[], primaryKey: readonly string[], statementMaxRows = 1000) {
    this.table = quoteIdentifier(table);
    this.columns = columnNames.map(quoteIdentifier);
    this.keyColumns = primaryKey.map(quoteIdentifier);
    this.width = columnNames.length;
    this.keyWidth = primaryKey.length;
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
    if ((batch.rowCount > 0 && batch.width !== this.width) || (batch.deleteCount > 0 && batch.keyWidth !== this.keyWidth)) {
      throw new Error(
        `the batch holds rows of ${batch.width} values and keys of ${batch.keyWidth}, but the sink writes ${this.width} columns with a key of ${this.keyWidth} (were the columns changed since the checkpoint was taken?)`,
      );
    }
    await this.run(c, batch.deletes, batch.deleteCount, this.keyWidth, this.maxDeletes, (n) => this.deleteSql(n));
    await this.run(c, batch.rows, batch.rowCount, this.width, this.maxRows, (n) => this.writeSql(n));
  }

  private async run(c: Connection, packed: Uint8Array, rows: number, width: number, max: number, sql: (n: number) => string): Promise<void> {
    if (rows === 0) return;
    const maxPacket = await this.maxPacketOf(c);
    let offset = 0;
    let i = 0;
    // Each statement's values are unpacked while the server runs the previous statement, and are garbage after.
    const next = (): MySqlBindValue[] => {
      const left = rows - i;
      let n = left >= max ? max : 2 ** Math.floor(Math.log2(left));
      // Within the packet limit: the packed size is about the bound size; allow 4 bytes a value for the parameter
      // types, the NULL bitmap and length prefixes, and 1 KiB for the packet's header.
      while (n > 1 && skipValues(packed, offset, n * width) - offset + 4 * n * width + 1024 > maxPacket) n = 2 ** Math.floor(Math.log2(n - 1));
      const values = new Array<MySqlBindValue>(n * width);
      offset = unpackValues(packed, offset, n * width, values);
      i += n;
      return values;
    };
    let values = i < rows ? next() : undefined;
    while (values !== undefined) {
      const running = c.execute(sql(values.length / width), values);
      values = i < rows ? next() : undefined;
      await running;
    }
  }

  /** The server's `max_allowed_packet` for `c` (read once per connection). */
  private async maxPacketOf(c: Connection): Promise<number> {
    let m = this.maxPacket.get(c);
    if (m === undefined) {
      const [r] = await c.query('SELECT @@max_allowed_packet AS m');
      m = Number((r as { m: unknown }[])[0]?.m ?? 4 * 1024 * 1024);
      this.maxPacket.set(c, m);
    }
    return m;
  }
}
