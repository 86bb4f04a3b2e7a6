// The options of the `canal-json` format, declared as data with Flink's keys (without the `canal-json.` prefix,
// which the planner strips) and defaults, and their typed reading for a decoder or encoder. The JSON options mean
// what they mean for the `json` format; `database.include` and `table.include` filter the events of a topic that
// carries several tables.
import { ConfigurationError, defineOption, parseOptions, type OptionSet } from '@runnel/api/config';
import type { TimestampStandard } from '../internal/parse-scalar.js';
import { JsonOptions, type JsonEncodingSettings } from '../json/json-options.js';

/**
 * The options of the `canal-json` format (Flink's `CanalJsonFormatOptions`), keyed by their role.
 *
 * @public
 */
export const CanalJsonOptions = {
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
  databaseInclude: defineOption({
    key: 'database.include',
    type: 'string',
    description:
      'Decoding: read only events whose `database` matches this regular expression (the whole name must match); ' +
      'other events hold no rows.',
  }),
  tableInclude: defineOption({
    key: 'table.include',
    type: 'string',
    description:
      'Decoding: read only events whose `table` matches this regular expression (the whole name must match); ' +
      'other events hold no rows.',
  }),
} as const;

/**
 * Every option of the `canal-json` format (the factory's `options`).
 *
 * @public
 */
export const CANAL_JSON_OPTIONS: OptionSet = Object.values(CanalJsonOptions);

/**
 * How a `canal-json` decoder reads messages.
 *
 * @internal
 */
export interface CanalJsonDecodingSettings {
  readonly timestampStandard: TimestampStandard;
  /** Events of other databases hold no rows. */
  readonly databaseInclude?: RegExp;
  /** Events of other tables hold no rows. */
  readonly tableInclude?: RegExp;
}

const CONTEXT = { context: "format 'canal-json'" };

/**
 * A whole-name pattern. The expression is JavaScript's, which reads the patterns names are filtered with
 * (`inventory`, `orders_\d+`, `db1|db2`, `.*_shadow`) as Java does.
 */
function wholeMatch(pattern: string | undefined, key: string): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (e) {
    throw new ConfigurationError(`format 'canal-json': option '${key}': '${pattern}' is not a regular expression: ${(e as Error).message}`, key);
  }
}

/**
 * Validates the `canal-json` options (without prefix) and returns the decoder's settings.
 *
 * @throws ConfigurationError on an unknown option, a bad value or a pattern that is not a regular expression
 * @internal
 */
export function canalJsonDecodingSettings(raw: Readonly<Record<string, string>>): CanalJsonDecodingSettings {
  const o = parseOptions(CANAL_JSON_OPTIONS, raw, CONTEXT);
  return {
    timestampStandard: o.get(CanalJsonOptions.timestampFormatStandard),
    databaseInclude: wholeMatch(o.getOptional(CanalJsonOptions.databaseInclude), CanalJsonOptions.databaseInclude.key),
    tableInclude: wholeMatch(o.getOptional(CanalJsonOptions.tableInclude), CanalJsonOptions.tableInclude.key),
  };
}

/**
 * Validates the `canal-json` options (without prefix) and returns the settings of the encoder of the rows inside the
 * envelope.
 *
 * @throws ConfigurationError on an unknown option or a bad value
 * @internal
 */
export function canalJsonEncodingSettings(raw: Readonly<Record<string, string>>): JsonEncodingSettings {
  const o = parseOptions(CANAL_JSON_OPTIONS, raw, CONTEXT);
  return {
    timestampStandard: o.get(CanalJsonOptions.timestampFormatStandard),
    mapNullKeyMode: o.get(CanalJsonOptions.mapNullKeyMode),
    mapNullKeyLiteral: o.get(CanalJsonOptions.mapNullKeyLiteral),
    decimalAsPlainNumber: o.get(CanalJsonOptions.encodeDecimalAsPlainNumber),
    ignoreNullFields: o.get(CanalJsonOptions.encodeIgnoreNullFields),
  };
}
