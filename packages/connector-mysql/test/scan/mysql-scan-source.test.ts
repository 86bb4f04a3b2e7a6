// The scan source against a real MariaDB: the source conformance suite (splits, positions in checkpoints, restores
// at other parallelisms without loss or duplicates), partition ranges filtering as Flink's BETWEEN, a split restored
// in the middle resuming after the last key read (and a key-less table by skipping), and the type mapping read back
// exactly (BIGINT UNSIGNED, DECIMAL(38,10), DATETIME vs TIMESTAMP with a zone, BIT, binary, JSON).
import { RowKind, type Row } from '@runnel/api';
import { describeConformance, SourceDriver, sourceConformance } from '@runnel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MySqlScanSource } from '../../src/scan/mysql-scan-source.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { settingsFor } from '../support/mysql-fixtures.js';

let db: MariaDb;
const ROWS = 3000;
beforeAll(async () => {
  db = await startMariaDb({ binlog: false });
  await db.query('CREATE DATABASE r; CREATE TABLE r.items (id BIGINT PRIMARY KEY, name VARCHAR(20)); CREATE TABLE r.nokey (id BIGINT, name VARCHAR(20))');
  const rows = Array.from({ length: ROWS }, (_, i) => [i + 1, `n${i + 1}`]);
  await db.query('INSERT INTO r.items VALUES ?', [rows]);
  await db.query('INSERT INTO r.nokey VALUES ?', [rows]);
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

const BIG = { root: 'BIGINT', nullable: false } as const;
const STR = { root: 'VARCHAR', nullable: true, precision: 20 } as const;

function source(table = 'items', partition?: { num: number; lower: bigint; upper: bigint }, fetchSize = 16): MySqlScanSource<string> {
  return new MySqlScanSource<string>({
    connection: settingsFor(db, 'r'),
    table,
    columns: [
      { name: 'id', type: BIG },
      { name: 'name', type: STR },
    ],
    partitionColumn: partition === undefined ? undefined : 'id',
    partition,
    fetchSize,
    toRecord: (r: Row) => `${r.fields[0]}|${r.fields[1]}`,
  });
}

const all = Array.from({ length: ROWS }, (_, i) => `${i + 1}|n${i + 1}`);

describe('MySqlScanSource conformance (partitioned)', () => {
  describeConformance(sourceConformance({ name: 'source conformance', createSource: () => source('items', { num: 7, lower: 1n, upper: BigInt(ROWS) }), expectedRecords: all }), { describe, it });
});

describe('MySqlScanSource conformance (key-less table, one split)', () => {
  describeConformance(sourceConformance({ name: 'source conformance', createSource: () => source('nokey'), expectedRecords: all }), { describe, it });
});

describe('MySqlScanSource', () => {
  it('reads only the partition bounds (Flink filters by them) in ranges', async () => {
    const d = await SourceDriver.start(source('items', { num: 3, lower: 101n, upper: 200n }), { parallelism: 2 });
    await d.run();
    expect(d.records().sort()).toEqual(all.slice(100, 200).sort());
    await d.close();
  });

  it('resumes a split restored in the middle after the last key read', async () => {
    for (const table of ['items', 'nokey']) {
      const d = await SourceDriver.start(source(table, undefined, 8), { parallelism: 1 });
      await d.run({ maxRecords: 1000 });
      const cp = await d.checkpoint();
      const before = d.recordsAtLastCheckpoint();
      expect(before.length).toBeGreaterThanOrEqual(1000);
      expect(before.length).toBeLessThan(ROWS);
      await d.crash();
      const r = await SourceDriver.start(source(table, undefined, 8), { parallelism: 1, restore: cp });
      await r.run();
      const after = r.records();
      expect(after.length, table).toBe(ROWS - before.length);
      expect([...before, ...after].sort(), table).toEqual([...all].sort());
      await r.close();
    }
  });

  it('reads every type exactly', async () => {
    await db.query(`CREATE TABLE r.types (id INT PRIMARY KEY, u BIGINT UNSIGNED, d DECIMAL(38,10), dt DATETIME(3), ts TIMESTAMP(3) NULL,
      b BIT(1), bin VARBINARY(10), j JSON, t TIME(3), dd DATE, f DOUBLE, tiny TINYINT(1), e ENUM('x','y'))`);
    await db.query(`SET time_zone = '+00:00'; INSERT INTO r.types VALUES (1, 18446744073709551615, -1234567890123456789012345678.0123456789,
      '2024-02-29 23:59:59.999', '2024-01-01 00:00:00.123', b'1', X'00FF27', '{"a": [1, "x"]}', '12:34:56.789', '0001-01-01', 0.1, 1, 'y')`);
    const s = new MySqlScanSource<Row>({
      connection: settingsFor(db, 'r', { timeZone: 'Asia/Shanghai' }),
      table: 'types',
      columns: [
        { name: 'u', type: { root: 'DECIMAL', nullable: true, precision: 20, scale: 0 } },
        { name: 'd', type: { root: 'DECIMAL', nullable: true, precision: 38, scale: 10 } },
        { name: 'dt', type: { root: 'TIMESTAMP', nullable: true, precision: 3 } },
        { name: 'ts', type: { root: 'TIMESTAMP_LTZ', nullable: true, precision: 3 } },
        { name: 'ts', type: { root: 'TIMESTAMP', nullable: true, precision: 3 } },
        { name: 'b', type: { root: 'BOOLEAN', nullable: true } },
        { name: 'bin', type: { root: 'VARBINARY', nullable: true, precision: 10 } },
        { name: 'j', type: { root: 'VARCHAR', nullable: true, precision: 2147483647 } },
        { name: 't', type: { root: 'TIME', nullable: true, precision: 3 } },
        { name: 'dd', type: { root: 'DATE', nullable: true } },
        { name: 'f', type: { root: 'DOUBLE', nullable: true } },
        { name: 'tiny', type: { root: 'BOOLEAN', nullable: true } },
        { name: 'e', type: { root: 'VARCHAR', nullable: true, precision: 1 } },
      ],
    });
    const d = await SourceDriver.start(s, { parallelism: 1 });
    await d.run();
    const [r] = d.records();
    expect(r!.kind).toBe(RowKind.INSERT);
    const f = r!.fields;
    expect(f[0]).toBe(18446744073709551615n);
    expect(f[1]).toBe(-12345678901234567890123456780123456789n);
    expect(f[2]).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(f[3]).toBe(Date.UTC(2024, 0, 1, 0, 0, 0, 123));
    expect(f[4]).toBe(Date.UTC(2024, 0, 1, 8, 0, 0, 123));
    expect(f[5]).toBe(true);
    expect([...(f[6] as Uint8Array)]).toEqual([0, 255, 39]);
    expect(JSON.parse(f[7] as string)).toEqual({ a: [1, 'x'] });
    expect(f[8]).toBe(((12 * 60 + 34) * 60 + 56) * 1000 + 789);
    expect(f[9]).toBe(-719162);
    expect(f[10]).toBe(0.1);
    expect(f[11]).toBe(true);
    expect(f[12]).toBe('y');
    await d.close();
  });
});
