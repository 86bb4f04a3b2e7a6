// Scenarios of the kafkajs client against a real Kafka-protocol server, run inside Mokapi's network namespace by
// kafkajs-client.test.ts (`mokapi.run(thisFile, [scenario])`): each prints one JSON line with what it observed, and
// the test asserts on it. Brokers come from RUNNEL_KAFKA_BROKERS.
import { KafkaClientError, partitionKey, type FetchedBatch, type KafkaClient, type KafkaRecord } from '../../../src/client/kafka-client.js';
import { createKafkajsClientFactory } from '../../../src/client/kafkajs-client.js';

const brokers = (process.env['RUNNEL_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
const warnings: string[] = [];
const factory = createKafkajsClientFactory({ warn: (message) => warnings.push(message) });

function client(properties: Record<string, string> = {}, overrideBrokers?: string[]): KafkaClient {
  return factory({ brokers: overrideBrokers ?? brokers, clientId: 'runnel-client-test', properties });
}

const text = (bytes: Uint8Array | null): string | null => (bytes === null ? null : Buffer.from(bytes).toString('utf8'));

function plain(record: KafkaRecord): Record<string, unknown> {
  return {
    offset: record.offset,
    timestamp: record.timestamp,
    timestampType: record.timestampType,
    key: text(record.key),
    value: text(record.value),
    headers: record.headers.map(([k, v]) => [k, text(v)]),
    leaderEpoch: record.leaderEpoch,
  };
}

function describeError(error: unknown): Record<string, unknown> {
  return error instanceof KafkaClientError
    ? { name: error.name, kind: error.kind, message: error.message }
    : { name: (error as Error).name, message: (error as Error).message };
}

async function expectError(action: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await action();
    return { error: null };
  } catch (error) {
    return describeError(error);
  }
}

/** Produces with keys, headers, timestamps and explicit partitions; fetches it back from offsets. */
async function produceAndFetch(): Promise<unknown> {
  const c = client();
  await c.connect();
  const producer = c.createProducer({ idempotent: true });
  await producer.connect();
  const base = 1_700_000_000_000;
  await producer.send([
    { topic: 'client-a', partition: 0, key: 'k0', value: 'v0', timestamp: base, headers: [['h1', 'a'], ['h2', Buffer.from('b')], ['h1', 'c']] },
    { topic: 'client-a', partition: 0, key: null, value: 'v1', timestamp: base + 1 },
    { topic: 'client-a', partition: 0, key: new Uint8Array([0x6b, 0x32]), value: null, timestamp: base + 2 },
    { topic: 'client-a', partition: 1, key: 'k3', value: new TextEncoder().encode('v3'), timestamp: base + 3 },
    { topic: 'client-a', partition: 1, key: 'k4', value: 'v4', timestamp: base + 4 },
    { topic: 'client-a', partition: 1, key: 'k5', value: 'v5', timestamp: base + 5 },
  ]);
  // Keyed records without a partition go where Kafka's murmur2 partitioner puts them.
  await producer.send([{ topic: 'client-a', key: 'murmur', value: 'm' }]);
  await producer.close();

  const fetcher = c.createFetcher({ maxBufferedRecords: 100 });
  fetcher.assign([
    { topic: 'client-a', partition: 0, offset: 0 },
    { topic: 'client-a', partition: 1, offset: 1 },
  ]);
  const got = new Map<string, Record<string, unknown>[]>();
  const highWatermarks: Record<string, number> = {};
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && ((got.get('client-a-0')?.length ?? 0) < 3 || (got.get('client-a-1')?.length ?? 0) < 2)) {
    for (const batch of await fetcher.poll(50, 500)) {
      const key = partitionKey(batch);
      got.set(key, [...(got.get(key) ?? []), ...batch.records.map(plain)]);
      highWatermarks[key] = batch.highWatermark;
    }
  }
  // Moving a partition: the next records come from the new offset.
  fetcher.assign([{ topic: 'client-a', partition: 0, offset: 2 }]);
  const moved: Record<string, unknown>[] = [];
  while (Date.now() < deadline && moved.length === 0) {
    for (const batch of await fetcher.poll(50, 500)) if (batch.partition === 0) moved.push(...batch.records.map(plain));
  }
  fetcher.unassign([{ topic: 'client-a', partition: 0 }, { topic: 'client-a', partition: 1 }]);
  const afterUnassign = await fetcher.poll(50, 700);
  await fetcher.close();
  const latest = await c.latestOffsets([0, 1, 2, 3].map((partition) => ({ topic: 'client-a', partition })));
  await c.close();
  return {
    partition0: got.get('client-a-0') ?? [],
    partition1: got.get('client-a-1') ?? [],
    highWatermarks,
    moved,
    afterUnassign: afterUnassign.length,
    latest: Object.fromEntries(latest),
    warnings,
  };
}

/** Metadata and offset lookups. */
async function offsets(): Promise<unknown> {
  const c = client();
  const topics = await c.listTopics();
  const partitions = await c.partitionsFor(['client-b']);
  const producer = c.createProducer({ idempotent: false });
  await producer.connect();
  await producer.send([
    { topic: 'client-b', partition: 0, key: 'a', value: '1', timestamp: 1_000 },
    { topic: 'client-b', partition: 0, key: 'b', value: '2', timestamp: 2_000 },
    { topic: 'client-b', partition: 1, key: 'c', value: '3', timestamp: 3_000 },
  ]);
  await producer.close();
  const earliest = await c.earliestOffsets(partitions);
  const latest = await c.latestOffsets(partitions);
  const byTimestamp = await expectError(() => c.offsetsForTimestamp(partitions, 1_500));
  await c.close();
  return {
    topics: topics.sort(),
    partitions,
    earliest: Object.fromEntries(earliest),
    latest: Object.fromEntries(latest),
    byTimestamp,
  };
}

/** Committed offsets of a group: none, committed, read back by another client (another connection). */
async function groupOffsets(): Promise<unknown> {
  const partitions = [0, 1, 2].map((partition) => ({ topic: 'client-c', partition }));
  const c1 = client();
  // Mokapi refuses to commit offsets beyond a partition's end (Kafka does not check): write some records first.
  const producer = c1.createProducer({ idempotent: false });
  await producer.connect();
  await producer.send(Array.from({ length: 20 }, (_, i) => ({ topic: 'client-c', partition: i % 3, key: null, value: String(i) })));
  await producer.close();
  let t = Date.now();
  const before = await c1.committedOffsets('runnel-group-1', partitions);
  const firstReadMs = Date.now() - t;
  t = Date.now();
  await c1.commitOffsets('runnel-group-1', [
    { topic: 'client-c', partition: 0, offset: 5 },
    { topic: 'client-c', partition: 2, offset: 4 },
  ]);
  const commitMs = Date.now() - t;
  await c1.commitOffsets('runnel-group-1', [{ topic: 'client-c', partition: 0, offset: 6 }]);
  const sameClient = await c1.committedOffsets('runnel-group-1', partitions);
  await c1.close();
  const c2 = client();
  const otherClient = await c2.committedOffsets('runnel-group-1', partitions);
  const otherGroup = await c2.committedOffsets('runnel-group-2', partitions);
  await c2.close();
  const undefinedAsNull = (m: Map<string, number | undefined>) => Object.fromEntries([...m].map(([k, v]) => [k, v ?? null]));
  return {
    before: undefinedAsNull(before),
    sameClient: undefinedAsNull(sameClient),
    otherClient: undefinedAsNull(otherClient),
    otherGroup: undefinedAsNull(otherGroup),
    firstReadMs,
    commitMs,
  };
}

/** The fetcher never holds more than its buffer, and delivers everything in order once drained. */
async function backPressure(): Promise<unknown> {
  const total = Number(process.argv[3] ?? '20000');
  const maxBuffered = Number(process.argv[4] ?? '1000');
  const c = client();
  const producer = c.createProducer({ idempotent: false });
  await producer.connect();
  const value = 'x'.repeat(100);
  for (let start = 0; start < total; start += 2_000) {
    const records = [];
    for (let i = start; i < Math.min(total, start + 2_000); i++) records.push({ topic: 'client-d', partition: i % 2, key: String(i), value });
    await producer.send(records);
  }
  await producer.close();

  const fetcher = c.createFetcher({ maxBufferedRecords: maxBuffered });
  fetcher.assign([0, 1].map((partition) => ({ topic: 'client-d', partition, offset: 0 })));
  const next = [0, 0];
  let received = 0;
  let maxPerPoll = 0;
  let outOfOrder = 0;
  const check = (batches: readonly FetchedBatch[]): number => {
    const n = count(batches);
    received += n;
    maxPerPoll = Math.max(maxPerPoll, n);
    for (const batch of batches) {
      for (const record of batch.records) {
        if (record.offset !== next[batch.partition]) outOfOrder++;
        next[batch.partition] = record.offset + 1;
      }
    }
    return n;
  };
  // A stalled reader: the fetcher fills its buffer and must stop there.
  await new Promise((r) => setTimeout(r, 2_000));
  const firstPollCount = check(await fetcher.poll(Number.MAX_SAFE_INTEGER, 0));
  await new Promise((r) => setTimeout(r, 1_000));
  const secondPollCount = check(await fetcher.poll(Number.MAX_SAFE_INTEGER, 0));
  // Then a slow reader draining everything.
  const deadline = Date.now() + 60_000;
  while (received < total && Date.now() < deadline) {
    check(await fetcher.poll(Number.MAX_SAFE_INTEGER, 500));
    await new Promise((r) => setTimeout(r, 5));
  }
  await fetcher.close();
  await c.close();
  return { total, maxBuffered, firstPollCount, secondPollCount, received, maxPerPoll, outOfOrder, end: next };
}

function count(batches: readonly FetchedBatch[]): number {
  return batches.reduce((n, b) => n + b.records.length, 0);
}

/** Errors: unknown topics (configuration, named), an unreachable broker (retriable), bad properties (configuration). */
async function errors(): Promise<unknown> {
  const c = client();
  const partitionsFor = await expectError(() => c.partitionsFor(['client-a', 'no-such-topic']));
  const latest = await expectError(() => c.latestOffsets([{ topic: 'no-such-topic', partition: 0 }]));
  const fetcher = c.createFetcher({ maxBufferedRecords: 10 });
  fetcher.assign([{ topic: 'no-such-topic', partition: 0, offset: 0 }]);
  const fetch = await expectError(async () => {
    for (let i = 0; i < 20; i++) await fetcher.poll(10, 500);
  });
  await fetcher.close();
  const missingPartition = await expectError(() => c.latestOffsets([{ topic: 'client-a', partition: 99 }]));
  await c.close();
  const unreachable = client({ retries: '1', 'retry.backoff.ms': '50' }, ['127.0.0.1:1']);
  const t = Date.now();
  const connect = await expectError(() => unreachable.listTopics());
  const connectMs = Date.now() - t;
  await unreachable.close();
  const badProperty = await expectError(async () => client({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'GSSAPI' }));
  const secret = 'hunter2-secret';
  const jaas = await expectError(async () =>
    client({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': `broken password="${secret}"` }),
  );
  // SASL against a broker without SASL: the handshake fails; the message must not contain the password.
  const sasl = client({
    'security.protocol': 'SASL_PLAINTEXT',
    'sasl.mechanism': 'PLAIN',
    'sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${secret}";`,
    retries: '0',
  });
  const saslError = await expectError(() => sasl.listTopics());
  await sasl.close();
  return { partitionsFor, latest, fetch, missingPartition, connect, connectMs, badProperty, jaas, saslError, secret };
}

/** A fetch position beyond the partition's end moves as auto.offset.reset says, or fails with `none`. */
async function outOfRange(): Promise<unknown> {
  const earliest = client({ 'auto.offset.reset': 'earliest' });
  const producer = earliest.createProducer({ idempotent: false });
  await producer.connect();
  await producer.send([0, 1, 2].map((i) => ({ topic: 'client-e', partition: 0, key: null, value: `r${i}` })));
  await producer.close();
  const fetcher = earliest.createFetcher({ maxBufferedRecords: 100 });
  fetcher.assign([{ topic: 'client-e', partition: 0, offset: 1_000 }]);
  const offsets: number[] = [];
  const deadline = Date.now() + 15_000;
  while (offsets.length < 3 && Date.now() < deadline) {
    for (const batch of await fetcher.poll(100, 500)) offsets.push(...batch.records.map((r) => r.offset));
  }
  await earliest.close();
  const none = client({ 'auto.offset.reset': 'none' });
  const strict = none.createFetcher({ maxBufferedRecords: 100 });
  strict.assign([{ topic: 'client-e', partition: 0, offset: 1_000 }]);
  const failure = await expectError(async () => {
    for (let i = 0; i < 20; i++) await strict.poll(100, 500);
  });
  await none.close();
  return { offsets, warnings, failure };
}

const scenarios: Record<string, () => Promise<unknown>> = {
  'out-of-range': outOfRange,
  'produce-fetch': produceAndFetch,
  offsets,
  'group-offsets': groupOffsets,
  'back-pressure': backPressure,
  errors,
};

const name = process.argv[2] ?? '';
const scenario = scenarios[name];
if (scenario === undefined) {
  console.error(`unknown scenario '${name}' (known: ${Object.keys(scenarios).join(', ')})`);
  process.exit(2);
}
const result = await scenario();
process.stdout.write(`${JSON.stringify(result)}\n`);
// kafkajs can keep sockets or timers alive briefly after disconnecting; the scenario is done.
process.exit(0);
