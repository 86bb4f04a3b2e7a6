// The issue's Kafka benchmarks: the Runnel KafkaSource and KafkaSink against plain kafkajs, and the source's memory
// under back-pressure, all on one Mokapi server (test/support/mokapi.ts, run as root).
//
//   node --import tsx --conditions=@runnel/source packages/connector-kafka/bench/source-sink.ts
//        [--records-per-round N] [--rounds R] [--batch S] [--slow-sink-ms M] [--out FILE]
//        [--memory-records N] [--synthetic-records N]
//   (or `pnpm bench kafka [options]`)
//
// Every step runs as its own process inside the namespace (`--inside <step>`), so its CPU time (process.cpuUsage:
// all threads of that process) is its own. In alternated rounds:
//   produce-kafkajs  a plain kafkajs producer sends N JSON records (~200 B, keyed) in awaited batches of `--batch`
//                    (acks=all, not idempotent: Mokapi 0.52 rejects idempotent multi-record batches) to `bench-in`;
//   produce-runnel   the KafkaSink's writer (at-least-once, maxBatchRecords = `--batch`, not idempotent) writes the
//                    same N records to `bench-sink`, fed as the runtime feeds it (write, await isAvailable, flush);
// then, in alternated rounds over everything in `bench-in`:
//   consume-kafkajs  kafkajs's consumer (eachBatch; a consumer group, its join excluded from the rate);
//   fetch-runnel     Runnel's group-less fetcher (the client layer the source reads through), for reference;
//   source-runnel    a DataStream job (parallelism 1, in this process's thread) KafkaSource(bounded, earliest ->
//                    latest) into a discarding sink;
// and last, once:
//   memory-runnel    the same source over `bench-in` and `bench-sink` into a slow sink (sleeps `--slow-sink-ms` per
//                    1000 records), sampling RSS every 50 ms: the peak up to 25 %, 50 % and 100 % of the records.
// With `--memory-records N` (the issue's 10 M: `--memory-records 10000000`) only the memory measurement runs, over a
// topic of its own size: fill-kafkajs produces N records to `bench-in` (several sends in flight, Mokapi's ingest is
// the bottleneck), then memory-runnel reads them into the slow sink; results go to bench/results/kafka-memory.json.
// With `--synthetic-records N` only memory-synthetic runs, without a server: the same source job and slow sink over a
// synthetic topic of N records computed from their offsets (bench/synthetic-kafka-client.ts; Mokapi keeps ~4 KB of
// RAM per record, so a 10 M-record topic does not fit this machine); results to bench/results/kafka-memory-synthetic.json.
// The results go to bench/results/kafka-latest.json (or `--out`), with a summary against the issue's targets:
// source >= 80 % of the plain consumer's records per CPU-second, sink >= 80 % of the plain producer's, peak RSS
// < 1 GiB (the issue asks for 10 M records; the run reads what it produced, see the README's "Benchmarks").
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { KafkaClient, KafkaClientFactory } from '../src/client/kafka-client.js';
import { syntheticKafkaClient } from './synthetic-kafka-client.js';

const THIS_FILE = fileURLToPath(import.meta.url);
const PACKAGE_DIR = resolve(dirname(THIS_FILE), '..');
const PARTITIONS = 4;
const TOPIC_IN = 'bench-in';
const TOPIC_SINK = 'bench-sink';

interface Options {
  readonly recordsPerRound: number;
  readonly rounds: number;
  readonly batch: number;
  readonly slowSinkMs: number;
  /** Records to read (consumer steps): what the produce rounds wrote to `bench-in`. */
  readonly total: number;
  readonly out: string;
  /** Memory-only mode: records to produce and then read into the slow sink (0: the normal run). */
  readonly memoryRecords: number;
  /** Memory-only mode without a server: records of the synthetic topic (0: not this mode). */
  readonly syntheticRecords: number;
}

interface StepResult {
  readonly step: string;
  readonly records: number;
  /** Wall seconds of the measured part (a group consumer's join excluded). */
  readonly seconds: number;
  /** CPU seconds (user + system, all threads) of the step's process over the measured part. */
  readonly cpuSeconds: number;
  readonly rssMiB: number;
  /** memory-runnel: peak RSS (MiB) up to 25 %, 50 %, 100 % of the records, and samples [records, rssMiB]. */
  readonly peakRssMiB?: { readonly p25: number; readonly p50: number; readonly p100: number };
  readonly rssSamples?: readonly (readonly [number, number])[];
  readonly error?: string;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return fallback;
    const n = Number(argv[i + 1]);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} needs a non-negative integer`);
    return n;
  };
  const o = argv.indexOf('--out');
  const recordsPerRound = value('records-per-round', 150_000);
  const rounds = value('rounds', 3);
  const memoryRecords = value('memory-records', 0);
  const syntheticRecords = value('synthetic-records', 0);
  const defaultOut = syntheticRecords > 0 ? 'kafka-memory-synthetic.json' : memoryRecords > 0 ? 'kafka-memory.json' : 'kafka-latest.json';
  return {
    memoryRecords,
    syntheticRecords,
    recordsPerRound,
    rounds,
    batch: value('batch', 1_000),
    slowSinkMs: value('slow-sink-ms', 50),
    total: value('total', recordsPerRound * rounds),
    out: o < 0 ? join(PACKAGE_DIR, 'bench', 'results', defaultOut) : resolve(argv[o + 1] ?? ''),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Inside the namespace: one step per process.

const brokers = (): string[] => (process.env['RUNNEL_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');

/** Record i: a ~200 B JSON event, keyed by its user. */
function record(i: number): { key: string; value: string } {
  const user = `user-${i % 1000}`;
  const head = `{"id":${i},"user":"${user}","ts":${1_700_000_000_000 + i},"amount":${(i * 7919) % 10_000},"note":"`;
  return { key: user, value: `${head}${'x'.repeat(Math.max(0, 198 - head.length))}"}` };
}

async function measure(step: string, body: (started: () => void) => Promise<number>): Promise<StepResult> {
  let t1 = performance.now();
  let cpu1 = process.cpuUsage();
  const records = await body(() => {
    t1 = performance.now();
    cpu1 = process.cpuUsage();
  });
  const seconds = (performance.now() - t1) / 1000;
  const cpu = process.cpuUsage(cpu1);
  return { step, records, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) };
}

/** Runnel's runtime: a dependency of @runnel/testing (this package's devDependency), resolved from there. */
async function runtime(): Promise<typeof import('@runnel/runtime')> {
  const testing = realpathSync(join(PACKAGE_DIR, 'node_modules', '@runnel', 'testing'));
  const path = createRequire(join(testing, 'package.json')).resolve('@runnel/runtime');
  return (await import(pathToFileURL(path).href)) as typeof import('@runnel/runtime');
}

async function produceKafkajs(options: Options): Promise<StepResult> {
  const { Kafka, Partitioners, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({ brokers: brokers(), clientId: 'bench-kafkajs', logLevel: logLevel.ERROR });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: false });
  await producer.connect();
  const result = await measure('produce-kafkajs', async (started) => {
    started();
    for (let start = 0; start < options.recordsPerRound; start += options.batch) {
      const messages = [];
      for (let i = start; i < Math.min(options.recordsPerRound, start + options.batch); i++) messages.push(record(i));
      await producer.send({ topic: TOPIC_IN, messages, acks: -1 });
    }
    return options.recordsPerRound;
  });
  await producer.disconnect();
  return result;
}

async function produceRunnel(options: Options): Promise<StepResult> {
  const { KafkaSink } = await import('../src/sink/kafka-sink.js');
  const { createKafkajsClientFactory } = await import('../src/client/kafkajs-client.js');
  const { testSinkWriterContext, recordContext } = await import('@runnel/testing');
  const sink = new KafkaSink<{ key: string; value: string }>({
    bootstrapServers: brokers(),
    topic: TOPIC_SINK,
    serializer: (r) => ({ key: r.key, value: r.value }),
    deliveryGuarantee: 'at-least-once',
    clientFactory: createKafkajsClientFactory(),
    maxBatchRecords: options.batch,
    properties: { 'enable.idempotence': 'false' },
  });
  const writer = sink.createWriter(testSinkWriterContext());
  const result = await measure('produce-runnel', async (started) => {
    started();
    for (let i = 0; i < options.recordsPerRound; i++) {
      const available = writer.isAvailable?.();
      if (available !== undefined) await available;
      writer.write(record(i), recordContext(-Infinity));
    }
    await writer.flush(true);
    return options.recordsPerRound;
  });
  await writer.close();
  return result;
}

/** Memory-only mode: N records to `bench-in`, up to 8 sends of `--batch` records in flight. */
async function fillKafkajs(options: Options): Promise<StepResult> {
  const { Kafka, Partitioners, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({ brokers: brokers(), clientId: 'bench-fill', logLevel: logLevel.ERROR });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: false });
  await producer.connect();
  const n = options.memoryRecords;
  let next = 0;
  let lastReport = Date.now();
  const sender = async (): Promise<void> => {
    while (next < n) {
      const start = next;
      next = Math.min(n, start + options.batch);
      const messages = [];
      for (let i = start; i < next; i++) messages.push(record(i));
      await producer.send({ topic: TOPIC_IN, messages, acks: -1 });
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        process.stderr.write(`fill: ${next} of ${n}\n`);
      }
    }
  };
  const result = await measure('fill-kafkajs', async (started) => {
    started();
    await Promise.all(Array.from({ length: 8 }, sender));
    return n;
  });
  await producer.disconnect();
  return result;
}

async function consumeKafkajs(options: Options): Promise<StepResult> {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const kafka = new Kafka({ brokers: brokers(), clientId: 'bench-kafkajs-consumer', logLevel: logLevel.ERROR });
  const consumer = kafka.consumer({ groupId: `bench-kafkajs-${process.pid}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [TOPIC_IN], fromBeginning: true });
  let count = 0;
  let bytes = 0;
  const result = await measure('consume-kafkajs', async (started) => {
    consumer.on(consumer.events.GROUP_JOIN, () => started());
    await new Promise<void>((resolveRun, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) bytes += message.value?.length ?? 0;
            count += batch.messages.length;
            if (count >= options.total) resolveRun();
          },
        })
        .catch(reject);
    });
    return count;
  });
  await consumer.disconnect();
  return { ...result, ...(bytes === 0 ? { error: 'no bytes' } : {}) };
}

async function fetchRunnel(options: Options): Promise<StepResult> {
  const { createKafkajsClientFactory } = await import('../src/client/kafkajs-client.js');
  const client = createKafkajsClientFactory()({ brokers: brokers(), clientId: 'bench-runnel-fetcher', properties: {} });
  await client.connect();
  let count = 0;
  const result = await measure('fetch-runnel', async (started) => {
    started();
    const fetcher = client.createFetcher({ maxBufferedRecords: 10_000 });
    fetcher.assign(Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC_IN, partition, offset: 0 })));
    let bytes = 0;
    while (count < options.total) {
      for (const batch of await fetcher.poll(5_000, 1_000)) {
        for (const r of batch.records) bytes += r.value?.length ?? 0;
        count += batch.records.length;
      }
    }
    await fetcher.close();
    return bytes > 0 ? count : 0;
  });
  await client.close();
  return result;
}

/** The job's modules, loaded before the measured part (module loading is not the source's cost). */
async function modules() {
  const { StreamExecutionEnvironment } = await runtime();
  const { KafkaSource } = await import('../src/source/kafka-source.js');
  const { OffsetsInitializer } = await import('../src/source/offsets-initializer.js');
  const { createKafkajsClientFactory } = await import('../src/client/kafkajs-client.js');
  return { StreamExecutionEnvironment, KafkaSource, OffsetsInitializer, createKafkajsClientFactory };
}
type Modules = Awaited<ReturnType<typeof modules>>;

/** A DataStream job: the bounded KafkaSource over `topics` into `sink`, parallelism 1, in this thread. */
async function sourceJob(topics: string[], sink: unknown, loaded: Modules, clientFactory?: KafkaClientFactory): Promise<void> {
  const { StreamExecutionEnvironment, KafkaSource, OffsetsInitializer, createKafkajsClientFactory } = loaded;
  const env = StreamExecutionEnvironment.create({ 'parallelism.default': 1 });
  const source = KafkaSource.builder<Uint8Array | null>()
    .setBootstrapServers(...brokers())
    .setTopics(...topics)
    .setStartingOffsets(OffsetsInitializer.earliest())
    .setBounded(OffsetsInitializer.latest())
    .setValueOnlyDeserializer((value) => value)
    .setClientFactory(clientFactory ?? createKafkajsClientFactory())
    .build();
  env.fromSource(source, undefined, 'kafka').sinkTo(sink as never, 'sink');
  await env.execute('kafka-bench');
}

/** Counts records and their bytes (so values are touched, as the plain consumer touches them). */
function discardingSink(): { sink: unknown; count: () => number } {
  let count = 0;
  let bytes = 0;
  const sink = {
    createWriter: () => ({
      write: (value: Uint8Array | null) => {
        count++;
        bytes += value?.length ?? 0;
      },
      flush: () => undefined,
      close: () => undefined,
    }),
  };
  return { sink, count: () => (bytes >= 0 ? count : 0) };
}

async function sourceRunnel(): Promise<StepResult> {
  const { sink, count } = discardingSink();
  const loaded = await modules();
  return measure('source-runnel', async (started) => {
    started();
    await sourceJob([TOPIC_IN], sink, loaded);
    return count();
  });
}

async function memoryRunnel(options: Options, step = 'memory-runnel'): Promise<StepResult> {
  let count = 0;
  let nextPause = 1_000;
  const sink = {
    createWriter: () => ({
      write: () => {
        count++;
      },
      // A slow destination: every 1000 records it takes `slowSinkMs` to "write" them.
      isAvailable: () => {
        if (count < nextPause) return undefined;
        nextPause = count + 1_000;
        return new Promise<void>((r) => setTimeout(r, options.slowSinkMs));
      },
      flush: () => undefined,
      close: () => undefined,
    }),
  };
  const samples: [number, number][] = [];
  const sample = (): void => {
    samples.push([count, Math.round(process.memoryUsage().rss / 2 ** 20)]);
  };
  const loaded = await modules();
  const timer = setInterval(sample, 50);
  const synthetic = step === 'memory-synthetic';
  const clientFactory = synthetic ? (): KafkaClient => syntheticKafkaClient(TOPIC_IN, PARTITIONS, options.syntheticRecords, record) : undefined;
  const result = await measure(step, async (started) => {
    started();
    await sourceJob(synthetic || options.memoryRecords > 0 ? [TOPIC_IN] : [TOPIC_IN, TOPIC_SINK], sink, loaded, clientFactory);
    return count;
  });
  clearInterval(timer);
  sample();
  const peakUpTo = (fraction: number): number => Math.max(0, ...samples.filter(([n]) => n <= count * fraction).map(([, rss]) => rss));
  const every = Math.max(1, Math.floor(samples.length / 40));
  return {
    ...result,
    peakRssMiB: { p25: peakUpTo(0.25), p50: peakUpTo(0.5), p100: peakUpTo(1) },
    rssSamples: samples.filter((_, i) => i % every === 0 || i === samples.length - 1),
  };
}

const STEPS = {
  'fill-kafkajs': fillKafkajs,
  'produce-kafkajs': produceKafkajs,
  'produce-runnel': produceRunnel,
  'consume-kafkajs': consumeKafkajs,
  'fetch-runnel': fetchRunnel,
  'source-runnel': sourceRunnel,
  'memory-runnel': memoryRunnel,
  'memory-synthetic': (options: Options) => memoryRunnel(options, 'memory-synthetic'),
} as const;
type Step = keyof typeof STEPS;

/** A step's time limit: 900 s, or more for the memory-only mode's big topic (at 2 000 records/s). */
const stepTimeoutMs = (options: Options): number => Math.max(900_000, (options.memoryRecords / 2_000) * 1000);

async function inside(step: Step, options: Options): Promise<void> {
  const limit = stepTimeoutMs(options);
  const timeout = setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ step, records: 0, seconds: 0, cpuSeconds: 0, rssMiB: 0, error: `timed out after ${limit / 1000} s` })}\n`);
    process.exit(0);
  }, limit);
  let result: StepResult;
  try {
    result = await STEPS[step](options);
  } catch (error) {
    result = { step, records: 0, seconds: 0, cpuSeconds: 0, rssMiB: 0, error: (error as Error).message.split('\n')[0] ?? String(error) };
  }
  clearTimeout(timeout);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------------------------
// The launcher.

function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

type Row = StepResult & { round: number; serverCpuSeconds: number };

/** Memory-only mode without a server: the memory-synthetic step in a child process of its own (its RSS alone). */
function launchSynthetic(options: Options): void {
  const args = [...process.execArgv, THIS_FILE, '--inside', 'memory-synthetic', '--synthetic-records', String(options.syntheticRecords)];
  args.push('--slow-sink-ms', String(options.slowSinkMs));
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, stdio: ['ignore', 'pipe', 'inherit'] });
  const result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as StepResult;
  const row: Row = { ...result, round: 1, serverCpuSeconds: 0 };
  console.error(formatRow(row));
  const summary = summarize([row]);
  const report = { date: new Date().toISOString(), node: process.version, options, summary, rows: [row] };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatSummary(summary));
  console.log(`results: ${options.out}`);
}

async function launch(options: Options): Promise<void> {
  const { startMokapi } = await import('../test/support/mokapi.js');
  const mokapi = await startMokapi({ topics: [TOPIC_IN, TOPIC_SINK].map((name) => ({ name, partitions: PARTITIONS })), logLevel: 'error' });
  const rows: Row[] = [];
  const total = options.recordsPerRound * options.rounds;
  const run = async (step: Step, round: number): Promise<void> => {
    const server0 = processCpuSeconds(mokapi.pid);
    const args = ['--inside', step, '--records-per-round', String(options.recordsPerRound), '--rounds', String(options.rounds)];
    args.push('--batch', String(options.batch), '--slow-sink-ms', String(options.slowSinkMs), '--total', String(total));
    args.push('--memory-records', String(options.memoryRecords));
    const r = await mokapi.run(THIS_FILE, args, {}, { timeoutMs: stepTimeoutMs(options) + 60_000 });
    let result: StepResult;
    try {
      result = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as StepResult;
    } catch {
      result = { step, records: 0, seconds: 0, cpuSeconds: 0, rssMiB: 0, error: `exit ${r.code ?? r.signal}: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
    }
    const row = { ...result, round, serverCpuSeconds: processCpuSeconds(mokapi.pid) - server0 };
    rows.push(row);
    console.error(formatRow(row));
  };
  try {
    if (options.memoryRecords > 0) {
      await run('fill-kafkajs', 1);
      await run('memory-runnel', 1);
    } else {
      for (let round = 1; round <= options.rounds; round++) {
        const order: Step[] = round % 2 === 1 ? ['produce-kafkajs', 'produce-runnel'] : ['produce-runnel', 'produce-kafkajs'];
        for (const step of order) await run(step, round);
      }
      for (let round = 1; round <= options.rounds; round++) {
        const order: Step[] = round % 2 === 1 ? ['consume-kafkajs', 'source-runnel', 'fetch-runnel'] : ['source-runnel', 'fetch-runnel', 'consume-kafkajs'];
        for (const step of order) await run(step, round);
      }
      if (options.slowSinkMs > 0) await run('memory-runnel', 1);
    }
  } finally {
    await mokapi.stop();
  }
  const summary = summarize(rows);
  const report = { date: new Date().toISOString(), node: process.version, options: { ...options, total }, summary, rows };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(formatSummary(summary));
  console.log(`results: ${options.out}`);
}

interface Summary {
  /** Records per CPU-second (the median over rounds) and per wall second, per step. */
  readonly steps: Record<string, { recordsPerCpuSecond: number; recordsPerSecond: number; rounds: number }>;
  readonly sourceVsKafkajsConsumer?: number;
  readonly sourceVsRunnelFetcher?: number;
  readonly sinkVsKafkajsProducer?: number;
  readonly sinkVsKafkajsProducerWall?: number;
  readonly memory?: { records: number; peakRssMiB: { p25: number; p50: number; p100: number } };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function summarize(rows: readonly Row[]): Summary {
  const steps: Summary['steps'] = {};
  for (const step of Object.keys(STEPS)) {
    const ok = rows.filter((r) => r.step === step && r.error === undefined && r.records > 0);
    if (ok.length === 0) continue;
    steps[step] = {
      recordsPerCpuSecond: Math.round(median(ok.map((r) => r.records / r.cpuSeconds))),
      recordsPerSecond: Math.round(median(ok.map((r) => r.records / r.seconds))),
      rounds: ok.length,
    };
  }
  const ratio = (a: string, b: string, key: 'recordsPerCpuSecond' | 'recordsPerSecond' = 'recordsPerCpuSecond'): number | undefined => {
    const x = steps[a]?.[key];
    const y = steps[b]?.[key];
    return x !== undefined && y !== undefined ? Math.round((x / y) * 1000) / 1000 : undefined;
  };
  const memory = rows.find((r) => (r.step === 'memory-runnel' || r.step === 'memory-synthetic') && r.peakRssMiB !== undefined);
  const out: Record<string, unknown> = { steps };
  const add = (key: string, v: number | undefined): void => {
    if (v !== undefined) out[key] = v;
  };
  add('sourceVsKafkajsConsumer', ratio('source-runnel', 'consume-kafkajs'));
  add('sourceVsRunnelFetcher', ratio('source-runnel', 'fetch-runnel'));
  add('sinkVsKafkajsProducer', ratio('produce-runnel', 'produce-kafkajs'));
  add('sinkVsKafkajsProducerWall', ratio('produce-runnel', 'produce-kafkajs', 'recordsPerSecond'));
  if (memory?.peakRssMiB !== undefined) out['memory'] = { records: memory.records, peakRssMiB: memory.peakRssMiB };
  return out as unknown as Summary;
}

function formatRow(r: Row): string {
  if (r.error !== undefined) return `round ${r.round} ${r.step.padEnd(16)} ERROR ${r.error}`;
  const perCpu = Math.round(r.records / r.cpuSeconds).toLocaleString('en');
  const rate = Math.round(r.records / r.seconds).toLocaleString('en');
  const peak = r.peakRssMiB === undefined ? '' : `, peak RSS ${r.peakRssMiB.p25}/${r.peakRssMiB.p50}/${r.peakRssMiB.p100} MiB at 25/50/100 %`;
  return `round ${r.round} ${r.step.padEnd(16)} ${r.records} records in ${r.seconds.toFixed(2)} s: ${rate} rec/s, ${perCpu} rec/CPU-s (CPU ${r.cpuSeconds.toFixed(2)} s, server CPU ${r.serverCpuSeconds.toFixed(2)} s), RSS ${r.rssMiB} MiB${peak}`;
}

function formatSummary(s: Summary): string {
  const pct = (v: number | undefined): string => (v === undefined ? 'n/a' : `${(v * 100).toFixed(1)} %`);
  const verdict = (v: number | undefined, target: number): string => (v === undefined ? 'not measured' : v >= target ? 'meets' : 'MISSES');
  const lines = ['', 'step              rec/CPU-s (median)   rec/s (median)'];
  for (const [step, v] of Object.entries(s.steps)) lines.push(`${step.padEnd(18)}${String(v.recordsPerCpuSecond).padStart(18)}${String(v.recordsPerSecond).padStart(17)}`);
  lines.push(`source / kafkajs consumer, per CPU-s: ${pct(s.sourceVsKafkajsConsumer)} (target >= 80 %: ${verdict(s.sourceVsKafkajsConsumer, 0.8)})`);
  lines.push(`source / Runnel fetcher, per CPU-s:   ${pct(s.sourceVsRunnelFetcher)}`);
  lines.push(`sink / kafkajs producer, per CPU-s:   ${pct(s.sinkVsKafkajsProducer)} (target >= 80 %: ${verdict(s.sinkVsKafkajsProducer, 0.8)}); wall: ${pct(s.sinkVsKafkajsProducerWall)}`);
  if (s.memory !== undefined) {
    const p = s.memory.peakRssMiB;
    lines.push(`memory: ${s.memory.records} records into a slow sink, peak RSS ${p.p25} / ${p.p50} / ${p.p100} MiB at 25 / 50 / 100 % (target < 1024 MiB: ${verdict(1024 - p.p100, 0.000001)})`);
  }
  return lines.join('\n');
}

const argv = process.argv.slice(2);
const options = parseOptions(argv[0] === '--inside' ? argv.slice(2) : argv);
if (argv[0] === '--inside') {
  const step = argv[1] as Step;
  if (!(step in STEPS)) throw new Error(`unknown step ${argv[1]}`);
  await inside(step, options);
} else if (options.syntheticRecords > 0) {
  launchSynthetic(options);
} else {
  await launch(options);
}
