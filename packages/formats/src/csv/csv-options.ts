// The options of the `csv` format, declared as data with Flink's keys (without the `csv.` prefix, which the planner
// strips) and defaults, and their typed, checked reading: single characters where Flink requires them, with Java
// escapes in the field delimiter (`\t`, `\u0001`) as Flink reads it.
import { ConfigurationError, defineOption, parseOptions, type OptionSet } from '@runnel/api/config';

/**
 * The options of the `csv` format (Flink's `CsvFormatOptions`), keyed by their role.
 *
 * @public
 */
export const CsvOptions = {
  fieldDelimiter: defineOption({
    key: 'field-delimiter',
    type: 'string',
    defaultValue: ',',
    description: 'The field delimiter, a single character; Java escapes are read (`\\t` for a tab, `\\u0001`).',
  }),
  disableQuoteCharacter: defineOption({
    key: 'disable-quote-character',
    type: 'boolean',
    defaultValue: false,
    description: 'Disable quoting of field values; then `quote-character` cannot be set.',
  }),
  quoteCharacter: defineOption({
    key: 'quote-character',
    type: 'string',
    defaultValue: '"',
    description: 'The character that encloses field values holding delimiters, quotes or line breaks.',
  }),
  allowComments: defineOption({
    key: 'allow-comments',
    type: 'boolean',
    defaultValue: false,
    description: 'Decoding: skip lines that start with `#` (no row).',
  }),
  ignoreParseErrors: defineOption({
    key: 'ignore-parse-errors',
    type: 'boolean',
    defaultValue: false,
    description: 'Decoding: skip malformed lines instead of failing. Applied by the planner around the decoder.',
  }),
  arrayElementDelimiter: defineOption({
    key: 'array-element-delimiter',
    type: 'string',
    defaultValue: ';',
    description: 'The delimiter of the elements of ARRAY values and of the fields of nested ROW values.',
  }),
  escapeCharacter: defineOption({
    key: 'escape-character',
    type: 'string',
    defaultDescription: 'none (no escaping)',
    description: 'A character that makes the next one literal (`\\n`, `\\r`, `\\t`, `\\0` stand for the control characters).',
  }),
  nullLiteral: defineOption({
    key: 'null-literal',
    type: 'string',
    defaultDescription: 'none',
    description: 'A field text read as null, and written for null values; without it null is an empty field.',
  }),
  writeBigdecimalInScientificNotation: defineOption({
    key: 'write-bigdecimal-in-scientific-notation',
    type: 'boolean',
    defaultValue: true,
    description:
      'Encoding: write DECIMAL values as Java writes BigDecimals (trailing zeros dropped, scientific notation for ' +
      'large exponents: 100000 as `1E+5`); false writes plain numbers.',
  }),
} as const;

/**
 * Every option of the `csv` format (the factory's `options`).
 *
 * @public
 */
export const CSV_OPTIONS: OptionSet = Object.values(CsvOptions);

/**
 * The `csv` options, read and checked.
 *
 * @internal
 */
export interface CsvSettings {
  /** The field delimiter (one UTF-16 code unit). */
  readonly fieldDelimiter: string;
  /** The quote character, or undefined when quoting is disabled. */
  readonly quoteCharacter: string | undefined;
  readonly allowComments: boolean;
  readonly arrayElementDelimiter: string;
  readonly escapeCharacter: string | undefined;
  readonly nullLiteral: string | undefined;
  /** DECIMALs as Java's `BigDecimal.toString` (scientific for large exponents) rather than plain. */
  readonly decimalScientific: boolean;
}

/** Java's escapes, as Flink reads the field delimiter (`StringEscapeUtils.unescapeJava`). */
function unescapeJava(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e.length === 5 && e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    switch (e) {
      case 't':
        return '\t';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      default:
        return e;
    }
  });
}

function singleCharacter(value: string, key: string): string {
  if (value.length !== 1) {
    throw new ConfigurationError(`format 'csv': option '${key}' must be a single character, but was '${value}'`, key);
  }
  return value;
}

/**
 * Validates the `csv` options (without prefix).
 *
 * @throws ConfigurationError on an unknown option, a bad value, a delimiter or quote that is not a single character,
 *   or both `quote-character` and `disable-quote-character`
 * @internal
 */
export function csvSettings(raw: Readonly<Record<string, string>>): CsvSettings {
  const o = parseOptions(CSV_OPTIONS, raw, { context: "format 'csv'" });
  const fieldDelimiter = singleCharacter(unescapeJava(o.get(CsvOptions.fieldDelimiter)), CsvOptions.fieldDelimiter.key);
  const disableQuote = o.get(CsvOptions.disableQuoteCharacter);
  if (disableQuote && o.isSet(CsvOptions.quoteCharacter)) {
    throw new ConfigurationError(
      "format 'csv': options 'quote-character' and 'disable-quote-character' cannot both be set",
      CsvOptions.quoteCharacter.key,
    );
  }
  const quoteCharacter = disableQuote ? undefined : singleCharacter(o.get(CsvOptions.quoteCharacter), CsvOptions.quoteCharacter.key);
  const escape = o.get(CsvOptions.escapeCharacter);
  const escapeCharacter = escape === undefined ? undefined : singleCharacter(escape, CsvOptions.escapeCharacter.key);
  const arrayElementDelimiter = o.get(CsvOptions.arrayElementDelimiter);
  if (arrayElementDelimiter === '') {
    throw new ConfigurationError("format 'csv': option 'array-element-delimiter' must not be empty", CsvOptions.arrayElementDelimiter.key);
  }
  const special = [fieldDelimiter, quoteCharacter, escapeCharacter].filter((c) => c !== undefined);
  if (new Set(special).size !== special.length || special.some((c) => c === '\n' || c === '\r')) {
    throw new ConfigurationError(
      "format 'csv': the field delimiter, quote and escape characters must differ from each other and from line breaks",
      CsvOptions.fieldDelimiter.key,
    );
  }
  return {
    fieldDelimiter,
    quoteCharacter,
    allowComments: o.get(CsvOptions.allowComments),
    arrayElementDelimiter,
    escapeCharacter,
    nullLiteral: o.get(CsvOptions.nullLiteral),
    decimalScientific: o.get(CsvOptions.writeBigdecimalInScientificNotation),
  };
}
