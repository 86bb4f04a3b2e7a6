// The kafka table sink in SQL as users write it, run by a SqlSession in this thread over the in-memory cluster with
// the real formats of @runnel/formats: an INSERT writes json values (and json keys from `key.fields`) that a plain
// client reads back; with `exactly-once` and checkpoints every row is committed once and no transaction stays open;
// a retracting aggregation written with the maxwell-json changelog format and read back through it equals the
// oracle.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MaterializedResult, SqlSession, type StatementResult } from '@runnel/sql';
import type { Row } from '@runnel/api/table';
import { InMemoryKafka } from '../support/in-memory-kafka.js';
import { inMemoryKafkaPluginPath } from './kafka-table-source-plugin.js';

type JobClient = Extract<StatementResult, { kind: 'job' }>['client'];

const clients: JobClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) if (c.getStatus() === 'running') await c.cancel().catch(() => undefined);
});

async function start(script: string, config: Record<string, string> = {}): Promise<JobClient> {
  let last: StatementResult | undefined;
  const session = new SqlSession({
    config: { 'parallelism.default': '2', 'execution.target': 'local', 'table.local-time-zone': 'UTC', ...config },
    pluginSearchPath: [inMemoryKafkaPluginPath()],
  });
  await session.executeScript(script, (_s, r) => {
    last = r;
  });
  if (last?.kind !== 'job') throw new Error('the script does not start a job');
  clients.push(last.client);
  return last.client;
}

const withOptions = (options: Record<string, string>): string => Object.entries(options).map(([k, v]) => `'${k}' = '${v}'`).join(', ');
const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));
const valuesOf = (k: InMemoryKafka, topic: string): string[] =>
  Array.from({ length: k.partitionCount(topic) }, (_, p) => k.records(topic, p).map((r) => text(r.value)!)).flat().sort();

function source(k: InMemoryKafka, values: readonly unknown[], partitions = 2): string {
  k.createTopic('input', partitions);
  values.forEach((v, i) => k.appendValues('input', i % partitions, [v]));
  return `CREATE TABLE input (id BIGINT, name STRING, amount INT) WITH (${withOptions({
    connector: 'kafka',
    topic: 'input',
    'properties.bootstrap.servers': k.bootstrap,
    format: 'json',
    'scan.startup.mode': 'earliest-offset',
    'scan.bounded.mode': 'latest-offset',
  })});\n`;
}

const INPUT = Array.from({ length: 60 }, (_, i) => ({ id: i, name: `n${i % 4}`, amount: i % 9 }));

describe('kafka table sink in SQL', () => {
  it('an INSERT into a kafka table (json value, json key from key.fields) is read back with a plain client', async () => {
    const k = new InMemoryKafka();
    k.createTopic('out', 3);
    const job = await start(
      `${source(k, INPUT)}CREATE TABLE out (id BIGINT, name STRING, amount INT) WITH (${withOptions({
        connector: 'kafka',
        topic: 'out',
        'properties.bootstrap.servers': k.bootstrap,
        'key.format': 'json',
        'key.fields': 'id',
        'value.format': 'json',
      })});
INSERT INTO out SELECT id, name, amount * 2 FROM input WHERE amount > 0;`,
    );
    await job.getJobExecutionResult();
    const expected = INPUT.filter((e) => e.amount > 0).map((e) => JSON.stringify({ id: e.id, name: e.name, amount: e.amount * 2 })).sort();
    expect(valuesOf(k, 'out')).toEqual(expected);
    for (let p = 0; p < 3; p++) {
      for (const r of k.records('out', p)) expect(JSON.parse(text(r.key)!)).toEqual({ id: (JSON.parse(text(r.value)!) as { id: number }).id });
    }
  });

  it('exactly-once with checkpoints: every row committed once, no transaction left open', async () => {
    const k = new InMemoryKafka();
    k.createTopic('out', 2);
    const dir = mkdtempSync(join(tmpdir(), 'runnel-kafka-sink-sql-'));
    const many = Array.from({ length: 20_000 }, (_, i) => ({ id: i, name: `n${i % 4}`, amount: i % 9 }));
    const job = await start(
      `${source(k, many)}CREATE TABLE out (id BIGINT, name STRING, amount INT) WITH (${withOptions({
        connector: 'kafka',
        topic: 'out',
        'properties.bootstrap.servers': k.bootstrap,
        format: 'json',
        'sink.delivery-guarantee': 'exactly-once',
        'sink.transactional-id-prefix': 'sql-eos',
      })});
INSERT INTO out SELECT * FROM input;`,
      { 'execution.checkpointing.interval': '20 ms', 'state.checkpoints.dir': join(dir, 'checkpoints') },
    );
    const result = await job.getJobExecutionResult();
    // Several checkpoints, so several transactions per subtask, committed as their checkpoints completed.
    expect(result.checkpoints.length).toBeGreaterThan(1);
    expect(valuesOf(k, 'out')).toEqual(many.map((e) => JSON.stringify(e)).sort());
    expect(k.openTransactions()).toEqual([]);
  });

  it('a retracting aggregation written as maxwell-json and read back through it equals the oracle', async () => {
    const k = new InMemoryKafka();
    k.createTopic('changes', 1);
    const insert = await start(
      `${source(k, INPUT)}CREATE TABLE changes (name STRING, n BIGINT, total INT) WITH (${withOptions({
        connector: 'kafka',
        topic: 'changes',
        'properties.bootstrap.servers': k.bootstrap,
        format: 'maxwell-json',
      })});
INSERT INTO changes SELECT name, COUNT(*), SUM(amount) FROM input GROUP BY name;`,
    );
    await insert.getJobExecutionResult();
    const types = k.valuesOf('changes', 0).map((v) => (JSON.parse(v!) as { type: string }).type);
    expect(types).toContain('delete'); // the retractions, as Flink writes them
    const read = await start(
      `CREATE TABLE changes (name STRING, n BIGINT, total INT) WITH (${withOptions({
        connector: 'kafka',
        topic: 'changes',
        'properties.bootstrap.servers': k.bootstrap,
        format: 'maxwell-json',
        'scan.startup.mode': 'earliest-offset',
        'scan.bounded.mode': 'latest-offset',
      })});
SELECT * FROM changes;`,
      { 'parallelism.default': '1' },
    );
    await read.getJobExecutionResult();
    const m = new MaterializedResult();
    for (const r of read.collected('sql-select') as Row[]) m.apply(r);
    const oracle = new Map<string, [number, number]>();
    for (const e of INPUT) {
      const [n, s] = oracle.get(e.name) ?? [0, 0];
      oracle.set(e.name, [n + 1, s + e.amount]);
    }
    expect(m.current().map((r) => r.map(String).join('|')).sort()).toEqual([...oracle].map(([name, [n, s]]) => `${name}|${n}|${s}`).sort());
  });
});
