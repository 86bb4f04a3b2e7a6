// The `raw` format factory (`'format' = 'raw'`), found by the planner through the `runnel` manifest of this
// package: validates the options and the single-column row type, and builds decoders and encoders.
import { API_VERSION } from '@runnel/api';
import type { FormatContext, FormatFactory } from '@runnel/api/table';
import { RawRowDecoder } from './raw-decoder.js';
import { RawRowEncoder } from './raw-encoder.js';
import { RAW_OPTIONS, rawSettings } from './raw-options.js';

/**
 * The `raw` format (Flink's raw format): the whole message is the value of a single column (STRING in a charset,
 * BYTES, or a number in a byte order); decoders produce +I rows.
 *
 * @public
 */
export const rawFormat: FormatFactory & { readonly kind: 'format' } = {
  kind: 'format',
  identifier: 'raw',
  apiVersion: `^${API_VERSION}`,
  options: RAW_OPTIONS,
  createDecoder(context: FormatContext): RawRowDecoder {
    return new RawRowDecoder(context.rowType, rawSettings(context.options));
  },
  createEncoder(context: FormatContext): RawRowEncoder {
    return new RawRowEncoder(context.rowType, rawSettings(context.options));
  },
};
