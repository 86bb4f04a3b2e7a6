import { API_VERSION } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
import { FormatError, RowKind, type LogicalType, type RowType } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { rawFormat } from '../../src/raw/raw-format.js';
import { RAW_OPTIONS } from '../../src/raw/raw-options.js';
import { decodeOne, map, rt, t, utf8 } from '../helpers.js';

type Options = Record<string, string>;
const decoder = (rowType: RowType, options: Options = {}) => rawFormat.createDecoder!({ rowType, options, config: {} });
const encoder = (rowType: RowType, options: Options = {}) => rawFormat.createEncoder!({ rowType, options, config: {} });
const single = (type: LogicalType) => rt({ value: type });
const roundTrip = (type: LogicalType, value: unknown, bytes: number[], options: Options = {}) => {
  const encoded = encoder(single(type), options).encode({ kind: RowKind.INSERT, fields: [value] });
  expect([...(encoded as Uint8Array)]).toEqual(bytes);
  expect(decodeOne(decoder(single(type), options), new Uint8Array(bytes))).toEqual([value]);
};

describe('rawFormat', () => {
  it('declares its identifier, kind, API range and Flink option keys', () => {
    expect(rawFormat.identifier).toBe('raw');
    expect(rawFormat.kind).toBe('format');
    expect(rawFormat.apiVersion).toBe(`^${API_VERSION}`);
    expect(RAW_OPTIONS.map((o) => ('key' in o ? o.key : o.prefix))).toEqual(['charset', 'endianness']);
  });

  it('reads and writes strings in the charset (UTF-8 by default), a text message as is', () => {
    roundTrip(t('VARCHAR'), 'héllo', [0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]);
    roundTrip(t('VARCHAR'), 'hé', [0x68, 0xe9], { charset: 'ISO-8859-1' });
    roundTrip(t('VARCHAR'), 'hé', [0x00, 0x68, 0x00, 0xe9], { charset: 'utf-16be' });
    roundTrip(t('VARCHAR'), 'hé', [0x68, 0x00, 0xe9, 0x00], { charset: 'UTF-16LE' });
    roundTrip(t('VARCHAR'), 'h', [0xfe, 0xff, 0x00, 0x68], { charset: 'UTF-16' });
    roundTrip(t('CHAR', { precision: 2 }), 'ab', [0x61, 0x62], { charset: 'US-ASCII' });
    expect(decodeOne(decoder(single(t('VARCHAR'))), '47.29.201.179 - - [28/Feb/2019:13:17:10 +0000] "GET /?p=1 HTTP/2.0"')).toEqual([
      '47.29.201.179 - - [28/Feb/2019:13:17:10 +0000] "GET /?p=1 HTTP/2.0"',
    ]);
    expect(decodeOne(decoder(single(t('VARCHAR'))), new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toEqual(['\ufeffa']);
  });

  it("replaces what a charset cannot hold, as Java does", () => {
    expect(decodeOne(decoder(single(t('VARCHAR')), { charset: 'US-ASCII' }), new Uint8Array([0x61, 0xe9]))).toEqual(['a\ufffd']);
    expect(decodeOne(decoder(single(t('VARCHAR'))), new Uint8Array([0x61, 0xff]))).toEqual(['a\ufffd']);
    const encoded = encoder(single(t('VARCHAR')), { charset: 'latin1' }).encode({ kind: RowKind.INSERT, fields: ['a€'] });
    expect([...(encoded as Uint8Array)]).toEqual([0x61, 0x3f]);
    expect(decodeOne(decoder(single(t('VARCHAR')), { charset: 'UTF-16' }), new Uint8Array([0xff, 0xfe, 0x68, 0x00]))).toEqual(['h']);
  });

  it('reads and writes bytes as they are', () => {
    roundTrip(t('VARBINARY'), new Uint8Array([0, 1, 255]), [0, 1, 255]);
    const message = new Uint8Array([9, 8, 7]);
    expect(decodeOne(decoder(single(t('BINARY', { precision: 3 }))), message)[0]).toBe(message);
  });

  it('reads and writes numbers in the byte order (big-endian by default), as Flink', () => {
    roundTrip(t('BOOLEAN'), true, [1]);
    roundTrip(t('BOOLEAN'), false, [0]);
    roundTrip(t('TINYINT'), -2, [0xfe]);
    roundTrip(t('SMALLINT'), 0x0102, [1, 2]);
    roundTrip(t('SMALLINT'), 0x0102, [2, 1], { endianness: 'little-endian' });
    roundTrip(t('INTEGER'), -2, [0xff, 0xff, 0xff, 0xfe]);
    roundTrip(t('INTEGER'), 0x01020304, [4, 3, 2, 1], { endianness: 'LITTLE-ENDIAN' });
    roundTrip(t('BIGINT'), 9007199254740993n, [0, 0x20, 0, 0, 0, 0, 0, 1]);
    roundTrip(t('BIGINT'), -1n, [255, 255, 255, 255, 255, 255, 255, 255], { endianness: 'little-endian' });
    roundTrip(t('FLOAT'), 1.5, [0x3f, 0xc0, 0, 0]);
    roundTrip(t('DOUBLE'), 1.5, [0, 0, 0, 0, 0, 0, 0xf8, 0x3f], { endianness: 'little-endian' });
    expect(decodeOne(decoder(single(t('BOOLEAN'))), new Uint8Array([7]))).toEqual([true]);
  });

  it('refuses a message of the wrong size for a number (Flink)', () => {
    expect(() => decodeOne(decoder(single(t('INTEGER'))), new Uint8Array([1, 2, 3]))).toThrow(new FormatError('expected 4 bytes for INTEGER, got 3'));
    expect(() => decodeOne(decoder(single(t('BOOLEAN'))), new Uint8Array([]))).toThrow(new FormatError('expected 1 byte for BOOLEAN, got 0'));
    expect(() => decodeOne(decoder(single(t('BIGINT'))), utf8('12'))).toThrow('expected 8 bytes for BIGINT, got 2');
  });

  it('cannot write null, and says why', () => {
    expect(() => encoder(single(t('VARCHAR'))).encode({ kind: RowKind.INSERT, fields: [null] })).toThrow(
      "cannot encode: field 'value' is null, and the raw format has no bytes for null (Flink writes a null message)",
    );
    expect(() => encoder(single(t('INTEGER'))).encode({ kind: RowKind.INSERT, fields: ['1'] })).toThrow(
      `cannot encode: field 'value': expected a number for INTEGER, got "1"`,
    );
  });

  it('refuses row types of more than one column or of another type when created (Flink)', () => {
    expect(() => decoder(rt({ a: t('INTEGER'), b: t('VARCHAR') }))).toThrow(
      "format 'raw' supports a single physical column, but the row has 2: `a` INTEGER, `b` STRING",
    );
    expect(() => encoder(rt({}))).toThrow("format 'raw' supports a single physical column, but the row has 0");
    expect(() => decoder(single(t('DATE')))).toThrow(ConfigurationError);
    expect(() => encoder(single(map(t('VARCHAR'), t('VARCHAR'))))).toThrow(
      "format 'raw' does not support the column type MAP<STRING, STRING> (of `value`); supported: CHAR, VARCHAR, STRING, BINARY, VARBINARY, BYTES, BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE",
    );
  });

  it('refuses unknown charsets and byte orders with the key named', () => {
    expect(() => decoder(single(t('VARCHAR')), { charset: 'EBCDIC' })).toThrow(
      "format 'raw': unsupported charset 'EBCDIC' in option 'charset' (supported: UTF-8, US-ASCII, ISO-8859-1, UTF-16BE, UTF-16LE, UTF-16)",
    );
    expect(() => decoder(single(t('INTEGER')), { endianness: 'middle-endian' })).toThrow(/endianness/);
    expect(() => decoder(single(t('INTEGER')), { charsets: 'UTF-8' })).toThrow("unknown option 'charsets' (did you mean 'charset'?)");
  });
});
