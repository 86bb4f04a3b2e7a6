// The `maxwell-json` format factory (`'format' = 'maxwell-json'`), found by the planner through the `runnel`
// manifest of this package: validates the options and builds decoders and encoders of Maxwell events, both
// declaring the full changelog (+I, -U, +U, -D).
import { API_VERSION } from '@runnel/api';
import type { FormatContext, FormatFactory } from '@runnel/api/table';
import { MaxwellJsonRowDecoder, MAXWELL_JSON_METADATA } from './maxwell-json-decoder.js';
import { MaxwellJsonRowEncoder } from './maxwell-json-encoder.js';
import { MAXWELL_JSON_OPTIONS, maxwellJsonDecodingSettings, maxwellJsonEncodingSettings } from './maxwell-json-options.js';

/**
 * The `maxwell-json` format (Flink's Maxwell JSON format): Maxwell's MySQL change events decoded into +I/-U/+U/-D
 * rows; rows encoded as `insert` (+I, +U) and `delete` (-U, -D) events.
 *
 * @public
 */
export const maxwellJsonFormat: FormatFactory & { readonly kind: 'format' } = {
  kind: 'format',
  identifier: 'maxwell-json',
  apiVersion: `^${API_VERSION}`,
  options: MAXWELL_JSON_OPTIONS,
  readableMetadata: MAXWELL_JSON_METADATA,
  createDecoder(context: FormatContext): MaxwellJsonRowDecoder {
    return new MaxwellJsonRowDecoder(context.rowType, maxwellJsonDecodingSettings(context.options), context.metadataKeys);
  },
  createEncoder(context: FormatContext): MaxwellJsonRowEncoder {
    return new MaxwellJsonRowEncoder(context.rowType, maxwellJsonEncodingSettings(context.options));
  },
};
