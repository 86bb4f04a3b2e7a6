// The options of the `maxwell-json` format, declared as data with Flink's keys (without the `maxwell-json.` prefix,
// which the planner strips) and defaults, and their typed reading for a decoder or encoder. They are the `json`
// format's and mean what they mean there, for the rows inside the events; Flink's Maxwell format has no filters of
// its own.
import { defineOption, parseOptions, type OptionSet } from '@runnel/api/config';
import type { TimestampStandard } from '../internal/parse-scalar.js';
import { JsonOptions, type JsonEncodingSettings } from '../json/json-options.js';

/**
 * The options of the `maxwell-json` format (Flink's `MaxwellJsonFormatOptions`), keyed by their role.
 *
 * @public
 */
export const MaxwellJsonOptions = {
  ignoreParseErrors: defineOption({
    key: 'ignore-parse-errors',
    type: 'boolean',
    defaultValue: false,
    description:
      'Decoding: skip malformed messages (bad JSON, a field of the wrong type, an unknown `type`) instead of ' +
      'failing. Applied by the planner around the decoder, which reports every malformed message.',
  }),
  timestampFormatStandard: JsonOptions.timestampFormatStandard,
  mapNullKeyMode: JsonOptions.mapNullKeyMode,
  mapNullKeyLiteral: JsonOptions.mapNullKeyLiteral,
  encodeDecimalAsPlainNumber: JsonOptions.encodeDecimalAsPlainNumber,
  encodeIgnoreNullFields: JsonOptions.encodeIgnoreNullFields,
} as const;

/**
 * Every option of the `maxwell-json` format (the factory's `options`).
 *
 * @public
 */
export const MAXWELL_JSON_OPTIONS: OptionSet = Object.values(MaxwellJsonOptions);

/**
 * How a `maxwell-json` decoder reads messages.
 *
 * @internal
 */
export interface MaxwellJsonDecodingSettings {
  readonly timestampStandard: TimestampStandard;
}

const CONTEXT = { context: "format 'maxwell-json'" };

/**
 * Validates the `maxwell-json` options (without prefix) and returns the decoder's settings.
 *
 * @throws ConfigurationError on an unknown option or a bad value
 * @internal
 */
export function maxwellJsonDecodingSettings(raw: Readonly<Record<string, string>>): MaxwellJsonDecodingSettings {
  const o = parseOptions(MAXWELL_JSON_OPTIONS, raw, CONTEXT);
  return { timestampStandard: o.get(MaxwellJsonOptions.timestampFormatStandard) };
}

/**
 * Validates the `maxwell-json` options (without prefix) and returns the settings of the encoder of the rows inside
 * the events.
 *
 * @throws ConfigurationError on an unknown option or a bad value
 * @internal
 */
export function maxwellJsonEncodingSettings(raw: Readonly<Record<string, string>>): JsonEncodingSettings {
  const o = parseOptions(MAXWELL_JSON_OPTIONS, raw, CONTEXT);
  return {
    timestampStandard: o.get(MaxwellJsonOptions.timestampFormatStandard),
    mapNullKeyMode: o.get(MaxwellJsonOptions.mapNullKeyMode),
    mapNullKeyLiteral: o.get(MaxwellJsonOptions.mapNullKeyLiteral),
    decimalAsPlainNumber: o.get(MaxwellJsonOptions.encodeDecimalAsPlainNumber),
    ignoreNullFields: o.get(MaxwellJsonOptions.encodeIgnoreNullFields),
  };
}
