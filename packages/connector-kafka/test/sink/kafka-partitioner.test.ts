// Partitioning: Kafka's murmur2 (checked against Kafka's own test vectors and kafkajs's implementation), the
// built-in `default` (keys by hash, keyless records sticky per batch), `fixed` and `round-robin`, custom
// partitioners by name, partitions added while the sink runs.
import { createRequire } from 'node:module';
import { recordContext, testSinkWriterContext } from '@runnel/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingRecord } from '../../src/client/kafka-client.js';
import { openPartitioner, partitionerNames, registerPartitioner, resolvePartitioner } from '../../src/sink/kafka-partitioner.js';
import { KafkaSink } from '../../src/sink/kafka-sink.js';
import { murmur2, partitionForKey } from '../../src/sink/murmur2.js';
import type { InMemoryKafka } from '../support/in-memory-kafka.js';
import { clusterWith, events, gatedFactory, jsonSerializer, type Event } from './sink-fixtures.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('murmur2', () => {
  it("gives Kafka's values (Kafka's UtilsTest vectors)", () => {
    expect(murmur2(utf8('21'))).toBe(-973932308);
    expect(murmur2(utf8('foobar'))).toBe(-790332482);
    expect(murmur2(utf8('a-little-bit-long-string'))).toBe(-985981536);
    expect(murmur2(utf8('a-little-bit-longer-string'))).toBe(-1486304829);
    expect(murmur2(utf8('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8'))).toBe(-58897971);
    expect(murmur2(new Uint8Array([97, 98, 99]))).toBe(479470107);
  });

  it("equals kafkajs's default partitioner for keys of every tail length", () => {
    const require = createRequire(createRequire(import.meta.url).resolve('kafkajs'));
    const kafkajsMurmur2 = require('./src/producer/partitioners/default/murmur2.js') as (key: Buffer | string) => number;
    for (const key of ['', 'a', 'ab', 'abc', 'abcd', 'abcde', 'order-17', 'ünïcødé', 'x'.repeat(101)]) {
      expect(murmur2(utf8(key))).toBe(kafkajsMurmur2(Buffer.from(key)));
      for (const n of [1, 3, 12]) expect(partitionForKey(key, n)).toBe((kafkajsMurmur2(Buffer.from(key)) & 0x7fffffff) % n);
    }
  });
});

const record = (key: string | null): OutgoingRecord => ({ topic: 't', key, value: 'v' });

describe('built-in partitioners', () => {
  it('default: keys by murmur2, keyless records on one partition per batch, moving round robin', () => {
    const p = openPartitioner(resolvePartitioner('default'), { subtaskIndex: 1, parallelism: 2 });
    expect(p.partition(record('k1'), 5)).toBe(partitionForKey('k1', 5));
    expect(p.partition(record('k1'), 5)).toBe(partitionForKey('k1', 5));
    const first = [1, 2, 3].map(() => p.partition(record(null), 5));
    expect(new Set(first).size).toBe(1);
    p.onNewBatch();
    const second = p.partition(record(null), 5);
    expect(second).toBe((first[0]! + 1) % 5);
  });

  it("fixed: subtask i to partition i modulo the partitions (Flink's FlinkFixedPartitioner)", () => {
    for (const [subtask, n, expected] of [[0, 4, 0], [3, 4, 3], [5, 4, 1], [2, 1, 0]] as const) {
      const p = openPartitioner(resolvePartitioner('fixed'), { subtaskIndex: subtask, parallelism: 8 });
      expect([p.partition(record('a'), n), p.partition(record(null), n)]).toEqual([expected, expected]);
    }
  });

  it('round-robin: every record to the next partition, whatever its key', () => {
    const p = openPartitioner(resolvePartitioner('round-robin'), { subtaskIndex: 0, parallelism: 1 });
    expect(['a', 'a', 'a', null, 'a'].map((k) => p.partition(record(k), 3))).toEqual([0, 1, 2, 0, 1]);
  });

  it('custom partitioners are found by name, and a partition out of range fails', () => {
    registerPartitioner('test-by-length', () => (r, n) => String(r.value).length % n);
    registerPartitioner('test-out-of-range', () => () => 7);
    expect(partitionerNames()).toEqual(expect.arrayContaining(['default', 'fixed', 'round-robin', 'test-by-length']));
    const p = openPartitioner(resolvePartitioner('test-by-length'), { subtaskIndex: 0, parallelism: 1 });
    expect(p.partition({ topic: 't', key: null, value: 'abcd' }, 3)).toBe(1);
    const bad = openPartitioner(resolvePartitioner('test-out-of-range'), { subtaskIndex: 0, parallelism: 1 });
    expect(() => bad.partition(record('a'), 3)).toThrow("the partitioner chose partition 7 of topic 't', which has 3 partitions");
    expect(() => registerPartitioner('fixed', () => () => 0)).toThrow(/built in/);
  });
});

describe('KafkaSink partitioning', () => {
  let cluster: InMemoryKafka;
  afterEach(() => cluster?.dispose());

  const countsPerPartition = (c: InMemoryKafka, topic = 'events') => Array.from({ length: c.partitionCount(topic) }, (_, p) => c.records(topic, p).length);

  it("writes with 'fixed' to one partition per subtask and with 'round-robin' evenly", async () => {
    cluster = clusterWith(4);
    for (const [subtask, partitioner] of [[2, 'fixed'], [0, 'round-robin']] as const) {
      const sink = new KafkaSink<Event>({ bootstrapServers: cluster.bootstrap, topic: 'events', serializer: jsonSerializer, partitioner, clientFactory: cluster.clientFactory });
      const writer = sink.createWriter(testSinkWriterContext(subtask, 3));
      for (const e of events(0, 8, () => 'same-key')) writer.write(e, recordContext());
      await writer.flush(false);
      await writer.close();
    }
    // fixed: all 8 on partition 2; round-robin: 2 on each, from partition 0.
    expect(countsPerPartition(cluster)).toEqual([2, 2, 10, 2]);
  });

  it('takes a factory directly, and spreads keyless records over batches with the default partitioner', async () => {
    cluster = clusterWith(3);
    const gated = gatedFactory(cluster);
    const sink = new KafkaSink<Event>({
      bootstrapServers: cluster.bootstrap,
      topic: 'events',
      serializer: jsonSerializer,
      clientFactory: gated.factory,
      maxBatchRecords: 4,
    });
    const writer = sink.createWriter(testSinkWriterContext());
    for (const e of events(0, 12)) writer.write(e, recordContext());
    await writer.flush(false);
    // Three batches of four, each on its own partition.
    expect(gated.sends.map((batch) => new Set(batch.map((r) => r.partition)).size)).toEqual([1, 1, 1]);
    expect(countsPerPartition(cluster)).toEqual([4, 4, 4]);
    await writer.close();
    const custom = new KafkaSink<Event>({ bootstrapServers: cluster.bootstrap, topic: 'events', serializer: jsonSerializer, clientFactory: cluster.clientFactory, partitioner: () => () => 2 });
    const w = custom.createWriter(testSinkWriterContext());
    w.write({ id: 99 }, recordContext());
    await w.flush(true);
    expect(countsPerPartition(cluster)).toEqual([4, 4, 5]);
    await w.close();
  });

  it('reaches partitions added while it runs once its metadata is older than metadata.max.age.ms', async () => {
    cluster = clusterWith(1);
    const sink = new KafkaSink<Event>({
      bootstrapServers: cluster.bootstrap,
      topic: 'events',
      serializer: jsonSerializer,
      clientFactory: cluster.clientFactory,
      partitioner: 'round-robin',
      properties: { 'metadata.max.age.ms': '20' },
    });
    const writer = sink.createWriter(testSinkWriterContext());
    writer.write({ id: 0 }, recordContext());
    await writer.flush(false);
    cluster.addPartitions('events', 2);
    await new Promise((r) => setTimeout(r, 30));
    for (const e of events(1, 5)) writer.write(e, recordContext());
    await writer.flush(false);
    expect(countsPerPartition(cluster)).toEqual([3, 2]);
    await writer.close();
  });
});
