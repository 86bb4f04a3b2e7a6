// The `debezium-json` format: decoding of every `op` with and without the Kafka Connect envelope, Flink's error
// cases (unknown op, update/delete without `before`, the wrong schema-include setting), exact numbers through the
// json converters, the metadata readers, the encoder's c/d events and the round trip of a changelog.
import { API_VERSION } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
import { ALL_KINDS, FormatError, RowKind, type Row } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { DebeziumJsonRowDecoder } from '../../src/debezium/debezium-json-decoder.js';
import { debeziumJsonFormat } from '../../src/debezium/debezium-json-format.js';
import { DEBEZIUM_JSON_OPTIONS, debeziumJsonDecodingSettings } from '../../src/debezium/debezium-json-options.js';
import { DEBEZIUM_JSON_METADATA } from '../../src/index.js';
import { decimal, decodeAll, nn, rt, t, utf8 } from '../helpers.js';

const PRODUCTS = rt({ id: nn('BIGINT'), name: t('VARCHAR', { precision: 2147483647 }), weight: decimal(10, 2) });
const decoder = (options: Record<string, string> = {}) => debeziumJsonFormat.createDecoder!({ rowType: PRODUCTS, options, config: {} });
const encoder = (options: Record<string, string> = {}) => debeziumJsonFormat.createEncoder!({ rowType: PRODUCTS, options, config: {} });

const scooter = { id: 111, name: 'scooter', weight: 5.18 };
const lighter = { id: 111, name: 'scooter', weight: 5.15 };
const SOURCE = { version: '1.1.1.Final', connector: 'mysql', name: 'dbserver1', ts_ms: 1589362330000, snapshot: 'false', db: 'inventory', table: 'products', server_id: 223344, pos: 2090 };
const event = (op: string, before: unknown, after: unknown): string => JSON.stringify({ before, after, source: SOURCE, op, ts_ms: 1589362330904, transaction: null });

const kindsAndFields = (rows: Row[]) => rows.map((r) => [r.kind, r.fields]);

describe('debezium-json decoding', () => {
  it('reads c and r as +I of after, u as -U before then +U after, d as -D of before', () => {
    const d = decoder();
    expect(d.changelogMode).toEqual(ALL_KINDS);
    expect(kindsAndFields(decodeAll(d, event('c', null, scooter)))).toEqual([[RowKind.INSERT, [111n, 'scooter', 518n]]]);
    expect(kindsAndFields(decodeAll(d, event('r', null, scooter)))).toEqual([[RowKind.INSERT, [111n, 'scooter', 518n]]]);
    expect(kindsAndFields(decodeAll(d, utf8(event('u', scooter, lighter))))).toEqual([
      [RowKind.UPDATE_BEFORE, [111n, 'scooter', 518n]],
      [RowKind.UPDATE_AFTER, [111n, 'scooter', 515n]],
    ]);
    expect(kindsAndFields(decodeAll(d, event('d', lighter, null)))).toEqual([[RowKind.DELETE, [111n, 'scooter', 515n]]]);
  });

  it('reads the payload of the Kafka Connect envelope with schema-include, and hints at the option either way', () => {
    const schema = { type: 'struct', fields: [{ type: 'struct', optional: true, field: 'before' }], optional: false, name: 'x.Envelope' };
    const enveloped = JSON.stringify({ schema, payload: JSON.parse(event('u', scooter, lighter)) as unknown });
    expect(kindsAndFields(decodeAll(decoder({ 'schema-include': 'true' }), enveloped))).toEqual([
      [RowKind.UPDATE_BEFORE, [111n, 'scooter', 518n]],
      [RowKind.UPDATE_AFTER, [111n, 'scooter', 515n]],
    ]);
    expect(() => decodeAll(decoder(), enveloped)).toThrow("set 'debezium-json.schema-include' = 'true'");
    expect(() => decodeAll(decoder({ 'schema-include': 'true' }), event('c', null, scooter))).toThrow(
      `expected the Kafka Connect envelope {"schema": ..., "payload": ...} ('debezium-json.schema-include' is true), got no "payload"`,
    );
  });

  it('skips tombstones (empty messages) and fails on an unknown or missing op, as Flink', () => {
    const d = decoder();
    expect(decodeAll(d, '')).toEqual([]);
    expect(decodeAll(d, new Uint8Array(0))).toEqual([]);
    expect(() => decodeAll(d, event('x', null, scooter))).toThrow(new FormatError('unknown "op" value "x" (expected "c", "r", "u" or "d")'));
    expect(() => decodeAll(d, JSON.stringify({ after: scooter }))).toThrow('the event has no "op"');
    expect(() => decodeAll(d, '[1]')).toThrow('expected a Debezium JSON message (a JSON object), got an array');
    expect(() => decodeAll(d, '{"op": "c"')).toThrow(/^malformed JSON/);
  });

  it('fails on an update or delete without before, with the REPLICA IDENTITY hint, and on a create without after', () => {
    const d = decoder();
    expect(() => decodeAll(d, event('u', null, lighter))).toThrow(/update \("u"\) event has no "before" row: .*REPLICA IDENTITY FULL/);
    expect(() => decodeAll(d, event('d', null, null))).toThrow(/delete \("d"\) event has no "before" row/);
    expect(() => decodeAll(d, event('c', null, null))).toThrow('a "c" event has no "after" row');
  });

  it('names the side and the field of a bad value, and emits nothing of a message that fails', () => {
    const d = decoder();
    const rows: Row[] = [];
    expect(() => d.decode(event('u', scooter, { ...lighter, id: 'abc' }), (r) => rows.push(r))).toThrow(
      new FormatError(`field 'after.id': expected an integer, got "abc"`),
    );
    expect(rows).toEqual([]);
    expect(() => decodeAll(d, event('c', null, { name: 'x' }))).toThrow(`field 'after.id': missing, and the type is BIGINT NOT NULL`);
  });

  it('reads BIGINT and DECIMAL exactly (the exact re-parse), values as strings, timestamps in the chosen standard', () => {
    const type = rt({ id: t('BIGINT'), price: decimal(38, 18), at: t('TIMESTAMP', { precision: 3 }) });
    const d = debeziumJsonFormat.createDecoder!({ rowType: type, options: { 'timestamp-format.standard': 'ISO-8601' }, config: {} });
    const text = '{"before":null,"after":{"id":9007199254740993,"price":799.929496989092949698,"at":"2020-12-30T12:13:14.123"},"op":"c"}';
    expect(decodeAll(d, text)[0]!.fields).toEqual([9007199254740993n, 799929496989092949698n, Date.UTC(2020, 11, 30, 12, 13, 14, 123)]);
    expect(decodeAll(d, '{"after":{"id":"42","price":"1.5"},"op":"r"}')[0]!.fields).toEqual([42n, 1500000000000000000n, null]);
  });

  it('appends the metadata Flink exposes after the physical fields, when asked for', () => {
    const keys = Object.keys(DEBEZIUM_JSON_METADATA);
    expect(keys).toEqual(['schema', 'ingestion-timestamp', 'source.timestamp', 'source.database', 'source.schema', 'source.table', 'source.properties']);
    const d = new DebeziumJsonRowDecoder(PRODUCTS, debeziumJsonDecodingSettings({}), keys);
    const [before, after] = decodeAll(d, event('u', scooter, lighter));
    const meta = [null, 1589362330904, 1589362330000, 'inventory', null, 'products'];
    expect(before!.fields.slice(0, 9)).toEqual([111n, 'scooter', 518n, ...meta]);
    expect(after!.fields.slice(3, 9)).toEqual(meta);
    const properties = after!.fields[9] as Map<string, string>;
    expect(properties.get('db')).toBe('inventory');
    expect(properties.get('server_id')).toBe('223344');
    expect(properties.get('snapshot')).toBe('false');
    // With the envelope, `schema` is its JSON text; an event without source or ts_ms has null metadata.
    const withSchema = new DebeziumJsonRowDecoder(PRODUCTS, debeziumJsonDecodingSettings({ 'schema-include': 'true' }), ['schema', 'source.table', 'ingestion-timestamp']);
    const [r] = decodeAll(withSchema, JSON.stringify({ schema: { type: 'struct' }, payload: { after: scooter, op: 'c' } }));
    expect(r!.fields.slice(3)).toEqual(['{"type":"struct"}', null, null]);
    expect(() => new DebeziumJsonRowDecoder(PRODUCTS, debeziumJsonDecodingSettings({}), ['topic'])).toThrow(ConfigurationError);
  });
});

describe('debezium-json encoding', () => {
  it('writes +I and +U as c events with after, -U and -D as d events with before (Flink never writes u)', () => {
    const e = encoder();
    expect(e.changelogMode).toEqual(ALL_KINDS);
    const fields = [111n, 'scooter', 518n];
    expect(e.encode({ kind: RowKind.INSERT, fields })).toBe('{"before":null,"after":{"id":111,"name":"scooter","weight":5.18},"op":"c"}');
    expect(e.encode({ kind: RowKind.UPDATE_AFTER, fields })).toBe('{"before":null,"after":{"id":111,"name":"scooter","weight":5.18},"op":"c"}');
    expect(e.encode({ kind: RowKind.UPDATE_BEFORE, fields })).toBe('{"before":{"id":111,"name":"scooter","weight":5.18},"after":null,"op":"d"}');
    expect(e.encode({ kind: RowKind.DELETE, fields })).toBe('{"before":{"id":111,"name":"scooter","weight":5.18},"after":null,"op":"d"}');
  });

  it('applies the json options to the row and to the envelope (ignore-null-fields drops the null side)', () => {
    const e = encoder({ 'encode.ignore-null-fields': 'true', 'encode.decimal-as-plain-number': 'true' });
    // 100.00: Flink's default writes 1E+2, the plain number 100.
    expect(encoder().encode({ kind: RowKind.INSERT, fields: [1n, null, 10000n] })).toBe('{"before":null,"after":{"id":1,"name":null,"weight":1E+2},"op":"c"}');
    expect(e.encode({ kind: RowKind.INSERT, fields: [1n, null, 10000n] })).toBe('{"after":{"id":1,"weight":100},"op":"c"}');
    expect(e.encode({ kind: RowKind.DELETE, fields: [1n, null, 10000n] })).toBe('{"before":{"id":1,"weight":100},"op":"d"}');
    expect(() => e.encode({ kind: RowKind.INSERT, fields: ['x', null, null] })).toThrow(FormatError);
  });

  it('refuses schema-include for writing, as Flink', () => {
    expect(() => encoder({ 'schema-include': 'true' })).toThrow("'schema-include' = 'true' is for reading only");
  });

  it('round-trips a changelog: decoding what the encoder wrote gives back the rows, update pairs as -D/+I', () => {
    const e = encoder();
    const d = decoder();
    const log: Row[] = [
      { kind: RowKind.INSERT, fields: [1n, 'a', 100n] },
      { kind: RowKind.UPDATE_BEFORE, fields: [1n, 'a', 100n] },
      { kind: RowKind.UPDATE_AFTER, fields: [1n, 'b', -250n] },
      { kind: RowKind.DELETE, fields: [1n, 'b', -250n] },
    ];
    const back = log.flatMap((r) => decodeAll(d, e.encode(r)));
    expect(back.map((r) => r.fields)).toEqual(log.map((r) => r.fields));
    expect(back.map((r) => r.kind)).toEqual([RowKind.INSERT, RowKind.DELETE, RowKind.INSERT, RowKind.DELETE]);
  });
});

describe('debeziumJsonFormat', () => {
  it("declares its identifier, API range and Flink's option keys; unknown keys fail with the closest", () => {
    expect(debeziumJsonFormat.identifier).toBe('debezium-json');
    expect(debeziumJsonFormat.apiVersion).toBe(`^${API_VERSION}`);
    expect(DEBEZIUM_JSON_OPTIONS.map((o) => ('key' in o ? o.key : o.prefix))).toEqual([
      'schema-include',
      'ignore-parse-errors',
      'timestamp-format.standard',
      'map-null-key.mode',
      'map-null-key.literal',
      'encode.decimal-as-plain-number',
      'encode.ignore-null-fields',
    ]);
    expect(() => decoder({ 'schema-includes': 'true' })).toThrow(/did you mean 'schema-include'/);
    // ignore-parse-errors is accepted: the planner applies it around the decoder, which still reports.
    expect(() => decodeAll(decoder({ 'ignore-parse-errors': 'true' }), 'nope')).toThrow(FormatError);
  });
});
