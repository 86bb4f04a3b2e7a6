// Client comparison for the README's "Client" section: kafkajs 2.2.4 against @platformatic/kafka 1.35.0 (the newest
// release that runs on Node 20), producing and consuming the same records on the same server, plus Runnel's own
// paths on kafkajs (the producer behind `KafkaProducer` and the group-less `PartitionFetcher`).
//
//   node --import tsx --conditions=@runnel/source packages/connector-kafka/bench/client-compare.ts [--records N]
//        [--value-bytes B] [--batch S] [--rounds R]
//
// Run as root: the launcher starts Mokapi in a private network namespace (test/support/mokapi.ts) and runs every
// step as its own process inside it (`--inside <step>`), one after another, so each client's CPU time is its own (no
// GC or JIT state shared between clients). Producers send `--batch` records per awaited call (as the sink does per
// flush), keyed, no compression (Mokapi loses GZIP batches), acks=all, not idempotent; consumers read the records the
// kafkajs producer wrote, from the earliest offset: kafkajs's consumer with eachBatch (its fastest mode; a consumer
// group, whose 3-4 s join is excluded from the rate), @platformatic/kafka's consume stream (also a group) and
// Runnel's fetcher (no group). Reported per step: records/s of wall time and records per CPU-second of the client
// process (the client's own cost; on a 2-core machine the server competes for the CPU), and Mokapi's CPU-seconds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const THIS_FILE = fileURLToPath(import.meta.url);
const PARTITIONS = 4;

interface Options {
  readonly steps: readonly Step[];
  /** `fetch.max.bytes` of the group-less fetchers (kafkajs's consumer uses its own default, 10 MiB). */
  readonly fetchMaxBytes: number;
  readonly records: number;
  readonly valueBytes: number;
  readonly batch: number;
  readonly rounds: number;
}

interface StepResult {
  readonly step: string;
  readonly records: number;
  /** Wall seconds from the first request to the last record (joins excluded for group consumers). */
  readonly seconds: number;
  /** Wall seconds including connecting and joining. */
  readonly totalSeconds: number;
  readonly cpuSeconds: number;
  readonly rssMiB: number;
  readonly error?: string;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`--${name} needs a positive integer`);
    return n;
  };
  const i = argv.indexOf('--steps');
  const steps = i < 0 ? [...STEPS] : (argv[i + 1] ?? '').split(',');
  for (const step of steps) if (!(STEPS as readonly string[]).includes(step)) throw new Error(`unknown step ${step} (steps: ${STEPS.join(', ')})`);
  return {
    steps: steps as Step[],
    fetchMaxBytes: value('fetch-max-bytes', 10_485_760),
    records: value('records', 200_000),
    valueBytes: value('value-bytes', 100),
    batch: value('batch', 1_000),
    rounds: value('rounds', 1),
  };
}

const STEPS = [
  'produce-kafkajs',
  'produce-platformatic',
  'produce-runnel',
  'consume-kafkajs',
  'consume-platformatic',
  'fetch-platformatic',
  'fetch-runnel',
] as const;
type Step = (typeof STEPS)[number];

// ---------------------------------------------------------------------------------------------------------------
// Inside the namespace: one step per process.

const brokers = (): string[] => (process.env['RUNNEL_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

function payload(options: Options): { keys: Buffer[]; value: Buffer } {
  const keys: Buffer[] = [];
  for (let i = 0; i < options.records; i++) keys.push(Buffer.from(`key-${i}`));
  return { keys, value: Buffer.alloc(options.valueBytes, 0x61) };
}

async function measure(step: string, records: number, body: (started: () => void) => Promise<void>): Promise<StepResult> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let t1 = t0;
  let cpu1 = cpu0;
  await body(() => {
    t1 = performance.now();
    cpu1 = process.cpuUsage();
  });
  const t2 = performance.now();
  const cpu = process.cpuUsage(cpu1);
  void cpu0;
  return {
    step,
    records,
    seconds: (t2 - t1) / 1000,
    totalSeconds: (t2 - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
}

async function produceKafkajs(options: Options): Promise<StepResult> {
  const { Kafka, Partitioners, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({ brokers: brokers(), clientId: 'bench-kafkajs', logLevel: logLevel.ERROR });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const { keys, value } = payload(options);
  const result = await measure('produce-kafkajs', options.records, async (started) => {
    started();
    for (let start = 0; start < options.records; start += options.batch) {
      const messages = [];
      for (let i = start; i < Math.min(options.records, start + options.batch); i++) messages.push({ key: keys[i], value });
      await producer.send({ topic: 'bench-kafkajs', messages, acks: -1 });
    }
  });
  await producer.disconnect();
  return result;
}

async function producePlatformatic(options: Options): Promise<StepResult> {
  const { Producer, ProduceAcks } = await import('@platformatic/kafka');
  const producer = new Producer({ clientId: 'bench-platformatic', bootstrapBrokers: brokers(), acks: ProduceAcks.ALL, idempotent: false });
  const { keys, value } = payload(options);
  try {
    return await measure('produce-platformatic', options.records, async (started) => {
      started();
      for (let start = 0; start < options.records; start += options.batch) {
        const messages = [];
        for (let i = start; i < Math.min(options.records, start + options.batch); i++) messages.push({ topic: 'bench-platformatic', key: keys[i] as Buffer, value });
        await producer.send({ messages });
      }
    });
  } finally {
    await producer.close();
  }
}

async function produceRunnel(options: Options): Promise<StepResult> {
  const { createKafkajsClientFactory } = await import('../src/client/kafkajs-client.js');
  const client = createKafkajsClientFactory()({ brokers: brokers(), clientId: 'bench-runnel', properties: {} });
  const producer = client.createProducer({ idempotent: false });
  await producer.connect();
  const { keys, value } = payload(options);
  const result = await measure('produce-runnel', options.records, async (started) => {
    started();
    for (let start = 0; start < options.records; start += options.batch) {
      const records = [];
      for (let i = start; i < Math.min(options.records, start + options.batch); i++) records.push({ topic: 'bench-runnel', key: keys[i] as Buffer, value });
      await producer.send(records);
    }
  });
  await client.close();
  return result;
}

async function consumeKafkajs(options: Options): Promise<StepResult> {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({ brokers: brokers(), clientId: 'bench-kafkajs-consumer', logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: `bench-kafkajs-${process.pid}` });
  await consumer.connect();
  await consumer.subscribe({ topics: ['bench-kafkajs'], fromBeginning: true });
  let count = 0;
  let bytes = 0;
  const result = await measure('consume-kafkajs', options.records, async (started) => {
    // The rate counts from the end of the group join: the join's delay is the server's, not the client's.
    consumer.on(consumer.events.GROUP_JOIN, () => started());
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) bytes += message.value?.length ?? 0;
            count += batch.messages.length;
            if (count >= options.records) resolve();
          },
        })
        .catch(reject);
    });
  });
  await consumer.disconnect();
  return { ...result, records: count, ...(bytes === 0 ? { error: 'no bytes' } : {}) };
}

async function consumePlatformatic(options: Options): Promise<StepResult> {
  const { Consumer } = await import('@platformatic/kafka');
  const consumer = new Consumer({ groupId: `bench-platformatic-${process.pid}`, clientId: 'bench-platformatic-consumer', bootstrapBrokers: brokers() });
  let count = 0;
  let bytes = 0;
  try {
    const result = await measure('consume-platformatic', options.records, async (started) => {
      const stream = await consumer.consume({ topics: ['bench-kafkajs'], mode: 'earliest', autocommit: false, maxWaitTime: 500 });
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (message: { value: Buffer | undefined }) => {
          if (count === 0) started();
          bytes += message.value?.length ?? 0;
          count++;
          if (count >= options.records) resolve();
        });
        stream.on('error', reject);
      });
      await stream.close();
    });
    return { ...result, records: count };
  } finally {
    await consumer.close(true);
  }
}

/** @platformatic/kafka without a group: its raw `fetch` per partition leader (node 0: Mokapi has one broker). */
async function fetchPlatformatic(options: Options): Promise<StepResult> {
  const { Consumer } = await import('@platformatic/kafka');
  const consumer = new Consumer({ groupId: `bench-platformatic-fetch-${process.pid}`, clientId: 'bench-platformatic-fetcher', bootstrapBrokers: brokers() });
  let count = 0;
  let bytes = 0;
  const next = Array.from({ length: PARTITIONS }, () => 0n);
  try {
    const result = await measure('fetch-platformatic', options.records, async (started) => {
      started();
      while (count < options.records) {
        const response = await consumer.fetch({
          node: 0,
          maxWaitTime: 500,
          minBytes: 1,
          maxBytes: options.fetchMaxBytes,
          topics: [
            {
              topicId: 'bench-kafkajs',
              partitions: next.map((fetchOffset, partition) => ({
                partition,
                fetchOffset,
                currentLeaderEpoch: -1,
                lastFetchedEpoch: -1,
                partitionMaxBytes: 1_048_576,
              })),
            },
          ],
        });
        for (const topic of response.responses) {
          for (const p of topic.partitions) {
            for (const batch of p.records ?? []) {
              for (const record of batch.records) {
                if (batch.firstOffset + BigInt(record.offsetDelta) < (next[p.partitionIndex] as bigint)) continue;
                bytes += record.value?.length ?? 0;
                count++;
              }
              next[p.partitionIndex] = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
            }
          }
        }
      }
    });
    return { ...result, records: count };
  } finally {
    await consumer.close(true);
  }
}

async function fetchRunnel(options: Options): Promise<StepResult> {
  const { createKafkajsClientFactory } = await import('../src/client/kafkajs-client.js');
  const client = createKafkajsClientFactory()({ brokers: brokers(), clientId: 'bench-runnel-fetcher',
    properties: { 'fetch.max.bytes': String(options.fetchMaxBytes) },
  });
  let count = 0;
  let bytes = 0;
  const result = await measure('fetch-runnel', options.records, async (started) => {
    started();
    const fetcher = client.createFetcher({ maxBufferedRecords: 50_000 });
    fetcher.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'bench-kafkajs', partition, offset: 0 })));
    while (count < options.records) {
      for (const batch of await fetcher.poll(5_000, 1_000)) {
        for (const record of batch.records) bytes += record.value?.length ?? 0;
        count += batch.records.length;
      }
    }
    await fetcher.close();
  });
  await client.close();
  return { ...result, records: count };
}

async function inside(step: Step, options: Options): Promise<void> {
  const run = {
    'produce-kafkajs': produceKafkajs,
    'produce-platformatic': producePlatformatic,
    'produce-runnel': produceRunnel,
    'consume-kafkajs': consumeKafkajs,
    'consume-platformatic': consumePlatformatic,
    'fetch-platformatic': fetchPlatformatic,
    'fetch-runnel': fetchRunnel,
  }[step];
  const timeout = setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ step, records: 0, seconds: 0, totalSeconds: 0, cpuSeconds: 0, rssMiB: 0, error: 'timed out after 180 s' })}\n`);
    process.exit(0);
  }, 180_000);
  let result: StepResult;
  try {
    result = await run(options);
  } catch (error) {
    result = { step, records: 0, seconds: 0, totalSeconds: 0, cpuSeconds: 0, rssMiB: 0, error: (error as Error).message.split('\n')[0] ?? String(error) };
  }
  clearTimeout(timeout);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
// The launcher.

/** utime + stime of a process in seconds (from /proc, clock ticks of 100 Hz on Linux). */
function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

async function launch(options: Options): Promise<void> {
  const { startMokapi } = await import('../test/support/mokapi.js');
  const rows: (StepResult & { round: number; serverCpuSeconds: number })[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    // A fresh server per round: every round produces into empty topics.
    const mokapi = await startMokapi({
      topics: ['bench-kafkajs', 'bench-platformatic', 'bench-runnel'].map((name) => ({ name, partitions: PARTITIONS })),
      logLevel: 'error',
    });
    try {
      for (const step of options.steps) {
        const server0 = processCpuSeconds(mokapi.pid);
        const args = [
          ...['--inside', step, '--records', String(options.records), '--value-bytes', String(options.valueBytes)],
          ...['--batch', String(options.batch), '--fetch-max-bytes', String(options.fetchMaxBytes)],
        ];
        const r = await mokapi.run(THIS_FILE, args, {}, { timeoutMs: 240_000 });
        const line = r.stdout.trim().split('\n').at(-1) ?? '';
        let result: StepResult;
        try {
          result = JSON.parse(line) as StepResult;
        } catch {
          result = { step, records: 0, seconds: 0, totalSeconds: 0, cpuSeconds: 0, rssMiB: 0, error: `exit ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
        }
        const row = { ...result, round, serverCpuSeconds: processCpuSeconds(mokapi.pid) - server0 };
        rows.push(row);
        console.error(formatRow(row));
      }
    } finally {
      await mokapi.stop();
    }
  }
  console.log(JSON.stringify({ options, node: process.version, rows }, null, 2));
}

function formatRow(r: StepResult & { round: number; serverCpuSeconds: number }): string {
  if (r.error !== undefined) return `round ${r.round} ${r.step.padEnd(22)} ERROR ${r.error}`;
  const rate = r.records / r.seconds;
  const perCpu = r.records / r.cpuSeconds;
  return (
    `round ${r.round} ${r.step.padEnd(22)} ${r.records} records in ${r.seconds.toFixed(2)} s (${r.totalSeconds.toFixed(2)} s with connect/join): ` +
    `${Math.round(rate).toLocaleString('en')} rec/s, ${Math.round(perCpu).toLocaleString('en')} rec per client CPU-s, ` +
    `client CPU ${r.cpuSeconds.toFixed(2)} s, server CPU ${r.serverCpuSeconds.toFixed(2)} s, RSS ${r.rssMiB} MiB`
  );
}

const argv = process.argv.slice(2);
const options = parseOptions(argv[0] === '--inside' ? argv.slice(2) : argv);
if (argv[0] === '--inside') {
  const step = argv[1] as Step;
  if (!STEPS.includes(step)) throw new Error(`unknown step ${argv[1]}`);
  await inside(step, options);
} else {
  await launch(options);
}
