// `heartbeat.interval` against a real MariaDB: the binlog connection asks the server for heartbeats, so an idle
// source stays up well past the dead-connection limit (two intervals plus 3 s) while heartbeats arrive; when the
// server stops answering (SIGSTOP: the TCP connection stays open, nothing arrives), the source fails with a retriable
// error within a bound instead of waiting for ever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '@runnel/api/table';
import { SourceDriver } from '@runnel/testing';
import { MySqlCdcSource, StartupOptions, type MySqlCdcEnumeratorState, type MySqlCdcSplit } from '../../src/index.js';
import { MySqlCdcError } from '../../src/cdc/mysql-cdc-error.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';

type Driver = SourceDriver<Row, MySqlCdcSplit, MySqlCdcEnumeratorState>;
const INTERVAL_MS = 250;
const DEAD_AFTER_MS = 2 * INTERVAL_MS + 3000;

/** The binlog stream's heartbeat count (read from the reader's internals: it is not a public metric). */
function heartbeats(d: Driver): number | undefined {
  const reader = d.reader(0).reader as unknown as { binlog?: { stream?: { heartbeats: number } } };
  return reader.binlog?.stream?.heartbeats;
}

/** One round of the driver: polls, delivers enumerator events, completes a checkpoint. */
async function round(d: Driver): Promise<void> {
  await d.pollAll();
  for (const e of d.context.events.splice(0)) d.reader(e.subtask).sourceEvent(e.event);
  const cp = await d.checkpoint();
  await d.complete(cp.checkpointId);
  await new Promise((r) => setTimeout(r, 20));
}

describe('mysql-cdc heartbeat.interval', () => {
  let db: MariaDb;
  let stopped = false;
  const resume = (): void => {
    if (stopped) process.kill(db.pid(), 'SIGCONT');
    stopped = false;
  };
  beforeAll(async () => {
    db = await startMariaDb();
    await db.query('CREATE DATABASE hb; CREATE TABLE hb.t (id BIGINT PRIMARY KEY, v INT)');
    process.on('exit', resume);
  });
  afterAll(async () => {
    resume();
    process.off('exit', resume);
    await db?.stop();
  });

  it('heartbeats keep an idle binlog connection alive; a silent server fails the source, retriable', async () => {
    const source = MySqlCdcSource.builder()
      .hostname(db.host)
      .port(db.port)
      .username('root')
      .password('')
      .databaseList('hb')
      .tableList('t')
      .serverId('7200-7210')
      .startupOptions(StartupOptions.latest())
      .heartbeatInterval(INTERVAL_MS)
      .build();
    const d: Driver = await SourceDriver.start(source, { parallelism: 1 });
    try {
      // The binlog follows (from the position found at discovery): a row written once it runs arrives.
      const deadline = Date.now() + 60_000;
      while (heartbeats(d) === undefined) {
        if (Date.now() > deadline) throw new Error('the binlog reader did not start');
        await round(d);
      }
      await db.query('INSERT INTO hb.t VALUES (1, 1)');
      while (!d.records().some((r) => r.fields[0] === 1n)) {
        if (Date.now() > deadline) throw new Error('the binlog row did not arrive');
        await round(d);
      }
      // Idle for twice the dead-connection limit: heartbeats arrive and the source does not fail.
      const before = heartbeats(d) ?? 0;
      const idleUntil = Date.now() + 2 * DEAD_AFTER_MS;
      while (Date.now() < idleUntil) await round(d);
      const received = (heartbeats(d) ?? 0) - before;
      expect(received).toBeGreaterThanOrEqual(5);

      // The server stops answering: the source fails within the limit (plus a margin for a loaded machine).
      process.kill(db.pid(), 'SIGSTOP');
      stopped = true;
      const t0 = Date.now();
      let error: unknown;
      while (error === undefined && Date.now() - t0 < 60_000) {
        try {
          await d.pollAll();
        } catch (e) {
          error = e;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      resume();
      const elapsed = Date.now() - t0;
      expect(error).toBeDefined();
      const cause = (error as { cause?: unknown }).cause ?? error;
      const e = cause instanceof MySqlCdcError ? cause : error;
      expect(String((e as Error).message)).toMatch(/nothing arrived on the binlog connection .* heartbeat every 250 ms \(heartbeat.interval\)/);
      expect((e as MySqlCdcError).kind).toBe('retriable');
      expect(elapsed).toBeGreaterThanOrEqual(DEAD_AFTER_MS - 500);
      expect(elapsed).toBeLessThan(DEAD_AFTER_MS + 20_000);
    } finally {
      resume();
      await d.close();
    }
  }, 180_000);
});
