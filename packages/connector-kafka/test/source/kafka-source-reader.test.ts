// The whole Kafka source (enumerator and readers in the runtime's source operator, through @runnel/testing's
// SourceDriver) against the in-memory cluster: bounded reads end, positions in checkpoints restore without loss
// or duplicates (also at another parallelism), completed checkpoints commit their offsets to the group, fetching
// stops when the reader's buffer is full, per-partition watermarks with idleness, a partition added while running,
// deserialization errors with their position, retried fetch errors, and every client closed.
import { afterEach, describe, expect, it } from 'vitest';
import { SourceDriver, TestReaderContext, RecordingReaderOutput, type SourceCheckpoint } from '@runnel/testing';
import { KafkaClientError } from '../../src/client/kafka-client.js';
import { KafkaSourceReader, OffsetsInitializer, kafkaPartitionSplit, type KafkaPartitionSplit, type KafkaEnumeratorState } from '../../src/source/index.js';
import { InMemoryKafka } from '../support/in-memory-kafka.js';
import { boundedWatermarks, positions, readSource, waitFor, type Read } from './source-fixtures.js';

type Driver = SourceDriver<Read, KafkaPartitionSplit, KafkaEnumeratorState>;
const drivers: Driver[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
});
async function start(...args: Parameters<typeof SourceDriver.start<Read, KafkaPartitionSplit, KafkaEnumeratorState>>): Promise<Driver> {
  const d = await SourceDriver.start(...args);
  drivers.push(d);
  return d;
}

/** Every `partition@offset` of a topic with `counts[p]` records in partition p. */
const all = (counts: readonly number[]): string[] => counts.flatMap((n, p) => Array.from({ length: n }, (_, o) => `events-${p}@${o}`)).sort();

/** Polls until the readers emitted `n` records in total (or fails after `timeoutMs`). */
async function pollUntilRecords(d: Driver, n: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (d.records().length < n) {
    if (Date.now() > deadline) throw new Error(`only ${d.records().length} of ${n} records`);
    const statuses = await d.pollAll();
    if (statuses.every((s) => s !== 'more-available')) await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('KafkaSource', () => {
  it('a bounded read at parallelism 2 emits every record once, each through its partition\'s output, then ends', async () => {
    const k = new InMemoryKafka().createTopic('events', 4);
    const counts = [50, 0, 7, 130];
    counts.forEach((n, p) => k.appendValues('events', p, Array.from({ length: n }, (_, i) => `${p}:${i}`)));
    const d = await start(readSource(k, { stoppingOffsets: OffsetsInitializer.latest() }), { parallelism: 2 });
    await d.run();
    expect(d.finished).toBe(true);
    expect(positions(d.records())).toEqual(all(counts));
    // Per partition, in offset order.
    for (let p = 0; p < 4; p++) {
      const offsets = d.records().filter((r) => r.tp === `events-${p}`).map((r) => r.offset);
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
    // Records written after the bounded read's end offsets were resolved are not read.
    k.appendValues('events', 0, ['late']);
    expect(d.records()).toHaveLength(187);
    await d.close();
    expect(k.stats.clientsOpen).toBe(0);
    expect(k.stats.fetchersOpen).toBe(0);
  });

  it('restores from a checkpoint without loss or duplicates, at the same and at another parallelism', async () => {
    const k = new InMemoryKafka().createTopic('events', 3);
    const write = (n: number, from: number): void => {
      for (let p = 0; p < 3; p++) k.appendValues('events', p, Array.from({ length: n }, (_, i) => `${p}:${from + i}`));
    };
    write(40, 0);
    const d = await start(readSource(k, { partitionDiscoveryIntervalMs: 1000, maxRecordsPerPoll: 7 }), { parallelism: 2 });
    await pollUntilRecords(d, 60);
    const cp: SourceCheckpoint = await d.checkpoint();
    const before = d.recordsAtLastCheckpoint();
    // After the checkpoint the job goes on, then dies: what it emitted since is lost with it.
    write(10, 40);
    await pollUntilRecords(d, 100);
    await d.crash();

    for (const parallelism of [2, 1, 3]) {
      const r = await start(readSource(k, { partitionDiscoveryIntervalMs: 1000 }), { parallelism, restore: cp });
      await pollUntilRecords(r, 150 - before.length);
      await new Promise((resolve) => setTimeout(resolve, 30));
      await r.pollAll();
      const seen = [...positions(before), ...positions(r.records())].sort();
      expect(seen).toEqual(all([50, 50, 50]));
      expect(new Set(seen).size).toBe(150);
      await r.close();
    }
  });

  it('commits the offsets of a completed checkpoint to the group, not before', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    k.appendValues('events', 0, ['a', 'b', 'c']);
    k.appendValues('events', 1, ['d']);
    const d = await start(readSource(k, { groupId: 'monitor' }), { parallelism: 1 });
    await pollUntilRecords(d, 4);
    const cp = await d.checkpoint();
    expect(k.committed('monitor', 'events', 0)).toBeUndefined();
    k.appendValues('events', 0, ['e']);
    await pollUntilRecords(d, 5);
    await d.checkpoint();
    await d.complete(cp.checkpointId);
    await (d.reader(0).reader as KafkaSourceReader<Read>).flushCommits();
    expect([k.committed('monitor', 'events', 0), k.committed('monitor', 'events', 1)]).toEqual([3, 1]);
    await d.complete(cp.checkpointId + 1);
    await (d.reader(0).reader as KafkaSourceReader<Read>).flushCommits();
    expect(k.committed('monitor', 'events', 0)).toBe(4);
    expect(k.commitLog).toHaveLength(2);

    // Commits are for monitoring: a failing one is counted, not fatal; without a group there are none.
    k.failNext('commitOffsets');
    await d.checkpoint();
    await d.complete(cp.checkpointId + 2);
    await (d.reader(0).reader as KafkaSourceReader<Read>).flushCommits();
    expect(k.commitLog).toHaveLength(2);
    const plain = await start(readSource(k), { parallelism: 1 });
    await pollUntilRecords(plain, 5);
    const c = await plain.checkpoint();
    await plain.complete(c.checkpointId);
    expect(k.commitLog).toHaveLength(2);
  });

  it('a bounded read commits its end offsets with the final checkpoint (id -1, completed as end of input)', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    k.appendValues('events', 0, ['a', 'b']);
    k.appendValues('events', 1, ['c']);
    const d = await start(readSource(k, { groupId: 'g', stoppingOffsets: OffsetsInitializer.latest() }), { parallelism: 1 });
    await d.run();
    const h = d.reader(0);
    await h.endInput();
    await h.finalSnapshot();
    await h.notifyCheckpointComplete(Number.MAX_SAFE_INTEGER);
    await (h.reader as KafkaSourceReader<Read>).flushCommits();
    expect([k.committed('g', 'events', 0), k.committed('g', 'events', 1)]).toEqual([2, 1]);
  });

  it('does not fetch further ahead than its buffer while nobody polls (back-pressure)', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    for (let p = 0; p < 2; p++) k.appendValues('events', p, Array.from({ length: 5_000 }, (_, i) => i));
    const d = await start(readSource(k, { maxBufferedRecords: 100, maxRecordsPerPoll: 10 }), { parallelism: 1 });
    await d.pollAll(); // assigns the splits
    await waitFor(() => k.stats.recordsFetched > 0, 2_000, 'a first fetch');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Nobody polls: the reader holds its queue's room (100), nothing near the 10 000 records in the topic.
    expect(k.stats.recordsFetched).toBe(100);
    // Polled slowly, it never holds more than its room ahead of what it emitted.
    const fetchedWhileBlocked = k.stats.recordsFetched;
    for (let i = 0; i < 40; i++) {
      await d.pollAll();
      await new Promise((resolve) => setTimeout(resolve, 1));
      expect(k.stats.recordsFetched - d.records().length).toBeLessThanOrEqual(100);
    }
    expect(k.stats.recordsFetched).toBeGreaterThan(fetchedWhileBlocked);
    await pollUntilRecords(d, 10_000, 20_000);
    expect(positions(d.records())).toEqual(all([5_000, 5_000]));
  });

  it('per-partition watermarks: a silent partition holds the watermark until the idleness timeout, then windows can advance', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    k.append('events', 0, [1_000, 2_000, 3_000].map((ts) => ({ value: `a${ts}`, timestamp: ts })));
    const d = await start(readSource(k), { parallelism: 1, watermarkStrategy: boundedWatermarks<Read>(0, 5_000) });
    const h = d.reader(0);
    await pollUntilRecords(d, 3);
    await h.advanceProcessingTime(200);
    // Partition 1 has no data and is not idle yet: it holds the watermark back.
    expect(h.watermarks()).toEqual([]);
    expect(h.recordsWithTimestamps().map((r) => r.timestamp)).toEqual([1_000, 2_000, 3_000]);
    await h.advanceProcessingTime(5_000);
    await d.pollAll();
    await h.advanceProcessingTime(200);
    expect(h.watermarks().at(-1)).toBe(2_999);
    // Data on the idle partition makes it active again: it holds the watermark at its own events.
    k.append('events', 1, [{ value: 'b', timestamp: 2_500 }]);
    k.append('events', 0, [{ value: 'a', timestamp: 9_000 }]);
    await pollUntilRecords(d, 5);
    await h.advanceProcessingTime(200);
    expect(Math.max(...h.watermarks())).toBe(2_999);
  });

  it('a reader without partitions goes idle after the timeout instead of holding the watermark', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.append('events', 0, [{ value: 'x', timestamp: 10_000 }]);
    const d = await start(readSource(k), { parallelism: 2, watermarkStrategy: boundedWatermarks<Read>(0, 1_000) });
    await pollUntilRecords(d, 1);
    const owner = d.records()[0] === undefined ? -1 : [0, 1].find((s) => d.reader(s).output().length > 0)!;
    const empty = d.reader(1 - owner);
    await empty.advanceProcessingTime(1_500);
    expect(empty.emissions().filter((e) => e.kind === 'idle')).toEqual([{ kind: 'idle', idle: true }]);
  });

  it('picks up a partition added while running, from its first record', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.appendValues('events', 0, ['a']);
    const d = await start(readSource(k, { startingOffsets: OffsetsInitializer.latest(), partitionDiscoveryIntervalMs: 10 }), { parallelism: 2 });
    await d.pollAll();
    k.appendValues('events', 0, ['b']);
    k.addPartitions('events', 2);
    k.appendValues('events', 1, ['c', 'd']);
    await pollUntilRecords(d, 3);
    expect(positions(d.records())).toEqual(['events-0@1', 'events-1@0', 'events-1@1']);
  });

  it('a record that cannot be deserialized fails the reader with its topic, partition and offset, and stays unread', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.appendValues('events', 0, ['{"n":1}', 'not json', '{"n":3}']);
    const reader = new KafkaSourceReader<unknown>(new TestReaderContext(), {
      clientFactory: k.clientFactory,
      clientConfig: { brokers: [k.bootstrap], clientId: 'r', properties: {} },
      deserializer: (r, _tp, emit) => emit(JSON.parse(new TextDecoder().decode(r.value!))),
      groupId: undefined,
      pollTimeoutMs: 10,
    });
    await reader.start();
    reader.addSplits([kafkaPartitionSplit({ topic: 'events', partition: 0 }, 0)]);
    const out = new RecordingReaderOutput<unknown>();
    let error: unknown;
    for (let i = 0; i < 100 && error === undefined; i++) {
      try {
        if (reader.pollNext(out) === 'nothing-available') await reader.isAvailable();
      } catch (e) {
        error = e;
      }
    }
    expect((error as Error).message).toMatch(/^kafka source: cannot deserialize the record at events\/0, offset 1: /);
    expect(out.records).toEqual([{ n: 1 }]);
    expect(reader.snapshotState(1)).toEqual([kafkaPartitionSplit({ topic: 'events', partition: 0 }, 1)]);
    expect(() => reader.pollNext(out)).toThrow(error as Error);
    await reader.close();
  });

  it('retries retriable fetch errors and fails on fatal ones', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.appendValues('events', 0, ['a', 'b']);
    k.failNext('poll', undefined, 2);
    const d = await start(readSource(k), { parallelism: 1 });
    await pollUntilRecords(d, 2);
    expect(positions(d.records())).toEqual(['events-0@0', 'events-0@1']);

    k.failNext('poll', new KafkaClientError('broker says no', 'fatal'));
    k.appendValues('events', 0, ['c']);
    const h = d.reader(0);
    await waitFor(
      () => {
        try {
          h.pollNext();
          return false;
        } catch {
          return true;
        }
      },
      2_000,
      'the fatal error',
    );
    expect(() => h.pollNext()).toThrow(/broker says no/);
  });
});
