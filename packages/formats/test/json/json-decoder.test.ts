import { FormatError, RowKind, type RowType } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { jsonFormat } from '../../src/json/json-format.js';
import { array, decimal, decodeAll, decodeOne, map, nn, row, rt, t, utf8 } from '../helpers.js';

const decoder = (rowType: RowType, options: Record<string, string> = {}) => jsonFormat.createDecoder!({ rowType, options, config: {} });
const one = (type: Parameters<typeof rt>[0][string], json: string, options: Record<string, string> = {}) =>
  decodeOne(decoder(rt({ f: type }), options), `{"f":${json}}`)[0];
const error = (type: Parameters<typeof rt>[0][string], json: string, options: Record<string, string> = {}) => {
  try {
    one(type, json, options);
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return (e as FormatError).message;
  }
  throw new Error(`decoding ${json} did not fail`);
};

describe('json decoder', () => {
  it('decodes an object into one +I row, fields by name (case-sensitive), other members ignored', () => {
    const d = decoder(rt({ id: t('BIGINT'), Name: t('VARCHAR'), ok: t('BOOLEAN') }));
    const rows = decodeAll(d, utf8('{"ok":true,"name":"lower","Name":"Upper","id":7,"extra":{"x":[1]}}'));
    expect(rows).toEqual([{ kind: RowKind.INSERT, fields: [7n, 'Upper', true] }]);
    expect(d.changelogMode.kinds).toEqual([RowKind.INSERT]);
  });

  it('reads every type', () => {
    const ms = Date.parse('2020-12-30T12:13:14.123Z');
    expect(one(t('BOOLEAN'), 'false')).toBe(false);
    expect(one(t('TINYINT'), '-128')).toBe(-128);
    expect(one(t('SMALLINT'), '32767')).toBe(32767);
    expect(one(t('INTEGER'), '-2147483648')).toBe(-2147483648);
    expect(one(t('BIGINT'), '-9223372036854775808')).toBe(-9223372036854775808n);
    expect(one(t('FLOAT'), '0.1')).toBe(Math.fround(0.1));
    expect(one(t('DOUBLE'), '0.1')).toBe(0.1);
    expect(one(decimal(10, 2), '123.45')).toBe(12345n);
    expect(one(t('CHAR', { precision: 3 }), '"abc"')).toBe('abc');
    expect(one(t('VARCHAR'), '"é\\n😀"')).toBe('é\n😀');
    expect(one(t('VARBINARY'), '"awML"')).toEqual(new Uint8Array([107, 3, 11]));
    expect(one(t('DATE'), '"2020-12-30"')).toBe(18_626);
    expect(one(t('TIME', { precision: 3 }), '"12:13:14.123"')).toBe(43_994_123);
    expect(one(t('TIMESTAMP', { precision: 3 }), '"2020-12-30 12:13:14.123"')).toBe(ms);
    expect(one(t('TIMESTAMP_LTZ', { precision: 3 }), '"2020-12-30 12:13:14.123Z"')).toBe(ms);
    expect(one(t('INTERVAL_YEAR_MONTH'), '14')).toBe(14);
    expect(one(t('INTERVAL_DAY_TIME'), '86400000')).toBe(86_400_000);
    expect(one(array(t('INTEGER')), '[1,null,3]')).toEqual([1, null, 3]);
    expect(one(map(t('VARCHAR'), t('BIGINT')), '{"a":1,"b":null}')).toEqual(new Map([['a', 1n], ['b', null]]));
    expect(one(t('MULTISET', { element: t('VARCHAR') }), '{"x":2}')).toEqual(new Map([['x', 2]]));
    expect(one(row({ a: t('INTEGER'), b: row({ c: t('VARCHAR') }) }), '{"b":{"c":"deep"},"a":1}')).toEqual([1, ['deep']]);
    expect(one(t('NULL'), '"anything"')).toBeNull();
    expect(one(t('INTEGER'), 'null')).toBeNull();
  });

  it('reads timestamps in the ISO-8601 standard when asked', () => {
    const ms = Date.parse('2020-12-30T12:13:14.123Z');
    const iso = { 'timestamp-format.standard': 'ISO-8601' };
    expect(one(t('TIMESTAMP'), '"2020-12-30T12:13:14.123"', iso)).toBe(ms);
    expect(one(t('TIMESTAMP_LTZ'), '"2020-12-30T12:13:14.123Z"', iso)).toBe(ms);
    expect(error(t('TIMESTAMP'), '"2019-11-12 18:00:12"', iso)).toBe(
      `field 'f': expected a timestamp like '2020-12-30T12:13:14.123' (timestamp-format.standard is ISO-8601), got "2019-11-12 18:00:12"`,
    );
    expect(error(t('TIMESTAMP'), '"2019-11-12T18:00:12"')).toBe(
      `field 'f': expected a timestamp like '2020-12-30 12:13:14.123' (timestamp-format.standard is SQL), got "2019-11-12T18:00:12"`,
    );
  });

  it('reads BIGINT exactly over the whole 64-bit range, beyond what a double holds', () => {
    expect(one(t('BIGINT'), '9007199254740993')).toBe(9007199254740993n);
    expect(one(t('BIGINT'), '9223372036854775807')).toBe(9223372036854775807n);
    expect(one(t('BIGINT'), '-9007199254740993')).toBe(-9007199254740993n);
    expect(one(t('BIGINT'), '9.2233720368e18')).toBe(9223372036800000000n);
    expect(one(t('BIGINT'), '1.5e3')).toBe(1500n);
    const d = decoder(rt({ a: t('BIGINT'), b: array(t('BIGINT')), c: row({ d: t('BIGINT') }) }));
    expect(decodeOne(d, '{"a":1,"b":[1234567890123456789,9007199254740995],"c":{"d":-9223372036854775807}}')).toEqual([
      1n,
      [1234567890123456789n, 9007199254740995n],
      [-9223372036854775807n],
    ]);
  });

  it('refuses BIGINT values out of range or with a fraction', () => {
    expect(error(t('BIGINT'), '9223372036854775808')).toBe("field 'f': 9223372036854775808 is out of range for BIGINT");
    expect(error(t('BIGINT'), '1e400')).toBe("field 'f': 1e400 is out of range for BIGINT");
    expect(error(t('BIGINT'), '1.5')).toBe("field 'f': expected an integer, got 1.5");
    expect(error(t('BIGINT'), '9007199254740993.5')).toBe("field 'f': expected an integer, got 9007199254740993.5");
    expect(error(t('BIGINT'), '"long"')).toBe(`field 'f': expected an integer, got "long"`);
  });

  it('reads DECIMAL exactly from the text, rounding HALF_UP to the scale, overflow as null (Flink)', () => {
    // Flink's JsonRowDataSerDeSchemaTest: {"factor":799.929496989092949698} into DECIMAL(38, 18)
    expect(one(decimal(38, 18), '799.929496989092949698')).toBe(799929496989092949698n);
    expect(one(decimal(38, 0), '123400000000000000000000000001')).toBe(123400000000000000000000000001n);
    expect(one(decimal(20, 17), '0.10000000000000001')).toBe(10000000000000001n);
    expect(one(decimal(10, 2), '1.005')).toBe(101n);
    expect(one(decimal(10, 2), '1.0049999999999999')).toBe(100n);
    expect(one(decimal(10, 2), '0.125')).toBe(13n);
    expect(one(decimal(10, 2), '0.12499999999999999')).toBe(12n);
    expect(one(decimal(10, 2), '-2.5e-1')).toBe(-25n);
    expect(one(decimal(5, 2), '12345.6')).toBeNull();
    expect(one(decimal(4, 2), '99.995')).toBeNull();
    expect(one(decimal(10, 2), '1e400')).toBeNull();
    expect(one(decimal(10, 2), '0')).toBe(0n);
    expect(error(decimal(5, 2, false), '12345.6')).toBe("field 'f': 12345.6 overflows DECIMAL(5, 2) NOT NULL");
  });

  it('reads numbers written as strings, as Flink does ("123" → 123)', () => {
    expect(one(t('INTEGER'), '"123"')).toBe(123);
    expect(one(t('INTEGER'), '" 42 "')).toBe(42);
    expect(one(t('BIGINT'), '"9223372036854775807"')).toBe(9223372036854775807n);
    expect(one(t('DOUBLE'), '"1.5e3"')).toBe(1500);
    expect(one(t('DOUBLE'), '"NaN"')).toBeNaN();
    expect(one(t('DOUBLE'), '"-Infinity"')).toBe(Number.NEGATIVE_INFINITY);
    expect(one(decimal(10, 3), '"1.2345"')).toBe(1235n);
    expect(one(t('BOOLEAN'), '"TRUE"')).toBe(true);
  });

  it('reads scalars and containers into strings as their JSON text (Flink)', () => {
    expect(one(t('VARCHAR'), 'true')).toBe('true');
    expect(one(t('VARCHAR'), '123.234')).toBe('123.234');
    expect(one(t('VARCHAR'), '1234567')).toBe('1234567');
    expect(one(t('VARCHAR'), '12345678901234567890')).toBe('12345678901234567890');
    expect(one(t('VARCHAR'), '["array data1","array data2",123,234.345]')).toBe('["array data1","array data2",123,234.345]');
    expect(one(t('VARCHAR'), '{"k1":123,"k2":234.234,"k3":"string data", "k4": 90071992547409931}')).toBe(
      '{"k1":123,"k2":234.234,"k3":"string data","k4":90071992547409931}',
    );
    expect(one(t('VARCHAR'), '"\\tstring field"')).toBe('\tstring field');
  });

  it('checks integer ranges and fractions, naming the field and the value', () => {
    expect(error(t('TINYINT'), '128')).toBe("field 'f': 128 is out of range for TINYINT");
    expect(error(t('SMALLINT'), '-32769')).toBe("field 'f': -32769 is out of range for SMALLINT");
    expect(error(t('INTEGER'), '11211111111')).toBe("field 'f': 11211111111 is out of range for INT");
    expect(error(t('INTEGER'), '112.013')).toBe("field 'f': expected an integer, got 112.013");
    expect(error(t('INTEGER'), '"abc"')).toBe(`field 'f': expected an integer, got "abc"`);
    expect(error(t('INTEGER'), '"1e3"')).toBe(`field 'f': expected an integer, got "1e3"`);
    expect(error(t('INTEGER'), '[1]')).toBe("field 'f': expected an integer, got an array");
  });

  it('names the field and what was wrong for every kind of bad value', () => {
    expect(error(t('DOUBLE'), '"abc"')).toBe(`field 'f': expected a number, got "abc"`);
    expect(error(t('FLOAT'), '"112.013.123"')).toBe(`field 'f': expected a number, got "112.013.123"`);
    expect(error(decimal(10, 3), '"abc"')).toBe(`field 'f': expected a number, got "abc"`);
    expect(error(t('BOOLEAN'), '"trueA"')).toBe(`field 'f': expected a boolean, got "trueA"`);
    expect(error(t('BOOLEAN'), '1')).toBe("field 'f': expected a boolean, got 1");
    expect(error(t('DATE'), '"20191112"')).toBe(`field 'f': expected a date like '2020-12-30', got "20191112"`);
    expect(error(t('TIME'), '"18:00:243"')).toBe(`field 'f': expected a time like '12:13:14.123', got "18:00:243"`);
    expect(error(t('VARBINARY'), '"#!"')).toBe(`field 'f': expected base64 text, got "#!"`);
    expect(error(array(t('INTEGER')), '{"a":1}')).toBe("field 'f': expected a JSON array, got an object");
    expect(error(row({ a: t('INTEGER') }), '"x"')).toBe(`field 'f': expected a JSON object, got "x"`);
    expect(error(t('INTEGER'), `"${'x'.repeat(100)}"`)).toBe(`field 'f': expected an integer, got "${'x'.repeat(60)}…"`);
  });

  it('gives the path of a bad value inside rows, arrays and maps', () => {
    expect(error(row({ price: decimal(10, 2) }), '{"price":"abc"}')).toBe(`field 'f.price': expected a number, got "abc"`);
    // Flink's JsonRowDataSerDeSchemaTest: {"array":[123, "abc"]} into ARRAY<INT>
    expect(error(array(t('INTEGER')), '[123, "abc"]')).toBe(`field 'f[1]': expected an integer, got "abc"`);
    expect(error(map(t('VARCHAR'), t('INTEGER')), '{"key1":"123", "key2":"abc"}')).toBe(`field 'f["key2"]': expected an integer, got "abc"`);
    expect(error(array(row({ x: t('DATE') })), '[{"x":"2020-01-01"},{"x":"soon"}]')).toBe(`field 'f[1].x': expected a date like '2020-12-30', got "soon"`);
  });

  it('reads a missing field as null, or fails with fail-on-missing-field', () => {
    const type = rt({ a: t('INTEGER'), b: t('VARCHAR') });
    expect(decodeOne(decoder(type), '{"a":1}')).toEqual([1, null]);
    expect(() => decodeOne(decoder(type, { 'fail-on-missing-field': 'true' }), '{"a":1}')).toThrow(
      "field 'b': missing (fail-on-missing-field is true)",
    );
    expect(() => decodeOne(decoder(rt({ r: row({ x: t('INTEGER') }) }), { 'fail-on-missing-field': 'true' }), '{"r":{}}')).toThrow(
      "field 'r.x': missing (fail-on-missing-field is true)",
    );
  });

  it('refuses null and missing values of NOT NULL fields', () => {
    const type = rt({ id: nn('BIGINT'), tags: array(nn('VARCHAR')) });
    expect(() => decodeOne(decoder(type), '{"id":null}')).toThrow("field 'id': null is not allowed (BIGINT NOT NULL)");
    expect(() => decodeOne(decoder(type), '{}')).toThrow("field 'id': missing, and the type is BIGINT NOT NULL");
    expect(() => decodeOne(decoder(type), '{"id":1,"tags":["a",null]}')).toThrow("field 'tags[1]': null is not allowed (STRING NOT NULL)");
  });

  it('does not mistake inherited object members for fields', () => {
    const d = decoder(rt({ constructor: t('VARCHAR'), toString: t('VARCHAR'), ['__proto__']: t('INTEGER') }));
    expect(decodeOne(d, '{}')).toEqual([null, null, null]);
    expect(decodeOne(d, '{"constructor":"c","toString":"s","__proto__":5}')).toEqual(['c', 's', 5]);
  });

  it('decodes a top-level array into one row per object (all or nothing) and null into no row, as Flink', () => {
    const d = decoder(rt({ a: t('INTEGER') }));
    expect(decodeAll(d, '[{"a":1},null,{"a":2}]').map((r) => r.fields)).toEqual([[1], [2]]);
    expect(decodeAll(d, 'null')).toEqual([]);
    const emitted: unknown[] = [];
    expect(() => d.decode('[{"a":1},{"a":"x"}]', (r) => emitted.push(r))).toThrow(`array element 1: field 'a': expected an integer, got "x"`);
    expect(emitted).toEqual([]);
  });

  it('reports malformed messages', () => {
    const d = decoder(rt({ a: t('INTEGER') }));
    expect(() => decodeAll(d, '{"a":')).toThrow(FormatError);
    expect(() => decodeAll(d, '{"a":')).toThrow(/^malformed JSON: /);
    expect(() => decodeAll(d, '')).toThrow('empty message: expected a JSON object');
    expect(() => decodeAll(d, '42')).toThrow('expected a JSON object, got 42');
    expect(() => decodeAll(d, '"s"')).toThrow('expected a JSON object, got "s"');
    expect(() => decodeAll(d, new Uint8Array([0x7b, 0xff, 0x7d]))).toThrow('malformed message: not valid UTF-8');
  });

  it('accepts a byte-order mark, in bytes and in text', () => {
    const d = decoder(rt({ a: t('INTEGER') }));
    expect(decodeOne(d, new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('{"a":1}')]))).toEqual([1]);
    expect(decodeOne(d, '\ufeff{"a":2}')).toEqual([2]);
  });

  it('stays exact when it switches to parsing exactly first, and back', () => {
    const d = decoder(rt({ v: decimal(10, 2), id: t('BIGINT') }));
    const exactFirst = () => (d as unknown as { exactFirst: boolean }).exactFirst;
    // Every message needs exact digits: after a window the decoder parses exactly first.
    for (let i = 0; i < 600; i++) {
      expect(decodeOne(d, `{"v":${i}.125,"id":${9007199254740993n + BigInt(i)}}`)).toEqual([BigInt(i) * 100n + 13n, 9007199254740993n + BigInt(i)]);
    }
    expect(exactFirst()).toBe(true);
    // Then ordinary messages, decoded the same by either parser; after 16 windows the native parser is back.
    for (let i = 0; i < 5000; i++) expect(decodeOne(d, `{"v":1.5,"id":${i}}`)).toEqual([150n, BigInt(i)]);
    expect(exactFirst()).toBe(false);
  });

  it('reads DECIMALs whose scale goes beyond 15 digits exactly, whichever parser reads them', () => {
    const d = decoder(rt({ v: decimal(38, 18) }));
    for (let i = 0; i < 1000; i++) {
      const text = `${i}.${String(i * 7919).padStart(18, '0')}`;
      expect(decodeOne(d, `{"v":${text}}`)).toEqual([BigInt(text.replace('.', ''))]);
    }
  });

  it('refuses map key types that JSON cannot carry, when the decoder is created', () => {
    expect(() => decoder(rt({ m: map(t('INTEGER'), t('VARCHAR')) }))).toThrow(
      "format 'json' does not support MAP<INTEGER, STRING>: JSON object keys are strings, so the key type must be CHAR, VARCHAR or STRING",
    );
  });
});
