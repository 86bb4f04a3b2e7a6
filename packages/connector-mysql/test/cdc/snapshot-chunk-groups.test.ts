// Adjacent snapshot chunks read by one SELECT (mysql-cdc-reader.ts `readChunks`), against a real MariaDB: the
// server's general log counts the chunk queries (fewer than the chunks), every row comes exactly once with the keys
// split at the chunk bounds (BIGINT keys arrive as bigints, INT keys as numbers), and a checkpoint taken while
// chunks read ahead are still queued restores to the same rows, none twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '@runnel/api/table';
import { SourceDriver } from '@runnel/testing';
import { MySqlCdcSource, type MySqlCdcEnumeratorState, type MySqlCdcSplit } from '../../src/index.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';

type Driver = SourceDriver<Row, MySqlCdcSplit, MySqlCdcEnumeratorState>;

const CHUNK = 500;

function cdc(db: MariaDb, table: string, maxBuffered?: number): MySqlCdcSource<Row> {
  const b = MySqlCdcSource.builder().hostname(db.host).port(db.port).username('root').password('').databaseList('g').tableList(`g\\.${table}`).serverId('7200-7210').splitSize(CHUNK);
  return (maxBuffered === undefined ? b : b.maxBufferedRecords(maxBuffered)).build();
}

/** Rows queued in the reader: in the chunk being emitted and those read ahead (private fields, looked at here). */
function queued(d: Driver): number {
  type Run = { rows: unknown[]; head: number };
  const r = d.reader(0).reader as unknown as { chunk: Run | undefined; ahead: Run[] };
  let n = r.chunk === undefined ? 0 : r.chunk.rows.length - r.chunk.head;
  for (const a of r.ahead) n += a.rows.length - a.head;
  return n;
}

/** Polls (delivering enumerator events) until `n` records count; checkpoints are taken by the caller. */
async function pollUntil(d: Driver, n: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (d.records().length < n) {
    const st = await d.pollAll();
    for (const e of d.context.events.splice(0)) d.reader(e.subtask).sourceEvent(e.event);
    if (st.every((s) => s !== 'more-available')) await new Promise((r) => setTimeout(r, 2));
    if (Date.now() > deadline) throw new Error(`${d.records().length} of ${n} records in time`);
  }
}

/** The chunk queries the server received since the log was cleared. */
async function chunkQueries(db: MariaDb): Promise<number> {
  const rows = await db.query<{ n: number }>("SELECT COUNT(*) AS n FROM mysql.general_log WHERE argument LIKE 'START TRANSACTION WITH CONSISTENT SNAPSHOT%'");
  return Number(rows[0]!.n);
}

describe('mysql-cdc snapshot chunk groups', () => {
  let db: MariaDb;
  beforeAll(async () => {
    db = await startMariaDb();
    // Keys with gaps (every third), so chunk bounds fall between keys; 10 000 rows = 20 chunks of 500.
    await db.query(
      'CREATE DATABASE g; CREATE TABLE g.big (id BIGINT PRIMARY KEY, v INT); INSERT INTO g.big SELECT seq * 3, seq FROM g.seq_1_to_10000;' +
        ' CREATE TABLE g.small (id INT PRIMARY KEY, v VARCHAR(20)); INSERT INTO g.small SELECT CAST(seq AS SIGNED) * 3 - 100, CONCAT(\'v\', seq) FROM g.seq_1_to_10000;',
    );
    await db.query("SET GLOBAL log_output = 'TABLE'; SET GLOBAL general_log = 1;");
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('reads 20 chunks with at most 8 queries, every row once', async () => {
    await db.query('TRUNCATE mysql.general_log');
    const d: Driver = await SourceDriver.start(cdc(db, 'big'), { parallelism: 1 });
    await pollUntil(d, 10_000);
    const ids = d.records().map((r) => r.fields[0]);
    await d.close();
    expect([...(ids as bigint[])].sort((a, b) => (a < b ? -1 : 1))).toEqual(Array.from({ length: 10_000 }, (_, i) => BigInt((i + 1) * 3)));
    const queries = await chunkQueries(db);
    // Batches of 4 while enough chunks are left, smaller at the end (4, 4, 4, 4, 2, 1, 1 in a job). The harness hands a
    // batch to the reader one split per call, and the reader's next request reaches the enumerator inside that call:
    // the first chunk is read alone and the next batch comes before the rest of the first, so up to 8 queries.
    expect(queries).toBeGreaterThanOrEqual(5);
    expect(queries).toBeLessThanOrEqual(8);
  });

  it('a checkpoint with chunks read ahead restores to every row once (INT key)', async () => {
    const source = cdc(db, 'small');
    let d: Driver = await SourceDriver.start(source, { parallelism: 1 });
    await pollUntil(d, 1_200);
    const cp = await d.checkpoint();
    const kept = d.recordsAtLastCheckpoint();
    expect(kept.length).toBeGreaterThanOrEqual(1_200);
    // The reader holds chunks read ahead, not emitted yet (its private queue, looked at to be sure the case is
    // the one under test): the checkpoint has them as they were assigned.
    const ahead = (d.reader(0).reader as unknown as { ahead: unknown[] }).ahead;
    expect(ahead.length).toBeGreaterThan(0);
    await pollUntil(d, kept.length + 1_500);
    await d.crash();
    d = await SourceDriver.start(source, { parallelism: 1, restore: cp });
    await pollUntil(d, 10_000 - kept.length);
    const ids = [...kept, ...d.records()].map((r) => r.fields[0] as number);
    await d.close();
    expect(ids.length).toBe(10_000);
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => (i + 1) * 3 - 100));
    expect(typeof ids[0]).toBe('number');
  });

  it('maxBufferedRecords bounds the rows queued in the chunk being emitted and those read ahead, together', async () => {
    const d: Driver = await SourceDriver.start(cdc(db, 'big', 300), { parallelism: 1 });
    let most = 0;
    const deadline = Date.now() + 20_000;
    while (d.records().length < 10_000) {
      await d.pollAll();
      for (const e of d.context.events.splice(0)) d.reader(e.subtask).sourceEvent(e.event);
      // A slow consumer: the rows pile up to the bound while it waits.
      await new Promise((r) => setTimeout(r, 10));
      most = Math.max(most, queued(d));
      if (Date.now() > deadline) throw new Error(`${d.records().length} of 10000 records in time`);
    }
    const ids = d.records().map((r) => r.fields[0] as bigint);
    await d.close();
    expect(new Set(ids).size).toBe(10_000);
    expect(most).toBe(300); // reached, never passed (groups hold 2 000 rows)
  });
});
