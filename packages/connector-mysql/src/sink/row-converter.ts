// Turns a row's fields into bound values once the table's MySQL column types are known (a TIMESTAMP column takes
// UTC text, a DATETIME a local date-time): one compiled writer per column (mysql-types.ts). Values are written into
// an array the caller owns (the change buffer's reused scratch row), so converting allocates no array per row.
import type { MySqlBindValue } from '../types/mysql-types.js';
import { mysqlValueWriter } from '../types/mysql-types.js';
import type { MySqlTableColumn } from '../jdbc/table-metadata.js';
import type { MySqlSinkColumn } from './mysql-sink-settings.js';

/**
 * Converts rows to bound values.
 *
 * @internal
 */
export class RowConverter {
  private readonly writers: ((v: unknown) => MySqlBindValue)[];

  constructor(columns: readonly MySqlSinkColumn[], mysqlColumns: readonly MySqlTableColumn[], timeZone: string | undefined) {
    this.writers = columns.map((c, i) => mysqlValueWriter(c.name, c.type, mysqlColumns[i]?.type, { timeZone }));
  }

  /** Converts every field into `out[0..n)`. */
  convertRow(fields: readonly unknown[], out: MySqlBindValue[]): void {
    const w = this.writers;
    for (let i = 0; i < w.length; i++) out[i] = w[i]!(fields[i]);
  }

  /** Converts the fields at `indexes` only, into `out` at the same positions (a deleted row needs its key alone). */
  convertFields(fields: readonly unknown[], indexes: readonly number[], out: MySqlBindValue[]): void {
    for (const i of indexes) out[i] = this.writers[i]!(fields[i]);
  }
}
