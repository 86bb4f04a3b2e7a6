// Scenarios of the Kafka sinks against a real Kafka-protocol server (Mokapi, through the kafkajs client), run inside
// Mokapi's network namespace by sink-mokapi.test.ts (`mokapi.run(thisFile, [scenario])`): each prints one JSON line
// with what it observed. Records are read back with the client's partition fetcher (no group, no source of ours).
// SQL runs in a SqlSession in this process (`execution.target` = `local`), with the real `kafka` and `upsert-kafka`
// connector factories installed as a plugin package on disk and the formats around @runnel/sql.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MaterializedResult, SqlSession, type StatementResult } from '@runnel/sql';
import type { Row } from '@runnel/api/table';
import { recordContext, testSinkWriterContext } from '@runnel/testing';
import type { KafkaClient, KafkaRecord } from '../../../src/client/kafka-client.js';
import { createKafkajsClientFactory } from '../../../src/client/kafkajs-client.js';
import { KafkaSink } from '../../../src/sink/kafka-sink.js';
import { partitionForKey } from '../../../src/sink/murmur2.js';

const brokers = (process.env['RUNNEL_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const warnings: string[] = [];
const clientFactory = createKafkajsClientFactory({ warn: (message) => warnings.push(message) });
const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));

/** Every record of a topic's partitions, read from offset 0 up to the end offsets. */
async function readTopic(topic: string): Promise<{ partition: number; record: KafkaRecord }[]> {
  const c: KafkaClient = clientFactory({ brokers, clientId: 'runnel-sink-check', properties: {} });
  await c.connect();
  try {
    const partitions = await c.partitionsFor([topic]);
    const ends = await c.latestOffsets(partitions);
    const fetcher = c.createFetcher({ maxBufferedRecords: 10_000 });
    fetcher.assign(partitions.map((tp) => ({ ...tp, offset: 0 })));
    const out: { partition: number; record: KafkaRecord }[] = [];
    const want = [...ends.values()].reduce((a, b) => a + b, 0);
    const deadline = Date.now() + 30_000;
    while (out.length < want && Date.now() < deadline) {
      for (const batch of await fetcher.poll(10_000, 500)) for (const record of batch.records) out.push({ partition: batch.partition, record });
    }
    await fetcher.close();
    return out;
  } finally {
    await c.close();
  }
}

let pluginDir: string | undefined;

/** A plugin package on disk exporting the real `kafka` and `upsert-kafka` factories (kafkajs clients). */
function pluginPath(): string {
  if (pluginDir !== undefined) return join(pluginDir, 'script.sql');
  const root = mkdtempSync(join(tmpdir(), 'runnel-kafka-mokapi-plugin-'));
  const pkg = join(root, 'kafka-plugin');
  mkdirSync(pkg);
  writeFileSync(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'kafka-plugin',
      version: '0.0.0',
      type: 'module',
      exports: { '.': './index.js' },
      runnel: { connectors: { kafka: '.#kafkaConnectorFactory', 'upsert-kafka': '.#upsertKafkaConnectorFactory' } },
    }),
  );
  const table = (file: string) => JSON.stringify(new URL(`../../../src/table/${file}`, import.meta.url).href);
  writeFileSync(
    join(pkg, 'index.js'),
    `export { kafkaConnectorFactory } from ${table('kafka-table-factory.ts')};\nexport { upsertKafkaConnectorFactory } from ${table('upsert-kafka-table-factory.ts')};\n`,
  );
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(pkg, join(root, 'node_modules', 'kafka-plugin'), 'dir');
  pluginDir = root;
  return join(root, 'script.sql');
}

type JobClient = Extract<StatementResult, { kind: 'job' }>['client'];

async function startJob(script: string, config: Record<string, string> = {}): Promise<JobClient> {
  let last: StatementResult | undefined;
  const session = new SqlSession({
    config: { 'parallelism.default': '2', 'execution.target': 'local', 'table.local-time-zone': 'UTC', ...config },
    pluginSearchPath: [pluginPath()],
  });
  await session.executeScript(script, (_s, r) => {
    last = r;
  });
  if (last?.kind !== 'job') throw new Error('the script does not start a job');
  return last.client;
}

const withOptions = (options: Record<string, string>): string => Object.entries(options).map(([k, v]) => `'${k}' = '${v}'`).join(', ');

/** The DataStream sink, at-least-once: keyed records land where Kafka's partitioner puts them, in order, with headers. */
async function datastreamSink(): Promise<unknown> {
  interface Event {
    readonly id: number;
    readonly user: string;
  }
  const sink = new KafkaSink<Event>({
    bootstrapServers: brokers,
    topic: 'sink-ds',
    serializer: (e, timestamp) => ({ key: e.user, value: JSON.stringify(e), headers: [['n', String(e.id)]], timestamp }),
    deliveryGuarantee: 'at-least-once',
    clientFactory,
    maxBatchRecords: 200,
    // Mokapi 0.52 rejects the second idempotent batch of several records to a partition ("expected sequence number
    // n but got n+1", also with a plain kafkajs producer): at-least-once without idempotence here.
    properties: { 'enable.idempotence': 'false' },
  });
  const context = testSinkWriterContext();
  const writer = sink.createWriter(context);
  const n = 2_000;
  for (let i = 0; i < n; i++) {
    const available = writer.isAvailable?.();
    if (available !== undefined) await available;
    writer.write({ id: i, user: `user-${i % 37}` }, recordContext(1_700_000_000_000 + i));
  }
  await writer.flush(false);
  await writer.close();
  const read = await readTopic('sink-ds');
  const misplaced = read.filter(({ partition, record }) => partition !== partitionForKey(text(record.key)!, 3)).length;
  // Per key, ids in the order written.
  const byKey = new Map<string, number[]>();
  for (const { record } of read) {
    const e = JSON.parse(text(record.value)!) as Event;
    byKey.set(e.user, [...(byKey.get(e.user) ?? []), e.id]);
  }
  const ordered = [...byKey.values()].every((ids) => ids.every((id, i) => i === 0 || id > ids[i - 1]!));
  const stamped = read.every(({ record }) => record.timestamp === 1_700_000_000_000 + (JSON.parse(text(record.value)!) as Event).id);
  const headers = read.every(({ record }) => text(record.headers.find(([k]) => k === 'n')?.[1] ?? null) === String((JSON.parse(text(record.value)!) as Event).id));
  return { written: n, read: read.length, distinct: new Set(read.map(({ record }) => text(record.value))).size, misplaced, ordered, stamped, headers, sent: context.metricGroup.counter('numRecordsSend').getCount() };
}

/** An INSERT into a `kafka` table (json value, json key from key.fields), read back with the client. */
async function sqlInsertJson(): Promise<unknown> {
  const values = Array.from({ length: 50 }, (_, i) => `(${i}, 'name-${i % 5}', ${i % 7})`).join(', ');
  const job = await startJob(`CREATE TABLE out (id BIGINT, name STRING, amount INT) WITH (${withOptions({
    connector: 'kafka',
    topic: 'sink-sql',
    'properties.bootstrap.servers': brokers.join(','),
    'key.format': 'json',
    'key.fields': 'id',
    'value.format': 'json',
  })});
INSERT INTO out SELECT id, name, amount * 10 FROM (VALUES ${values}) AS t(id, name, amount);`);
  await job.getJobExecutionResult();
  const read = await readTopic('sink-sql');
  return {
    records: read.map(({ partition, record }) => ({ partition, key: text(record.key), value: text(record.value) })),
  };
}

/** upsert-kafka written from a retracting aggregation and a delete, then read back as a changelog in SQL. */
async function sqlUpsert(): Promise<unknown> {
  // The input: debezium-json changes produced to a topic (inserts, an update, a delete).
  const c = clientFactory({ brokers, clientId: 'runnel-upsert-input', properties: {} });
  await c.connect();
  const p = c.createProducer({ idempotent: true });
  await p.connect();
  const changes = [
    { op: 'c', after: { id: 1, region: 'eu', amount: 10 } },
    { op: 'c', after: { id: 2, region: 'us', amount: 5 } },
    { op: 'c', after: { id: 3, region: 'eu', amount: 7 } },
    { op: 'u', before: { id: 1, region: 'eu', amount: 10 }, after: { id: 1, region: 'eu', amount: 12 } },
    { op: 'c', after: { id: 4, region: 'ap', amount: 1 } },
    { op: 'd', before: { id: 4, region: 'ap', amount: 1 } },
  ];
  await p.send(changes.map((v) => ({ topic: 'upsert-in', partition: 0, key: null, value: JSON.stringify(v) })));
  await p.close();
  await c.close();
  const ddl = `CREATE TABLE changes (id BIGINT, region STRING, amount BIGINT) WITH (${withOptions({
    connector: 'kafka',
    topic: 'upsert-in',
    'properties.bootstrap.servers': brokers.join(','),
    format: 'debezium-json',
    'scan.startup.mode': 'earliest-offset',
    'scan.bounded.mode': 'latest-offset',
  })});
CREATE TABLE totals (region STRING, n BIGINT, total BIGINT, PRIMARY KEY (region) NOT ENFORCED) WITH (${withOptions({
    connector: 'upsert-kafka',
    topic: 'upsert-out',
    'properties.bootstrap.servers': brokers.join(','),
    'key.format': 'json',
    'value.format': 'json',
  })});
`;
  const insert = await startJob(`${ddl}INSERT INTO totals SELECT region, COUNT(*), SUM(amount) FROM changes GROUP BY region;`, { 'parallelism.default': '1' });
  await insert.getJobExecutionResult();
  const raw = (await readTopic('upsert-out')).map(({ record }) => ({ key: text(record.key), value: text(record.value) }));
  const read = await startJob(`${ddl}SELECT * FROM totals;`);
  const expected = ['eu|2|19', 'us|1|5'];
  const current = (): string[] => {
    const m = new MaterializedResult();
    for (const r of read.collected('sql-select') as Row[]) m.apply(r);
    return m.current().map((r) => r.map(String).join('|')).sort();
  };
  const deadline = Date.now() + 30_000;
  while (current().join() !== expected.join() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const table = current();
  const changelog = (read.collected('sql-select') as Row[]).map((r) => r.kind);
  await read.cancel();
  return { raw, table, changelog };
}

const scenarios: Record<string, () => Promise<unknown>> = {
  'datastream-sink': datastreamSink,
  'sql-insert-json': sqlInsertJson,
  'sql-upsert': sqlUpsert,
};

const name = process.argv[2] ?? '';
const run = scenarios[name];
if (run === undefined) {
  console.error(`unknown scenario '${name}' (known: ${Object.keys(scenarios).join(', ')})`);
  process.exit(2);
}
try {
  const result = (await run()) as Record<string, unknown>;
  console.log(JSON.stringify({ ...result, warnings }));
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
