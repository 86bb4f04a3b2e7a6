import { FormatError, RowKind, type RowType } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { jsonFormat } from '../../src/json/json-format.js';
import { array, decimal, decodeOne, map, nn, row, rt, t } from '../helpers.js';

const encoder = (rowType: RowType, options: Record<string, string> = {}) => jsonFormat.createEncoder!({ rowType, options, config: {} });
const decoder = (rowType: RowType, options: Record<string, string> = {}) => jsonFormat.createDecoder!({ rowType, options, config: {} });
const encode = (rowType: RowType, fields: unknown[], options: Record<string, string> = {}) =>
  encoder(rowType, options).encode({ kind: RowKind.INSERT, fields });

const ALL_TYPES = rt({
  bool: t('BOOLEAN'),
  tiny: t('TINYINT'),
  small: t('SMALLINT'),
  int: t('INTEGER'),
  big: t('BIGINT'),
  float: t('FLOAT'),
  double: t('DOUBLE'),
  dec: decimal(38, 18),
  char: t('CHAR', { precision: 2 }),
  str: t('VARCHAR'),
  bin: t('BINARY', { precision: 3 }),
  bytes: t('VARBINARY'),
  date: t('DATE'),
  time: t('TIME', { precision: 3 }),
  ts: t('TIMESTAMP', { precision: 3 }),
  ltz: t('TIMESTAMP_LTZ', { precision: 3 }),
  ym: t('INTERVAL_YEAR_MONTH'),
  dt: t('INTERVAL_DAY_TIME'),
  arr: array(t('BIGINT')),
  map: map(t('VARCHAR'), decimal(10, 2)),
  multiset: t('MULTISET', { element: t('VARCHAR') }),
  row: row({ a: t('INTEGER'), b: array(row({ c: t('DATE') })) }),
  none: t('NULL'),
});

const ALL_VALUES = [
  true,
  -128,
  32767,
  -2147483648,
  -9223372036854775808n,
  Math.fround(0.1),
  0.30000000000000004,
  799929496989092949698n,
  'ab',
  'é "quoted" \\ \n 😀',
  new Uint8Array([0, 1, 2]),
  new Uint8Array([255]),
  -1,
  43_994_123,
  Date.parse('2020-12-30T12:13:14.123Z'),
  Date.parse('1969-07-20T20:17:40Z'),
  -14,
  86_400_001,
  [9223372036854775807n, null, 1n],
  new Map<string, bigint | null>([['x', 12345n], ['y', null]]),
  new Map([['k', 3]]),
  [7, [[18_626], [null]]],
  null,
];

describe('json encoder', () => {
  it('writes every type as Flink does', () => {
    expect(encode(ALL_TYPES, ALL_VALUES)).toBe(
      '{"bool":true,"tiny":-128,"small":32767,"int":-2147483648,"big":-9223372036854775808,"float":0.1,' +
        '"double":0.30000000000000004,"dec":799.929496989092949698,"char":"ab","str":"é \\"quoted\\" \\\\ \\n 😀",' +
        '"bin":"AAEC","bytes":"/w==","date":"1969-12-31","time":"12:13:14.123","ts":"2020-12-30 12:13:14.123",' +
        '"ltz":"1969-07-20 20:17:40Z","ym":-14,"dt":86400001,"arr":[9223372036854775807,null,1],' +
        '"map":{"x":123.45,"y":null},"multiset":{"k":3},"row":{"a":7,"b":[{"c":"2020-12-30"},{"c":null}]},"none":null}',
    );
  });

  it('round-trips every type through the decoder', () => {
    for (const options of [{}, { 'timestamp-format.standard': 'ISO-8601' }, { 'encode.decimal-as-plain-number': 'true' }] as Record<string, string>[]) {
      const text = encode(ALL_TYPES, ALL_VALUES, options);
      expect(decodeOne(decoder(ALL_TYPES, options), text)).toEqual(ALL_VALUES);
    }
  });

  it('round-trips null in every field', () => {
    const nulls = ALL_VALUES.map(() => null);
    const text = encode(ALL_TYPES, nulls);
    expect(decodeOne(decoder(ALL_TYPES), text)).toEqual(nulls);
  });

  it('writes timestamps in the ISO-8601 standard on request', () => {
    const ms = Date.parse('2020-12-30T12:13:14Z');
    expect(encode(rt({ ts: t('TIMESTAMP'), ltz: t('TIMESTAMP_LTZ') }), [ms, ms], { 'timestamp-format.standard': 'ISO-8601' })).toBe(
      '{"ts":"2020-12-30T12:13:14","ltz":"2020-12-30T12:13:14Z"}',
    );
  });

  it('writes BIGINT exactly and DECIMAL as Flink does, plain on request', () => {
    // Flink's JsonRowDataSerDeSchemaTest#testSerializationDecimalEncode
    const type = rt({ decimal1: decimal(9, 6), decimal2: decimal(20, 0), decimal3: decimal(11, 9) });
    const values = [123456789n, 454621864049246170n, 27n];
    expect(encode(type, values)).toBe('{"decimal1":123.456789,"decimal2":4.5462186404924617E+17,"decimal3":2.7E-8}');
    expect(encode(type, values, { 'encode.decimal-as-plain-number': 'true' })).toBe('{"decimal1":123.456789,"decimal2":454621864049246170,"decimal3":0.000000027}');
    expect(encode(rt({ id: t('BIGINT') }), [9007199254740993n])).toBe('{"id":9007199254740993}');
  });

  it('writes non-finite doubles as strings, as Jackson does, and reads them back', () => {
    const type = rt({ a: t('DOUBLE'), b: t('FLOAT'), c: t('DOUBLE') });
    const text = encode(type, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    expect(text).toBe('{"a":"NaN","b":"Infinity","c":"-Infinity"}');
    expect(decodeOne(decoder(type), text)).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it('leaves out null fields with encode.ignore-null-fields, in nested rows too', () => {
    const type = rt({ a: t('INTEGER'), b: t('VARCHAR'), r: row({ x: t('INTEGER'), y: t('INTEGER') }) });
    expect(encode(type, [null, 'b', [null, 2]], { 'encode.ignore-null-fields': 'true' })).toBe('{"b":"b","r":{"y":2}}');
    expect(encode(type, [null, null, null], { 'encode.ignore-null-fields': 'true' })).toBe('{}');
    expect(encode(type, [null, 'b', [null, 2]])).toBe('{"a":null,"b":"b","r":{"x":null,"y":2}}');
  });

  it('handles null map keys by map-null-key.mode (Flink: FAIL, DROP, LITERAL)', () => {
    // Flink's JsonRowDataSerDeSchemaTest#testSerializationMapNullKey
    const type = rt({ nestedMap: map(t('VARCHAR'), map(t('VARCHAR'), t('INTEGER'))) });
    const inner = new Map<string | null, number>([['no-null key', 1], [null, 2]]);
    const value = new Map<string | null, unknown>([['no-null key', inner], [null, inner]]);
    expect(() => encode(type, [value])).toThrow(
      `cannot encode: field 'nestedMap["no-null key"]': a map key is null (map-null-key.mode is FAIL; set it to DROP or LITERAL to write such maps)`,
    );
    expect(encode(type, [value], { 'map-null-key.mode': 'DROP' })).toBe('{"nestedMap":{"no-null key":{"no-null key":1}}}');
    expect(encode(type, [value], { 'map-null-key.mode': 'LITERAL', 'map-null-key.literal': 'nullKey' })).toBe(
      '{"nestedMap":{"no-null key":{"no-null key":1,"nullKey":2},"nullKey":{"no-null key":1,"nullKey":2}}}',
    );
    expect(encode(type, [value], { 'map-null-key.mode': 'literal' })).toBe(
      '{"nestedMap":{"no-null key":{"no-null key":1,"null":2},"null":{"no-null key":1,"null":2}}}',
    );
  });

  it('refuses values of the wrong type, naming the field', () => {
    const type = rt({ f0: t('INTEGER'), f1: t('VARCHAR'), r: row({ n: nn('BIGINT') }) });
    expect(() => encode(type, [1, 1, null])).toThrow(FormatError);
    expect(() => encode(type, [1, 1, null])).toThrow("cannot encode: field 'f1': expected a string for STRING, got 1");
    expect(() => encode(type, [1, 'x', ['7']])).toThrow(`cannot encode: field 'r.n': expected a bigint for BIGINT NOT NULL, got "7"`);
    expect(() => encode(rt({ d: decimal(5, 2) }), [1.5])).toThrow("cannot encode: field 'd': expected a bigint (the unscaled value) for DECIMAL(5, 2), got 1.5");
  });
});
