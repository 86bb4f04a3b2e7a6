// The mysql-cdc source's errors and newly added tables, against real MariaDB servers: binlog_format not ROW, missing
// replication privileges, a DDL on a captured table (fails with the statement), a binlog purged past the checkpoint
// (fails on restore, saying what to do), and `scan.newly-added-table.enabled`: a table created after the job started
// is snapshotted and then followed after a restore.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '@runnel/api/table';
import { SourceDriver, type SourceCheckpoint } from '@runnel/testing';
import { MySqlCdcSource, type MySqlCdcEnumeratorState, type MySqlCdcSplit } from '../../src/index.js';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';

type Driver = SourceDriver<Row, MySqlCdcSplit, MySqlCdcEnumeratorState>;

function cdc(db: MariaDb, database: string, tables: string, extra: { user?: string; password?: string; newly?: boolean } = {}): MySqlCdcSource<Row> {
  return MySqlCdcSource.builder()
    .hostname(db.host)
    .port(db.port)
    .username(extra.user ?? 'root')
    .password(extra.password ?? '')
    .databaseList(database)
    .tableList(tables)
    .serverId('7100-7110')
    .scanNewlyAddedTableEnabled(extra.newly ?? false)
    .build();
}

/** Whether a record came from the binlog (op_ts > 0) with this id. */
const fromBinlog = (d: Driver, id: bigint): boolean => d.records().some((r) => r.fields[0] === id && (r.fields[r.fields.length - 2] as number) > 0);

/** Polls (delivering enumerator events, completing a checkpoint now and then) until `until()` or a timeout. */
async function pollUntil(d: Driver, until: () => boolean, timeoutMs = 30_000): Promise<Row[]> {
  const out: Row[] = [];
  const deadline = Date.now() + timeoutMs;
  let rounds = 0;
  while (!until()) {
    await d.pollAll();
    for (const e of d.context.events.splice(0)) d.reader(e.subtask).sourceEvent(e.event);
    if (++rounds % 20 === 0) {
      for (let s = 0; s < d.parallelism; s++) out.push(...d.reader(s).output());
      const cp = await d.checkpoint();
      await d.complete(cp.checkpointId);
    }
    await new Promise((r) => setTimeout(r, 5));
    if (Date.now() > deadline) throw new Error('condition not reached in time');
  }
  for (let s = 0; s < d.parallelism; s++) out.push(...d.reader(s).output());
  return out;
}

describe('mysql-cdc errors', () => {
  let db: MariaDb;
  beforeAll(async () => {
    db = await startMariaDb();
    await db.query('CREATE DATABASE e; CREATE TABLE e.t (id BIGINT PRIMARY KEY, v INT); INSERT INTO e.t SELECT seq, seq FROM e.seq_1_to_100;');
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('binlog_format not ROW: fails naming the setting', async () => {
    const stmt = await startMariaDb({ binlogFormat: 'STATEMENT' });
    try {
      await stmt.query('CREATE DATABASE e; CREATE TABLE e.t (id BIGINT PRIMARY KEY)');
      const d: Driver = await SourceDriver.start(cdc(stmt, 'e', 't'));
      await expect(d.pollAll()).rejects.toThrow(/binlog_format is STATEMENT .* needs ROW/);
      await d.close();
    } finally {
      await stmt.stop();
    }
  });

  it('missing replication privileges: fails naming them, never the password', async () => {
    await db.query("CREATE USER 'reader'@'%' IDENTIFIED BY 's3cret-pw'; GRANT SELECT ON e.* TO 'reader'@'%';");
    const d: Driver = await SourceDriver.start(cdc(db, 'e', 't', { user: 'reader', password: 's3cret-pw' }));
    const error = await d.pollAll().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/lacks REPLICATION SLAVE and REPLICATION CLIENT/);
    expect(error?.message).not.toContain('s3cret-pw');
    await d.close();
  });

  it('a DDL on a captured table fails the source with the statement', async () => {
    await db.query('CREATE DATABASE ddl; CREATE TABLE ddl.t (id BIGINT PRIMARY KEY, v INT); INSERT INTO ddl.t VALUES (1, 1), (2, 2);');
    const d: Driver = await SourceDriver.start(cdc(db, 'ddl', 't'));
    await pollUntil(d, () => d.records().length >= 2);
    await db.query('INSERT INTO ddl.t VALUES (3, 3)');
    await pollUntil(d, () => d.records().some((r) => r.fields[0] === 3n));
    await db.query('ALTER TABLE ddl.t ADD COLUMN w INT');
    await expect(pollUntil(d, () => false, 20_000)).rejects.toThrow(/schema change on captured table ddl\.t .*ALTER TABLE ddl\.t ADD COLUMN w INT/);
    await d.close();
  });

  it('a binlog purged past the checkpoint fails the restore, saying what to do', async () => {
    await db.query('CREATE DATABASE pur; CREATE TABLE pur.t (id BIGINT PRIMARY KEY, v INT); INSERT INTO pur.t VALUES (1, 1);');
    const source = cdc(db, 'pur', 't');
    let d: Driver = await SourceDriver.start(source);
    await pollUntil(d, () => d.records().length >= 1);
    await db.query('INSERT INTO pur.t VALUES (2, 2)');
    await pollUntil(d, () => fromBinlog(d, 2n));
    const cp: SourceCheckpoint = await d.checkpoint();
    const file = (cp.enumerator.bytes.length > 0 ? (await db.query<{ File: string }>('SHOW MASTER STATUS'))[0]!.File : '') as string;
    await d.crash();
    // The server keeps a file a replica still reads: wait until the crashed reader's dump thread is gone.
    for (let i = 0; i < 200; i++) {
      const dumps = await db.query("SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'");
      if (dumps.length === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await db.query('FLUSH BINARY LOGS');
    const [last] = (await db.query<{ Log_name: string }>('SHOW BINARY LOGS')).slice(-1);
    // MariaDB keeps a file until its binlog checkpoint moved on (crash recovery): purge until it is gone.
    for (let i = 0; i < 80; i++) {
      await db.query(`PURGE BINARY LOGS TO '${last!.Log_name}'`);
      if (!(await db.query<{ Log_name: string }>('SHOW BINARY LOGS')).some((r) => r.Log_name === file)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect((await db.query<{ Log_name: string }>('SHOW BINARY LOGS')).map((r) => r.Log_name)).not.toContain(file);
    d = await SourceDriver.start(source, { restore: cp });
    await expect(pollUntil(d, () => false, 20_000)).rejects.toThrow(/is no longer on the server .* purged past the checkpoint.*without restoring/);
    await d.close();
  });

  it('scan.newly-added-table.enabled: a table created after the start is snapshotted, then followed, after a restore', async () => {
    await db.query('CREATE DATABASE na; CREATE TABLE na.t_a (id BIGINT PRIMARY KEY, v INT); INSERT INTO na.t_a VALUES (1, 1);');
    const source = cdc(db, 'na', 't_.*', { newly: true });
    let d: Driver = await SourceDriver.start(source, { parallelism: 2 });
    await pollUntil(d, () => d.records().length >= 1);
    await db.query('INSERT INTO na.t_a VALUES (2, 2)');
    await pollUntil(d, () => fromBinlog(d, 2n));
    await db.query('CREATE TABLE na.t_b (id BIGINT PRIMARY KEY, v INT); INSERT INTO na.t_b SELECT seq, seq FROM na.seq_1_to_50;');
    // Without a restore the new table is not captured (as in Flink CDC).
    await db.query('INSERT INTO na.t_a VALUES (3, 3)');
    await pollUntil(d, () => fromBinlog(d, 3n));
    expect(d.records().some((r) => r.fields[r.fields.length - 3] === 't_b')).toBe(false);
    const cp = await d.checkpoint();
    await d.complete(cp.checkpointId);
    await d.crash();
    d = await SourceDriver.start(source, { parallelism: 2, restore: cp });
    const ofB = (): Row[] => d.records().filter((r) => r.fields[r.fields.length - 3] === 't_b');
    await pollUntil(d, () => ofB().length >= 50); // the snapshot of the new table
    await db.query('INSERT INTO na.t_b VALUES (51, 51); DELETE FROM na.t_b WHERE id = 1;');
    const rows = await pollUntil(d, () => ofB().length >= 52); // then its binlog changes
    const b = d.records().filter((r) => r.fields[r.fields.length - 3] === 't_b');
    const live = new Map<bigint, Row>();
    for (const r of b) {
      if (r.kind === 0 || r.kind === 2) live.set(r.fields[0] as bigint, r);
      else live.delete(r.fields[0] as bigint);
    }
    expect(rows.length).toBeGreaterThan(0);
    expect([...live.keys()].sort((x, y) => Number(x - y))).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i + 2)));
    await d.close();
  });
});
