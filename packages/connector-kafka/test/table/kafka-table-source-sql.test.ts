// Kafka tables in SQL as users write them (`CREATE TABLE ... WITH ('connector' = 'kafka', ...)`, the real formats
// of @runnel/formats), run by a SqlSession in this thread (`execution.target` = `local`) over the in-memory cluster:
// a window aggregation over 4 partitions equals its oracle (SELECT, and INSERT into the exactly-once filesystem sink
// with checkpoints), a silent partition does not stop windows from firing once idle, a partition added while
// running is read, a malformed record fails with / is skipped with / is routed with its topic, partition and offset,
// key fields and metadata columns, and debezium-json and canal-json topics into a retracting aggregation.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MaterializedResult, SqlSession, type StatementResult } from '@runnel/sql';
import type { Row } from '@runnel/api/table';
import { InMemoryKafka } from '../support/in-memory-kafka.js';
import { inMemoryKafkaPluginPath } from './kafka-table-source-plugin.js';
import { waitFor } from '../source/source-fixtures.js';

/** A running job as a session returns it (this package does not depend on the runtime itself). */
type JobClient = Extract<StatementResult, { kind: 'job' }>['client'];

const BASE_TS = 1_700_000_000_000;
const clients: JobClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) if (c.getStatus() === 'running') await c.cancel().catch(() => undefined);
});

function session(config: Record<string, string> = {}): SqlSession {
  return new SqlSession({
    config: { 'parallelism.default': '2', 'execution.target': 'local', 'table.local-time-zone': 'UTC', 'pipeline.auto-watermark-interval': '20 ms', ...config },
    pluginSearchPath: [inMemoryKafkaPluginPath()],
  });
}

/** Runs a script whose last statement starts a job; returns the job. */
async function start(script: string, config: Record<string, string> = {}): Promise<JobClient> {
  let last: StatementResult | undefined;
  await session(config).executeScript(script, (_s, r) => {
    last = r;
  });
  if (last?.kind !== 'job') throw new Error('the script does not start a job');
  clients.push(last.client);
  return last.client;
}

/** The rows a SELECT job collected so far, its changelog applied, as sorted text. */
function current(client: JobClient): string[] {
  const m = new MaterializedResult();
  for (const r of client.collected('sql-select') as Row[]) m.apply(r);
  return m.current().map((r) => r.map((v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v))).join('|')).sort();
}

const table = (k: InMemoryKafka, columns: string, options: Record<string, string> = {}, name = 'events'): string => {
  const all = { connector: 'kafka', topic: 'events', 'properties.bootstrap.servers': k.bootstrap, format: 'json', 'scan.startup.mode': 'earliest-offset', ...options };
  return `CREATE TABLE ${name} (${columns}) WITH (${Object.entries(all).map(([key, v]) => `'${key}' = '${v}'`).join(', ')});\n`;
};

/** `n` events spread round robin over `partitions`, each with a Kafka timestamp, and their per-window oracle. */
function events(k: InMemoryKafka, n: number, partitions: number): { oracle: string[] } {
  const perWindow = new Map<string, [number, number]>();
  for (let i = 0; i < n; i++) {
    const uid = `u${i % 5}`;
    const amount = (i * 7) % 11;
    const ts = BASE_TS + i * 37;
    k.append('events', i % partitions, [{ value: JSON.stringify({ uid, amount }), timestamp: ts }]);
    const key = `${uid}|${ts - (ts % 1000)}`;
    const agg = perWindow.get(key) ?? [0, 0];
    perWindow.set(key, [agg[0] + 1, agg[1] + amount]);
  }
  return { oracle: [...perWindow].map(([key, [c, s]]) => `${key}|${c}|${s}`).sort() };
}

const WINDOWS = `SELECT uid, window_start, COUNT(*) AS n, SUM(amount) AS total
FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND))
GROUP BY uid, window_start, window_end;`;
const EVENT_COLUMNS = "uid STRING, amount BIGINT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', WATERMARK FOR ts AS ts - INTERVAL '1' SECOND";
/** window_start (a TIMESTAMP_LTZ(3): epoch milliseconds) as a number. */
const windowRows = (rows: string[]): string[] =>
  rows.map((r) => {
    const [uid, start, n, total] = r.split('|');
    return `${uid}|${Number(start)}|${n}|${total}`;
  }).sort();

describe('kafka tables in SQL', () => {
  it('a window aggregation over a topic with 4 partitions equals the oracle (bounded scan, parallelism 2)', async () => {
    const k = new InMemoryKafka().createTopic('events', 4);
    const { oracle } = events(k, 2_000, 4);
    const job = await start(`${table(k, EVENT_COLUMNS, { 'scan.bounded.mode': 'latest-offset' })}${WINDOWS}`);
    await job.getJobExecutionResult();
    expect(windowRows(current(job))).toEqual(oracle);
  });

  it('INSERT into the exactly-once filesystem sink with checkpoints: the files hold the oracle', async () => {
    const k = new InMemoryKafka().createTopic('events', 4);
    const { oracle } = events(k, 3_000, 4);
    const dir = mkdtempSync(join(tmpdir(), 'runnel-kafka-sql-'));
    const job = await start(
      `${table(k, EVENT_COLUMNS, { 'scan.bounded.mode': 'latest-offset', 'properties.group.id': 'windows' })}
CREATE TABLE out (uid STRING, window_start TIMESTAMP_LTZ(3), n BIGINT, total BIGINT) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'json');
INSERT INTO out ${WINDOWS}`,
      { 'execution.checkpointing.interval': '50 ms', 'state.checkpoints.dir': join(dir, '.checkpoints') },
    );
    const result = await job.getJobExecutionResult();
    expect(result.checkpoints.length).toBeGreaterThan(0);
    const lines = readdirSync(dir)
      .filter((f) => !f.startsWith('.'))
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
      .map((l) => JSON.parse(l) as { uid: string; window_start: string; n: number; total: number });
    const rows = lines.map((l) => `${l.uid}|${Date.parse(l.window_start.replace(' ', 'T'))}|${l.n}|${l.total}`).sort();
    expect(rows).toEqual(oracle);
    // Completed checkpoints committed the offsets read to the group (at the end: 750 records per partition).
    await waitFor(() => [0, 1, 2, 3].every((p) => k.committed('windows', 'events', p) === 750), 2_000, 'the group commit');
  });

  it('one partition receives nothing: windows still fire once it is idle (table.exec.source.idle-timeout)', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    // Partition 0 only: events over 3 s; partition 1 stays silent.
    for (let i = 0; i < 30; i++) k.append('events', 0, [{ value: JSON.stringify({ uid: 'u', amount: 1 }), timestamp: BASE_TS + i * 100 }]);
    const idle = await start(`${table(k, EVENT_COLUMNS)}${WINDOWS}`, { 'table.exec.source.idle-timeout': '200 ms' });
    // The watermark (last event - 1 s) closes the first window [0 s, 1 s).
    await waitFor(() => current(idle).length >= 1, 10_000, 'the first window');
    expect(windowRows(current(idle))[0]).toBe(`u|${BASE_TS}|10|10`);
    await idle.cancel();

    // Without the timeout the silent partition holds the watermark back: no window fires.
    const held = await start(`${table(k, EVENT_COLUMNS)}${WINDOWS}`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(current(held)).toEqual([]);
  });

  it('a partition added while running is picked up (scan.topic-partition-discovery.interval)', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.appendValues('events', 0, [{ uid: 'a', amount: 1 }]);
    const job = await start(`${table(k, 'uid STRING, amount BIGINT, `partition` INT METADATA VIRTUAL', { 'scan.topic-partition-discovery.interval': '50 ms' })}SELECT * FROM events;`);
    await waitFor(() => current(job).length === 1, 10_000, 'the first row');
    k.addPartitions('events', 3);
    k.appendValues('events', 2, [{ uid: 'c', amount: 3 }]);
    k.appendValues('events', 1, [{ uid: 'b', amount: 2 }]);
    await waitFor(() => current(job).length === 3, 10_000, 'rows of the new partitions');
    expect(current(job)).toEqual(['a|1|0', 'b|2|1', 'c|3|2']);
  });

  it('a partition added after the others went idle drives windows of its own (idleness, then discovery)', async () => {
    // As the Mokapi test: partition 0 has events over 3 s and closes its first window while partition 1 is silent;
    // then partition 2 is added and receives events 10 s later, whose windows must close by its watermark alone.
    const k = new InMemoryKafka().createTopic('events', 2);
    for (let t = 0; t <= 2900; t += 100) k.append('events', 0, [{ value: JSON.stringify({ uid: 'u', amount: 1 }), timestamp: BASE_TS + t }]);
    const sql = `SELECT \`partition\`, window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY \`partition\`, window_start, window_end;`;
    const job = await start(`${table(k, `${EVENT_COLUMNS}, \`partition\` INT METADATA VIRTUAL`, { 'scan.topic-partition-discovery.interval': '200 ms' })}${sql}`, {
      'table.exec.source.idle-timeout': '500 ms',
    });
    await waitFor(() => current(job).some((r) => r.startsWith('0|')), 10_000, 'the first window of partition 0');
    k.addPartitions('events', 3);
    for (let t = 10_000; t <= 13_000; t += 100) k.append('events', 2, [{ value: JSON.stringify({ uid: 'u', amount: 1 }), timestamp: BASE_TS + t }]);
    await waitFor(() => current(job).some((r) => r.startsWith('2|')), 10_000, 'the first window of the added partition 2');
    expect(current(job).filter((r) => r.startsWith('2|'))[0]).toBe(`2|${BASE_TS + 10_000}|10`);
  });

  describe('a malformed record at a known offset', () => {
    const bad = (): InMemoryKafka => {
      const k = new InMemoryKafka().createTopic('events', 2);
      k.appendValues('events', 1, ['{"uid": "a", "amount": 1}', '{"uid": "b", "amount": 2}', '{"uid": "c", "amount": 3}', '{"uid": "d", "amount": ', '{"uid": "e", "amount": 5}']);
      return k;
    };
    const BOUNDED = { 'scan.bounded.mode': 'latest-offset' };

    it('fail names its topic, partition and offset', async () => {
      const job = await start(`${table(bad(), 'uid STRING, amount BIGINT', BOUNDED)}SELECT * FROM events;`);
      await expect(job.getJobExecutionResult()).rejects.toThrow('(at events/1, offset 3)');
    });

    it('skip drops and counts it', async () => {
      const job = await start(`${table(bad(), 'uid STRING, amount BIGINT', { ...BOUNDED, 'json.error-policy': 'skip' })}SELECT * FROM events;`);
      const result = await job.getJobExecutionResult();
      expect(current(job)).toEqual(['a|1', 'b|2', 'c|3', 'e|5']);
      expect(result.metrics.filter((m) => m.name === 'numSkippedRecords').reduce((a, m) => a + (m.value as number), 0)).toBe(1);
    });

    it('dead-letter routes it, with its position and raw bytes, to the dead-letter table', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'runnel-kafka-dead-'));
      const job = await start(
        `${table(bad(), 'uid STRING, amount BIGINT', { ...BOUNDED, 'json.error-policy': 'dead-letter', 'json.dead-letter-table': 'bad_rows' })}
CREATE TABLE bad_rows (position STRING, error STRING, raw STRING) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'json');
CREATE TABLE good (uid STRING, amount BIGINT) WITH ('connector' = 'filesystem', 'path' = '${join(dir, 'good')}', 'format' = 'json');
INSERT INTO good SELECT * FROM events;`,
      );
      await job.getJobExecutionResult();
      const lines = readdirSync(dir)
        .filter((f) => !f.startsWith('.') && f !== 'good')
        .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
        .map((l) => JSON.parse(l) as { position: string; error: string; raw: string });
      expect(lines.map((l) => [l.position, l.raw])).toEqual([['events/1, offset 3', '{"uid": "d", "amount": ']]);
    });
  });

  it('key fields with a prefix and metadata columns', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.append('events', 0, [{ key: '{"id": 42}', value: '{"uid": "a"}', timestamp: BASE_TS, headers: [['trace', 't-1']] }]);
    const job = await start(
      `${table(k, "k_id BIGINT, uid STRING, `offset` BIGINT METADATA VIRTUAL, `topic` STRING METADATA VIRTUAL, hs MAP<STRING, BYTES> METADATA FROM 'headers' VIRTUAL, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp'", {
        'scan.bounded.mode': 'latest-offset',
        'key.format': 'json',
        'key.fields': 'k_id',
        'key.fields-prefix': 'k_',
        'value.fields-include': 'EXCEPT_KEY',
      })}SELECT k_id, uid, \`offset\`, \`topic\`, CAST(hs['trace'] AS STRING), ts FROM events;`,
    );
    await job.getJobExecutionResult();
    expect(current(job)).toEqual([`42|a|0|events|t-1|${BASE_TS}`]);
  });

  it.each([
    [
      'debezium-json',
      [
        { op: 'c', after: { id: 1, name: 'x', amount: 10 } },
        { op: 'c', after: { id: 2, name: 'y', amount: 5 } },
        { op: 'u', before: { id: 1, name: 'x', amount: 10 }, after: { id: 1, name: 'y', amount: 12 } },
        { op: 'd', before: { id: 2, name: 'y', amount: 5 } },
        { op: 'r', after: { id: 3, name: 'x', amount: 1 } },
      ],
    ],
    [
      'canal-json',
      [
        { type: 'INSERT', database: 'db', table: 't', data: [{ id: 1, name: 'x', amount: 10 }, { id: 2, name: 'y', amount: 5 }] },
        { type: 'UPDATE', database: 'db', table: 't', data: [{ id: 1, name: 'y', amount: 12 }], old: [{ name: 'x', amount: 10 }] },
        { type: 'DELETE', database: 'db', table: 't', data: [{ id: 2, name: 'y', amount: 5 }] },
        { type: 'INSERT', database: 'db', table: 't', data: [{ id: 3, name: 'x', amount: 1 }] },
      ],
    ],
  ])('a %s changelog topic into a retracting aggregation', async (format, messages) => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.appendValues('events', 0, messages);
    const job = await start(
      `${table(k, 'id BIGINT, name STRING, amount BIGINT', { format, 'scan.bounded.mode': 'latest-offset' })}SELECT name, COUNT(*), SUM(amount) FROM events GROUP BY name;`,
      { 'parallelism.default': '1' },
    );
    await job.getJobExecutionResult();
    // After all changes: id 1 is (y, 12), id 2 is gone, id 3 is (x, 1).
    expect(current(job)).toEqual(['x|1|1', 'y|1|12']);
  });

  it.each([
    [
      'debezium-json',
      "db STRING METADATA FROM 'value.source.database' VIRTUAL, tbl STRING METADATA FROM 'value.source.table' VIRTUAL, ingested TIMESTAMP_LTZ(3) METADATA FROM 'value.ingestion-timestamp' VIRTUAL",
      [
        { op: 'c', after: { id: 1, amount: 10 }, source: { db: 'shop', table: 'orders', ts_ms: BASE_TS - 5 }, ts_ms: BASE_TS },
        { op: 'u', before: { id: 1, amount: 10 }, after: { id: 1, amount: 12 }, source: { db: 'shop', table: 'orders', ts_ms: BASE_TS + 5 }, ts_ms: BASE_TS + 10 },
        { op: 'c', after: { id: 2, amount: 7 }, source: { db: 'shop', table: 'refunds', ts_ms: BASE_TS + 15 }, ts_ms: BASE_TS + 20 },
      ],
    ],
    [
      'canal-json',
      "db STRING METADATA FROM 'value.database' VIRTUAL, tbl STRING METADATA FROM 'value.table' VIRTUAL, ingested TIMESTAMP_LTZ(3) METADATA FROM 'value.ingestion-timestamp' VIRTUAL",
      [
        { type: 'INSERT', database: 'shop', table: 'orders', data: [{ id: 1, amount: 10 }], ts: BASE_TS },
        { type: 'UPDATE', database: 'shop', table: 'orders', data: [{ id: 1, amount: 12 }], old: [{ amount: 10 }], ts: BASE_TS + 10 },
        { type: 'INSERT', database: 'shop', table: 'refunds', data: [{ id: 2, amount: 7 }], ts: BASE_TS + 20 },
      ],
    ],
  ])('%s: the format metadata as value.* metadata columns (database, table, ingestion time per change)', async (format, metadataColumns, messages) => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.appendValues('events', 0, messages);
    const job = await start(
      `${table(k, `id BIGINT, amount BIGINT, ${metadataColumns}`, { format, 'scan.bounded.mode': 'latest-offset' })}SELECT tbl, db, SUM(amount), MAX(ingested) FROM events GROUP BY tbl, db;`,
      { 'parallelism.default': '1' },
    );
    await job.getJobExecutionResult();
    // orders: the update retracted 10 and added 12, the -U row carrying the update's metadata as the +U row does.
    expect(current(job)).toEqual([`orders|shop|12|${BASE_TS + 10}`, `refunds|shop|7|${BASE_TS + 20}`]);
  });

  it('a value.* metadata key the format does not have fails before the job starts, listing what the table has', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    await expect(
      start(`${table(k, "id BIGINT, tbl STRING METADATA FROM 'value.source.tabel' VIRTUAL", { format: 'debezium-json' })}SELECT * FROM events;`),
    ).rejects.toThrow(/value\.source\.tabel.*value\.source\.table/s);
  });
});
