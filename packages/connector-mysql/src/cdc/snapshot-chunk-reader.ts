// Reads one snapshot chunk (or the rest of one, after a failure) in a consistent snapshot whose binlog position is
// exact: on MariaDB, `START TRANSACTION WITH CONSISTENT SNAPSHOT` then `binlog_snapshot_file` / `_position` — the
// position at which the snapshot was taken, with every transaction before it visible and none after it, taken by
// the server without locks. On servers without those status variables (MySQL), a second connection holds
// `LOCK TABLES t READ` while the position is read and the snapshot opened, so no transaction on `t` can fall between
// them, then unlocks (needs the LOCK TABLES privilege). Rows stream in key order through a callback (no promise per
// row); the caller pauses and resumes the connection for back-pressure, so a chunk never has to fit in memory.
import type { Connection } from 'mysql2';
import type { BinlogPosition } from './binlog-position.js';
import { currentBinlogPosition, qualifiedName, queryRows, quoteIdentifier } from './cdc-connection.js';
import type { CapturedTable } from './captured-table.js';
import { MySqlCdcError, translateMySqlError } from './mysql-cdc-error.js';
import type { SnapshotRowConverter } from './snapshot-row-converter.js';
import { installPacketParser, type SnapshotPacketParser } from './snapshot-packet-parser.js';

/** How a chunk's snapshot position is obtained. @internal */
export type SnapshotMethod = 'snapshot-position' | 'table-lock';

/** What the chunk reader reports. @internal */
export interface ChunkCallbacks {
  /** The snapshot is open at `high`; rows follow. */
  onStart(high: BinlogPosition): void;
  /** A row, converted (fields in the table's column order; the array is the callee's). */
  onRow(fields: unknown[]): void;
  onEnd(): void;
  onError(error: MySqlCdcError): void;
}

/** Detects the snapshot method of a server. @internal */
export async function detectSnapshotMethod(c: Connection): Promise<SnapshotMethod> {
  const rows = await queryRows<{ Variable_name: string }>(c, "SHOW GLOBAL STATUS LIKE 'binlog_snapshot_position'");
  return rows.length > 0 ? 'snapshot-position' : 'table-lock';
}

/**
 * Reads rows of `table` with chunk key in `[lo, hi)` (null: unbounded) in one consistent snapshot.
 *
 * @internal
 */
export async function readChunk(
  c: Connection,
  lockConnection: () => Promise<Connection>,
  method: SnapshotMethod,
  table: CapturedTable,
  convert: SnapshotRowConverter,
  packetParser: SnapshotPacketParser | undefined,
  lo: string | null,
  hi: string | null,
  cb: ChunkCallbacks,
): Promise<void> {
  const name = qualifiedName(table.database, table.table);
  const what = `reading a snapshot chunk of ${table.database}.${table.table}`;
  let high: BinlogPosition;
  try {
    if (method === 'snapshot-position') {
      await queryRows(c, 'START TRANSACTION WITH CONSISTENT SNAPSHOT');
      const st = await queryRows<{ Variable_name: string; Value: string }>(c, "SHOW STATUS LIKE 'binlog_snapshot_%'");
      const file = st.find((r) => r.Variable_name.toLowerCase() === 'binlog_snapshot_file')?.Value;
      const pos = st.find((r) => r.Variable_name.toLowerCase() === 'binlog_snapshot_position')?.Value;
      if (!file || pos === undefined) throw new MySqlCdcError('mysql-cdc: the server reports no binlog_snapshot_file / _position: is the binlog on?', 'configuration');
      high = { file, pos: Number(pos) };
    } else {
      const lock = await lockConnection();
      await queryRows(lock, `LOCK TABLES ${name} READ`);
      try {
        high = await currentBinlogPosition(c);
        await queryRows(c, 'START TRANSACTION WITH CONSISTENT SNAPSHOT');
        await queryRows(c, `SELECT 1 FROM ${name} LIMIT 0`);
      } finally {
        await queryRows(lock, 'UNLOCK TABLES');
      }
    }
  } catch (e) {
    await queryRows(c, 'ROLLBACK').catch(() => undefined);
    throw translateMySqlError(e, what);
  }
  cb.onStart(high);
  const cols = table.columns.map((col) => quoteIdentifier(col.name)).join(', ');
  let sql = `SELECT ${cols} FROM ${name}`;
  const values: string[] = [];
  if (table.chunkKey !== undefined) {
    const k = quoteIdentifier(table.chunkKey);
    const where: string[] = [];
    if (lo !== null) {
      where.push(`${k} >= ?`);
      values.push(lo);
    }
    if (hi !== null) {
      where.push(`${k} < ?`);
      values.push(hi);
    }
    if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
    sql += ` ORDER BY ${k}`;
  }
  await new Promise<void>((resolve) => {
    let failed = false;
    // Dates as text: the converters parse it without a Date object per value (same values, see cdc-column.ts).
    const q = c.query({ sql, values, rowsAsArray: true, dateStrings: true });
    const valueError = (e: unknown): void => {
      if (failed) return;
      failed = true;
      cb.onError(new MySqlCdcError(`mysql-cdc: ${what}: ${(e as Error).message}`, 'fatal', { cause: e }));
    };
    // Rows parsed from the packets are converted already (snapshot-packet-parser.ts); otherwise mysql2's arrays are.
    let parsed = false;
    if (packetParser !== undefined) installPacketParser(q, packetParser, () => (parsed = true), valueError);
    q.on('result', (r: unknown) => {
      if (failed) return;
      if (parsed) {
        cb.onRow(r as unknown[]);
        return;
      }
      let fields: unknown[];
      try {
        // In place: mysql2's array for the row becomes the row's fields (no second array per row).
        fields = convert(r as unknown[]);
      } catch (e) {
        valueError(e);
        return;
      }
      cb.onRow(fields);
    });
    q.on('error', (e: unknown) => {
      if (!failed) cb.onError(translateMySqlError(e, what));
      failed = true;
      resolve();
    });
    q.on('end', () => {
      if (failed) return resolve();
      queryRows(c, 'COMMIT').then(
        () => {
          cb.onEnd();
          resolve();
        },
        (e) => {
          cb.onError(translateMySqlError(e, what));
          resolve();
        },
      );
    });
  });
}
