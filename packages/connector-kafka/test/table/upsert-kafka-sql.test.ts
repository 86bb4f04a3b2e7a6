// upsert-kafka in SQL as users write it, run by a SqlSession in this thread over the in-memory cluster, with the
// real formats of @runnel/formats: a retracting aggregation over a kafka topic written into an upsert-kafka table
// (the planner drops -U, the sink writes upserts keyed by the primary key), then read back as a changelog (the
// planner's ChangelogNormalize turns the upserts and tombstones into a full changelog): the result is the oracle;
// a delete in the source reaches the upsert topic as a tombstone and the table as a removed row.
import { afterEach, describe, expect, it } from 'vitest';
import { MaterializedResult, SqlSession, type StatementResult } from '@runnel/sql';
import type { Row } from '@runnel/api/table';
import { InMemoryKafka } from '../support/in-memory-kafka.js';
import { inMemoryKafkaPluginPath } from './kafka-table-source-plugin.js';
import { inMemoryUpsertKafkaPluginPath } from './upsert-kafka-plugin.js';

type JobClient = Extract<StatementResult, { kind: 'job' }>['client'];

const clients: JobClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) if (c.getStatus() === 'running') await c.cancel().catch(() => undefined);
});

async function start(script: string, config: Record<string, string> = {}): Promise<JobClient> {
  let last: StatementResult | undefined;
  const session = new SqlSession({
    config: { 'parallelism.default': '2', 'execution.target': 'local', 'table.local-time-zone': 'UTC', ...config },
    pluginSearchPath: [inMemoryKafkaPluginPath(), inMemoryUpsertKafkaPluginPath()],
  });
  await session.executeScript(script, (_s, r) => {
    last = r;
  });
  if (last?.kind !== 'job') throw new Error('the script does not start a job');
  clients.push(last.client);
  return last.client;
}

function current(client: JobClient): string[] {
  const m = new MaterializedResult();
  for (const r of client.collected('sql-select') as Row[]) m.apply(r);
  return m.current().map((r) => r.map(String).join('|')).sort();
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const withOptions = (options: Record<string, string>): string => Object.entries(options).map(([k, v]) => `'${k}' = '${v}'`).join(', ');

describe('upsert-kafka in SQL', () => {
  it('a retracting aggregation written to upsert-kafka and read back as a changelog equals the oracle', async () => {
    const k = new InMemoryKafka().createTopic('orders', 4).createTopic('totals', 3);
    const oracle = new Map<string, [number, number]>();
    for (let i = 0; i < 400; i++) {
      const uid = `u${i % 7}`;
      const amount = (i * 13) % 17;
      k.appendValues('orders', i % 4, [{ uid, amount }]);
      const [n, s] = oracle.get(uid) ?? [0, 0];
      oracle.set(uid, [n + 1, s + amount]);
    }
    const ddl = `CREATE TABLE orders (uid STRING, amount BIGINT) WITH (${withOptions({
      connector: 'kafka',
      topic: 'orders',
      'properties.bootstrap.servers': k.bootstrap,
      format: 'json',
      'scan.startup.mode': 'earliest-offset',
      'scan.bounded.mode': 'latest-offset',
    })});
CREATE TABLE totals (uid STRING, n BIGINT, total BIGINT, PRIMARY KEY (uid) NOT ENFORCED) WITH (${withOptions({
      connector: 'upsert-kafka',
      topic: 'totals',
      'properties.bootstrap.servers': k.bootstrap,
      'key.format': 'json',
      'value.format': 'json',
    })});
`;
    const insert = await start(`${ddl}INSERT INTO totals SELECT uid, COUNT(*), SUM(amount) FROM orders GROUP BY uid;`);
    await insert.getJobExecutionResult();
    // The topic holds upserts keyed by the primary key (intermediate counts included, without -U tombstones).
    const records = [0, 1, 2].flatMap((p) => k.records('totals', p));
    expect(records.length).toBeGreaterThanOrEqual(7);
    expect(records.every((r) => r.value !== null)).toBe(true);
    const decode = (b: Uint8Array | null) => (b === null ? null : JSON.parse(new TextDecoder().decode(b)) as Record<string, unknown>);
    for (const r of records) expect(decode(r.key)).toEqual({ uid: decode(r.value)!['uid'] });

    const read = await start(`${ddl}SELECT * FROM totals;`);
    const expected = [...oracle].map(([uid, [n, s]]) => `${uid}|${n}|${s}`).sort();
    await until(() => current(read).join() === expected.join(), 'the upsert table read back');
    expect(current(read)).toEqual(expected);
  });

  it('a delete becomes a tombstone, and the table read back loses the row', async () => {
    const k = new InMemoryKafka().createTopic('changes', 1).createTopic('latest', 2);
    k.appendValues('changes', 0, [
      { op: 'c', after: { id: 1, name: 'a' } },
      { op: 'c', after: { id: 2, name: 'b' } },
      { op: 'u', before: { id: 1, name: 'a' }, after: { id: 1, name: 'a2' } },
      { op: 'd', before: { id: 2, name: 'b' } },
    ]);
    const ddl = `CREATE TABLE changes (id BIGINT, name STRING) WITH (${withOptions({
      connector: 'kafka',
      topic: 'changes',
      'properties.bootstrap.servers': k.bootstrap,
      format: 'debezium-json',
      'scan.startup.mode': 'earliest-offset',
      'scan.bounded.mode': 'latest-offset',
    })});
CREATE TABLE latest (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (${withOptions({
      connector: 'upsert-kafka',
      topic: 'latest',
      'properties.bootstrap.servers': k.bootstrap,
      'key.format': 'json',
      'value.format': 'json',
      'sink.buffer-flush.max-rows': '100',
      'sink.buffer-flush.interval': '1 s',
    })});
`;
    const insert = await start(`${ddl}INSERT INTO latest SELECT * FROM changes;`, { 'parallelism.default': '1' });
    await insert.getJobExecutionResult();
    const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));
    const records = [0, 1].flatMap((p) => k.records('latest', p).map((r) => [text(r.key), text(r.value)]));
    // Reduced per key within the flush: id 1's last value, id 2's tombstone.
    expect(records.sort()).toEqual([
      ['{"id":1}', '{"id":1,"name":"a2"}'],
      ['{"id":2}', null],
    ]);
    const read = await start(`${ddl}SELECT * FROM latest;`);
    await until(() => current(read).join() === '1|a2', 'the table read back');
  });
});
