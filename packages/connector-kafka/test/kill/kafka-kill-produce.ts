// Producer child of the Kafka kill test (runs inside Mokapi's network namespace, see test/support/mokapi.ts):
// produces `count` numbered JSON records `{"id": i, "k": "k<i % 64>"}` to `topic`, keyed by `k`, spread over
// `partitions` by key, in batches of `batch` records at about `rate` records a second, with the package's kafkajs
// client (not idempotent: Mokapi 0.52 rejects the second idempotent multi-record batch to a partition). Prints
// `{"produced": n}` after every batch and `{"done": count}` at the end.
// Usage: node --import tsx --conditions=@runnel/source kafka-kill-produce.ts <topic> <partitions> <count> <rate> <batch>
import { createKafkajsClientFactory } from '../../src/client/kafkajs-client.js';
import type { OutgoingRecord } from '../../src/client/kafka-client.js';

const BROKERS = process.env['RUNNEL_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const KEYS = 64;

const [topic, partitionsArg, countArg, rateArg, batchArg] = process.argv.slice(2) as [string, string, string, string, string];
const partitions = Number(partitionsArg);
const count = Number(countArg);
const rate = Number(rateArg);
const batch = Number(batchArg);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const client = createKafkajsClientFactory({ warn: () => {} })({ brokers: BROKERS.split(','), clientId: 'kill-producer', properties: {} });
  await client.connect();
  const producer = client.createProducer({ idempotent: false });
  await producer.connect();
  const started = Date.now();
  for (let from = 0; from < count; from += batch) {
    const records: OutgoingRecord[] = [];
    for (let i = from; i < Math.min(count, from + batch); i++) {
      const key = i % KEYS;
      records.push({ topic, partition: key % partitions, key: `k${key}`, value: JSON.stringify({ id: i, k: `k${key}` }) });
    }
    await producer.send(records);
    const produced = from + records.length;
    process.stdout.write(JSON.stringify({ produced }) + '\n');
    // Paced: the job is killed and restarted while records keep arriving.
    const due = started + (produced / rate) * 1000;
    if (due > Date.now()) await sleep(due - Date.now());
  }
  await producer.close();
  await client.close();
  process.stdout.write(JSON.stringify({ done: count }) + '\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`producer failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
