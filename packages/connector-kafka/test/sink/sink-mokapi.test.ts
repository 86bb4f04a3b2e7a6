// The Kafka sinks against a real Kafka-protocol server (Mokapi 0.52, in its own network namespace; see
// test/support/mokapi.ts), through the kafkajs client: the DataStream sink at-least-once (keys partitioned as Kafka's
// partitioner does, order per key, timestamps and headers), an SQL INSERT into a kafka table read back with a plain
// client, and upsert-kafka written from a retracting aggregation over a debezium-json topic and read back as a
// changelog. Mokapi has no transactions, so exactly-once is not run here (see the README).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../src/sink/murmur2.js';
import { startMokapi, type Mokapi } from '../support/mokapi.js';

const SCENARIOS = fileURLToPath(new URL('./scripts/mokapi-sink-scenarios.ts', import.meta.url));

let mokapi: Mokapi;

beforeAll(async () => {
  mokapi = await startMokapi({
    topics: [
      { name: 'sink-ds', partitions: 3 },
      { name: 'sink-sql', partitions: 4 },
      { name: 'upsert-in', partitions: 1 },
      { name: 'upsert-out', partitions: 2 },
    ],
  });
});

afterAll(async () => {
  await mokapi?.stop();
});

async function scenario<T>(name: string): Promise<T> {
  const result = await mokapi.run(SCENARIOS, [name]);
  if (result.code !== 0) {
    throw new Error(`scenario ${name} failed (${result.code ?? result.signal}):\n${result.stderr}\n--- Mokapi log:\n${mokapi.log().slice(-3000)}`);
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '') as T;
}

describe('Kafka sinks against Mokapi', () => {
  it('DataStream sink, at-least-once: every record once, keyed as Kafka partitions, in order per key, with timestamps and headers', async () => {
    const r = await scenario<Record<string, unknown>>('datastream-sink');
    expect(r).toMatchObject({ written: 2000, read: 2000, distinct: 2000, misplaced: 0, ordered: true, stamped: true, headers: true, sent: 2000, warnings: [] });
  });

  it('an INSERT into a kafka table (json) is read back with a plain client', async () => {
    const r = await scenario<{ records: { partition: number; key: string; value: string }[] }>('sql-insert-json');
    expect(r.records).toHaveLength(50);
    const values = r.records.map((x) => JSON.parse(x.value) as { id: number; name: string; amount: number }).sort((a, b) => a.id - b.id);
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => ({ id: i, name: `name-${i % 5}`, amount: (i % 7) * 10 })));
    for (const x of r.records) {
      expect(JSON.parse(x.key)).toEqual({ id: (JSON.parse(x.value) as { id: number }).id });
      expect(x.partition).toBe(partitionForKey(x.key, 4));
    }
  });

  it('upsert-kafka written from a retracting aggregation and read back as a changelog', async () => {
    const r = await scenario<{ raw: { key: string; value: string | null }[]; table: string[]; changelog: number[] }>('sql-upsert');
    // Keys are the primary key; the last value per key is the aggregate; region 'ap' was inserted then deleted.
    const last = new Map<string, string | null>();
    for (const x of r.raw) last.set(x.key, x.value);
    expect(JSON.parse(last.get('{"region":"eu"}')!)).toEqual({ region: 'eu', n: 2, total: 19 });
    expect(JSON.parse(last.get('{"region":"us"}')!)).toEqual({ region: 'us', n: 1, total: 5 });
    expect(last.get('{"region":"ap"}')).toBeNull(); // a tombstone
    expect(r.table).toEqual(['eu|2|19', 'us|1|5']);
  });
});
