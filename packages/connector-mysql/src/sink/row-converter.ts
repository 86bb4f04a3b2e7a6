// Turns buffered rows into bound values once the table's MySQL column types are known (a TIMESTAMP column takes UTC
// text, a DATETIME a local date-time): one compiled writer per column (mysql-types.ts).
import type { Row } from '@runnel/api';
import { mysqlValueWriter, type MySqlBindValue } from '../types/mysql-types.js';
import type { MySqlTableColumn } from '../jdbc/table-metadata.js';
import type { MySqlSinkColumn } from './mysql-sink-settings.js';
import type { MySqlChangeBatch } from './mysql-statements.js';

/**
 * Converts rows to bound values.
 *
 * @internal
 */
export class RowConverter {
  private readonly writers: ((v: unknown) => MySqlBindValue)[];

  constructor(
    columns: readonly MySqlSinkColumn[],
    mysqlColumns: readonly MySqlTableColumn[],
    private readonly keyIndexes: readonly number[],
    timeZone: string | undefined,
  ) {
    this.writers = columns.map((c, i) => mysqlValueWriter(c.name, c.type, mysqlColumns[i]?.type, { timeZone }));
  }

  batch(upserts: readonly Row[], deletes: readonly Row[]): MySqlChangeBatch {
    const w = this.writers;
    const rows = upserts.map((r) => {
      const out = new Array<MySqlBindValue>(w.length);
      for (let i = 0; i < w.length; i++) out[i] = w[i]!(r.fields[i]);
      return out;
    });
    const keys = deletes.map((r) => this.keyIndexes.map((i) => w[i]!(r.fields[i])));
    return { rows, deletes: keys };
  }
}
