// The options of the `debezium-json` format, declared as data with Flink's keys (without the `debezium-json.`
// prefix, which the planner strips) and defaults, and their typed reading for a decoder or encoder. The JSON options
// mean what they mean for the `json` format; `schema-include` is the Debezium envelope's own.
import { ConfigurationError, defineOption, parseOptions, type OptionSet } from '@runnel/api/config';
import type { TimestampStandard } from '../internal/parse-scalar.js';
import { JsonOptions, type JsonEncodingSettings } from '../json/json-options.js';

/**
 * The options of the `debezium-json` format (Flink's `DebeziumJsonFormatOptions`), keyed by their role.
 *
 * @public
 */
export const DebeziumJsonOptions = {
  schemaInclude: defineOption({
    key: 'schema-include',
    type: 'boolean',
    defaultValue: false,
    description:
      'Decoding: messages carry the Kafka Connect envelope `{"schema": ..., "payload": ...}` (Debezium with ' +
      '`value.converter.schemas.enable`); the change is read from `payload`. Encoding does not write a schema: ' +
      'true fails when the encoder is created, as in Flink.',
  }),
  ignoreParseErrors: defineOption({
    key: 'ignore-parse-errors',
    type: 'boolean',
    defaultValue: false,
    description:
      'Decoding: skip malformed messages (bad JSON, a field of the wrong type, an unknown `op`) instead of failing. ' +
      'Applied by the planner around the decoder, which reports every malformed message.',
  }),
  timestampFormatStandard: JsonOptions.timestampFormatStandard,
  mapNullKeyMode: JsonOptions.mapNullKeyMode,
  mapNullKeyLiteral: JsonOptions.mapNullKeyLiteral,
  encodeDecimalAsPlainNumber: JsonOptions.encodeDecimalAsPlainNumber,
  encodeIgnoreNullFields: JsonOptions.encodeIgnoreNullFields,
} as const;

/**
 * Every option of the `debezium-json` format (the factory's `options`).
 *
 * @public
 */
export const DEBEZIUM_JSON_OPTIONS: OptionSet = Object.values(DebeziumJsonOptions);

/**
 * How a `debezium-json` decoder reads messages.
 *
 * @internal
 */
export interface DebeziumJsonDecodingSettings {
  readonly schemaInclude: boolean;
  readonly timestampStandard: TimestampStandard;
}

const CONTEXT = { context: "format 'debezium-json'" };

/**
 * Validates the `debezium-json` options (without prefix) and returns the decoder's settings.
 *
 * @throws ConfigurationError on an unknown option or a bad value
 * @internal
 */
export function debeziumJsonDecodingSettings(raw: Readonly<Record<string, string>>): DebeziumJsonDecodingSettings {
  const o = parseOptions(DEBEZIUM_JSON_OPTIONS, raw, CONTEXT);
  return { schemaInclude: o.get(DebeziumJsonOptions.schemaInclude), timestampStandard: o.get(DebeziumJsonOptions.timestampFormatStandard) };
}

/**
 * Validates the `debezium-json` options (without prefix) and returns the settings of the encoder of the rows inside
 * the envelope.
 *
 * @throws ConfigurationError on an unknown option, a bad value, or `schema-include` = true (Flink writes no schema)
 * @internal
 */
export function debeziumJsonEncodingSettings(raw: Readonly<Record<string, string>>): JsonEncodingSettings {
  const o = parseOptions(DEBEZIUM_JSON_OPTIONS, raw, CONTEXT);
  if (o.get(DebeziumJsonOptions.schemaInclude)) {
    throw new ConfigurationError(
      "format 'debezium-json': option 'schema-include' = 'true' is for reading only: the encoder writes no Kafka Connect schema (as in Flink)",
      DebeziumJsonOptions.schemaInclude.key,
    );
  }
  return {
    timestampStandard: o.get(DebeziumJsonOptions.timestampFormatStandard),
    mapNullKeyMode: o.get(DebeziumJsonOptions.mapNullKeyMode),
    mapNullKeyLiteral: o.get(DebeziumJsonOptions.mapNullKeyLiteral),
    decimalAsPlainNumber: o.get(DebeziumJsonOptions.encodeDecimalAsPlainNumber),
    ignoreNullFields: o.get(DebeziumJsonOptions.encodeIgnoreNullFields),
  };
}
