import { API_VERSION } from '@runnel/api';
import { describe, expect, it } from 'vitest';
import { csvFormat } from '../../src/csv/csv-format.js';
import { CSV_OPTIONS } from '../../src/csv/csv-options.js';
import { array, decodeOne, map, row, rt, t } from '../helpers.js';

const context = (options: Record<string, string>, rowType = rt({ a: t('INTEGER'), b: t('VARCHAR') })) => ({ rowType, options, config: {} });

describe('csvFormat', () => {
  it('declares its identifier, kind, API range and Flink option keys', () => {
    expect(csvFormat.identifier).toBe('csv');
    expect(csvFormat.kind).toBe('format');
    expect(csvFormat.apiVersion).toBe(`^${API_VERSION}`);
    expect(CSV_OPTIONS.map((o) => ('key' in o ? o.key : o.prefix))).toEqual([
      'field-delimiter',
      'disable-quote-character',
      'quote-character',
      'allow-comments',
      'ignore-parse-errors',
      'array-element-delimiter',
      'escape-character',
      'null-literal',
      'write-bigdecimal-in-scientific-notation',
    ]);
  });

  it('reads Java escapes in the field delimiter, as Flink', () => {
    expect(decodeOne(csvFormat.createDecoder!(context({ 'field-delimiter': '\\t' })), '1\tx')).toEqual([1, 'x']);
    expect(decodeOne(csvFormat.createDecoder!(context({ 'field-delimiter': '\\u0001' })), '1\u0001x')).toEqual([1, 'x']);
    expect(decodeOne(csvFormat.createDecoder!(context({ 'field-delimiter': '|' })), '1|x')).toEqual([1, 'x']);
  });

  it('refuses bad option values with the key named', () => {
    expect(() => csvFormat.createDecoder!(context({ 'field-delimiter': ';;' }))).toThrow(
      "format 'csv': option 'field-delimiter' must be a single character, but was ';;'",
    );
    expect(() => csvFormat.createDecoder!(context({ 'quote-character': "''" }))).toThrow("option 'quote-character' must be a single character");
    expect(() => csvFormat.createDecoder!(context({ 'escape-character': '' }))).toThrow("option 'escape-character' must be a single character");
    expect(() => csvFormat.createDecoder!(context({ 'disable-quote-character': 'true', 'quote-character': "'" }))).toThrow(
      "format 'csv': options 'quote-character' and 'disable-quote-character' cannot both be set",
    );
    expect(() => csvFormat.createDecoder!(context({ 'field-delimiter': '"' }))).toThrow('must differ from each other');
    expect(() => csvFormat.createDecoder!(context({ 'array-element-delimiter': '' }))).toThrow("'array-element-delimiter' must not be empty");
    expect(() => csvFormat.createEncoder!(context({ 'allow-comment': 'true' }))).toThrow(
      "format 'csv': unknown option 'allow-comment' (did you mean 'allow-comments'?)",
    );
  });

  it('refuses types CSV cannot hold when the decoder or encoder is created (Flink: MAP, MULTISET, nesting beyond one level)', () => {
    const refused = [
      [map(t('VARCHAR'), t('INTEGER')), "format 'csv' does not support the type MAP<STRING, INTEGER>"],
      [t('MULTISET', { element: t('VARCHAR') }), "format 'csv' does not support the type MULTISET<STRING>"],
      [row({ inner: row({ x: t('VARCHAR') }) }), "format 'csv' does not support ROW<`x` STRING> inside an ARRAY or ROW"],
      [array(array(t('INTEGER'))), "format 'csv' does not support ARRAY<INTEGER> inside an ARRAY or ROW"],
    ] as const;
    for (const [type, message] of refused) {
      expect(() => csvFormat.createDecoder!(context({}, rt({ f: type })))).toThrow(message);
      expect(() => csvFormat.createEncoder!(context({}, rt({ f: type })))).toThrow(message);
    }
  });
});
