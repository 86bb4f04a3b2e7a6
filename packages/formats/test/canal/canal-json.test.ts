// The `canal-json` format: decoding of INSERT/UPDATE/DELETE events with several rows, the -U row built from `data`
// and `old`, CREATE skipped, database/table include patterns, Flink's error cases, metadata readers, the encoder's
// INSERT/DELETE events and the round trip of a changelog.
import { API_VERSION } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
import { ALL_KINDS, FormatError, RowKind, type Row } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { CanalJsonRowDecoder } from '../../src/canal/canal-json-decoder.js';
import { canalJsonFormat } from '../../src/canal/canal-json-format.js';
import { CANAL_JSON_OPTIONS, canalJsonDecodingSettings } from '../../src/canal/canal-json-options.js';
import { CANAL_JSON_METADATA } from '../../src/index.js';
import { decimal, decodeAll, nn, rt, t, utf8 } from '../helpers.js';

const PRODUCTS = rt({ id: nn('BIGINT'), name: t('VARCHAR', { precision: 2147483647 }), description: t('VARCHAR', { precision: 512 }), weight: decimal(10, 2) });
const decoder = (options: Record<string, string> = {}) => canalJsonFormat.createDecoder!({ rowType: PRODUCTS, options, config: {} });
const encoder = (options: Record<string, string> = {}) => canalJsonFormat.createEncoder!({ rowType: PRODUCTS, options, config: {} });

/** A Canal event as Canal writes it: values as strings, with the fields Flink does not read. */
function event(type: string, data: unknown, old: unknown = null, database = 'inventory', table = 'products'): string {
  return JSON.stringify({
    data,
    database,
    es: 1589373560000,
    id: 9,
    isDdl: false,
    mysqlType: { id: 'int(11)', name: 'varchar(255)', description: 'varchar(512)', weight: 'float' },
    old,
    pkNames: ['id'],
    sql: '',
    sqlType: { id: 4, name: 12, description: 12, weight: 7 },
    table,
    ts: 1589373560798,
    type,
  });
}

const row = (id: string, name: string, weight: string | null, description: string | null = 'desc') => ({ id, name, description, weight });
const kindsAndFields = (rows: Row[]) => rows.map((r) => [r.kind, r.fields]);

describe('canal-json decoding', () => {
  it('reads every row of INSERT as +I and of DELETE as -D, values from their string form', () => {
    const d = decoder();
    expect(d.changelogMode).toEqual(ALL_KINDS);
    expect(kindsAndFields(decodeAll(d, event('INSERT', [row('101', 'scooter', '3.14'), row('102', 'car battery', '8.1')])))).toEqual([
      [RowKind.INSERT, [101n, 'scooter', 'desc', 314n]],
      [RowKind.INSERT, [102n, 'car battery', 'desc', 810n]],
    ]);
    expect(kindsAndFields(decodeAll(d, utf8(event('DELETE', [row('111', 'scooter', '5.17')]))))).toEqual([[RowKind.DELETE, [111n, 'scooter', 'desc', 517n]]]);
  });

  it('reads UPDATE as -U/+U per row: the -U is the data row with the fields of its old row, absent ones unchanged', () => {
    const d = decoder();
    const rows = decodeAll(d, event('UPDATE', [row('106', 'hammer', '5.18'), row('107', 'rocks', '7.88', null)], [{ weight: '5.15' }, { name: 'stones', description: null }]));
    expect(kindsAndFields(rows)).toEqual([
      [RowKind.UPDATE_BEFORE, [106n, 'hammer', 'desc', 515n]],
      [RowKind.UPDATE_AFTER, [106n, 'hammer', 'desc', 518n]],
      [RowKind.UPDATE_BEFORE, [107n, 'stones', null, 788n]],
      [RowKind.UPDATE_AFTER, [107n, 'rocks', null, 788n]],
    ]);
    // A NOT NULL column changed to null in old is refused; an old row that is missing fails.
    expect(() => decodeAll(d, event('UPDATE', [row('1', 'a', '1')], [{ id: null }]))).toThrow("field 'old[0].id': null is not allowed");
    expect(() => decodeAll(d, event('UPDATE', [row('1', 'a', '1')], []))).toThrow('an UPDATE event has 1 "data" rows but 0 "old" rows');
    expect(() => decodeAll(d, event('UPDATE', [row('1', 'a', '1')]))).toThrow('an UPDATE event needs "old"');
  });

  it('skips CREATE (DDL) events and tombstones; fails on another type, a missing type or missing data', () => {
    const d = decoder();
    expect(decodeAll(d, JSON.stringify({ data: null, database: 'inventory', table: 'products', isDdl: true, sql: 'CREATE TABLE ...', type: 'CREATE' }))).toEqual([]);
    expect(decodeAll(d, '')).toEqual([]);
    expect(() => decodeAll(d, event('ALTER', null))).toThrow(new FormatError('unknown "type" value "ALTER" (expected INSERT, UPDATE, DELETE or CREATE)'));
    expect(() => decodeAll(d, '{"data": []}')).toThrow('the event has no "type"');
    expect(() => decodeAll(d, event('INSERT', null))).toThrow('an INSERT event needs "data" (an array of rows), got null');
    expect(() => decodeAll(d, event('INSERT', [row('x', 'a', '1')]))).toThrow(`field 'data[0].id': expected an integer, got "x"`);
  });

  it('keeps only the events of the databases and tables matching the include patterns (whole names)', () => {
    const d = decoder({ 'database.include': 'inv.*', 'table.include': 'products|orders_\\d+' });
    const one = [row('1', 'a', '1')];
    expect(decodeAll(d, event('INSERT', one))).toHaveLength(1);
    expect(decodeAll(d, event('INSERT', one, null, 'inventory', 'orders_17'))).toHaveLength(1);
    expect(decodeAll(d, event('INSERT', one, null, 'inventory', 'products_shadow'))).toEqual([]);
    expect(decodeAll(d, event('INSERT', one, null, 'other', 'products'))).toEqual([]);
    // A filtered-out event is not converted: its bad values do not fail.
    expect(decodeAll(d, event('INSERT', [row('x', 'a', '1')], null, 'other'))).toEqual([]);
    expect(() => decodeAll(d, JSON.stringify({ data: one, type: 'INSERT' }))).toThrow('expected "database" to be a string');
    expect(() => decoder({ 'table.include': '(' })).toThrow(ConfigurationError);
  });

  it('appends the metadata Flink exposes after the physical fields, on both rows of an update', () => {
    const keys = Object.keys(CANAL_JSON_METADATA);
    expect(keys).toEqual(['database', 'table', 'sql-type', 'pk-names', 'ingestion-timestamp', 'event-timestamp']);
    const d = new CanalJsonRowDecoder(PRODUCTS, canalJsonDecodingSettings({}), keys);
    const rows = decodeAll(d, event('UPDATE', [row('106', 'hammer', '5.18')], [{ weight: '5.15' }]));
    const sqlType = new Map([['id', 4], ['name', 12], ['description', 12], ['weight', 7]]);
    const meta = ['inventory', 'products', sqlType, ['id'], 1589373560798, 1589373560000];
    expect(kindsAndFields(rows)).toEqual([
      [RowKind.UPDATE_BEFORE, [106n, 'hammer', 'desc', 515n, ...meta]],
      [RowKind.UPDATE_AFTER, [106n, 'hammer', 'desc', 518n, ...meta]],
    ]);
    const bare = new CanalJsonRowDecoder(PRODUCTS, canalJsonDecodingSettings({}), ['table', 'event-timestamp']);
    expect(decodeAll(bare, JSON.stringify({ data: [row('1', 'a', '1')], type: 'INSERT' }))[0]!.fields.slice(4)).toEqual([null, null]);
    expect(() => new CanalJsonRowDecoder(PRODUCTS, canalJsonDecodingSettings({}), ['old'])).toThrow(ConfigurationError);
  });
});

describe('canal-json encoding', () => {
  it('writes +I and +U as INSERT, -U and -D as DELETE, the row as the only data element', () => {
    const e = encoder();
    expect(e.changelogMode).toEqual(ALL_KINDS);
    const fields = [101n, 'scooter', null, 314n];
    const json = '{"id":101,"name":"scooter","description":null,"weight":3.14}';
    expect(e.encode({ kind: RowKind.INSERT, fields })).toBe(`{"data":[${json}],"type":"INSERT"}`);
    expect(e.encode({ kind: RowKind.UPDATE_AFTER, fields })).toBe(`{"data":[${json}],"type":"INSERT"}`);
    expect(e.encode({ kind: RowKind.UPDATE_BEFORE, fields })).toBe(`{"data":[${json}],"type":"DELETE"}`);
    expect(e.encode({ kind: RowKind.DELETE, fields })).toBe(`{"data":[${json}],"type":"DELETE"}`);
    expect(encoder({ 'encode.ignore-null-fields': 'true' }).encode({ kind: RowKind.INSERT, fields })).toBe('{"data":[{"id":101,"name":"scooter","weight":3.14}],"type":"INSERT"}');
  });

  it('round-trips a changelog (an update pair as DELETE/INSERT)', () => {
    const e = encoder();
    const d = decoder();
    const log: Row[] = [
      { kind: RowKind.INSERT, fields: [1n, 'a', 'x', 100n] },
      { kind: RowKind.UPDATE_BEFORE, fields: [1n, 'a', 'x', 100n] },
      { kind: RowKind.UPDATE_AFTER, fields: [1n, 'b', null, -250n] },
      { kind: RowKind.DELETE, fields: [1n, 'b', null, -250n] },
    ];
    const back = log.flatMap((r) => decodeAll(d, e.encode(r)));
    expect(back.map((r) => r.fields)).toEqual(log.map((r) => r.fields));
    expect(back.map((r) => r.kind)).toEqual([RowKind.INSERT, RowKind.DELETE, RowKind.INSERT, RowKind.DELETE]);
  });
});

describe('canalJsonFormat', () => {
  it("declares its identifier, API range and Flink's option keys", () => {
    expect(canalJsonFormat.identifier).toBe('canal-json');
    expect(canalJsonFormat.apiVersion).toBe(`^${API_VERSION}`);
    expect(CANAL_JSON_OPTIONS.map((o) => ('key' in o ? o.key : o.prefix))).toEqual([
      'ignore-parse-errors',
      'timestamp-format.standard',
      'map-null-key.mode',
      'map-null-key.literal',
      'encode.decimal-as-plain-number',
      'encode.ignore-null-fields',
      'database.include',
      'table.include',
    ]);
    expect(() => decoder({ 'database.includes': 'x' })).toThrow(/did you mean 'database.include'/);
  });
});
