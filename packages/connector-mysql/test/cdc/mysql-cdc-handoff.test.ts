// The snapshot-to-binlog hand-off under concurrent writes, in process (the SourceDriver runs the enumerator and three
// readers as a job does, with checkpoints and restores): a writer inserts, updates (also moving keys to another chunk)
// and deletes on 3 tables in small transactions while the source snapshots them in chunks and then follows the
// binlog; midway the job crashes and restores from its last checkpoint, once during the snapshot and once during the
// binlog phase. Every change is applied to a strict replica (a duplicate or a gap fails at once); after the writer
// stops and the source caught up, the replica equals the tables as the server reads them. Three seeds; one with a
// 1 M-row table under RUNNEL_TEST_FULL=1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '@runnel/api/table';
import { SourceDriver, type SourceCheckpoint } from '@runnel/testing';
import { MySqlCdcSource, defaultCdcMapper, type MySqlCdcSplit, type MySqlCdcEnumeratorState } from '../../src/index.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { createSourceTables, oracle, Replica, startWriter } from './cdc-fixtures.js';

const FULL = process.env['RUNNEL_TEST_FULL'] === '1';
type SeqRow = Row & { seq: number };
type Driver = SourceDriver<SeqRow, MySqlCdcSplit, MySqlCdcEnumeratorState>;

/** Polls the driver once and delivers the enumerator's events to the readers. */
async function round(d: Driver): Promise<void> {
  const statuses = await d.pollAll();
  for (const e of d.context.events.splice(0)) d.reader(e.subtask).sourceEvent(e.event);
  if (statuses.every((s) => s !== 'more-available')) {
    const waits = statuses.map((_, k) => d.reader(k).reader.isAvailable());
    await Promise.race([Promise.race(waits), new Promise((r) => setTimeout(r, 20))]);
  }
}

// Seed 37 once failed in CI with a -U whose before-image the replica did not hold (orders key 2562: a change the
// snapshot row already held was emitted again). Cause: a chunk resumed after a checkpoint that had every one of its
// keys finished with an empty segment [2562, 2562) that won the binlog filter's lookup for the next chunk's keys
// when the next chunk had reported first (fixed; snapshot-segments.test.ts has the lookup in isolation).
describe('mysql-cdc hand-off under concurrent writes', () => {
  let db: MariaDb;
  beforeAll(async () => {
    db = await startMariaDb({ bufferPool: FULL ? '512M' : '128M' });
  });
  afterAll(async () => {
    await db?.stop();
  });

  const cases = [
    { seed: 11, rows: FULL ? 1_000_000 : 30_000, chunk: FULL ? 8096 : 1000 },
    { seed: 23, rows: 8_000, chunk: 500 },
    { seed: 37, rows: 3_000, chunk: 256 },
    // More seeds on demand: RUNNEL_MYSQL_CDC_SEEDS=41,53 (3 000 rows, chunks of 256, as seed 37).
    ...(process.env['RUNNEL_MYSQL_CDC_SEEDS'] ?? '')
      .split(',')
      .filter((x) => x.trim() !== '')
      .map((x) => ({ seed: Number(x), rows: 3_000, chunk: 256 })),
  ];
  for (const { seed, rows, chunk } of cases) {
    it(`seed ${seed}: ${rows} rows, chunks of ${chunk}: the applied changelog equals the tables`, { timeout: FULL ? 900_000 : 180_000 }, async () => {
      const database = `handoff_${seed}`;
      await createSourceTables(db, database, rows);
      // Every record gets a global sequence number: readers' outputs are merged in emission order.
      let seq = 0;
      let binlogChanges = 0;
      const source = MySqlCdcSource.builder()
        .hostname(db.host)
        .port(db.port)
        .username('root')
        .password('')
        .databaseList(database)
        .tableList(`${database}\\.(orders|items|tags)`)
        .serverId(`${6000 + seed * 10}-${6000 + seed * 10 + 5}`)
        .splitSize(chunk)
        .deserializer<SeqRow>((kind, t, fields, opTs) => {
          if (opTs > 0) binlogChanges++;
          return Object.assign(defaultCdcMapper(kind, t, fields, opTs), { seq: seq++ });
        })
        .build();
      const replica = new Replica(database);
      const writer = startWriter(db, database, seed, rows);
      let stopped = false;
      let d = undefined as unknown as Driver;
      try {
      d = await SourceDriver.start(source, { parallelism: 3 });
      /** Applies what the readers emitted up to the checkpoint (what a restore keeps), in emission order. */
      const checkpoint = async (): Promise<SourceCheckpoint> => {
        const emitted: SeqRow[] = [];
        for (let s = 0; s < 3; s++) emitted.push(...d.reader(s).output());
        emitted.sort((a, b) => a.seq - b.seq);
        const cp = await d.checkpoint();
        replica.apply(emitted);
        await d.complete(cp.checkpointId);
        return cp;
      };
      const restore = async (cp: SourceCheckpoint): Promise<void> => {
        await d.crash();
        d = await SourceDriver.start(source, { parallelism: 3, restore: cp });
      };
      const snapshotPhase = (): boolean => binlogChanges === 0;
      // The snapshot phase, a crash in the middle of it.
      let cp = await checkpoint();
      let restoredInSnapshot = false;
      for (let i = 0; !restoredInSnapshot; i++) {
        await round(d);
        if (i % 25 === 0) cp = await checkpoint();
        if (replica.applied > rows / 3 && snapshotPhase()) {
          for (let j = 0; j < 10; j++) await round(d); // records after the checkpoint: lost in the crash, read again
          await restore(cp);
          restoredInSnapshot = true;
        }
        if (i > 200_000) throw new Error('the snapshot did not progress');
      }
      // Until the binlog phase: every chunk done, then a crash while following the binlog.
      const deadline = Date.now() + (FULL ? 600_000 : 120_000);
      let binlogCrashDone = false;
      let rounds = 0;
      while (!binlogCrashDone) {
        await round(d);
        if (++rounds % 25 === 0) {
          cp = await checkpoint();
          if (binlogChanges > 200) {
            for (let j = 0; j < 10; j++) await round(d);
            await restore(cp);
            binlogCrashDone = true;
          }
        }
        if (Date.now() > deadline) throw new Error('no binlog phase in time');
      }
      const stats = await writer.stop();
      stopped = true;
      // Catch up: poll until the replica equals the tables.
      const c = await db.connect();
      try {
        const expected = await oracle(c, database);
        let diff: string | undefined = 'not compared';
        const until = Date.now() + (FULL ? 300_000 : 90_000);
        while (diff !== undefined) {
          for (let j = 0; j < 50; j++) await round(d);
          await checkpoint();
          diff = replica.diff(expected);
          if (Date.now() > until) break;
        }
        console.log(`seed ${seed}: ${stats.transactions} writer transactions (${stats.statements} statements), ${replica.applied} changes applied`);
        expect(diff).toBeUndefined();
        expect(stats.transactions).toBeGreaterThan(20);
      } finally {
        await c.end();
      }
      } finally {
        if (!stopped) await writer.stop().catch(() => undefined);
        if (d !== undefined) await d.close();
      }
    });
  }
});
