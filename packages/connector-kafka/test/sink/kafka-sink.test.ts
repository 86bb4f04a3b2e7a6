// The Kafka sink with `none` and `at-least-once` delivery: records reach the topic with their keys, headers and
// timestamps; at-least-once waits at every barrier for every acknowledgement; batches, not records, make `send`
// calls; buffered records are bounded (back-pressure through `isAvailable`); a failed send fails the writer; options
// are checked.
import { ConfigurationError } from '@runnel/api/config';
import { SinkDriver, recordContext, testSinkWriterContext } from '@runnel/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaClientError } from '../../src/client/kafka-client.js';
import { KafkaSink } from '../../src/sink/kafka-sink.js';
import type { KafkaSinkOptions } from '../../src/sink/kafka-sink-options.js';
import { partitionForKey } from '../../src/sink/murmur2.js';
import type { InMemoryKafka } from '../support/in-memory-kafka.js';
import { clusterWith, events, gatedFactory, idsIn, jsonSerializer, type Event } from './sink-fixtures.js';

let cluster: InMemoryKafka;
afterEach(() => cluster?.dispose());

const sinkOf = (options: Partial<KafkaSinkOptions<Event>> = {}): KafkaSink<Event> =>
  new KafkaSink<Event>({
    bootstrapServers: cluster.bootstrap,
    topic: 'events',
    serializer: jsonSerializer,
    clientFactory: cluster.clientFactory,
    ...options,
  });

describe('KafkaSink (at-least-once)', () => {
  it('acknowledges every record at the barrier; keys go to the partition of their murmur2 hash', async () => {
    cluster = clusterWith(3);
    const d = await SinkDriver.start(sinkOf(), { parallelism: 2 });
    await d.write(0, events(0, 50, (i) => `k${i % 7}`));
    await d.write(1, events(50, 100, (i) => `k${i % 7}`));
    await d.checkpoint();
    // Nothing waits for a commit: the barrier itself waited for the acknowledgements.
    expect(idsIn(cluster)).toEqual(events(0, 100).map((e) => e.id));
    for (let p = 0; p < 3; p++) {
      for (const r of cluster.records('events', p)) {
        const key = new TextDecoder().decode(r.key!);
        expect(partitionForKey(key, 3)).toBe(p);
      }
    }
    await d.close();
    expect(cluster.stats.producersOpen).toBe(0);
    expect(cluster.stats.clientsOpen).toBe(0);
  });

  it('writes headers and the timestamp the serializer gives (the element event time when it passes it on)', async () => {
    cluster = clusterWith(1);
    const sink = sinkOf({
      serializer: (e, timestamp) => ({ key: `k${e.id}`, value: JSON.stringify(e), headers: [['source', 'test'], ['bin', new Uint8Array([1, 2])]], timestamp }),
    });
    const writer = sink.createWriter(testSinkWriterContext());
    writer.write({ id: 1 }, recordContext(1_700_000_000_123));
    writer.write({ id: 2 }, recordContext());
    await writer.flush(false);
    const [a, b] = cluster.records('events', 0);
    expect(a!.timestamp).toBe(1_700_000_000_123);
    expect(b!.timestamp).not.toBe(1_700_000_000_123); // the time of sending
    expect(a!.headers.map(([k, v]) => [k, [...v!]])).toEqual([
      ['source', [...new TextEncoder().encode('test')]],
      ['bin', [1, 2]],
    ]);
    await writer.close();
  });

  it('takes the topic from the record when it names one, and fails a record with no topic at all', async () => {
    cluster = clusterWith(1).createTopic('other', 2);
    const writer = sinkOf({ serializer: (e) => ({ topic: e.id % 2 === 0 ? 'other' : undefined, value: String(e.id) }) }).createWriter(testSinkWriterContext());
    for (const e of events(0, 6)) writer.write(e, recordContext());
    await writer.flush(true);
    expect([...cluster.valuesOf('events', 0)].sort()).toEqual(['1', '3', '5']);
    expect([...cluster.valuesOf('other', 0), ...cluster.valuesOf('other', 1)].sort()).toEqual(['0', '2', '4']);
    await writer.close();
    const noTopic = new KafkaSink<Event>({ bootstrapServers: cluster.bootstrap, serializer: (e) => ({ value: String(e.id) }), clientFactory: cluster.clientFactory });
    const w = noTopic.createWriter(testSinkWriterContext());
    expect(() => w.write({ id: 1 }, recordContext())).toThrow('no default topic');
    await w.close();
  });

  it('sends batches (one send call per batch, not per record), one at a time, and back-pressures above the bound', async () => {
    cluster = clusterWith(2);
    const gated = gatedFactory(cluster);
    const writer = sinkOf({ clientFactory: gated.factory, maxBatchRecords: 10, maxBufferedRecords: 25, lingerMs: 1 }).createWriter(testSinkWriterContext());
    gated.hold();
    for (const e of events(0, 24)) writer.write(e, recordContext());
    expect(writer.isAvailable!()).toBeUndefined();
    writer.write({ id: 24 }, recordContext());
    const blocked = writer.isAvailable!();
    expect(blocked).toBeInstanceOf(Promise);
    let woke = false;
    void blocked!.then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 20));
    // The first batch left when it was full; the rest waits for it (one batch in flight).
    expect(gated.sends.map((s) => s.length)).toEqual([10]);
    expect(woke).toBe(false);
    gated.release();
    await writer.flush(false);
    expect(woke).toBe(true);
    expect(gated.sends.map((s) => s.length)).toEqual([10, 10, 5]);
    expect(idsIn(cluster)).toEqual(events(0, 25).map((e) => e.id));
    expect(writer.isAvailable!()).toBeUndefined();
    await writer.close();
  });

  it('bounds buffered bytes as well as records', async () => {
    cluster = clusterWith(1);
    const gated = gatedFactory(cluster);
    const writer = sinkOf({ clientFactory: gated.factory, maxBufferedBytes: 1000, serializer: (e) => ({ value: 'x'.repeat(400), key: String(e.id) }) }).createWriter(testSinkWriterContext());
    gated.hold();
    writer.write({ id: 1 }, recordContext());
    writer.write({ id: 2 }, recordContext());
    expect(writer.isAvailable!()).toBeUndefined();
    writer.write({ id: 3 }, recordContext());
    expect(writer.isAvailable!()).toBeInstanceOf(Promise);
    gated.release();
    await writer.flush(true);
    expect(writer.isAvailable!()).toBeUndefined();
    await writer.close();
  });

  it('sends a partial batch after linger.ms without a barrier', async () => {
    cluster = clusterWith(1);
    const writer = sinkOf({ properties: { 'linger.ms': '5' } }).createWriter(testSinkWriterContext());
    writer.write({ id: 1 }, recordContext());
    expect(idsIn(cluster)).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(idsIn(cluster)).toEqual([1]);
    await writer.close();
  });

  it('fails the writer when a send fails: the next write or flush throws the error', async () => {
    cluster = clusterWith(1);
    const writer = sinkOf().createWriter(testSinkWriterContext());
    cluster.failNext('send', new KafkaClientError('broker says no', 'fatal'));
    writer.write({ id: 1 }, recordContext());
    await expect(writer.flush(false)).rejects.toThrow('broker says no');
    expect(() => writer.write({ id: 2 }, recordContext())).toThrow('broker says no');
    await writer.close();
  });

  it('counts what it sent in the writer metrics', async () => {
    cluster = clusterWith(1);
    const context = testSinkWriterContext();
    const writer = sinkOf().createWriter(context);
    for (const e of events(0, 7)) writer.write(e, recordContext());
    await writer.flush(false);
    expect(context.metricGroup.counter('numRecordsSend').getCount()).toBe(7);
    expect(context.metricGroup.counter('numRecordsSendErrors').getCount()).toBe(0);
    await writer.close();
  });

  it('has no committer and survives restores at other parallelisms without losing records', async () => {
    cluster = clusterWith(2);
    const sink = sinkOf();
    expect(sink.createCommitter).toBeUndefined();
    const d1 = await SinkDriver.start(sink, { parallelism: 2 });
    await d1.write(0, events(0, 5));
    const cp = await d1.checkpoint();
    await d1.crash();
    const d2 = await SinkDriver.start(sink, { parallelism: 3, restore: cp });
    await d2.write(2, events(5, 8));
    await d2.finish();
    expect(idsIn(cluster)).toEqual(events(0, 8).map((e) => e.id));
  });
});

describe("KafkaSink ('none')", () => {
  it('does not wait at barriers, only at the end of input', async () => {
    cluster = clusterWith(1);
    const gated = gatedFactory(cluster);
    const writer = sinkOf({ clientFactory: gated.factory, deliveryGuarantee: 'none' }).createWriter(testSinkWriterContext());
    gated.hold();
    writer.write({ id: 1 }, recordContext());
    await writer.flush(false); // returns although the send is held
    expect(idsIn(cluster)).toEqual([]);
    const end = writer.flush(true);
    gated.release();
    await end;
    expect(idsIn(cluster)).toEqual([1]);
    await writer.close();
  });
});

describe('KafkaSink options', () => {
  it('are checked when the sink is made', () => {
    cluster = clusterWith(1);
    expect(() => sinkOf({ bootstrapServers: ' , ' })).toThrow(ConfigurationError);
    expect(() => sinkOf({ deliveryGuarantee: 'twice' as never })).toThrow(/unknown delivery guarantee 'twice'/);
    expect(() => sinkOf({ deliveryGuarantee: 'exactly-once' })).toThrow(/'sink.transactional-id-prefix' is required/);
    expect(() => sinkOf({ partitioner: 'hash' })).toThrow(/unknown sink.partitioner 'hash' \(known: default, fixed, round-robin/);
    expect(() => sinkOf({ maxBatchRecords: 0 })).toThrow(/maxBatchRecords must be an integer of at least 1/);
    expect(() => sinkOf({ properties: { 'linger.ms': 'soon' } })).toThrow(/property 'linger.ms' must be a non-negative integer/);
    expect(() => sinkOf({ topic: '' })).toThrow(/'topic' must not be empty/);
    expect(() => sinkOf({ properties: { 'enable.idempotence': 'maybe' } })).toThrow(/'enable.idempotence' must be true or false/);
    expect(() => sinkOf({ deliveryGuarantee: 'exactly-once', transactionalIdPrefix: 'p', properties: { 'enable.idempotence': 'false' } })).toThrow(/'exactly-once' needs an idempotent producer/);
    expect(sinkOf().deliveryGuarantee).toBe('at-least-once');
    expect(sinkOf({ bootstrapServers: [cluster.bootstrap, 'other:9092'] }).deliveryGuarantee).toBe('at-least-once');
  });
});
