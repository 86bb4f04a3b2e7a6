// The Kafka end-to-end steps that must run inside Mokapi's network namespace (kafka-table-source-mokapi.test.ts starts
// them with `mokapi.run`/`spawn`): producing the test data with the package's kafkajs client, and SQL jobs that read
// it through `'connector' = 'kafka'` on worker threads. The connector is found as users find it: the package is
// linked into a `node_modules` folder next to the "script", and the plugin registry reads its manifest. Each command
// prints one JSON line with what it observed; brokers come from RUNNEL_KAFKA_BROKERS.
//
//   produce-windows <topic> <partitions> <count>        the window events of kafka-table-source-mokapi-events.ts
//   produce-sparse <topic> <partition> <from> <to> <step>  events {uid: 'u', amount: 1} at BASE_TS + from..to ms
//   produce-cdc <topic> <debezium|canal>                the CDC messages
//   latest-offset <topic> <partition>                   the partition's latest offset (its high watermark)
//   windows-to-files <topic> <outDir> <checkpointDir>   a bounded window aggregation into the filesystem sink
//   changelog <topic> <format>                          a bounded retracting aggregation over a CDC topic
//   watch <topic> <stateDir>                            an unbounded window aggregation per partition (see below)
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MaterializedResult, SqlSession, type StatementResult } from '@runnel/sql';
import type { Row } from '@runnel/api/table';
import { createKafkajsClientFactory } from '../../src/client/kafkajs-client.js';
import type { OutgoingRecord } from '../../src/client/kafka-client.js';
import { BASE_TS, CANAL_MESSAGES, DEBEZIUM_MESSAGES, windowEvents } from './kafka-table-source-mokapi-events.js';

const BROKERS = process.env['RUNNEL_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

type JobClient = Extract<StatementResult, { kind: 'job' }>['client'];

/** A plugin search path entry whose `node_modules` holds this package, as an installation would. */
function pluginPath(): string {
  const root = mkdtempSync(join(tmpdir(), 'runnel-kafka-e2e-'));
  mkdirSync(join(root, 'node_modules', '@runnel'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules', '@runnel', 'connector-kafka'), 'dir');
  return join(root, 'script.sql');
}

function session(config: Record<string, string>): SqlSession {
  return new SqlSession({
    config: { 'parallelism.default': '2', 'table.local-time-zone': 'UTC', 'pipeline.auto-watermark-interval': '50 ms', ...config },
    pluginSearchPath: [pluginPath()],
  });
}

async function start(script: string, config: Record<string, string> = {}): Promise<JobClient> {
  let last: StatementResult | undefined;
  await session(config).executeScript(script, (_s, r) => {
    last = r;
  });
  if (last?.kind !== 'job') throw new Error('the script does not start a job');
  return last.client;
}

// No `properties.group.id`, so no offsets are committed: Mokapi 0.52 accepts commits only from members of the group,
// the client then joins the group to commit, and Mokapi crashed (nil pointer in its group balancer) a little after
// the job's connections closed. Commits on checkpoint are tested against the in-memory cluster.
const kafkaTable = (name: string, topic: string, columns: string, options: Record<string, string>): string => {
  const all = { connector: 'kafka', topic, 'properties.bootstrap.servers': BROKERS, format: 'json', 'scan.startup.mode': 'earliest-offset', ...options };
  return `CREATE TABLE ${name} (${columns}) WITH (${Object.entries(all).map(([k, v]) => `'${k}' = '${v}'`).join(', ')});\n`;
};

const EVENT_COLUMNS = "uid STRING, amount BIGINT, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp', WATERMARK FOR ts AS ts - INTERVAL '1' SECOND";

function rows(client: JobClient): string[] {
  const m = new MaterializedResult();
  for (const r of client.collected('sql-select') as Row[]) m.apply(r);
  return m.current().map((r) => r.map((v) => String(v)).join('|')).sort();
}

async function produce(records: readonly OutgoingRecord[]): Promise<number> {
  const client = createKafkajsClientFactory({ warn: () => {} })({ brokers: BROKERS.split(','), clientId: 'e2e-producer', properties: {} });
  await client.connect();
  // Not idempotent: Mokapi 0.52 refuses the second batch of an idempotent producer to a partition ("expected sequence
  // number 125 but got 126" after a first batch of 125 records), which is not what these tests are about.
  const producer = client.createProducer({ idempotent: false });
  await producer.connect();
  for (let i = 0; i < records.length; i += 500) await producer.send(records.slice(i, i + 500));
  await producer.close();
  await client.close();
  return records.length;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<unknown> {
  const [command, ...args] = process.argv.slice(2);
  switch (command) {
    case 'produce-windows': {
      const [topic, partitions, count] = args as [string, string, string];
      const events = windowEvents(Number(count), Number(partitions));
      return { produced: await produce(events.map((e) => ({ topic, partition: e.partition, key: e.uid, value: JSON.stringify({ uid: e.uid, amount: e.amount }), timestamp: e.timestamp }))) };
    }
    case 'produce-sparse': {
      const [topic, partition, from, to, step] = args.map((a, i) => (i === 0 ? a : Number(a))) as [string, number, number, number, number];
      const records: OutgoingRecord[] = [];
      for (let t = from; t <= to; t += step) records.push({ topic, partition, key: null, value: JSON.stringify({ uid: 'u', amount: 1 }), timestamp: BASE_TS + t });
      return { produced: await produce(records) };
    }
    case 'latest-offset': {
      const [topic, partition] = args as [string, string];
      const client = createKafkajsClientFactory({ warn: () => {} })({ brokers: BROKERS.split(','), clientId: 'e2e-offsets', properties: {} });
      await client.connect();
      try {
        const offsets = await client.latestOffsets([{ topic, partition: Number(partition) }]);
        return { offset: [...offsets.values()][0] ?? null };
      } finally {
        await client.close();
      }
    }
    case 'produce-cdc': {
      const [topic, kind] = args as [string, string];
      const messages = kind === 'debezium' ? DEBEZIUM_MESSAGES : CANAL_MESSAGES;
      return { produced: await produce(messages.map((m) => ({ topic, partition: 0, key: null, value: JSON.stringify(m) }))) };
    }
    case 'windows-to-files': {
      const [topic, outDir, checkpointDir] = args as [string, string, string];
      const job = await start(
        `${kafkaTable('events', topic, EVENT_COLUMNS, { 'scan.bounded.mode': 'latest-offset' })}
CREATE TABLE out (uid STRING, window_start TIMESTAMP_LTZ(3), n BIGINT, total BIGINT) WITH ('connector' = 'filesystem', 'path' = '${outDir}', 'format' = 'json');
INSERT INTO out SELECT uid, window_start, COUNT(*), SUM(amount) FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY uid, window_start, window_end;`,
        { 'execution.checkpointing.interval': '200 ms', 'state.checkpoints.dir': checkpointDir },
      );
      const result = await job.getJobExecutionResult();
      return { checkpoints: result.checkpoints.length, restarts: result.restarts };
    }
    case 'changelog': {
      const [topic, format] = args as [string, string];
      const job = await start(`${kafkaTable('cdc', topic, 'id BIGINT, name STRING, amount BIGINT', { format, 'scan.bounded.mode': 'latest-offset' })}SELECT name, COUNT(*), SUM(amount) FROM cdc GROUP BY name;`);
      await job.getJobExecutionResult();
      return { rows: rows(job) };
    }
    case 'watch': {
      // An unbounded window aggregation per partition with idleness. Step 1: the data of partition 0 alone must
      // close its first window while partition 1 stays silent (the file `windows-fired` tells the test, which then
      // adds partition 2 and writes to it). Step 2: the rows of partition 2 must appear (discovery every 200 ms).
      const [topic, stateDir] = args as [string, string];
      const started = Date.now();
      const job = await start(
        `${kafkaTable('sparse', topic, `${EVENT_COLUMNS}, \`partition\` INT METADATA VIRTUAL`, { 'scan.topic-partition-discovery.interval': '200 ms' })}SELECT \`partition\`, window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE sparse, DESCRIPTOR(ts), INTERVAL '1' SECOND)) GROUP BY \`partition\`, window_start, window_end;`,
        { 'table.exec.source.idle-timeout': '500 ms' },
      );
      // Deadlines by phase, not from the start: on a loaded machine the test's own steps between the phases (the
      // spec rewrite, Mokapi's reload, the producer's retries) take a variable time that is not the job's.
      const firstWindowDeadline = Date.now() + 90_000;
      let grownDeadline: number | undefined;
      let firedAfterMs: number | undefined;
      for (;;) {
        const grown = existsSync(join(stateDir, 'grown'));
        if (grown && grownDeadline === undefined) grownDeadline = Date.now() + 60_000;
        if (grownDeadline !== undefined ? Date.now() > grownDeadline : !grown && firedAfterMs === undefined && Date.now() > firstWindowDeadline) break;
        if (grownDeadline === undefined && firedAfterMs !== undefined && Date.now() > firstWindowDeadline + 180_000) break;
        const current = rows(job);
        if (firedAfterMs === undefined && current.some((r) => r.startsWith('0|'))) {
          firedAfterMs = Date.now() - started;
          writeFileSync(join(stateDir, 'windows-fired'), String(firedAfterMs));
        }
        if (current.some((r) => r.startsWith('2|'))) break;
        if (job.getStatus() !== 'running') throw new Error(`the job ended: ${job.getStatus()}`);
        await sleep(50);
      }
      const result = rows(job);
      await job.cancel();
      await job.getJobExecutionResult().catch(() => undefined);
      return { firedAfterMs, rows: result, grown: existsSync(join(stateDir, 'grown')) };
    }
    default:
      throw new Error(`unknown command '${command ?? ''}'`);
  }
}

main().then(
  (result) => {
    console.log(JSON.stringify(result));
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
