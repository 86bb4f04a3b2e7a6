// The `kafka` table sink: values by the value format (all columns or EXCEPT_KEY), keys by the key format from
// `key.fields` (names without `key.fields-prefix`), the changelog of the value format (insert-only for plain
// formats, every kind for a CDC format), writable metadata (`headers`, `timestamp`, `topic`) wherever the columns
// are, delivery guarantees and partitioners from the table's options, and the option checks.
import { ConfigurationError } from '@runnel/api/config';
import type { Sink } from '@runnel/api/connector';
import { ALL_KINDS, INSERT_ONLY, RowKind, type Column, type Row, type TableSink } from '@runnel/api/table';
import { SinkDriver, recordContext, testSinkWriterContext } from '@runnel/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { partitionForKey } from '../../src/sink/murmur2.js';
import { createKafkaTableSink, KAFKA_WRITABLE_METADATA } from '../../src/table/kafka-table-sink.js';
import { InMemoryKafka } from '../support/in-memory-kafka.js';
import { BIGINT, STRING, consumedType, metadata, physical, t, tableContext, writtenMetadataKeys } from './kafka-table-sink-context.js';

let cluster: InMemoryKafka;
afterEach(() => cluster?.dispose());

const COLUMNS: Column[] = [physical('id', BIGINT), physical('name', STRING), physical('amount', t('INTEGER'))];

function tableSink(options: Record<string, string>, columns: readonly Column[] = COLUMNS): TableSink {
  return createKafkaTableSink(
    tableContext('orders', columns, { connector: 'kafka', topic: 'orders', 'properties.bootstrap.servers': cluster.bootstrap, format: 'json', ...options }),
    cluster.clientFactory,
  );
}

const sinkOf = (table: TableSink, columns: readonly Column[] = COLUMNS, mode = INSERT_ONLY): Sink<Row, any, any> =>
  table.createSink({ consumedType: consumedType(columns), metadataKeys: writtenMetadataKeys(columns), changelogMode: mode });

const insert = (...fields: unknown[]): Row => ({ kind: RowKind.INSERT, fields });
const text = (v: Uint8Array | null): string | null => (v === null ? null : new TextDecoder().decode(v));

/** Writes rows through one writer and waits until they are acknowledged. */
async function write(sink: Sink<Row, any, any>, rows: readonly Row[]): Promise<void> {
  const writer = sink.createWriter(testSinkWriterContext());
  for (const r of rows) writer.write(r, recordContext());
  await writer.flush(true);
  await writer.close();
}

describe('kafka table sink', () => {
  it('writes each row as a value of its format, without a key; a plain format takes inserts only', async () => {
    cluster = new InMemoryKafka().createTopic('orders', 1);
    const table = tableSink({});
    expect(table.changelogMode(ALL_KINDS)).toEqual(INSERT_ONLY);
    expect(table.summary()).toBe('Kafka(topic=[orders], format=json, delivery=at-least-once)');
    expect(table.writableMetadata).toBe(KAFKA_WRITABLE_METADATA);
    await write(sinkOf(table), [insert(1n, 'a', 10), insert(9007199254740993n, null, null)]);
    expect(cluster.records('orders', 0).map((r) => [text(r.key), text(r.value)])).toEqual([
      [null, '{"id":1,"name":"a","amount":10}'],
      [null, '{"id":"9007199254740993","name":null,"amount":null}'],
    ]);
    const writer = sinkOf(table).createWriter(testSinkWriterContext());
    expect(() => writer.write({ kind: RowKind.UPDATE_AFTER, fields: [1n, 'b', 1] }, recordContext())).toThrow(
      "kafka table 'orders': format 'json' writes inserts only, got a +U row",
    );
    await writer.close();
  });

  it('encodes key.fields with key.format (names without key.fields-prefix) and leaves them out of EXCEPT_KEY values', async () => {
    cluster = new InMemoryKafka().createTopic('orders', 4);
    const columns = [physical('k_id', BIGINT), physical('name', STRING), physical('amount', t('INTEGER'))];
    const table = tableSink({ 'key.format': 'json', 'key.fields': 'k_id', 'key.fields-prefix': 'k_', 'value.fields-include': 'EXCEPT_KEY' }, columns);
    expect(table.summary()).toBe('Kafka(topic=[orders], format=json, key.format=json, key.fields=[id], delivery=at-least-once)');
    await write(sinkOf(table, columns), [insert(1n, 'a', 10), insert(2n, 'b', 20), insert(1n, 'c', 30)]);
    const all = [0, 1, 2, 3].flatMap((p) => cluster.records('orders', p).map((r) => ({ p, key: text(r.key)!, value: text(r.value) })));
    expect(all.map(({ key, value }) => [key, value]).sort()).toEqual([
      ['{"id":1}', '{"name":"a","amount":10}'],
      ['{"id":1}', '{"name":"c","amount":30}'],
      ['{"id":2}', '{"name":"b","amount":20}'],
    ]);
    // Records of a key land in the partition of its encoded bytes, in order.
    for (const r of all) expect(r.p).toBe(partitionForKey(r.key, 4));
  });

  it('with ALL, a key field is in the key and in the value; with the text key format the key is the bare value', async () => {
    cluster = new InMemoryKafka().createTopic('orders', 1);
    const table = tableSink({ 'key.format': 'text', 'key.fields': 'name' });
    await write(sinkOf(table), [insert(1n, 'alice', 10)]);
    const [r] = cluster.records('orders', 0);
    expect([text(r!.key), text(r!.value)]).toEqual(['alice', '{"id":1,"name":"alice","amount":10}']);
  });

  it('accepts the changelog of a CDC value format and writes every kind through it', async () => {
    cluster = new InMemoryKafka().createTopic('orders', 1);
    const table = tableSink({ format: 'cdc' });
    expect(table.changelogMode(INSERT_ONLY)).toEqual(ALL_KINDS);
    await write(sinkOf(table, COLUMNS, ALL_KINDS), [
      insert(1n, 'a', 1),
      { kind: RowKind.UPDATE_BEFORE, fields: [1n, 'a', 1] },
      { kind: RowKind.UPDATE_AFTER, fields: [1n, 'a', 2] },
      { kind: RowKind.DELETE, fields: [1n, 'a', 2] },
    ]);
    expect(cluster.valuesOf('orders', 0).map((v) => (JSON.parse(v!) as { op: string }).op)).toEqual(['+I', '-U', '+U', '-D']);
  });

  it('writes headers and timestamp from metadata columns, wherever they are declared; nulls leave them out', async () => {
    cluster = new InMemoryKafka().createTopic('orders', 1);
    const columns = [
      physical('id', BIGINT),
      metadata('ts', t('TIMESTAMP_LTZ', { precision: 3 }), 'timestamp'),
      physical('name', STRING),
      metadata('hs', KAFKA_WRITABLE_METADATA.headers, 'headers'),
      metadata('off', BIGINT, 'offset', true), // virtual: read only, not in the written rows
      physical('amount', t('INTEGER')),
    ];
    const table = tableSink({}, columns);
    const bytes = (s: string) => new TextEncoder().encode(s);
    await write(sinkOf(table, columns), [
      insert(1n, 1_700_000_000_000, 'a', new Map<string | null, Uint8Array | null>([['trace', bytes('t-1')], ['gone', null]]), 10),
      insert(2n, null, 'b', null, 20),
    ]);
    const [a, b] = cluster.records('orders', 0);
    expect(text(a!.value)).toBe('{"id":1,"name":"a","amount":10}');
    expect(a!.timestamp).toBe(1_700_000_000_000);
    expect(a!.headers.map(([k, v]) => [k, text(v)])).toEqual([['trace', 't-1']]);
    expect(b!.timestamp).not.toBe(1_700_000_000_000);
    expect(b!.headers).toEqual([]);
    // A metadata key that cannot be written.
    const offsetColumns = [...COLUMNS, metadata('off', BIGINT, 'offset')];
    expect(() => sinkOf(tableSink({}, offsetColumns), offsetColumns)).toThrow("metadata 'offset' cannot be written; the sink writes headers, timestamp, topic");
  });

  it("with several topics, the 'topic' metadata column picks one of them", async () => {
    cluster = new InMemoryKafka().createTopic('a', 1).createTopic('b', 1);
    const columns = [physical('id', BIGINT), metadata('target', STRING, 'topic')];
    const table = tableSink({ topic: 'a;b' }, columns);
    await write(sinkOf(table, columns), [insert(1n, 'a'), insert(2n, 'b'), insert(3n, 'b')]);
    expect(cluster.valuesOf('a', 0)).toEqual(['{"id":1}']);
    expect(cluster.valuesOf('b', 0)).toEqual(['{"id":2}', '{"id":3}']);
    const writer = sinkOf(table, columns).createWriter(testSinkWriterContext());
    expect(() => writer.write(insert(4n, 'c'), recordContext())).toThrow("the topic of the sink record is not valid: expected one of a, b, but it was 'c'");
    await writer.close();
    expect(() => sinkOf(tableSink({ topic: 'a;b' }))).toThrow("the rows need a writable 'topic' metadata column");
  });

  it('exactly-once: records become visible when the checkpoint completes', async () => {
    cluster = new InMemoryKafka().createTopic('orders', 2);
    const table = tableSink({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': 'orders-job' });
    expect(table.summary()).toContain('delivery=exactly-once');
    const sink = sinkOf(table);
    expect(sink.createCommitter).toBeTypeOf('function');
    const d = await SinkDriver.start(sink, { parallelism: 2 });
    await d.write(0, [insert(1n, 'a', 1)]);
    await d.write(1, [insert(2n, 'b', 2)]);
    await d.checkpoint(1);
    expect(cluster.openTransactions()).toEqual(['orders-job-0-1', 'orders-job-1-1']);
    expect(cluster.valuesOf('orders', 0).length + cluster.valuesOf('orders', 1).length).toBe(0);
    await d.complete(1);
    expect(cluster.valuesOf('orders', 0).length + cluster.valuesOf('orders', 1).length).toBe(2);
    await d.close();
    // The deprecated spelling of the option still works.
    expect(tableSink({ 'sink.semantic': 'at-least-once' }).summary()).toContain('delivery=at-least-once');
  });

  it("uses 'sink.partitioner' (fixed: one partition per subtask)", async () => {
    cluster = new InMemoryKafka().createTopic('orders', 3);
    const sink = sinkOf(tableSink({ 'sink.partitioner': 'fixed' }));
    const writer = sink.createWriter(testSinkWriterContext(2, 4));
    for (let i = 0; i < 5; i++) writer.write(insert(BigInt(i), 'x', i), recordContext());
    await writer.flush(true);
    await writer.close();
    expect([0, 1, 2].map((p) => cluster.records('orders', p).length)).toEqual([0, 0, 5]);
  });

  it('checks its options as Flink does', () => {
    cluster = new InMemoryKafka();
    const fails = (options: Record<string, string>, message: string | RegExp | typeof ConfigurationError) => expect(() => tableSink(options)).toThrow(message);
    fails({ 'sink.delivery-guarantee': 'exactly-once' }, "kafka table 'orders': option 'sink.transactional-id-prefix' is required with 'sink.delivery-guarantee' = 'exactly-once'");
    fails({ 'sink.partitioners': 'fixed' }, /unknown option 'sink.partitioners' \(did you mean 'sink.partitioner'\?\); valid options: topic, topic-pattern/);
    fails({ 'sink.partitioner': 'hash' }, /unknown sink.partitioner 'hash'/);
    fails({ topic: '', 'topic-pattern': 'o.*' }, ConfigurationError);
    expect(() =>
      createKafkaTableSink(tableContext('orders', COLUMNS, { connector: 'kafka', 'topic-pattern': 'o.*', 'properties.bootstrap.servers': cluster.bootstrap, format: 'json' }), cluster.clientFactory),
    ).toThrow("a sink cannot write to 'topic-pattern'");
    fails({ 'key.fields': 'nope', 'key.format': 'json' }, "option 'key.fields': 'nope' is not a physical column");
    fails({ 'key.fields': 'id' }, "option 'key.fields' needs 'key.format'");
    fails({ format: 'avro' }, "format 'avro' cannot encode in the test context");
  });
});
