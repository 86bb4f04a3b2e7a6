// Reads a key range of snapshot chunks (one chunk, the rest of one after a failure, or adjacent chunks that the
// reader reads together and splits by key) in a consistent snapshot whose binlog position is exact: on MariaDB,
// `START TRANSACTION WITH CONSISTENT SNAPSHOT` then `binlog_snapshot_file` / `_position` — the position at which the
// snapshot was taken, with every transaction before it visible and none after it, taken by the server without locks.
// On servers without those status variables (MySQL), a second connection holds `LOCK TABLES t READ` while the
// position is read and the snapshot opened, so no transaction on `t` can fall between them, then unlocks (needs the
// LOCK TABLES privilege). Rows stream in key order through a callback (no promise per row); the caller pauses and
// resumes the connection for back-pressure, so a chunk never has to fit in memory.
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

/** The chunk's SELECT (identifiers quoted, bounds bound) and its values. */
function chunkSelect(table: CapturedTable, lo: string | null, hi: string | null): { sql: string; values: string[] } {
  const cols = table.columns.map((col) => quoteIdentifier(col.name)).join(', ');
  let sql = `SELECT ${cols} FROM ${qualifiedName(table.database, table.table)}`;
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
  return { sql, values };
}

/**
 * The statements before a chunk's SELECT with the `snapshot-position` method, sent with it in one round trip (the
 * snapshot connection allows several statements; all of them are fixed text but the SELECT, whose identifiers are
 * quoted and bounds bound): the snapshot, then its binlog position. A transaction still open from the chunk before is
 * committed by the START TRANSACTION (an implicit commit), so a chunk costs one round trip, not four.
 */
const SNAPSHOT_PREFIX = "START TRANSACTION WITH CONSISTENT SNAPSHOT; SHOW STATUS LIKE 'binlog_snapshot_%'; ";
/** The result sets of that query: 0 the transaction, 1 the status rows, 2 the chunk's rows. */
const STATUS_RESULT = 1;

/** The snapshot position from `SHOW STATUS LIKE 'binlog_snapshot_%'` rows (`[name, value]`). */
function snapshotPosition(rows: readonly unknown[][]): BinlogPosition {
  const value = (name: string): unknown => rows.find((r) => String(r[0]).toLowerCase() === name)?.[1];
  const file = value('binlog_snapshot_file');
  const pos = value('binlog_snapshot_position');
  if (typeof file !== 'string' || file === '' || pos === undefined || pos === null) throw new MySqlCdcError('mysql-cdc: the server reports no binlog_snapshot_file / _position: is the binlog on?', 'configuration');
  return { file, pos: Number(pos) };
}

/**
 * Reads rows of `table` with chunk key in `[lo, hi)` (null: unbounded) in one consistent snapshot. The snapshot's
 * transaction stays open after the rows: the next chunk's START TRANSACTION ends it, and a reader with no chunk to
 * read next ends it with `COMMIT` (mysql-cdc-reader.ts), so that a chunk costs no round trip of its own for it.
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
  let high: BinlogPosition | undefined;
  if (method === 'table-lock') {
    try {
      const lock = await lockConnection();
      await queryRows(lock, `LOCK TABLES ${name} READ`);
      try {
        high = await currentBinlogPosition(c);
        await queryRows(c, 'START TRANSACTION WITH CONSISTENT SNAPSHOT');
        await queryRows(c, `SELECT 1 FROM ${name} LIMIT 0`);
      } finally {
        await queryRows(lock, 'UNLOCK TABLES');
      }
    } catch (e) {
      await queryRows(c, 'ROLLBACK').catch(() => undefined);
      throw translateMySqlError(e, what);
    }
    cb.onStart(high);
  }
  const select = chunkSelect(table, lo, hi);
  const sql = method === 'snapshot-position' ? SNAPSHOT_PREFIX + select.sql : select.sql;
  const rowsResult = method === 'snapshot-position' ? 2 : 0;
  await new Promise<void>((resolve) => {
    let failed = false;
    const fail = (e: MySqlCdcError): void => {
      if (!failed) cb.onError(e);
      failed = true;
    };
    const valueError = (e: unknown): void => fail(new MySqlCdcError(`mysql-cdc: ${what}: ${(e as Error).message}`, 'fatal', { cause: e }));
    const status: unknown[][] = [];
    // The position is known once the status rows are in: before the chunk's first row (or its end, when empty).
    const started = (): boolean => {
      if (high !== undefined) return true;
      try {
        high = snapshotPosition(status);
      } catch (e) {
        fail(e as MySqlCdcError);
        return false;
      }
      cb.onStart(high);
      return true;
    };
    // Dates as text: the converters parse it without a Date object per value (same values, see cdc-column.ts).
    const q = c.query({ sql, values: select.values, rowsAsArray: true, dateStrings: true });
    // Rows parsed from the packets are converted already (snapshot-packet-parser.ts); otherwise mysql2's arrays are.
    let parsed = false;
    if (packetParser !== undefined) installPacketParser(q, packetParser, (p) => (parsed = p), valueError);
    q.on('result', (r: unknown, index?: number) => {
      if (failed) return;
      if (index !== rowsResult) {
        if (index === STATUS_RESULT && method === 'snapshot-position') status.push(r as unknown[]);
        return;
      }
      if (!started()) return;
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
      fail(translateMySqlError(e, what));
      resolve();
    });
    q.on('end', () => {
      if (!failed && started()) cb.onEnd();
      resolve();
    });
  });
}
