// The `upsert-kafka` connector: the sink writes the primary key as the record key, +I/+U as values, -D as tombstones
// and drops -U; with `sink.buffer-flush.*` it reduces updates of a key to the last one and flushes at max-rows, at
// the interval and at checkpoints; the source reads the topic from the earliest offset as an UPSERT changelog (+U
// per value, -D with only the key set per tombstone), which applied per key gives the table; Flink's option rules.
import { ConfigurationError } from '@runnel/api/config';
import type { Sink } from '@runnel/api/connector';
import { RowKind, UPSERT, type Column, type DeadLetter, type Row } from '@runnel/api/table';
import { SinkDriver, SourceDriver, recordContext, testSinkWriterContext } from '@runnel/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { keyText } from '../../src/table/upsert-kafka-reducing-sink.js';
import { UPSERT_KAFKA_OPTIONS } from '../../src/table/upsert-kafka-options.js';
import { createUpsertKafkaConnectorFactory } from '../../src/table/upsert-kafka-table-factory.js';
import { InMemoryKafka } from '../support/in-memory-kafka.js';
import { BIGINT, STRING, consumedType, physical, t, tableContext, writtenMetadataKeys } from './kafka-table-sink-context.js';

let cluster: InMemoryKafka;
afterEach(() => cluster?.dispose());

const COLUMNS: Column[] = [physical('user_id', BIGINT), physical('region', STRING), physical('total', t('INTEGER'))];
const factory = () => createUpsertKafkaConnectorFactory({ clientFactory: cluster.clientFactory });

const context = (options: Record<string, string> = {}, columns: readonly Column[] = COLUMNS, pk: readonly string[] | null = ['user_id']) =>
  tableContext(
    'totals',
    columns,
    { connector: 'upsert-kafka', topic: 'totals', 'properties.bootstrap.servers': cluster.bootstrap, 'key.format': 'json', 'value.format': 'json', ...options },
    pk ?? undefined,
  );

const sinkOf = (options: Record<string, string> = {}, columns: readonly Column[] = COLUMNS): Sink<Row, any, any> =>
  factory().createTableSink!(context(options, columns)).createSink({ consumedType: consumedType(columns), metadataKeys: writtenMetadataKeys(columns), changelogMode: UPSERT, upsertKey: [0] });

const r = (kind: RowKind, ...fields: unknown[]): Row => ({ kind, fields });
const text = (v: Uint8Array | null): string | null => (v === null ? null : new TextDecoder().decode(v));
const records = (topic = 'totals') =>
  Array.from({ length: cluster.partitionCount(topic) }, (_, p) => cluster.records(topic, p).map((x) => [text(x.key), text(x.value)] as const)).flat();

describe('upsert-kafka sink', () => {
  it('writes the primary key as the key, upserts as values, deletes as tombstones, and drops -U', async () => {
    cluster = new InMemoryKafka().createTopic('totals', 1);
    const table = factory().createTableSink!(context());
    expect(table.changelogMode(UPSERT)).toEqual(UPSERT);
    expect(table.summary()).toBe('UpsertKafka(topic=[totals], format=json, key.format=json, key.fields=[user_id], delivery=at-least-once)');
    const writer = sinkOf().createWriter(testSinkWriterContext());
    for (const row of [
      r(RowKind.INSERT, 1n, 'eu', 10),
      r(RowKind.UPDATE_BEFORE, 1n, 'eu', 10),
      r(RowKind.UPDATE_AFTER, 1n, 'eu', 15),
      r(RowKind.INSERT, 2n, 'us', 7),
      r(RowKind.DELETE, 1n, 'eu', 15),
    ]) {
      writer.write(row, recordContext());
    }
    await writer.flush(false);
    expect(records()).toEqual([
      ['{"user_id":1}', '{"user_id":1,"region":"eu","total":10}'],
      ['{"user_id":1}', '{"user_id":1,"region":"eu","total":15}'],
      ['{"user_id":2}', '{"user_id":2,"region":"us","total":7}'],
      ['{"user_id":1}', null],
    ]);
    await writer.close();
  });

  it('with buffer flushing, reduces the updates of a key to the last one, flushed at a checkpoint', async () => {
    cluster = new InMemoryKafka().createTopic('totals', 1);
    const d = await SinkDriver.start(sinkOf({ 'sink.buffer-flush.max-rows': '100', 'sink.buffer-flush.interval': '1 h' }));
    await d.write(0, [
      r(RowKind.INSERT, 1n, 'eu', 1),
      r(RowKind.UPDATE_BEFORE, 1n, 'eu', 1),
      r(RowKind.UPDATE_AFTER, 1n, 'eu', 2),
      r(RowKind.INSERT, 2n, 'us', 1),
      r(RowKind.UPDATE_AFTER, 1n, 'eu', 3),
      r(RowKind.INSERT, 3n, 'ap', 1),
      r(RowKind.DELETE, 3n, 'ap', 1),
    ]);
    expect(records()).toEqual([]); // buffered
    await d.checkpoint(1);
    expect(records()).toEqual([
      ['{"user_id":2}', '{"user_id":2,"region":"us","total":1}'],
      ['{"user_id":1}', '{"user_id":1,"region":"eu","total":3}'],
      ['{"user_id":3}', null],
    ]);
    await d.close();
  });

  it('flushes the buffer when it holds max-rows keys, and after the interval', async () => {
    cluster = new InMemoryKafka().createTopic('totals', 1);
    const writer = sinkOf({ 'sink.buffer-flush.max-rows': '2', 'sink.buffer-flush.interval': '30 ms' }).createWriter(testSinkWriterContext());
    writer.write(r(RowKind.INSERT, 1n, 'eu', 1), recordContext());
    writer.write(r(RowKind.UPDATE_AFTER, 1n, 'eu', 2), recordContext());
    writer.write(r(RowKind.INSERT, 2n, 'us', 1), recordContext()); // two keys: flushed
    // Polled, not slept: on a loaded machine (CI's 2 cores under the whole suite) a fixed 15 or 80 ms was too short.
    await until(() => records().length >= 2);
    expect(records().map(([, v]) => v)).toEqual(['{"user_id":1,"region":"eu","total":2}', '{"user_id":2,"region":"us","total":1}']);
    writer.write(r(RowKind.UPDATE_AFTER, 2n, 'us', 5), recordContext()); // one key, under max-rows: the interval flushes it
    await until(() => records().length >= 3);
    expect(records()).toHaveLength(3);
    await writer.close();
  });

  it('keys compare by value: BIGINT, strings, bytes and composite keys', () => {
    expect(keyText([1n, 'a'])).toBe(keyText([1n, 'a']));
    expect(keyText([1n, 'a'])).not.toBe(keyText(['1', 'a']));
    expect(keyText(['a\u0001b'])).not.toBe(keyText(['a', 'b']));
    expect(keyText([new Uint8Array([1, 2])])).toBe(keyText([new Uint8Array([1, 2])]));
    expect(keyText([null])).not.toBe(keyText(['null']));
    expect(keyText([1])).not.toBe(keyText([1n]));
  });

  it('exactly-once: the reduced records are committed with the checkpoint', async () => {
    cluster = new InMemoryKafka().createTopic('totals', 1);
    const sink = sinkOf({ 'sink.delivery-guarantee': 'exactly-once', 'sink.transactional-id-prefix': 'totals', 'sink.buffer-flush.max-rows': '10', 'sink.buffer-flush.interval': '1 s' });
    expect(sink.createCommitter).toBeTypeOf('function');
    const d = await SinkDriver.start(sink);
    await d.write(0, [r(RowKind.INSERT, 1n, 'eu', 1), r(RowKind.UPDATE_AFTER, 1n, 'eu', 2)]);
    await d.checkpoint(1);
    expect(records()).toEqual([]);
    await d.complete(1);
    expect(records()).toEqual([['{"user_id":1}', '{"user_id":1,"region":"eu","total":2}']]);
    await d.close();
  });

  it("checks Flink's rules: a primary key, both flush options, insert-only formats, and its own option keys", () => {
    cluster = new InMemoryKafka();
    const f = factory();
    expect(f.identifier).toBe('upsert-kafka');
    expect(f.options).toBe(UPSERT_KAFKA_OPTIONS);
    expect(UPSERT_KAFKA_OPTIONS.map((o) => ('key' in o ? o.key : `${o.prefix}*`))).toEqual([
      'topic',
      'properties.bootstrap.servers',
      'key.format',
      'key.fields-prefix',
      'value.format',
      'value.fields-include',
      'sink.parallelism',
      'sink.buffer-flush.max-rows',
      'sink.buffer-flush.interval',
      'sink.delivery-guarantee',
      'sink.transactional-id-prefix',
      'properties.*',
    ]);
    expect(() => f.createTableSink!(context({}, COLUMNS, null))).toThrow("'upsert-kafka' tables require to define a PRIMARY KEY constraint");
    expect(() => f.createTableSource!(context({}, COLUMNS, null))).toThrow(ConfigurationError);
    expect(() => f.createTableSink!(context({ 'sink.buffer-flush.max-rows': '10' }))).toThrow(
      "'sink.buffer-flush.max-rows' and 'sink.buffer-flush.interval' must be set to be greater than zero together",
    );
    expect(() => f.createTableSink!(context({ 'value.format': 'cdc' }))).toThrow("'upsert-kafka' doesn't support 'cdc' as value format, because 'cdc' is not in insert-only mode");
    expect(() => f.createTableSink!(context({ 'key.fields': 'user_id' }))).toThrow(/unknown option 'key.fields'.*valid options: topic, properties.bootstrap.servers, key.format/);
    expect(() => f.createTableSource!(context({ 'scan.startup.mode': 'latest-offset' }))).toThrow(/unknown option 'scan.startup.mode'/);
    const { 'key.format': _, ...noKeyFormat } = context().options;
    expect(() => f.createTableSink!({ ...context(), options: noKeyFormat })).toThrow("option 'key.format' is required");
  });
});

describe('upsert-kafka source', () => {
  /** Reads `n` rows of the table from the topic. */
  async function read(n: number, options: Record<string, string> = {}, columns: readonly Column[] = COLUMNS, pk = ['user_id']): Promise<Row[]> {
    const table = factory().createTableSource!(context(options, columns, pk));
    expect(table.changelogMode).toEqual(UPSERT);
    expect(table.bounded).toBe(false);
    const physicalType = consumedType(columns.filter((c) => c.kind === 'physical'));
    const d = await SourceDriver.start(table.createSource({ physicalType, metadataKeys: [] }));
    await d.run({ maxRecords: n });
    const rows = d.records() as (Row | DeadLetter)[];
    await d.close();
    return rows as Row[];
  }

  it('emits +U per value (keyed by the primary key) and -D with only the key set per tombstone, from the earliest offset', async () => {
    cluster = new InMemoryKafka().createTopic('totals', 1);
    cluster.append('totals', 0, [
      { key: '{"user_id":1}', value: '{"user_id":1,"region":"eu","total":10}' },
      { key: '{"user_id":1}', value: '{"user_id":1,"region":"eu","total":15}' },
      { key: '{"user_id":2}', value: '{"user_id":2,"region":"us","total":7}' },
      { key: '{"user_id":1}', value: null },
    ]);
    expect(await read(4)).toEqual([
      r(RowKind.UPDATE_AFTER, 1n, 'eu', 10),
      r(RowKind.UPDATE_AFTER, 1n, 'eu', 15),
      r(RowKind.UPDATE_AFTER, 2n, 'us', 7),
      r(RowKind.DELETE, 1n, null, null),
    ]);
  });

  it('reads the key fields from the key with EXCEPT_KEY and a key prefix', async () => {
    cluster = new InMemoryKafka().createTopic('totals', 1);
    const columns = [physical('k_user_id', BIGINT), physical('region', STRING), physical('total', t('INTEGER'))];
    cluster.append('totals', 0, [
      { key: '{"user_id":5}', value: '{"region":"eu","total":1}' },
      { key: '{"user_id":5}', value: null },
    ]);
    const rows = await read(2, { 'key.fields-prefix': 'k_', 'value.fields-include': 'EXCEPT_KEY' }, columns, ['k_user_id']);
    expect(rows).toEqual([r(RowKind.UPDATE_AFTER, 5n, 'eu', 1), r(RowKind.DELETE, 5n, null, null)]);
    // The primary key must be physical columns carrying the prefix.
    expect(() => factory().createTableSink!(context({ 'key.fields-prefix': 'k_', 'value.fields-include': 'EXCEPT_KEY' }, COLUMNS))).toThrow(
      "upsert-kafka table 'totals': the PRIMARY KEY column 'user_id' must start with the prefix 'k_' of 'key.fields-prefix'",
    );
  });

  it('reads back what the sink wrote as a changelog whose per-key application is the final table', async () => {
    cluster = new InMemoryKafka().createTopic('totals', 3);
    const changelog = [
      r(RowKind.INSERT, 1n, 'eu', 1),
      r(RowKind.INSERT, 2n, 'us', 1),
      r(RowKind.UPDATE_BEFORE, 1n, 'eu', 1),
      r(RowKind.UPDATE_AFTER, 1n, 'eu', 2),
      r(RowKind.INSERT, 3n, 'ap', 9),
      r(RowKind.DELETE, 2n, 'us', 1),
      r(RowKind.UPDATE_BEFORE, 3n, 'ap', 9),
      r(RowKind.UPDATE_AFTER, 3n, 'ap', 10),
    ];
    const d = await SinkDriver.start(sinkOf(), { parallelism: 2 });
    await d.write(0, changelog.slice(0, 4));
    await d.write(1, changelog.slice(4));
    await d.finish();
    const rows = await read(6);
    expect(rows.filter((x) => x.kind === RowKind.DELETE)).toEqual([r(RowKind.DELETE, 2n, null, null)]);
    // What ChangelogNormalize would keep: the last row per key, deletes removing it.
    const table = new Map<bigint, unknown[]>();
    for (const row of rows) {
      if (row.kind === RowKind.DELETE) table.delete(row.fields[0] as bigint);
      else table.set(row.fields[0] as bigint, row.fields);
    }
    expect([...table.values()].sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [1n, 'eu', 2],
      [3n, 'ap', 10],
    ]);
  });
});

/** Resolves once `ok()` holds; fails after 10 s. */
async function until(ok: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
