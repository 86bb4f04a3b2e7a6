// The kafkajs client against a real Kafka-protocol server (Mokapi, in its own network namespace; see
// test/support/mokapi.ts). The Kafka code runs in scripts inside the namespace (scripts/kafkajs-scenarios.ts), one
// process per scenario; these tests check what the scenarios observed.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMokapi, type Mokapi } from '../support/mokapi.js';

const SCENARIOS = fileURLToPath(new URL('./scripts/kafkajs-scenarios.ts', import.meta.url));

let mokapi: Mokapi;

beforeAll(async () => {
  mokapi = await startMokapi({
    topics: [
      { name: 'client-a', partitions: 4 },
      { name: 'client-b', partitions: 2 },
      { name: 'client-c', partitions: 3 },
      { name: 'client-d', partitions: 2 },
      { name: 'client-e', partitions: 1 },
    ],
  });
});

afterAll(async () => {
  await mokapi?.stop();
});

async function scenario<T = Record<string, unknown>>(name: string, args: string[] = []): Promise<T> {
  const result = await mokapi.run(SCENARIOS, [name, ...args]);
  if (result.code !== 0) {
    throw new Error(`scenario ${name} failed (${result.code ?? result.signal}):\n${result.stderr}\n--- Mokapi log:\n${mokapi.log().slice(-3000)}`);
  }
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as T;
}

describe('kafkajs client against Mokapi', () => {
  it('produces keys, headers, timestamps and tombstones to given partitions and fetches them from offsets', async () => {
    const r = await scenario<{
      partition0: Record<string, unknown>[];
      partition1: Record<string, unknown>[];
      highWatermarks: Record<string, number>;
      moved: Record<string, unknown>[];
      afterUnassign: number;
      latest: Record<string, number>;
      warnings: string[];
    }>('produce-fetch');
    expect(r.partition0).toEqual([
      {
        offset: 0,
        timestamp: 1_700_000_000_000,
        timestampType: 'CreateTime',
        key: 'k0',
        value: 'v0',
        // kafkajs takes headers as an object, so a repeated key's values are written together.
        headers: [['h1', 'a'], ['h1', 'c'], ['h2', 'b']],
        leaderEpoch: 0,
      },
      { offset: 1, timestamp: 1_700_000_000_001, timestampType: 'CreateTime', key: null, value: 'v1', headers: [], leaderEpoch: 0 },
      { offset: 2, timestamp: 1_700_000_000_002, timestampType: 'CreateTime', key: 'k2', value: null, headers: [], leaderEpoch: 0 },
    ]);
    // Partition 1 was assigned from offset 1: offset 0 (k3) is not fetched; the keyed record without a partition
    // went to partition 1 (murmur2 of "murmur" modulo 4, as the Java client computes it).
    expect(r.partition1.map((rec) => [rec['offset'], rec['key'], rec['value']])).toEqual([
      [1, 'k4', 'v4'],
      [2, 'k5', 'v5'],
      [3, 'murmur', 'm'],
    ]);
    expect(r.highWatermarks).toEqual({ 'client-a-0': 3, 'client-a-1': 4 });
    expect(r.moved.map((rec) => rec['offset'])).toEqual([2]);
    expect(r.afterUnassign).toBe(0);
    expect(r.latest).toEqual({ 'client-a-0': 3, 'client-a-1': 4, 'client-a-2': 0, 'client-a-3': 0 });
    expect(r.warnings).toEqual([]);
  });

  it('looks up topics, partitions and earliest/latest offsets; a timestamp lookup fails clearly on Mokapi', async () => {
    const r = await scenario<{
      topics: string[];
      partitions: unknown[];
      earliest: Record<string, number>;
      latest: Record<string, number>;
      byTimestamp: { kind: string; message: string };
    }>('offsets');
    expect(r.topics).toEqual(['client-a', 'client-b', 'client-c', 'client-d', 'client-e']);
    expect(r.partitions).toEqual([
      { topic: 'client-b', partition: 0 },
      { topic: 'client-b', partition: 1 },
    ]);
    expect(r.earliest).toEqual({ 'client-b-0': 0, 'client-b-1': 0 });
    expect(r.latest).toEqual({ 'client-b-0': 2, 'client-b-1': 1 });
    // Mokapi 0.52 implements ListOffsets for earliest and latest only (a real broker answers from its time index).
    expect(r.byTimestamp.kind).toBe('fatal');
    expect(r.byTimestamp.message).toContain("Looking up offsets for timestamp 1500 of 'client-b'");
    expect(r.byTimestamp.message).toContain('may not support looking up offsets by timestamp');
  });

  it("commits a group's offsets and reads them back, from the same and from another client", async () => {
    const r = await scenario<Record<string, Record<string, number | null> | number>>('group-offsets');
    const none = { 'client-c-0': null, 'client-c-1': null, 'client-c-2': null };
    expect(r['before']).toEqual(none);
    expect(r['sameClient']).toEqual({ 'client-c-0': 6, 'client-c-1': null, 'client-c-2': 4 });
    expect(r['otherClient']).toEqual({ 'client-c-0': 6, 'client-c-1': null, 'client-c-2': 4 });
    expect(r['otherGroup']).toEqual(none);
  });

  it('never buffers more than maxBufferedRecords, and delivers every record in order once the reader drains', async () => {
    const r = await scenario<Record<string, number | number[]>>('back-pressure', ['10000', '1000']);
    // The reader stalled for 2 s: the fetcher filled its buffer exactly, no further.
    expect(r['firstPollCount']).toBe(1000);
    expect(r['maxPerPoll']).toBeLessThanOrEqual(1000);
    expect(r['received']).toBe(10000);
    expect(r['outOfOrder']).toBe(0);
    expect(r['end']).toEqual([5000, 5000]);
  });

  it('moves a fetch position beyond the end as auto.offset.reset says, and fails with none', async () => {
    const r = await scenario<{ offsets: number[]; warnings: string[]; failure: { kind: string; message: string } }>('out-of-range');
    expect(r.offsets).toEqual([0, 1, 2]);
    expect(r.warnings).toEqual([
      "Fetch offset 1000 of client-e-0 is out of range; moved to the earliest offset 0 ('properties.auto.offset.reset')",
    ]);
    expect(r.failure).toMatchObject({ kind: 'fatal' });
    expect(r.failure.message).toContain("Fetch offset 1000 of client-e-0 is out of range and 'properties.auto.offset.reset' is none");
  });

  it('translates errors: unknown topics name the topic (configuration), an unreachable broker is retriable', async () => {
    const r = await scenario<Record<string, { kind?: string; message?: string } | number | string>>('errors');
    const error = (name: string) => r[name] as { kind: string; message: string };
    expect(error('partitionsFor')).toMatchObject({ kind: 'configuration', message: "Unknown topic 'no-such-topic': no such topic in the Kafka cluster" });
    expect(error('latest')).toMatchObject({ kind: 'configuration' });
    expect(error('latest').message).toContain("'no-such-topic'");
    expect(error('fetch')).toMatchObject({ kind: 'configuration' });
    expect(error('fetch').message).toContain("'no-such-topic'");
    expect(error('missingPartition')).toMatchObject({ kind: 'configuration', message: 'Partition(s) client-a-99 do not exist' });
    expect(error('connect')).toMatchObject({ kind: 'retriable' });
    expect(error('connect').message).toContain('ECONNREFUSED');
    expect(error('badProperty')).toMatchObject({ kind: 'configuration' });
    expect(error('jaas')).toMatchObject({ kind: 'configuration' });
    // Mokapi has no SASL: the handshake fails; whatever the message says, it never contains the password.
    expect(error('saslError').kind).toBeDefined();
    for (const name of ['jaas', 'saslError']) expect(JSON.stringify(r[name])).not.toContain(r['secret'] as string);
  });
});
