// The `kafka` table source with a hand-made table context (a small JSON format) over the in-memory cluster: option
// validation with Flink's rules and messages that list the valid keys, key and value fields (`key.fields`,
// `key.fields-prefix`, `value.fields-include`), projections and metadata columns, tombstones, the changelog of the
// value format, and decode errors with their topic/partition/offset under each error policy.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SourceDriver } from '@runnel/testing';
import { ConfigurationError } from '@runnel/api/config';
import { ALL_KINDS, DeadLetter, FormatError, RowKind, UPSERT, type Row } from '@runnel/api/table';
import type { Source } from '@runnel/api';
import { KAFKA_OPTIONS } from '../../src/kafka-options.js';
import { createKafkaConnectorFactory } from '../../src/table/kafka-table-factory.js';
import { KafkaTableSource } from '../../src/table/kafka-table-source.js';
import { parseSpecificOffsets } from '../../src/table/kafka-table-source-offsets.js';
import { InMemoryKafka } from '../support/in-memory-kafka.js';
import { BIGINT, INT, STRING, columns, kafkaTableContext, plain, type DecoderRequest, type ErrorPolicy } from './kafka-table-source-context.js';

const drivers: SourceDriver<Row | DeadLetter>[] = [];
afterEach(async () => {
  for (const d of drivers.splice(0)) await d.close();
});

/** Reads a bounded table source to its end at parallelism 1; returns its rows in partition, then offset order. */
async function readAll(source: Source<Row | DeadLetter, any, any>): Promise<(Row | DeadLetter)[]> {
  const d = await SourceDriver.start(source, { parallelism: 1 });
  drivers.push(d);
  await d.run();
  return d.records();
}

const BASE = (k: InMemoryKafka): Record<string, string> => ({
  topic: 'events',
  'properties.bootstrap.servers': k.bootstrap,
  format: 'json',
  'scan.startup.mode': 'earliest-offset',
  'scan.bounded.mode': 'latest-offset',
});

function source(k: InMemoryKafka, options: Record<string, string>, physical = columns({ id: BIGINT, name: STRING }), hooks: Parameters<typeof kafkaTableContext>[3] = {}): KafkaTableSource {
  return new KafkaTableSource(kafkaTableContext('orders', physical, { ...BASE(k), ...options }, hooks), k.clientFactory);
}

describe('kafka table source: options', () => {
  const k = new InMemoryKafka().createTopic('events', 1);
  const fails = (options: Record<string, string | undefined>, physical = columns({ id: BIGINT, name: STRING })): string => {
    const all = Object.fromEntries(Object.entries({ ...BASE(k), ...options }).filter(([, v]) => v !== undefined)) as Record<string, string>;
    try {
      new KafkaTableSource(kafkaTableContext('orders', physical, all), k.clientFactory);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigurationError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };

  it('an unknown option is named with the closest key and every valid key', () => {
    const message = fails({ 'scan.startup.mod': 'earliest-offset' });
    expect(message).toMatch(/^kafka table 'orders': unknown option 'scan\.startup\.mod' \(did you mean 'scan\.startup\.mode'\?\); valid options: topic, topic-pattern, properties\.bootstrap\.servers, /);
    for (const key of ['scan.bounded.specific-offsets', 'sink.delivery-guarantee', 'sink.buffer-flush.interval', 'key.fields-prefix', 'properties.*']) expect(message).toContain(key);
    expect(fails({ 'propertis.group.id': 'g' })).toContain("did you mean 'properties.group.id'?");
  });

  it('missing or conflicting options fail as in Flink', () => {
    expect(fails({ 'properties.bootstrap.servers': undefined })).toMatch(/option 'properties\.bootstrap\.servers' is required/);
    expect(fails({ format: undefined })).toMatch(/option 'value\.format' is required/);
    expect(fails({ topic: undefined })).toMatch(/either 'topic' or 'topic-pattern' must be set/);
    expect(fails({ 'topic-pattern': 'ev.*' })).toMatch(/'topic' and 'topic-pattern' must not both be set/);
    expect(fails({ 'value.format': 'json' })).toMatch(/'format' and 'value\.format' are the same option/);
    expect(fails({ 'scan.startup.mode': 'timestamp' })).toMatch(/option 'scan\.startup\.timestamp-millis' is required in 'scan\.startup\.mode' = 'timestamp'/);
    expect(fails({ 'scan.bounded.mode': 'specific-offsets' })).toMatch(/option 'scan\.bounded\.specific-offsets' is required/);
    expect(fails({ 'scan.startup.mode': 'specific-offsets', 'scan.startup.specific-offsets': 'partition:0' })).toMatch(
      /option 'scan\.startup\.specific-offsets' should follow the format 'partition:0,offset:42;partition:1,offset:300', but is 'partition:0'/,
    );
    expect(fails({ topic: 'a;b', 'scan.startup.mode': 'specific-offsets', 'scan.startup.specific-offsets': 'partition:0,offset:1' })).toMatch(/needs a single topic/);
    expect(fails({ 'scan.startup.mode': 'group-offsets' })).toMatch(/'group-offsets' needs 'properties\.group\.id'/);
    expect(fails({ 'scan.startup.mode': 'latest' })).toMatch(/'scan\.startup\.mode': 'latest' is not one of earliest-offset, latest-offset, group-offsets, timestamp, specific-offsets/);
    expect(fails({ 'topic-pattern': '(', topic: undefined })).toMatch(/'topic-pattern': '\(' is not a regular expression/);
  });

  it('key fields: must be physical columns, need a key format, and carry the prefix', () => {
    expect(fails({ 'key.format': 'json', 'key.fields': 'nope' })).toMatch(/'key\.fields': 'nope' is not a physical column.*\(physical columns: id, name\)/);
    expect(fails({ 'key.fields': 'id' })).toMatch(/'key\.fields' needs 'key\.format'/);
    expect(fails({ 'key.format': 'json' })).toMatch(/'key\.format' needs 'key\.fields'/);
    expect(fails({ 'key.format': 'json', 'key.fields': 'id', 'key.fields-prefix': 'k_' })).toMatch(/'key\.fields-prefix' needs 'value\.fields-include' = 'EXCEPT_KEY'/);
    expect(fails({ 'key.format': 'json', 'key.fields': 'id', 'key.fields-prefix': 'k_', 'value.fields-include': 'EXCEPT_KEY' })).toMatch(/must start with the prefix 'k_'.*'id' does not/);
  });

  it("accepts the formats' options, the sink's options and properties.*; sink.semantic is sink.delivery-guarantee, deprecated", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const s = source(k, {
      'json.fail-on-missing-field': 'true',
      'sink.partitioner': 'round-robin',
      'sink.semantic': 'exactly-once',
      'sink.transactional-id-prefix': 'tx',
      'sink.parallelism': '2',
      'properties.security.protocol': 'PLAINTEXT',
      'scan.parallelism': '3',
    });
    expect(s.parallelism).toBe(3);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("option 'sink.semantic' is deprecated; use 'sink.delivery-guarantee'"));
    warn.mockRestore();
  });

  it('parses specific offsets', () => {
    expect(parseSpecificOffsets('partition:0,offset:42;partition:1,offset:300', 'k')).toEqual(new Map([[0, 42], [1, 300]]));
    expect(parseSpecificOffsets(' partition : 2 , offset : 7 ;', 'k')).toEqual(new Map([[2, 7]]));
    expect(() => parseSpecificOffsets('partition:-1,offset:3', 'k')).toThrow(ConfigurationError);
  });

  it('the factory declares every option, creates sources over its client, and summarizes without secrets', () => {
    const f = createKafkaConnectorFactory({ clientFactory: k.clientFactory });
    expect(f.identifier).toBe('kafka');
    expect(f.options).toBe(KAFKA_OPTIONS);
    const s = f.createTableSource!(kafkaTableContext('orders', columns({ id: BIGINT }), { ...BASE(k), 'properties.sasl.jaas.config': 'password=secret' }));
    expect(s.summary()).toBe('Kafka(topic=[events], format=json, startup=earliest, bounded=latest)');
    expect(s.bounded).toBe(true);
    expect(s.readableMetadata).toMatchObject({ offset: { root: 'BIGINT', nullable: false }, timestamp: { root: 'TIMESTAMP_LTZ', precision: 3 }, headers: { root: 'MAP' } });
    expect(typeof f.createTableSink).toBe('function');
  });
});

describe('kafka table source: rows', () => {
  it('decodes values, projects the requested columns and appends the metadata', async () => {
    const k = new InMemoryKafka().createTopic('events', 2);
    k.append('events', 1, [
      { key: 'k1', value: '{"id": 1, "name": "a"}', timestamp: 1_000, headers: [['h', 'x'], ['h', 'y'], ['n', null]] },
      { value: null, timestamp: 2_000 },
      { value: '{"id": 2, "name": "b"}', timestamp: 3_000 },
    ]);
    const s = source(k, {});
    const rows = await readAll(s.createSource({ physicalType: columns({ name: STRING, id: BIGINT }), metadataKeys: ['offset', 'partition', 'timestamp', 'timestamp-type', 'topic', 'headers', 'leader-epoch'] }));
    expect(plain(rows)).toEqual([
      [RowKind.INSERT, 'a', 1n, 0n, 1, 1_000, 'CreateTime', 'events', new Map([['h', new TextEncoder().encode('y')], ['n', null]]), 0],
      [RowKind.INSERT, 'b', 2n, 2n, 1, 3_000, 'CreateTime', 'events', new Map(), 0],
    ]);
    // Only the value: the format's rows as they are.
    const only = await readAll(s.createSource({ physicalType: columns({ id: BIGINT, name: STRING }), metadataKeys: [] }));
    expect(plain(only)).toEqual([[RowKind.INSERT, 1n, 'a'], [RowKind.INSERT, 2n, 'b']]);
    expect(() => s.createSource({ physicalType: columns({ nam: STRING }), metadataKeys: [] })).toThrow(/no physical column 'nam' \(did you mean 'name'\?\)/);
    expect(() => s.createSource({ physicalType: columns({ id: BIGINT }), metadataKeys: ['value.source'] })).toThrow(/no metadata 'value\.source'; the table has topic, partition, headers/);
  });

  it('reads key fields from the key (with the prefix stripped for the key format) and the rest from the value', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.append('events', 0, [
      { key: '{"id": 7}', value: '{"name": "x", "id": 99}' },
      { key: null, value: '{"name": "no key"}' },
    ]);
    const requests: DecoderRequest[] = [];
    const physical = columns({ k_id: BIGINT, name: STRING });
    const opts = { 'key.format': 'json', 'key.fields': 'k_id', 'key.fields-prefix': 'k_', 'value.fields-include': 'EXCEPT_KEY' };
    const s = source(k, opts, physical, { requests });
    expect(requests.map((r) => [r.formatKey, r.rowType.fields.map((f) => f.name)])).toEqual([['format', ['name']], ['key.format', ['id']]]);
    const rows = await readAll(s.createSource({ physicalType: physical, metadataKeys: [] }));
    expect(plain(rows)).toEqual([[RowKind.INSERT, 7n, 'x'], [RowKind.INSERT, null, 'no key']]);
    expect(s.summary()).toBe('Kafka(topic=[events], format=json, key.format=json, key.fields=[id], startup=earliest, bounded=latest)');

    // ALL: the value holds the key columns too, and its values win (Flink's order).
    const all = source(k, { 'key.format': 'json', 'key.fields': 'id' }, columns({ id: BIGINT, name: STRING }));
    expect(plain(await readAll(all.createSource({ physicalType: columns({ id: BIGINT, name: STRING }), metadataKeys: [] })))).toEqual([
      [RowKind.INSERT, 99n, 'x'],
      [RowKind.INSERT, null, 'no key'],
    ]);
  });

  it('tombstones are skipped in a kafka table and are deletes of their key in upsert mode', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.append('events', 0, [{ key: '{"id": 1}', value: '{"id": 1, "name": "a"}' }, { key: '{"id": 1}', value: null }]);
    const physical = columns({ id: BIGINT, name: STRING });
    const ctx = kafkaTableContext('orders', physical, { ...BASE(k) });
    const upsert = new KafkaTableSource(ctx, k.clientFactory, { connector: 'upsert-kafka', keyFields: ['id'], upsert: true });
    expect(upsert.changelogMode).toBe(UPSERT);
    const rows = await readAll(upsert.createSource({ physicalType: physical, metadataKeys: [] }));
    expect(plain(rows)).toEqual([[RowKind.INSERT, 1n, 'a'], [RowKind.DELETE, 1n, null]]);
    const plainKafka = source(k, {}, physical);
    expect(plain(await readAll(plainKafka.createSource({ physicalType: physical, metadataKeys: [] })))).toEqual([[RowKind.INSERT, 1n, 'a']]);
  });

  it('the changelog is the value format\'s', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.append('events', 0, [{ value: '{"id": 1, "name": "a"}' }, { value: '{"op": "d", "id": 1, "name": "a"}' }]);
    const s = source(k, {}, columns({ id: BIGINT, name: STRING }), { changelogMode: ALL_KINDS });
    expect(s.changelogMode).toBe(ALL_KINDS);
    const rows = await readAll(s.createSource({ physicalType: columns({ id: BIGINT, name: STRING }), metadataKeys: ['offset'] }));
    expect(plain(rows)).toEqual([[RowKind.INSERT, 1n, 'a', 0n], [RowKind.DELETE, 1n, 'a', 1n]]);
  });

  it.each<ErrorPolicy>(['fail', 'skip', 'dead-letter'])('a malformed record under policy %s names its topic, partition and offset', async (policy) => {
    const k = new InMemoryKafka().createTopic('events', 2);
    k.appendValues('events', 1, ['{"id": 1}', '{"id": 2}', '{"id": 3}', '{"id": 4', '{"id": 5}']);
    const s = source(k, {}, columns({ id: BIGINT, name: STRING }), { policy });
    const run = readAll(s.createSource({ physicalType: columns({ id: BIGINT }), metadataKeys: [] }));
    if (policy === 'fail') {
      const error = await run.then(
        () => undefined,
        (e: unknown) => e,
      );
      // The runtime wraps what a reader throws (naming the operator); the format's error is the cause.
      const cause = (error as Error).cause;
      expect(cause).toBeInstanceOf(FormatError);
      expect((cause as FormatError).position).toBe('events/1, offset 3');
      expect((error as Error).message).toMatch(/malformed JSON: .* \(at events\/1, offset 3\)/);
      return;
    }
    const rows = await run;
    expect(plain(rows)).toEqual([[RowKind.INSERT, 1n], [RowKind.INSERT, 2n], [RowKind.INSERT, 3n], ['dead-letter', 'events/1, offset 3', expect.stringMatching(/^malformed JSON/)], [RowKind.INSERT, 5n]]);
    expect(new TextDecoder().decode((rows[3] as DeadLetter).raw as Uint8Array)).toBe('{"id": 4');
  });

  it('a malformed key under dead-letter skips its record', async () => {
    const k = new InMemoryKafka().createTopic('events', 1);
    k.append('events', 0, [{ key: 'nope', value: '{"name": "a"}' }, { key: '{"id": 2}', value: '{"name": "b"}' }]);
    const physical = columns({ id: INT, name: STRING });
    const s = source(k, { 'key.format': 'json', 'key.fields': 'id', 'value.fields-include': 'EXCEPT_KEY' }, physical, { policy: 'dead-letter' });
    const rows = await readAll(s.createSource({ physicalType: physical, metadataKeys: [] }));
    expect(plain(rows)).toEqual([['dead-letter', 'events/0, offset 0', expect.stringMatching(/malformed JSON/)], [RowKind.INSERT, 2, 'b']]);
  });
});
