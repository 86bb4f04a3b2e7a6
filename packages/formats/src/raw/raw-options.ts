// The options of the `raw` format, declared as data with Flink's keys (without the `raw.` prefix, which the planner
// strips) and defaults, and their checked reading.
import { ConfigurationError, defineOption, parseOptions, type OptionSet } from '@runnel/api/config';
import { charsetNamed, SUPPORTED_CHARSETS, type Charset } from './charset.js';

/**
 * The options of the `raw` format (Flink's `RawFormatOptions`), keyed by their role.
 *
 * @public
 */
export const RawOptions = {
  charset: defineOption({
    key: 'charset',
    type: 'string',
    defaultValue: 'UTF-8',
    description: `The charset of STRING values: ${SUPPORTED_CHARSETS.join(', ')} (case-insensitive; Java's aliases such as \`UTF8\`, \`latin1\` are read too).`,
  }),
  endianness: defineOption({
    key: 'endianness',
    type: 'enum',
    values: ['big-endian', 'little-endian'],
    defaultValue: 'big-endian',
    description: 'The byte order of numeric values (SMALLINT, INT, BIGINT, FLOAT, DOUBLE).',
  }),
} as const;

/**
 * Every option of the `raw` format (the factory's `options`).
 *
 * @public
 */
export const RAW_OPTIONS: OptionSet = Object.values(RawOptions);

/**
 * The `raw` options, read and checked.
 *
 * @internal
 */
export interface RawSettings {
  readonly charset: Charset;
  readonly littleEndian: boolean;
}

/**
 * Validates the `raw` options (without prefix).
 *
 * @throws ConfigurationError on an unknown option, a bad value or an unsupported charset
 * @internal
 */
export function rawSettings(raw: Readonly<Record<string, string>>): RawSettings {
  const o = parseOptions(RAW_OPTIONS, raw, { context: "format 'raw'" });
  const name = o.get(RawOptions.charset);
  const charset = charsetNamed(name);
  if (charset === undefined) {
    throw new ConfigurationError(
      `format 'raw': unsupported charset '${name}' in option 'charset' (supported: ${SUPPORTED_CHARSETS.join(', ')})`,
      RawOptions.charset.key,
    );
  }
  return { charset, littleEndian: o.get(RawOptions.endianness) === 'little-endian' };
}
