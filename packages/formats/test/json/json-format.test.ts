import { API_VERSION } from '@runnel/api';
import { ConfigurationError } from '@runnel/api/config';
import { apiVersionSatisfies } from '@runnel/api/plugin';
import { describe, expect, it } from 'vitest';
import { jsonFormat } from '../../src/json/json-format.js';
import { JSON_OPTIONS, JsonOptions } from '../../src/json/json-options.js';
import { rt, t } from '../helpers.js';

const context = (options: Record<string, string>) => ({ rowType: rt({ a: t('INTEGER') }), options, config: {} });

describe('jsonFormat', () => {
  it('declares its identifier, kind, API range and Flink option keys', () => {
    expect(jsonFormat.identifier).toBe('json');
    expect(jsonFormat.kind).toBe('format');
    expect(jsonFormat.apiVersion).toBe(`^${API_VERSION}`);
    expect(apiVersionSatisfies(jsonFormat.apiVersion, API_VERSION)).toBe(true);
    expect(jsonFormat.options).toBe(JSON_OPTIONS);
    expect(JSON_OPTIONS.map((o) => ('key' in o ? o.key : o.prefix))).toEqual([
      'fail-on-missing-field',
      'ignore-parse-errors',
      'timestamp-format.standard',
      'map-null-key.mode',
      'map-null-key.literal',
      'encode.decimal-as-plain-number',
      'encode.ignore-null-fields',
      'decode.json-parser.enabled',
    ]);
    expect(JsonOptions.timestampFormatStandard.defaultValue).toBe('SQL');
    expect(JsonOptions.mapNullKeyLiteral.defaultValue).toBe('null');
  });

  it('accepts every option, and the json-parser switch without effect', () => {
    const all = {
      'fail-on-missing-field': 'true',
      'timestamp-format.standard': 'iso-8601',
      'map-null-key.mode': 'LITERAL',
      'map-null-key.literal': 'n/a',
      'encode.decimal-as-plain-number': 'true',
      'encode.ignore-null-fields': 'true',
      'decode.json-parser.enabled': 'false',
    };
    expect(() => jsonFormat.createDecoder!(context(all))).not.toThrow();
    expect(() => jsonFormat.createEncoder!(context({ ...all, 'ignore-parse-errors': 'true', 'fail-on-missing-field': 'false' }))).not.toThrow();
  });

  it('refuses unknown options and bad values with the key named', () => {
    expect(() => jsonFormat.createDecoder!(context({ 'fail-on-missing-fields': 'true' }))).toThrow(
      "format 'json': unknown option 'fail-on-missing-fields' (did you mean 'fail-on-missing-field'?)",
    );
    expect(() => jsonFormat.createDecoder!(context({ 'timestamp-format.standard': 'RFC' }))).toThrow(ConfigurationError);
    expect(() => jsonFormat.createEncoder!(context({ 'map-null-key.mode': 'KEEP' }))).toThrow(/map-null-key\.mode/);
  });

  it('refuses fail-on-missing-field together with ignore-parse-errors, as Flink', () => {
    expect(() => jsonFormat.createDecoder!(context({ 'fail-on-missing-field': 'true', 'ignore-parse-errors': 'true' }))).toThrow(
      "format 'json': options 'fail-on-missing-field' and 'ignore-parse-errors' cannot both be true",
    );
  });
});
