// The snapshot's packet parser against a real server: for every column kind it reads, the rows it parses from the
// packets equal the rows of mysql2's parser with the snapshot converter (the path the value-parity test proves equal
// to the binlog's), at the bounds, for NULL, zero dates, long values (2- and 3-byte lengths) and non-ASCII text. It
// is not installed where the server's column definitions differ from the expected ones, nor made for tables with
// kinds it does not read, and a value it cannot read is reported without breaking the connection's protocol.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql, { type Connection } from 'mysql2';
import { connectionOptions } from '../../src/cdc/cdc-connection.js';
import { describeTable } from '../../src/cdc/captured-table.js';
import type { CdcColumn } from '../../src/cdc/cdc-column.js';
import { snapshotRowConverter } from '../../src/cdc/snapshot-row-converter.js';
import { installPacketParser, snapshotPacketParser, type SnapshotPacketParser } from '../../src/cdc/snapshot-packet-parser.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';

const COLUMNS = `id INT PRIMARY KEY, b TINYINT(1), ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT, iu INT UNSIGNED,
  bi BIGINT, bu BIGINT UNSIGNED, d DECIMAL(12,2), dz DECIMAL(5,0), d15 DECIMAL(15,5), dl DECIMAL(30,10),
  c CHAR(3), s VARCHAR(40), tx TEXT, lt MEDIUMTEXT, e ENUM('a','b'), st SET('x','y'), j JSON,
  dt DATE, dtm DATETIME, dt3 DATETIME(3), dt6 DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME, tm3 TIME(3)`;

// Every column but the id; NULLs in the last row. `lt` holds the long values (length prefixes 0xfc and 0xfd).
const VALUES = [
  `1, -128, 255, -32768, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, -9999999999.99, 99999,
   -1234567890.12345, -12345678901234567890.0123456789, 'abc', 'héllo ✓', 'long text', REPEAT('é', 300), 'b', 'x,y', '{"a": [1, 2.5]}',
   '1000-01-01', '1000-01-01 00:00:00', '9999-12-31 23:59:59.999', '2024-02-29 12:34:56.123456', '1970-01-01 00:00:01.000', '-838:59:59', '12:00:00.5'`,
  `0, 127, 0, 32767, 8388607, 2147483647, 0, 9223372036854775807, 9007199254740993, 0.01, -1, 0.00001, 0.0000000001,
   '', '', '', REPEAT('x', 70000), 'a', '', 'null', '2024-02-29', '2024-03-31 02:30:00', '2038-01-19 03:14:07.5', '1969-12-31 23:59:59.999999',
   '2038-01-19 03:14:07.999', '838:59:59', '-00:00:00.001'`,
  `1, 1, 1, 1, 1, 1, 1, -99999999999999, 9007199254740992, -0.5, 0, 9999999999.99999, 1, 'x', '日本語のテキスト', 'z', 'abcdefghijklmnopqrstuvwxy', 'b', 'y', '[]',
   '0000-00-00', '0000-00-00 00:00:00', '2000-00-00 00:00:00.000', '2001-02-31 10:00:00.000001', '2000-01-01 00:00:00.000', '00:00:00', '23:59:59.999'`,
  `0, -1, 200, -1, -1, -1, 123456789, 999999999999999, 1000000000000000,  12.34, 5, -0.00001, -0.5, 'ab', 'row-123456', 'abcdefghijklmnopqrstuvwx', '😀', 'a', 'x', '{}',
   '1970-01-01', '1970-01-01 00:00:00', '1969-12-31 23:59:59.999', '2024-01-13 13:46:40.123000', '2024-01-13 13:46:40.123', '-00:00:01', '00:00:00.000'`,
  `NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL`,
];
const SELECT = 'SELECT * FROM t ORDER BY id';

/** Reads `sql` on `c` as the chunk reader does; with `parser`, through the packets when it is installed. */
function read(c: Connection, sql: string, columns: readonly CdcColumn[], parser?: SnapshotPacketParser): Promise<{ rows: unknown[][]; installed: boolean; errors: unknown[] }> {
  const convert = snapshotRowConverter(columns, 'test');
  return new Promise((resolve, reject) => {
    const rows: unknown[][] = [];
    const errors: unknown[] = [];
    let installed = false;
    const q = c.query({ sql, rowsAsArray: true, dateStrings: true });
    if (parser !== undefined) installPacketParser(q, parser, (parsed) => (installed = parsed), (e) => errors.push(e));
    q.on('result', (r: unknown) => rows.push(installed ? (r as unknown[]) : convert(r as unknown[])));
    q.on('error', reject);
    q.on('end', () => resolve({ rows, installed, errors }));
  });
}

describe('snapshot packet parser', () => {
  let db: MariaDb;
  let c: Connection;
  let columns: CdcColumn[];
  beforeAll(async () => {
    db = await startMariaDb();
    await db.query(`SET GLOBAL sql_mode = 'ALLOW_INVALID_DATES'; CREATE DATABASE p; CREATE TABLE p.t (${COLUMNS}) ENGINE=InnoDB`);
    const w = await db.connect('p');
    try {
      await w.query("SET time_zone = '+00:00', sql_mode = 'ALLOW_INVALID_DATES'");
      for (const [k, v] of VALUES.entries()) await w.query(`INSERT INTO t VALUES (${k + 1}, ${v})`);
    } finally {
      await w.end();
    }
    c = mysql.createConnection({ ...connectionOptions({ hostname: db.host, port: db.port, username: 'root', password: '', connectTimeoutMs: 10_000 }, true), database: 'p' });
    await new Promise<void>((resolve, reject) => c.query("SET time_zone = '+00:00'", (e) => (e ? reject(e) : resolve())));
    columns = [...(await describeTable(c, 'p', 't')).columns];
  }, 120_000);
  afterAll(async () => {
    c?.destroy();
    await db?.stop();
  });

  it("parses every supported kind to the converter's value, at the bounds, NULL, long and non-ASCII values", async () => {
    const parser = snapshotPacketParser(columns, 'test');
    expect(parser).toBeDefined();
    const viaDriver = await read(c, SELECT, columns);
    const viaPackets = await read(c, SELECT, columns, parser);
    expect(viaDriver.installed).toBe(false);
    expect(viaPackets.installed).toBe(true);
    expect(viaPackets.errors).toEqual([]);
    expect(viaPackets.rows).toHaveLength(VALUES.length);
    for (const [k, row] of viaPackets.rows.entries()) expect(row, `row ${k + 1}`).toEqual(viaDriver.rows[k]);
    // The long values really took the 2- and 3-byte length prefixes.
    const lt = columns.findIndex((col) => col.name === 'lt');
    expect(viaPackets.rows[0]![lt]).toBe('é'.repeat(300));
    expect((viaPackets.rows[1]![lt] as string).length).toBe(70_000);
    // Texts of every short length (the ASCII fast path) and just past it.
    for (let n = 1; n <= 30; n++) {
      const text = 'abcdefghijklmnopqrstuvwxyz0123456789'.slice(0, n);
      const cols: CdcColumn[] = [{ name: 'v', dataType: 'varchar', columnType: 'varchar(40)', nullable: true }];
      const r = await read(c, `SELECT ${c.escape(text)} AS v`, cols, snapshotPacketParser(cols, 'test'));
      expect(r.installed).toBe(true);
      expect(r.rows).toEqual([[text]]);
    }
  });

  it('is not installed when the server sends other column definitions than expected', async () => {
    // The table as described, but `s` claimed to be an INT: the server's VAR_STRING does not match.
    const wrong = columns.map((col) => (col.name === 's' ? { ...col, dataType: 'int', columnType: 'int(11)' } : col));
    const r = await read(c, SELECT, columns, snapshotPacketParser(wrong, 'test'));
    expect(r.installed).toBe(false);
    expect(r.rows).toEqual((await read(c, SELECT, columns)).rows);
    // Another column order (names differ by position) is not accepted either.
    const swapped = [columns[1]!, columns[0]!, ...columns.slice(2)];
    expect((await read(c, SELECT, columns, snapshotPacketParser(swapped, 'test'))).installed).toBe(false);
  });

  it('is not made for tables with kinds it does not read', () => {
    for (const [dataType, columnType] of [['float', 'float'], ['double', 'double'], ['varbinary', 'varbinary(8)'], ['blob', 'blob'], ['year', 'year(4)'], ['bit', 'bit(1)']]) {
      const cols: CdcColumn[] = [{ name: 'id', dataType: 'int', columnType: 'int(11)', nullable: false }, { name: 'x', dataType: dataType!, columnType: columnType!, nullable: true }];
      expect(snapshotPacketParser(cols, 'test'), dataType).toBeUndefined();
    }
  });

  it('reports a value it cannot read and leaves the connection usable', async () => {
    const parser = snapshotPacketParser(columns, 'test')!;
    const failing: SnapshotPacketParser = {
      accepts: (fields) => parser.accepts(fields),
      parse: (packet) => {
        const row = parser.parse(packet);
        if (row[0] === 3) throw new Error('cannot read row 3');
        return row;
      },
    };
    const r = await read(c, SELECT, columns, failing);
    expect(r.installed).toBe(true);
    expect(r.errors.map((e) => (e as Error).message)).toEqual(['cannot read row 3']);
    expect(r.rows).toHaveLength(VALUES.length); // the failed row is null; the result set was read to its end
    expect(r.rows[2]).toBeNull();
    // The next statement on the connection works (the protocol did not lose its place).
    expect((await read(c, 'SELECT id FROM t ORDER BY id LIMIT 2', [columns[0]!])).rows).toEqual([[1], [2]]);
  });
});
