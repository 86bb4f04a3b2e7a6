import { FormatError, RowKind, type LogicalType, type RowType } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { csvFormat } from '../../src/csv/csv-format.js';
import { array, decimal, decodeAll, decodeOne, nn, row, rt, t, utf8 } from '../helpers.js';

type Options = Record<string, string>;
const decoder = (rowType: RowType, options: Options = {}) => csvFormat.createDecoder!({ rowType, options, config: {} });
const encoder = (rowType: RowType, options: Options = {}) => csvFormat.createEncoder!({ rowType, options, config: {} });
const encode = (rowType: RowType, fields: unknown[], options: Options = {}) => encoder(rowType, options).encode({ kind: RowKind.INSERT, fields }) as string;

/**
 * Flink's `CsvRowDataSerDeSchemaTest#testField`: `BEGIN<d>value<d>END` decodes to the value, and the decoded row
 * encodes back to the same line.
 */
function field(type: LogicalType, csv: string, value: unknown, options: Options = {}, delimiter = ','): void {
  const rowType = rt({ f0: t('VARCHAR'), f1: type, f2: t('VARCHAR') });
  const line = `BEGIN${delimiter}${csv}${delimiter}END`;
  const fields = decodeOne(decoder(rowType, options), line);
  expect(fields).toEqual(['BEGIN', value, 'END']);
  expect(encode(rowType, fields, options)).toBe(line);
}

describe('csv decoder and encoder', () => {
  it("read and write Flink's test values (null-literal 'null')", () => {
    // Flink's CsvRowDataSerDeSchemaTest#testSerializeDeserialize, with values in Runnel's representation.
    const nullable = { 'null-literal': 'null' };
    field(t('BIGINT'), 'null', null, nullable);
    field(t('VARCHAR'), 'null', null, nullable);
    field(t('VARCHAR'), '"This is a test, really."', 'This is a test, really.', nullable);
    field(t('VARCHAR'), '"This is a test\n\r."', 'This is a test\n\r.', nullable);
    field(t('BOOLEAN'), 'true', true, nullable);
    field(t('TINYINT'), '124', 124, nullable);
    field(t('SMALLINT'), '10000', 10000, nullable);
    field(t('INTEGER'), '1234567', 1234567, nullable);
    field(t('BIGINT'), '12345678910', 12345678910n, nullable);
    field(t('FLOAT'), '0.33333334', Math.fround(0.33333334), nullable);
    field(t('DOUBLE'), '0.33333333332', 0.33333333332, nullable);
    field(decimal(38, 25), '1234.0000000000000000000000001', 12340000000000000000000000001n, nullable);
    field(decimal(38, 0), '123400000000000000000000000001', 123400000000000000000000000001n, nullable);
    field(t('DATE'), '2018-10-12', 17_816, nullable);
    field(t('TIME', { precision: 0 }), '12:12:12', 43_932_000, nullable);
    field(t('TIMESTAMP', { precision: 0 }), '2018-10-12 12:12:12', Date.parse('2018-10-12T12:12:12Z'), nullable);
    field(t('TIMESTAMP', { precision: 3 }), '2018-10-12 12:12:12.123', Date.parse('2018-10-12T12:12:12.123Z'), nullable);
    field(t('TIMESTAMP_LTZ', { precision: 0 }), '1970-01-01 00:02:03Z', 123_000, nullable);
    field(t('TIMESTAMP_LTZ', { precision: 3 }), '1970-01-01 00:02:03.456Z', 123_456, nullable);
    field(row({ f0: t('VARCHAR'), f1: t('INTEGER'), f2: t('BOOLEAN') }), 'Hello;42;false', ['Hello', 42, false], nullable);
    field(array(t('VARCHAR')), 'a;b;c', ['a', 'b', 'c'], nullable);
    field(array(t('TINYINT')), '12;4;null', [12, 4, null], nullable);
    field(t('VARBINARY'), 'awML', new Uint8Array([107, 3, 11]), nullable);
    field(t('TIME', { precision: 3 }), '12:12:12.232', 43_932_232, nullable);
    field(t('TIME', { precision: 2 }), '12:12:12.23', 43_932_230, nullable);
    field(t('TIME', { precision: 1 }), '12:12:12.2', 43_932_200, nullable);
  });

  it("read and write with customized delimiters, quote and escape characters (Flink's test)", () => {
    // Flink's CsvRowDataSerDeSchemaTest#testSerializeDeserializeCustomizedProperties
    const options = { 'escape-character': '*', 'quote-character': "'", 'array-element-delimiter': ':', 'field-delimiter': ';' };
    const d = (type: LogicalType, csv: string) => decodeOne(decoder(rt({ f0: t('VARCHAR'), f1: type, f2: t('VARCHAR') }), options), `BEGIN;${csv};END`)[1];
    expect(d(t('VARCHAR'), "123*'4**")).toBe("123'4*");
    expect(d(t('VARCHAR'), "'a;b*'c'")).toBe("a;b'c");
    expect(d(t('INTEGER'), '       12          ')).toBe(12);
    expect(d(row({ f0: t('VARCHAR'), f1: t('VARCHAR') }), '1:hello')).toEqual(['1', 'hello']);
    field(t('VARCHAR'), "'123''4**'", "123'4*", options, ';');
    field(t('VARCHAR'), "'a;b''c'", "a;b'c", options, ';');
    field(t('INTEGER'), '12', 12, options, ';');
    field(row({ f0: t('VARCHAR'), f1: t('VARCHAR') }), "1:hello world", ['1', 'hello world'], options, ';');
    // A string because no null literal was set.
    field(t('VARCHAR'), 'null', 'null', options, ';');
    // Flink's CSV format cuts TIME fractions to the precision.
    expect(d(t('TIME', { precision: 3 }), '12:12:12.232342')).toBe(43_932_232);
    expect(d(t('TIME', { precision: 2 }), '12:12:12.232312')).toBe(43_932_230);
    expect(d(t('TIME', { precision: 1 }), '12:12:12.2235')).toBe(43_932_200);
    expect(d(t('TIME', { precision: 0 }), '12:12:12.45')).toBe(43_932_000);
    expect(d(t('TIME', { precision: 1 }), '12:12')).toBe(43_920_000);
  });

  it('take quote characters literally when quoting is disabled (Flink)', () => {
    field(t('VARCHAR'), '"abc', '"abc', { 'disable-quote-character': 'true' });
    expect(encode(rt({ a: t('VARCHAR'), b: t('INTEGER'), c: t('VARCHAR') }), ['Test', 12, '2019-12-26 12:12:12'], { 'disable-quote-character': 'true' })).toBe(
      'Test,12,2019-12-26 12:12:12',
    );
  });

  it('fail on a malformed field, naming it (Flink: "Test,null,Test" has no INT)', () => {
    const type = rt({ f0: t('VARCHAR'), f1: t('INTEGER'), f2: t('VARCHAR') });
    expect(() => decodeAll(decoder(type), 'Test,null,Test')).toThrow(new FormatError(`field 'f1': expected an integer, got "null"`));
    expect(() => decodeAll(decoder(type), 'Test,1,Test,Test')).toThrow(new FormatError('expected 3 fields, found 4'));
    expect(() => decodeAll(decoder(type), 'Test')).toThrow(new FormatError('expected 3 fields, found 1'));
    expect(() => decodeAll(decoder(type), 'Test,"1,Test')).toThrow(new FormatError('malformed CSV: field 2 has no closing quote'));
  });

  it('name the field and what was wrong for every kind of bad value', () => {
    const bad = (type: LogicalType, csv: string) => () => decodeAll(decoder(rt({ price: type })), csv);
    expect(bad(t('DOUBLE'), 'abc')).toThrow(`field 'price': expected a number, got "abc"`);
    expect(bad(decimal(10, 2), 'abc')).toThrow(`field 'price': expected a number, got "abc"`);
    expect(bad(t('TINYINT'), '300')).toThrow("field 'price': 300 is out of range for TINYINT");
    expect(bad(t('BIGINT'), '9223372036854775808')).toThrow("field 'price': 9223372036854775808 is out of range for BIGINT");
    expect(bad(t('BOOLEAN'), 'yes')).toThrow(`field 'price': expected true or false, got "yes"`);
    expect(bad(t('DATE'), '20191112')).toThrow(`field 'price': expected a date like '2020-12-30', got "20191112"`);
    expect(bad(t('TIMESTAMP'), '2019-11-12T18:00:12')).toThrow(`field 'price': expected a timestamp like '2020-12-30 12:13:14.123', got "2019-11-12T18:00:12"`);
    expect(bad(array(t('INTEGER')), '1;x;3')).toThrow(`field 'price[1]': expected an integer, got "x"`);
    expect(bad(row({ a: t('INTEGER'), b: t('DATE') }), '1;x')).toThrow(`field 'price.b': expected a date like '2020-12-30', got "x"`);
    expect(bad(row({ a: t('INTEGER'), b: t('DATE') }), '1')).toThrow("field 'price': expected 2 nested fields separated by ';', found 1");
    expect(() => decodeAll(decoder(rt({ price: nn('INTEGER'), b: t('INTEGER') })), ',1')).toThrow("field 'price': null is not allowed (INTEGER NOT NULL)");
    expect(bad(decimal(5, 2, false), '12345.6')).toThrow("field 'price': 12345.6 overflows DECIMAL(5, 2) NOT NULL");
  });

  it('read empty fields as null, but as empty strings and bytes (Flink); a quoted empty field is an empty array', () => {
    const type = rt({ i: t('INTEGER'), s: t('VARCHAR'), b: t('VARBINARY'), a: array(t('INTEGER')), q: array(t('INTEGER')), r: row({ x: t('INTEGER') }) });
    expect(decodeOne(decoder(type), ',,,,"",')).toEqual([null, '', new Uint8Array(), null, [], null]);
    // A line of one empty field would be an empty line, which holds no row (Flink): the encoder quotes it.
    expect(decodeAll(decoder(rt({ d: decimal(10, 2) })), '')).toEqual([]);
    expect(encode(rt({ d: decimal(10, 2) }), [null])).toBe('""');
    expect(decodeOne(decoder(rt({ d: decimal(10, 2) })), '""')).toEqual([null]);
  });

  it('skip empty lines, and comment lines with allow-comments (Flink)', () => {
    const type = rt({ f0: t('VARCHAR'), f1: t('INTEGER'), f2: t('VARCHAR') });
    expect(decodeAll(decoder(type), '')).toEqual([]);
    expect(decodeAll(decoder(type), '\n')).toEqual([]);
    expect(decodeAll(decoder(type, { 'allow-comments': 'true' }), '#Test,12,Test')).toEqual([]);
    expect(decodeOne(decoder(type), '#Test,12,Test')).toEqual(['#Test', 12, 'Test']);
  });

  it('ignore one trailing line break (LF or CRLF), and read bytes as UTF-8', () => {
    const type = rt({ a: t('VARCHAR'), b: t('INTEGER') });
    expect(decodeOne(decoder(type), 'x,1\n')).toEqual(['x', 1]);
    expect(decodeOne(decoder(type), 'x,1\r\n')).toEqual(['x', 1]);
    expect(decodeOne(decoder(type), utf8('é😀,2'))).toEqual(['é😀', 2]);
    expect(() => decodeAll(decoder(type), new Uint8Array([0xff, 0x2c, 0x31]))).toThrow('malformed message: not valid UTF-8');
  });

  it('write DECIMAL as Flink does by default, plain on request', () => {
    const type = rt({ a: decimal(10, 0), b: decimal(10, 2), c: decimal(11, 9) });
    expect(encode(type, [100000n, 12340n, 27n])).toBe('1E+5,123.4,2.7E-8');
    expect(encode(type, [100000n, 12340n, 27n], { 'write-bigdecimal-in-scientific-notation': 'false' })).toBe('100000,123.4,0.000000027');
  });

  it('quote only where needed when writing', () => {
    const type = rt({ a: t('VARCHAR'), b: t('VARCHAR'), c: t('VARCHAR'), d: t('VARCHAR'), e: t('VARCHAR'), f: t('INTEGER') });
    expect(encode(type, ['plain text', 'a,b', 'say "hi"', 'two\nlines', '', null])).toBe('plain text,"a,b","say ""hi""","two\nlines","",');
    expect(encode(rt({ a: t('VARCHAR'), b: t('VARCHAR') }), ['null', null], { 'null-literal': 'null' })).toBe('"null",null');
    expect(encode(rt({ a: t('VARCHAR') }), ['#not a comment'], { 'allow-comments': 'true' })).toBe('"#not a comment"');
    expect(encode(rt({ a: t('VARCHAR') }), ['#first'])).toBe('#first');
  });

  it('escape instead of quoting when quoting is disabled, and refuse what cannot be written', () => {
    const type = rt({ a: t('VARCHAR'), b: t('VARCHAR') });
    const options = { 'disable-quote-character': 'true', 'escape-character': '\\' };
    const line = encode(type, ['a,b\\c\nd', 'x'], options);
    expect(line).toBe('a\\,b\\\\c\\nd,x');
    expect(decodeOne(decoder(type, options), line)).toEqual(['a,b\\c\nd', 'x']);
    expect(() => encode(type, ['a,b', 'x'], { 'disable-quote-character': 'true' })).toThrow(
      `cannot encode: field 'a': "a,b" needs quoting (it holds the field delimiter or a line break, is empty or the null literal), but quoting is disabled; set csv.escape-character`,
    );
    expect(() => encode(rt({ a: array(t('VARCHAR')) }), [['x;y']])).toThrow(
      `cannot encode: field 'a[0]': the element "x;y" holds the array-element-delimiter ';'; set csv.escape-character to write it`,
    );
  });

  it('round-trip every type, with default and with custom options', () => {
    const type = rt({
      bool: t('BOOLEAN'),
      tiny: t('TINYINT'),
      small: t('SMALLINT'),
      int: t('INTEGER'),
      big: t('BIGINT'),
      float: t('FLOAT'),
      double: t('DOUBLE'),
      dec: decimal(38, 18),
      char: t('CHAR', { precision: 3 }),
      str: t('VARCHAR'),
      quoted: t('VARCHAR'),
      bytes: t('VARBINARY'),
      date: t('DATE'),
      time: t('TIME', { precision: 3 }),
      ts: t('TIMESTAMP', { precision: 3 }),
      ltz: t('TIMESTAMP_LTZ', { precision: 3 }),
      ym: t('INTERVAL_YEAR_MONTH'),
      dt: t('INTERVAL_DAY_TIME'),
      arr: array(t('VARCHAR')),
      empty: array(t('INTEGER')),
      nested: row({ a: t('INTEGER'), b: t('TIMESTAMP', { precision: 3 }), c: decimal(10, 2) }),
      nothing: t('INTEGER'),
    });
    const values = [
      false,
      127,
      -32768,
      2147483647,
      -9223372036854775808n,
      Math.fround(-1.25e-7),
      Number.NaN,
      -799929496989092949698n,
      'abc',
      'comma, "quote", ; and\nnewline é😀',
      '',
      new Uint8Array([0, 255, 128]),
      -719_528,
      86_399_999,
      Date.parse('1969-12-31T23:59:59.001Z'),
      Date.parse('2038-01-19T03:14:08Z'),
      -1,
      -86_400_000,
      ['x', '', 'z'],
      [],
      [null, Date.parse('2020-12-30T12:13:14.1Z'), 100n],
      null,
    ];
    for (const options of [
      {} as Options,
      { 'null-literal': 'NULL', 'field-delimiter': '|', 'quote-character': "'" },
      { 'escape-character': '\\', 'array-element-delimiter': '::' },
    ]) {
      const line = encode(type, values, options);
      expect(decodeOne(decoder(type, options), line), line).toEqual(values);
    }
  });

  it('round-trip elements holding the element delimiter when an escape character is set', () => {
    const type = rt({ a: array(t('VARCHAR')), r: row({ x: t('VARCHAR'), y: t('VARCHAR') }) });
    const values = [['x;y', 'back\\slash', 'new\nline'], ['p;q', ';']];
    for (const options of [{ 'escape-character': '\\' }, { 'escape-character': '\\', 'disable-quote-character': 'true' }] as Options[]) {
      const line = encode(type, values, options);
      expect(decodeOne(decoder(type, options), line), line).toEqual(values);
    }
  });
});
