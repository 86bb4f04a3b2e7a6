// The `canal-json` format factory (`'format' = 'canal-json'`), found by the planner through the `runnel` manifest of
// this package: validates the options and builds decoders and encoders of Canal events, both declaring the full
// changelog (+I, -U, +U, -D).
import { API_VERSION } from '@runnel/api';
import type { FormatContext, FormatFactory } from '@runnel/api/table';
import { CanalJsonRowDecoder, CANAL_JSON_METADATA } from './canal-json-decoder.js';
import { CanalJsonRowEncoder } from './canal-json-encoder.js';
import { CANAL_JSON_OPTIONS, canalJsonDecodingSettings, canalJsonEncodingSettings } from './canal-json-options.js';

/**
 * The `canal-json` format (Flink's Canal JSON format): Canal binlog events decoded into +I/-U/+U/-D rows, filtered
 * by database and table; rows encoded as INSERT (+I, +U) and DELETE (-U, -D) events.
 *
 * @public
 */
export const canalJsonFormat: FormatFactory & { readonly kind: 'format' } = {
  kind: 'format',
  identifier: 'canal-json',
  apiVersion: `^${API_VERSION}`,
  options: CANAL_JSON_OPTIONS,
  readableMetadata: CANAL_JSON_METADATA,
  createDecoder(context: FormatContext): CanalJsonRowDecoder {
    return new CanalJsonRowDecoder(context.rowType, canalJsonDecodingSettings(context.options), context.metadataKeys);
  },
  createEncoder(context: FormatContext): CanalJsonRowEncoder {
    return new CanalJsonRowEncoder(context.rowType, canalJsonEncodingSettings(context.options));
  },
};
