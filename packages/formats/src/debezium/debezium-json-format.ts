// The `debezium-json` format factory (`'format' = 'debezium-json'`), found by the planner through the `runnel`
// manifest of this package: validates the options and builds decoders and encoders of Debezium change events, both
// declaring the full changelog (+I, -U, +U, -D).
import { API_VERSION } from '@runnel/api';
import type { FormatContext, FormatFactory } from '@runnel/api/table';
import { DebeziumJsonRowDecoder, DEBEZIUM_JSON_METADATA } from './debezium-json-decoder.js';
import { DebeziumJsonRowEncoder } from './debezium-json-encoder.js';
import { DEBEZIUM_JSON_OPTIONS, debeziumJsonDecodingSettings, debeziumJsonEncodingSettings } from './debezium-json-options.js';

/**
 * The `debezium-json` format (Flink's Debezium JSON format): Debezium change events, with or without the Kafka
 * Connect `schema`/`payload` envelope, decoded into +I/-U/+U/-D rows; rows encoded as `c` (+I, +U) and `d` (-U, -D)
 * events.
 *
 * @public
 */
export const debeziumJsonFormat: FormatFactory & { readonly kind: 'format' } = {
  kind: 'format',
  identifier: 'debezium-json',
  apiVersion: `^${API_VERSION}`,
  options: DEBEZIUM_JSON_OPTIONS,
  readableMetadata: DEBEZIUM_JSON_METADATA,
  createDecoder(context: FormatContext): DebeziumJsonRowDecoder {
    return new DebeziumJsonRowDecoder(context.rowType, debeziumJsonDecodingSettings(context.options), context.metadataKeys);
  },
  createEncoder(context: FormatContext): DebeziumJsonRowEncoder {
    return new DebeziumJsonRowEncoder(context.rowType, debeziumJsonEncodingSettings(context.options));
  },
};
