// The `maxwell-json` format: decoding of insert/update/delete events, the -U row built from `data` and `old`,
// tombstones, Flink's error cases, metadata readers (Maxwell's `ts` in seconds), the encoder's insert/delete events
// and round trips of a changelog, including every kind of value the json converters read.
import { API_VERSION } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
import { ALL_KINDS, FormatError, RowKind, type Row } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { MaxwellJsonRowDecoder } from '../../src/maxwell/maxwell-json-decoder.js';
import { maxwellJsonFormat } from '../../src/maxwell/maxwell-json-format.js';
import { MAXWELL_JSON_OPTIONS, maxwellJsonDecodingSettings } from '../../src/maxwell/maxwell-json-options.js';
import { MAXWELL_JSON_METADATA, maxwellJsonFormat as exported } from '../../src/index.js';
import { array, decimal, decodeAll, map, nn, row as rowOf, rt, t, utf8 } from '../helpers.js';

const PRODUCTS = rt({ id: nn('BIGINT'), name: t('VARCHAR', { precision: 2147483647 }), description: t('VARCHAR', { precision: 512 }), weight: decimal(10, 2) });
const decoder = (options: Record<string, string> = {}) => maxwellJsonFormat.createDecoder!({ rowType: PRODUCTS, options, config: {} });
const encoder = (options: Record<string, string> = {}) => maxwellJsonFormat.createEncoder!({ rowType: PRODUCTS, options, config: {} });

/** A Maxwell event as Maxwell writes it, with the members Flink does not read. */
function event(type: string, data: unknown, old?: unknown): string {
  return JSON.stringify({
    database: 'test',
    table: 'products',
    type,
    ts: 1477053217,
    xid: 23396,
    commit: true,
    position: 'master.000006:800911',
    server_id: 23042,
    thread_id: 108,
    primary_key: [111],
    primary_key_columns: ['id'],
    data,
    ...(old === undefined ? {} : { old }),
  });
}

const product = (id: number, name: string, weight: number | null, description: string | null = 'desc') => ({ id, name, description, weight });
const kindsAndFields = (rows: Row[]) => rows.map((r) => [r.kind, r.fields]);

describe('maxwell-json decoding', () => {
  it('reads insert as +I and delete as -D of "data"', () => {
    const d = decoder();
    expect(d.changelogMode).toEqual(ALL_KINDS);
    expect(kindsAndFields(decodeAll(d, event('insert', product(111, 'scooter', 5.18))))).toEqual([[RowKind.INSERT, [111n, 'scooter', 'desc', 518n]]]);
    expect(kindsAndFields(decodeAll(d, utf8(event('delete', product(111, 'scooter', 5.15)))))).toEqual([[RowKind.DELETE, [111n, 'scooter', 'desc', 515n]]]);
  });

  it('reads update as -U/+U: the -U is "data" with the columns "old" holds, other columns unchanged', () => {
    const d = decoder();
    // Flink's documented example: weight changed from 5.18 to 5.15.
    expect(kindsAndFields(decodeAll(d, event('update', product(111, 'scooter', 5.15), { weight: 5.18 })))).toEqual([
      [RowKind.UPDATE_BEFORE, [111n, 'scooter', 'desc', 518n]],
      [RowKind.UPDATE_AFTER, [111n, 'scooter', 'desc', 515n]],
    ]);
    // A column changed from null, and one changed to null.
    expect(kindsAndFields(decodeAll(d, event('update', product(1, 'b', null, 'now'), { description: null, weight: 1.5 })))).toEqual([
      [RowKind.UPDATE_BEFORE, [1n, 'b', null, 150n]],
      [RowKind.UPDATE_AFTER, [1n, 'b', 'now', null]],
    ]);
    // Without "old" (Maxwell leaves an empty one out) the -U equals the +U.
    expect(kindsAndFields(decodeAll(d, event('update', product(2, 'c', 1))))).toEqual([
      [RowKind.UPDATE_BEFORE, [2n, 'c', 'desc', 100n]],
      [RowKind.UPDATE_AFTER, [2n, 'c', 'desc', 100n]],
    ]);
    // A NOT NULL column changed to null in "old" is refused; so is an "old" that is not an object.
    expect(() => decodeAll(d, event('update', product(1, 'a', 1), { id: null }))).toThrow("field 'old.id': null is not allowed");
    expect(() => decodeAll(d, event('update', product(1, 'a', 1), [{ id: 2 }]))).toThrow('"old" to be an object');
    expect(() => decodeAll(d, event('update', product(1, 'a', 1), { weight: 'heavy' }))).toThrow("field 'old.weight'");
  });

  it('skips tombstones; fails on another type (bootstrap, DDL), a missing type, missing data or a bad value', () => {
    const d = decoder();
    expect(decodeAll(d, '')).toEqual([]);
    expect(decodeAll(d, new Uint8Array(0))).toEqual([]);
    expect(() => decodeAll(d, event('bootstrap-insert', product(1, 'a', 1)))).toThrow(
      new FormatError('unknown "type" value "bootstrap-insert" (expected "insert", "update" or "delete")'),
    );
    expect(() => decodeAll(d, event('table-create', null))).toThrow('unknown "type" value "table-create"');
    expect(() => decodeAll(d, '{"data": {"id": 1}}')).toThrow('the event has no "type"');
    expect(() => decodeAll(d, event('insert', null))).toThrow('an "insert" event needs "data" (an object), got null');
    expect(() => decodeAll(d, event('delete', [product(1, 'a', 1)]))).toThrow('an "delete" event needs "data" (an object)');
    expect(() => decodeAll(d, event('insert', { ...product(1, 'a', 1), id: 'x' }))).toThrow(`field 'data.id': expected an integer, got "x"`);
    expect(() => decodeAll(d, '[1]')).toThrow('expected a Maxwell JSON message (a JSON object)');
    expect(() => decodeAll(d, '{"type": "insert"')).toThrow(/malformed JSON/);
  });

  it('reads BIGINT and DECIMAL exactly (the exact parser for numbers a double cannot hold)', () => {
    const d = decoder();
    const text = '{"type":"insert","data":{"id":9007199254740993,"name":"n","description":null,"weight":12345678.125}}';
    expect(decodeAll(d, text)[0]!.fields).toEqual([9007199254740993n, 'n', null, 1234567813n]);
  });

  it('appends the metadata Flink exposes after the physical fields, on both rows of an update (ts in seconds)', () => {
    const keys = Object.keys(MAXWELL_JSON_METADATA);
    expect(keys).toEqual(['database', 'table', 'primary-key-columns', 'ingestion-timestamp']);
    const d = new MaxwellJsonRowDecoder(PRODUCTS, maxwellJsonDecodingSettings({}), keys);
    const meta = ['test', 'products', ['id'], 1477053217000];
    expect(kindsAndFields(decodeAll(d, event('update', product(111, 'scooter', 5.15), { weight: 5.18 })))).toEqual([
      [RowKind.UPDATE_BEFORE, [111n, 'scooter', 'desc', 518n, ...meta]],
      [RowKind.UPDATE_AFTER, [111n, 'scooter', 'desc', 515n, ...meta]],
    ]);
    const bare = new MaxwellJsonRowDecoder(PRODUCTS, maxwellJsonDecodingSettings({}), ['table', 'ingestion-timestamp']);
    expect(decodeAll(bare, JSON.stringify({ data: product(1, 'a', 1), type: 'insert' }))[0]!.fields.slice(4)).toEqual([null, null]);
    expect(() => new MaxwellJsonRowDecoder(PRODUCTS, maxwellJsonDecodingSettings({}), ['xid'])).toThrow(ConfigurationError);
  });
});

describe('maxwell-json encoding', () => {
  it('writes +I and +U as insert, -U and -D as delete, with the row as "data"', () => {
    const e = encoder();
    expect(e.changelogMode).toEqual(ALL_KINDS);
    const fields = [101n, 'scooter', null, 314n];
    const json = '{"id":101,"name":"scooter","description":null,"weight":3.14}';
    expect(e.encode({ kind: RowKind.INSERT, fields })).toBe(`{"data":${json},"type":"insert"}`);
    expect(e.encode({ kind: RowKind.UPDATE_AFTER, fields })).toBe(`{"data":${json},"type":"insert"}`);
    expect(e.encode({ kind: RowKind.UPDATE_BEFORE, fields })).toBe(`{"data":${json},"type":"delete"}`);
    expect(e.encode({ kind: RowKind.DELETE, fields })).toBe(`{"data":${json},"type":"delete"}`);
    expect(encoder({ 'encode.ignore-null-fields': 'true' }).encode({ kind: RowKind.INSERT, fields })).toBe('{"data":{"id":101,"name":"scooter","weight":3.14},"type":"insert"}');
    // DECIMALs in Flink's notation unless written plain: 10000.00 in DECIMAL(10, 2).
    expect(e.encode({ kind: RowKind.INSERT, fields: [1n, 'a', null, 1_000_000n] })).toBe('{"data":{"id":1,"name":"a","description":null,"weight":1E+4},"type":"insert"}');
    expect(encoder({ 'encode.decimal-as-plain-number': 'true' }).encode({ kind: RowKind.INSERT, fields: [1n, 'a', null, 1_000_000n] })).toBe(
      '{"data":{"id":1,"name":"a","description":null,"weight":10000},"type":"insert"}',
    );
  });

  it('round-trips a changelog (an update pair as delete/insert)', () => {
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

  it('round-trips every kind of value the json converters write, with both timestamp standards', () => {
    const type = rt({
      b: t('BOOLEAN'),
      i: t('INTEGER'),
      big: t('BIGINT'),
      dec: decimal(38, 18),
      dbl: t('DOUBLE'),
      s: t('VARCHAR', { precision: 2147483647 }),
      bytes: t('VARBINARY', { precision: 2147483647 }),
      date: t('DATE'),
      ts: t('TIMESTAMP', { precision: 3 }),
      ltz: t('TIMESTAMP_LTZ', { precision: 3 }),
      arr: array(t('INTEGER')),
      m: map(t('VARCHAR', { precision: 2147483647 }), t('BIGINT')),
      nested: rowOf({ x: t('DOUBLE'), y: t('VARCHAR', { precision: 2147483647 }) }),
    });
    const fields = [
      true,
      -7,
      -9223372036854775808n,
      123456789012345678901234567890123456n,
      0.1,
      'ünïcødé "quoted"',
      new Uint8Array([0, 1, 254, 255]),
      19000,
      1_600_000_000_123,
      1_600_000_000_456,
      [1, null, 3],
      new Map([['k', 9223372036854775807n]]),
      [Number.NaN, null],
    ];
    for (const standard of ['SQL', 'ISO-8601']) {
      const options = { 'timestamp-format.standard': standard };
      const e = maxwellJsonFormat.createEncoder!({ rowType: type, options, config: {} });
      const d = maxwellJsonFormat.createDecoder!({ rowType: type, options, config: {} });
      for (const kind of [RowKind.INSERT, RowKind.DELETE]) {
        const back = decodeAll(d, e.encode({ kind, fields }));
        expect(back).toEqual([{ kind, fields }]);
      }
      // All nulls too.
      const nulls = fields.map(() => null);
      expect(decodeAll(d, e.encode({ kind: RowKind.INSERT, fields: nulls }))).toEqual([{ kind: RowKind.INSERT, fields: nulls }]);
    }
  });
});

describe('maxwellJsonFormat', () => {
  it("declares its identifier, API range and Flink's option keys, and is exported from the entry point", () => {
    expect(exported).toBe(maxwellJsonFormat);
    expect(maxwellJsonFormat.identifier).toBe('maxwell-json');
    expect(maxwellJsonFormat.kind).toBe('format');
    expect(maxwellJsonFormat.apiVersion).toBe(`^${API_VERSION}`);
    expect(MAXWELL_JSON_OPTIONS.map((o) => ('key' in o ? o.key : o.prefix))).toEqual([
      'ignore-parse-errors',
      'timestamp-format.standard',
      'map-null-key.mode',
      'map-null-key.literal',
      'encode.decimal-as-plain-number',
      'encode.ignore-null-fields',
    ]);
    expect(() => decoder({ 'ignore-parse-error': 'true' })).toThrow(/did you mean 'ignore-parse-errors'/);
    expect(() => encoder({ 'map-null-key.mode': 'KEEP' })).toThrow(ConfigurationError);
  });
});
