// The DataStream face of the Kafka source: `KafkaSource.builder<T>()` with Flink's method names, typed by its
// deserializer, checked when built, and reading through the runtime's source operator.
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { SourceDriver } from '@runnel/testing';
import { KafkaDeserializers, KafkaSource, OffsetsInitializer, type KafkaEnumeratorState, type KafkaPartitionSplit } from '../../src/source/index.js';
import { InMemoryKafka } from '../support/in-memory-kafka.js';

interface Order {
  readonly id: number;
  readonly partition: number;
}

const drivers: SourceDriver<unknown, KafkaPartitionSplit, KafkaEnumeratorState>[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
});

describe('KafkaSource.builder', () => {
  it('builds a typed, bounded source from a topic pattern and reads it', async () => {
    const k = new InMemoryKafka().createTopic('orders-eu', 2).createTopic('orders-us', 1).createTopic('payments', 1);
    k.appendValues('orders-eu', 0, [{ id: 1 }, { id: 2 }]);
    k.appendValues('orders-eu', 1, [{ id: 3 }]);
    k.appendValues('orders-us', 0, [{ id: 4 }]);
    k.appendValues('payments', 0, [{ id: 99 }]);
    const source = KafkaSource.builder<Order>()
      .setBootstrapServers(k.bootstrap)
      .setTopicPattern('orders-.*')
      .setGroupId('orders')
      .setStartingOffsets(OffsetsInitializer.earliest())
      .setBounded(OffsetsInitializer.latest())
      .setDeserializer((record, tp) => ({ id: (JSON.parse(new TextDecoder().decode(record.value!)) as { id: number }).id, partition: tp.partition }))
      .setClientFactory(k.clientFactory)
      .build();
    expectTypeOf(source).toEqualTypeOf<KafkaSource<Order>>();
    expect(source.boundedness).toBe('bounded');
    const d = await SourceDriver.start(source, { parallelism: 2 });
    drivers.push(d as SourceDriver<unknown, KafkaPartitionSplit, KafkaEnumeratorState>);
    await d.run();
    expect(d.records().map((o) => o.id).sort()).toEqual([1, 2, 3, 4]);
    expect(source.settings.groupId).toBe('orders');
  });

  it('fails naming what is missing; ready-made deserializers', () => {
    expect(() => KafkaSource.builder<string>().build()).toThrow(
      'KafkaSource.builder(): missing bootstrap servers (setBootstrapServers), topics (setTopics or setTopicPattern), a deserializer (setDeserializer)',
    );
    const s = KafkaSource.builder<string>().setBootstrapServers('a:9092, b:9092').setTopics('t').setRecordDeserializer(KafkaDeserializers.stringValue()).setProperty('commit.offsets.on.checkpoint', 'false').build();
    expect(s.settings.brokers).toEqual(['a:9092', 'b:9092']);
    expect(s.settings.commitOffsetsOnCheckpoint).toBe(false);
    expect(s.boundedness).toBe('continuous-unbounded');
    const out: unknown[] = [];
    const record = { offset: 0, timestamp: 0, timestampType: 'CreateTime' as const, key: null, value: new TextEncoder().encode('{"a":1}'), headers: [] };
    KafkaDeserializers.jsonValue<{ a: number }>()(record, { topic: 't', partition: 0 }, (v) => out.push(v));
    KafkaDeserializers.stringValue()({ ...record, value: null }, { topic: 't', partition: 0 }, (v) => out.push(v));
    expect(out).toEqual([{ a: 1 }]);
  });
});
