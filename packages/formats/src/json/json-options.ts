// The options of the `json` format, declared as data with Flink's keys (without the `json.` prefix, which the
// planner strips) and defaults, and their typed reading for a decoder or encoder.
import { ConfigurationError, defineOption, parseOptions, type OptionSet } from '@runnel/api/config';
import type { TimestampStandard } from '../internal/parse-scalar.js';

/**
 * The options of the `json` format (Flink's `JsonFormatOptions`), keyed by their role.
 *
 * @public
 */
export const JsonOptions = {
  failOnMissingField: defineOption({
    key: 'fail-on-missing-field',
    type: 'boolean',
    defaultValue: false,
    description: 'Decoding: fail on a message that lacks a field of the row type, instead of reading the field as null.',
  }),
  ignoreParseErrors: defineOption({
    key: 'ignore-parse-errors',
    type: 'boolean',
    defaultValue: false,
    description:
      'Decoding: skip malformed messages instead of failing. Applied by the planner around the decoder (which ' +
      'reports every malformed message); cannot be combined with `fail-on-missing-field`.',
  }),
  timestampFormatStandard: defineOption({
    key: 'timestamp-format.standard',
    type: 'enum',
    values: ['SQL', 'ISO-8601'],
    defaultValue: 'SQL',
    description:
      'The text form of TIMESTAMP and TIMESTAMP_LTZ values, read and written: `SQL` (`2020-12-30 12:13:14.123`) or ' +
      '`ISO-8601` (`2020-12-30T12:13:14.123`); TIMESTAMP_LTZ values carry a trailing `Z` (UTC) in both.',
  }),
  mapNullKeyMode: defineOption({
    key: 'map-null-key.mode',
    type: 'enum',
    values: ['FAIL', 'DROP', 'LITERAL'],
    defaultValue: 'FAIL',
    description:
      'Encoding: what to do with a null key of a MAP or MULTISET value: fail, drop the entry, or write ' +
      '`map-null-key.literal` as the key.',
  }),
  mapNullKeyLiteral: defineOption({
    key: 'map-null-key.literal',
    type: 'string',
    defaultValue: 'null',
    description: 'Encoding: the key written for a null map key when `map-null-key.mode` is `LITERAL`.',
  }),
  encodeDecimalAsPlainNumber: defineOption({
    key: 'encode.decimal-as-plain-number',
    type: 'boolean',
    defaultValue: false,
    description:
      'Encoding: write DECIMAL values as plain numbers (`0.000000027`, `100`) instead of the scientific notation ' +
      'Flink writes by default for large exponents (`2.7E-8`, `1E+2`).',
  }),
  encodeIgnoreNullFields: defineOption({
    key: 'encode.ignore-null-fields',
    type: 'boolean',
    defaultValue: false,
    description: 'Encoding: leave out fields whose value is null (in nested rows too) instead of writing `null`.',
  }),
  decodeJsonParserEnabled: defineOption({
    key: 'decode.json-parser.enabled',
    type: 'boolean',
    defaultValue: true,
    description: "Accepted for compatibility with Flink DDL and ignored: Runnel's decoder has a single parser.",
  }),
} as const;

/**
 * Every option of the `json` format (the factory's `options`).
 *
 * @public
 */
export const JSON_OPTIONS: OptionSet = Object.values(JsonOptions);

/**
 * How a `json` decoder reads messages.
 *
 * @internal
 */
export interface JsonDecodingSettings {
  /** Fail on a missing field instead of reading null. */
  readonly failOnMissingField: boolean;
  /** The text form of timestamps. */
  readonly timestampStandard: TimestampStandard;
}

/**
 * How a `json` encoder writes rows.
 *
 * @internal
 */
export interface JsonEncodingSettings {
  readonly timestampStandard: TimestampStandard;
  readonly mapNullKeyMode: 'FAIL' | 'DROP' | 'LITERAL';
  readonly mapNullKeyLiteral: string;
  /** Write DECIMALs with `toPlainString` instead of Java's `toString` (scientific for large exponents). */
  readonly decimalAsPlainNumber: boolean;
  /** Leave out null fields. */
  readonly ignoreNullFields: boolean;
}

function parse(raw: Readonly<Record<string, string>>) {
  const o = parseOptions(JSON_OPTIONS, raw, { context: "format 'json'" });
  if (o.get(JsonOptions.failOnMissingField) && o.get(JsonOptions.ignoreParseErrors)) {
    throw new ConfigurationError(
      "format 'json': options 'fail-on-missing-field' and 'ignore-parse-errors' cannot both be true",
      JsonOptions.failOnMissingField.key,
    );
  }
  return o;
}

/**
 * Validates the `json` options (without prefix) and returns the decoder's settings.
 *
 * @throws ConfigurationError on an unknown option, a bad value, or `fail-on-missing-field` together with
 *   `ignore-parse-errors`
 * @internal
 */
export function jsonDecodingSettings(raw: Readonly<Record<string, string>>): JsonDecodingSettings {
  const o = parse(raw);
  return { failOnMissingField: o.get(JsonOptions.failOnMissingField), timestampStandard: o.get(JsonOptions.timestampFormatStandard) };
}

/**
 * Validates the `json` options (without prefix) and returns the encoder's settings.
 *
 * @throws ConfigurationError on an unknown option or a bad value
 * @internal
 */
export function jsonEncodingSettings(raw: Readonly<Record<string, string>>): JsonEncodingSettings {
  const o = parse(raw);
  return {
    timestampStandard: o.get(JsonOptions.timestampFormatStandard),
    mapNullKeyMode: o.get(JsonOptions.mapNullKeyMode),
    mapNullKeyLiteral: o.get(JsonOptions.mapNullKeyLiteral),
    decimalAsPlainNumber: o.get(JsonOptions.encodeDecimalAsPlainNumber),
    ignoreNullFields: o.get(JsonOptions.encodeIgnoreNullFields),
  };
}
