// The `json` format factory (`'format' = 'json'`), found by the planner through the `runnel` manifest of this
// package: validates the options and builds decoders and encoders for a row type.
import { API_VERSION } from '@runnel/api';
import type { FormatContext, FormatFactory } from '@runnel/api/table';
import { JsonRowDecoder } from './json-decoder.js';
import { JsonRowEncoder } from './json-encoder.js';
import { JSON_OPTIONS, jsonDecodingSettings, jsonEncodingSettings } from './json-options.js';

/**
 * The `json` format (Flink's JSON format): one JSON object per message, fields matched by name; exact BIGINT and
 * DECIMAL values; timestamps in the `SQL` or `ISO-8601` form. Decoders produce +I rows.
 *
 * @public
 */
export const jsonFormat: FormatFactory & { readonly kind: 'format' } = {
  kind: 'format',
  identifier: 'json',
  apiVersion: `^${API_VERSION}`,
  options: JSON_OPTIONS,
  createDecoder(context: FormatContext): JsonRowDecoder {
    return new JsonRowDecoder(context.rowType, jsonDecodingSettings(context.options));
  },
  createEncoder(context: FormatContext): JsonRowEncoder {
    return new JsonRowEncoder(context.rowType, jsonEncodingSettings(context.options));
  },
};
