// The Kafka split enumerator on a hand-driven coordinator context: deterministic assignment by Flink's owner rule,
// starting offsets per startup mode, stopping offsets and "no more splits" of a bounded read, discovery of partitions
// and topics added while running (from their earliest offset), restore without re-assignment, splits given back.
import { afterEach, describe, expect, it } from 'vitest';
import { TestEnumeratorContext } from '@runnel/testing';
import { ConfigurationError } from '@runnel/api/config';
import type { KafkaClientConfig } from '../../src/client/kafka-client.js';
import {
  KafkaSourceEnumerator,
  kafkaEnumeratorStateSerializer,
  kafkaPartitionSplit,
  kafkaSplitOwner,
  OffsetsInitializer,
  type KafkaEnumeratorState,
  type KafkaPartitionSplit,
  type KafkaSourceEnumeratorSettings,
} from '../../src/source/index.js';
import { InMemoryKafka } from '../support/in-memory-kafka.js';

const enumerators: KafkaSourceEnumerator[] = [];
afterEach(async () => {
  for (const e of enumerators.splice(0)) await e.close();
});

function enumerator(
  cluster: InMemoryKafka,
  context: TestEnumeratorContext<KafkaPartitionSplit>,
  settings: Partial<KafkaSourceEnumeratorSettings> = {},
  restored?: KafkaEnumeratorState,
): KafkaSourceEnumerator {
  const config: KafkaClientConfig = { brokers: [cluster.bootstrap], clientId: 'enumerator', properties: {} };
  const e = new KafkaSourceEnumerator(
    context,
    {
      clientFactory: cluster.clientFactory,
      clientConfig: config,
      subscription: { topics: ['events'] },
      groupId: undefined,
      startingOffsets: OffsetsInitializer.earliest(),
      stoppingOffsets: undefined,
      partitionDiscoveryIntervalMs: undefined,
      ...settings,
    },
    restored,
  );
  enumerators.push(e);
  return e;
}

const assignedOffsets = (ctx: TestEnumeratorContext<KafkaPartitionSplit>): Record<string, [number, number | undefined]> =>
  Object.fromEntries(ctx.assigned.map((a) => [a.split.splitId, [a.split.startingOffset, a.split.stoppingOffset]]));

/** Java's `String.hashCode` and Flink's `getSplitOwner`, computed independently with BigInt. */
function flinkOwner(topic: string, partition: number, parallelism: number): number {
  let h = 0n;
  for (const c of topic) h = BigInt.asIntN(32, h * 31n + BigInt(c.charCodeAt(0)));
  const start = Number(BigInt.asIntN(32, h * 31n) & 0x7fffffffn) % parallelism;
  return (start + partition) % parallelism;
}

describe('kafkaSplitOwner', () => {
  it("is Flink's getSplitOwner: the topic's hash picks the first reader, partitions follow round robin", () => {
    for (const topic of ['events', 'orders', 'a', 'T\u00e9l\u00e9', 'x'.repeat(40)]) {
      for (const parallelism of [1, 2, 3, 7]) {
        for (let partition = 0; partition < 10; partition++) {
          expect(kafkaSplitOwner({ topic, partition }, parallelism)).toBe(flinkOwner(topic, partition, parallelism));
        }
      }
    }
    const first = kafkaSplitOwner({ topic: 'events', partition: 0 }, 4);
    expect([1, 2, 3].map((p) => kafkaSplitOwner({ topic: 'events', partition: p }, 4))).toEqual([(first + 1) % 4, (first + 2) % 4, (first + 3) % 4]);
  });
});

describe('KafkaSourceEnumerator', () => {
  it('assigns every partition to its owner once the owner registers, and never twice', async () => {
    const k = new InMemoryKafka().createTopic('events', 5);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(3, { registeredReaders: [0] });
    const e = enumerator(k, ctx);
    e.start();
    await ctx.runCalls();
    const owners = [0, 1, 2, 3, 4].map((p) => kafkaSplitOwner({ topic: 'events', partition: p }, 3));
    expect(ctx.assigned.map((a) => [a.split.partition, a.subtask])).toEqual(owners.flatMap((o, p) => (o === 0 ? [[p, 0]] : [])));
    ctx.readers = [0, 1, 2];
    e.addReader(1);
    e.addReader(2);
    e.addReader(2);
    expect(ctx.assigned.map((a) => [a.split.partition, a.subtask]).sort()).toEqual(owners.map((o, p) => [p, o]).sort());
    expect(ctx.noMoreSplits).toEqual([]); // unbounded: more partitions may come
  });

  it('resolves starting offsets per startup mode', async () => {
    const k = new InMemoryKafka().createTopic('events', 3);
    for (let p = 0; p < 3; p++) k.append('events', p, [10, 20, 30, 40].map((ts) => ({ value: `${p}:${ts}`, timestamp: ts })));
    k.deleteRecordsBefore('events', 2, 1);
    k.setCommitted('g', [{ topic: 'events', partition: 0, offset: 2 }]);
    const run = async (settings: Partial<KafkaSourceEnumeratorSettings>): Promise<Record<string, [number, number | undefined]>> => {
      const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(1);
      enumerator(k, ctx, settings).start();
      await ctx.runCalls();
      return assignedOffsets(ctx);
    };
    expect(await run({ startingOffsets: OffsetsInitializer.earliest() })).toEqual({ 'events-0': [0, undefined], 'events-1': [0, undefined], 'events-2': [1, undefined] });
    expect(await run({ startingOffsets: OffsetsInitializer.latest() })).toEqual({ 'events-0': [4, undefined], 'events-1': [4, undefined], 'events-2': [4, undefined] });
    expect(await run({ startingOffsets: OffsetsInitializer.timestamp(25) })).toEqual({ 'events-0': [2, undefined], 'events-1': [2, undefined], 'events-2': [2, undefined] });
    expect(await run({ startingOffsets: OffsetsInitializer.committedOffsets('latest'), groupId: 'g' })).toEqual({ 'events-0': [2, undefined], 'events-1': [4, undefined], 'events-2': [4, undefined] });
    expect(await run({ startingOffsets: OffsetsInitializer.committedOffsets('earliest'), groupId: 'g' })).toEqual({ 'events-0': [2, undefined], 'events-1': [0, undefined], 'events-2': [1, undefined] });
    // Specific offsets: listed partitions as given, the others from the group, else earliest.
    expect(await run({ startingOffsets: OffsetsInitializer.offsets([{ topic: 'events', partition: 1, offset: 3 }]), groupId: 'g' })).toEqual({
      'events-0': [2, undefined],
      'events-1': [3, undefined],
      'events-2': [1, undefined],
    });
  });

  it('fails group-offsets without a group, and partitions without a committed offset under reset none', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    k.setCommitted('g', [{ topic: 'events', partition: 0, offset: 0 }]);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(1);
    enumerator(k, ctx, { startingOffsets: OffsetsInitializer.committedOffsets() }).start();
    await expect(ctx.runCalls()).rejects.toThrow(/properties\.group\.id/);
    const ctx2 = new TestEnumeratorContext<KafkaPartitionSplit>(1);
    enumerator(k, ctx2, { startingOffsets: OffsetsInitializer.committedOffsets(), groupId: 'g' }).start();
    const failure = await ctx2.runCalls().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as Error).message).toMatch(/no committed offset for events-1 in group 'g'.*properties\.auto\.offset\.reset/);
    expect(ctx2.assigned).toEqual([]);
  });

  it('bounded: stopping offsets per bounded mode, then "no more splits" to each reader after its splits', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    for (let p = 0; p < 2; p++) k.append('events', p, [10, 20, 30].map((ts) => ({ value: `${p}:${ts}`, timestamp: ts })));
    k.setCommitted('g', [{ topic: 'events', partition: 0, offset: 1 }, { topic: 'events', partition: 1, offset: 2 }]);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(2, { registeredReaders: [] });
    const e = enumerator(k, ctx, { stoppingOffsets: OffsetsInitializer.latest(), partitionDiscoveryIntervalMs: 10 });
    e.start();
    expect(ctx.calls).toEqual([{ periodMs: undefined }]); // a bounded source discovers once
    await ctx.runCalls();
    expect(ctx.assigned).toEqual([]);
    ctx.readers = [0];
    e.addReader(0);
    ctx.readers = [0, 1];
    e.addReader(1);
    expect(assignedOffsets(ctx)).toEqual({ 'events-0': [0, 3], 'events-1': [0, 3] });
    expect(ctx.noMoreSplits).toEqual([0, 1]);
    const owner0 = kafkaSplitOwner({ topic: 'events', partition: 0 }, 2);
    expect(ctx.assignedTo(owner0).map((s) => s.partition)).toEqual([0]);

    const run = async (stoppingOffsets: OffsetsInitializer): Promise<Record<string, [number, number | undefined]>> => {
      const c = new TestEnumeratorContext<KafkaPartitionSplit>(1);
      enumerator(k, c, { stoppingOffsets, groupId: 'g' }).start();
      await c.runCalls();
      expect(c.noMoreSplits).toEqual([0]);
      return assignedOffsets(c);
    };
    expect(await run(OffsetsInitializer.committedOffsets())).toEqual({ 'events-0': [0, 1], 'events-1': [0, 2] });
    expect(await run(OffsetsInitializer.timestamp(20))).toEqual({ 'events-0': [0, 1], 'events-1': [0, 1] });
    expect(await run(OffsetsInitializer.offsets([{ topic: 'events', partition: 1, offset: 2 }]))).toEqual({ 'events-0': [0, 0], 'events-1': [0, 2] });
  });

  it('discovers partitions added while running and starts them at their earliest offset', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.appendValues('events', 0, ['a', 'b']);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(2);
    const e = enumerator(k, ctx, { startingOffsets: OffsetsInitializer.latest(), partitionDiscoveryIntervalMs: 1000 });
    e.start();
    expect(ctx.calls).toEqual([{ periodMs: 1000 }]);
    await ctx.runCalls();
    expect(assignedOffsets(ctx)).toEqual({ 'events-0': [2, undefined] });
    k.addPartitions('events', 3);
    k.appendValues('events', 1, ['c']);
    k.appendValues('events', 2, ['d', 'e']);
    k.deleteRecordsBefore('events', 2, 1);
    await ctx.runCalls();
    // New partitions from their first retained record, not "latest": nothing written to them is missed.
    expect(assignedOffsets(ctx)).toEqual({ 'events-0': [2, undefined], 'events-1': [0, undefined], 'events-2': [1, undefined] });
    await ctx.runCalls();
    expect(ctx.assigned).toHaveLength(3);
  });

  it('topic-pattern: reads matching topics and picks up a matching topic created later', async () => {
    const k = new InMemoryKafka().createTopic('logs-a', 1).createTopic('logs-b', 2).createTopic('other', 1).createTopic('xlogs-c', 1);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(1);
    enumerator(k, ctx, { subscription: { topicPattern: /^(?:logs-.*)$/u }, partitionDiscoveryIntervalMs: 50 }).start();
    await ctx.runCalls();
    expect(ctx.assigned.map((a) => a.split.splitId).sort()).toEqual(['logs-a-0', 'logs-b-0', 'logs-b-1']);
    k.createTopic('logs-c', 1);
    await ctx.runCalls();
    expect(ctx.assigned.map((a) => a.split.splitId).sort()).toEqual(['logs-a-0', 'logs-b-0', 'logs-b-1', 'logs-c-0']);
  });

  it('restores: assigned partitions are not assigned again, pending splits keep their offsets, later partitions start at earliest', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    k.appendValues('events', 0, ['a', 'b', 'c']);
    k.appendValues('events', 1, ['d', 'e']);
    const owner1 = kafkaSplitOwner({ topic: 'events', partition: 1 }, 2);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(2, { registeredReaders: [1 - owner1] });
    const e = enumerator(k, ctx, { startingOffsets: OffsetsInitializer.latest(), partitionDiscoveryIntervalMs: 1000 });
    e.start();
    await ctx.runCalls();
    expect(ctx.assigned.map((a) => a.split.splitId)).toEqual(['events-0']);
    const bytes = kafkaEnumeratorStateSerializer.serialize(e.snapshotState());
    const state = kafkaEnumeratorStateSerializer.deserialize(bytes, 1);
    expect(state).toEqual({ assignedPartitions: [{ topic: 'events', partition: 0 }], pendingSplits: [kafkaPartitionSplit({ topic: 'events', partition: 1 }, 2)], initialDiscoveryFinished: true });

    k.appendValues('events', 1, ['f']);
    k.addPartitions('events', 3);
    const ctx2 = new TestEnumeratorContext<KafkaPartitionSplit>(2, { registeredReaders: [] });
    const restored = enumerator(k, ctx2, { startingOffsets: OffsetsInitializer.latest(), partitionDiscoveryIntervalMs: 1000 }, state);
    restored.start();
    await ctx2.runCalls();
    ctx2.readers = [0, 1];
    restored.addReader(0);
    restored.addReader(1);
    expect(assignedOffsets(ctx2)).toEqual({ 'events-1': [2, undefined], 'events-2': [0, undefined] });
  });

  it('splits a failed reader gives back wait for it and go to it again', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(1);
    const e = enumerator(k, ctx);
    e.start();
    await ctx.runCalls();
    const [split] = ctx.assignedTo(0);
    ctx.readers = [];
    e.addSplitsBack([{ ...split!, startingOffset: 0 }], 0);
    expect(e.snapshotState().pendingSplits.map((s) => s.splitId)).toEqual(['events-0']);
    ctx.readers = [0];
    e.addReader(0);
    expect(ctx.assignedTo(0)).toHaveLength(2);
    expect(e.snapshotState()).toMatchObject({ assignedPartitions: [{ topic: 'events', partition: 0 }], pendingSplits: [] });
  });

  it('a retriable error of a periodic discovery is counted and retried; an unknown topic fails', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(1);
    const e = enumerator(k, ctx, { partitionDiscoveryIntervalMs: 10 });
    e.start();
    await ctx.runCalls();
    k.addPartitions('events', 2);
    k.failNext('partitionsFor');
    await ctx.runCalls();
    expect(e.failedDiscoveries).toBe(1);
    await ctx.runCalls();
    expect(ctx.assigned.map((a) => a.split.splitId)).toEqual(['events-0', 'events-1']);

    const ctx2 = new TestEnumeratorContext<KafkaPartitionSplit>(1);
    enumerator(k, ctx2, { subscription: { topics: ['nope'] } }).start();
    await expect(ctx2.runCalls()).rejects.toThrow(/unknown topic 'nope'/);
  });

  it('closes its client', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    const ctx = new TestEnumeratorContext<KafkaPartitionSplit>(1);
    const e = enumerator(k, ctx);
    e.start();
    await ctx.runCalls();
    expect(k.stats.clientsOpen).toBe(1);
    await e.close();
    await e.close();
    expect(k.stats.clientsOpen).toBe(0);
  });
});
