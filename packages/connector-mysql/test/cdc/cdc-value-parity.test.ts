// The snapshot and the binlog of the mysql-cdc source give the same value for every supported column type: the two
// paths receive different driver forms (the snapshot reads BIGINT as a number when it fits and dates as text, the
// binlog gets zongji's Date objects and big-number strings) through one converter per column, and the hand-off
// depends on a row being the same whichever path read it. Each row is inserted once before the job starts (read by
// the snapshot) and once more with another id after the snapshot finished (read from the binlog); the two must be
// equal column by column, including NULLs, zero dates, extremes and fractional seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '@runnel/api/table';
import { SourceDriver } from '@runnel/testing';
import { MySqlCdcSource } from '../../src/index.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';

const COLUMNS = `id INT PRIMARY KEY, b TINYINT(1), ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT, mi MEDIUMINT, i INT, iu INT UNSIGNED,
  bi BIGINT, bu BIGINT UNSIGNED, d DECIMAL(12,2), dz DECIMAL(5,0), d15 DECIMAL(15,5), dl DECIMAL(30,10), f FLOAT, db DOUBLE,
  c CHAR(3), s VARCHAR(40), tx TEXT, e ENUM('a','b'), st SET('x','y'), j JSON, bn BINARY(2), vb VARBINARY(8), bl BLOB,
  dt DATE, dtm DATETIME, dt3 DATETIME(3), dt6 DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME, tm3 TIME(3), y YEAR`;

// Each tuple is every column but the id; NULLs in the last row.
const VALUES = [
  `1, -128, 255, -32768, -8388608, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, -9999999999.99, 99999,
   -1234567890.12345, -12345678901234567890.0123456789, 1.5, -2.25e300, 'abc', 'héllo ✓', 'long text', 'b', 'x,y', '{"a": [1, 2.5]}',
   x'00ff', x'010203', x'deadbeef', '1000-01-01', '1000-01-01 00:00:00', '9999-12-31 23:59:59.999', '2024-02-29 12:34:56.123456',
   '1970-01-01 00:00:01.000', '-838:59:59', '12:00:00.5', 1901`,
  `0, 127, 0, 32767, 8388607, 2147483647, 0, 9223372036854775807, 9007199254740993, 0.01, -1, 0.00001, 0.0000000001, -0.0, 0,
   '', '', '', 'a', '', 'null', x'0000', x'', x'', '2024-02-29', '2024-03-31 02:30:00', '2038-01-19 03:14:07.5', '1969-12-31 23:59:59.999999',
   '2038-01-19 03:14:07.999', '838:59:59', '-00:00:00.001', 2155`,
  `1, 1, 1, 1, 1, 1, 1, 9007199254740991, 9007199254740992, -0.5, 0, 9999999999.99999, 1, 3.4e38, 5e-324, 'x', 'y', 'z', 'b', 'y', '[]',
   x'7f80', x'00', x'00', '0000-00-00', '0000-00-00 00:00:00', '2000-00-00 00:00:00.000', '2001-02-31 10:00:00.000001', '2000-01-01 00:00:00.000',
   '00:00:00', '23:59:59.999', 0`,
  `NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
   NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`,
];
const BINLOG_OFFSET = 100;

describe('mysql-cdc values: snapshot and binlog agree', () => {
  let db: MariaDb;
  beforeAll(async () => {
    db = await startMariaDb();
    // Zero and invalid dates are values some servers hold (sql_mode without NO_ZERO_DATE / with ALLOW_INVALID_DATES).
    await db.query(`SET GLOBAL sql_mode = 'ALLOW_INVALID_DATES'; CREATE DATABASE p; CREATE TABLE p.t (${COLUMNS}) ENGINE=InnoDB`);
    const c = await db.connect('p');
    try {
      await c.query("SET time_zone = '+00:00', sql_mode = 'ALLOW_INVALID_DATES'");
      for (const [k, v] of VALUES.entries()) await c.query(`INSERT INTO t VALUES (${k + 1}, ${v})`);
    } finally {
      await c.end();
    }
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
  });

  it('every column type: the snapshot row equals the binlog row', async () => {
    const src = MySqlCdcSource.builder().hostname(db.host).port(db.port).username('root').password('').databaseList('p').tableList('p\\.t').serverId('7200-7210').build();
    const d = await SourceDriver.start(src, { parallelism: 1 });
    const rows = new Map<number, Row>();
    try {
      let inserted = false;
      const deadline = Date.now() + 60_000;
      let rounds = 0;
      while (rows.size < VALUES.length * 2) {
        await d.pollAll();
        for (const e of d.context.events.splice(0)) d.reader(e.subtask).sourceEvent(e.event);
        for (const r of d.reader(0).output()) rows.set(Number(r.fields[0]), r);
        d.reader(0).clearOutput();
        if (++rounds % 10 === 0) {
          // The binlog split goes out after a checkpoint that follows the snapshot.
          const cp = await d.checkpoint();
          await d.complete(cp.checkpointId);
        }
        if (!inserted && rows.size === VALUES.length) {
          inserted = true;
          const c = await db.connect('p');
          try {
            await c.query("SET time_zone = '+00:00', sql_mode = 'ALLOW_INVALID_DATES'");
            for (const [k, v] of VALUES.entries()) await c.query(`INSERT INTO t VALUES (${k + 1 + BINLOG_OFFSET}, ${v})`);
          } finally {
            await c.end();
          }
        }
        await new Promise((r) => setTimeout(r, 5));
        if (Date.now() > deadline) throw new Error(`only ${rows.size} of ${VALUES.length * 2} rows arrived in time`);
      }
    } finally {
      await d.close();
    }
    const columns = 33; // id and the 32 value columns, then the metadata columns
    for (let k = 1; k <= VALUES.length; k++) {
      const snap = rows.get(k)!;
      const bin = rows.get(k + BINLOG_OFFSET)!;
      expect(snap.fields.at(-2), 'snapshot rows have op_ts 0').toBe(0);
      expect(bin.fields.at(-2) as number, 'binlog rows have an event time').toBeGreaterThan(0);
      expect(bin.fields.slice(1, columns), `row ${k}`).toEqual(snap.fields.slice(1, columns));
    }
    // A few values pinned, so both paths being wrong the same way is caught too.
    const r1 = rows.get(1)!.fields;
    expect(r1[8]).toBe(-9223372036854775808n); // bi
    expect(r1[9]).toBe(18446744073709551615n); // bu
    expect(r1[10]).toBe(-999999999999n); // d
    expect(r1[12]).toBe(-123456789012345n); // d15
    expect(r1[13]).toBe(-123456789012345678900123456789n); // dl
    expect(r1[27]).toBe(Date.UTC(9999, 11, 31, 23, 59, 59, 999)); // dt3
    expect(r1[28]).toBe(Date.UTC(2024, 1, 29, 12, 34, 56, 123)); // dt6
    expect(r1[29]).toBe(1000); // ts
    expect(r1[25]).toBe(Date.UTC(1000, 0, 1) / 86_400_000); // dt
    expect(rows.get(2)!.fields[9]).toBe(9007199254740993n); // bu above 2^53
    expect(rows.get(3)!.fields[26]).toBeNull(); // zero DATETIME
    expect(rows.get(3)!.fields[25]).toBeNull(); // zero DATE
    expect(rows.get(3)!.fields[32]).toBe(0); // YEAR 0000
    expect(rows.get(4)!.fields.slice(1, columns).every((v) => v === null)).toBe(true);
  }, 120_000);
});
