// The `csv` decoder: one message is one CSV line (a trailing line break is ignored), its fields are the row's fields
// by position. Values are read as Flink's CSV format reads them: numbers with surrounding blanks trimmed, DATE as
// `yyyy-M-d`, TIME as `HH:mm[:ss[.fraction]]` cut to the type's precision, TIMESTAMP as `yyyy-MM-dd HH:mm:ss[.f]`
// (with a `Z` for TIMESTAMP_LTZ), BYTES as base64, ARRAY and ROW values as elements split on
// `array-element-delimiter`. An empty field is null for every type but the string and binary ones (which read
// it as an empty value, as Flink does); `null-literal`, when set, is null for every type.
import { ConfigurationError } from '@runnel/api/config';
import { FormatError, formatLogicalType, INSERT_ONLY, RowKind, type ChangelogMode, type LogicalType, type Row, type RowDecoder, type RowType } from '@runnel/api/table';
import { parseDecimalText } from '../internal/decimal-text.js';
import { describeValue, fail, FieldError, withSegment } from '../internal/field-error.js';
import { decimalPrecisionScale } from '../internal/logical-types.js';
import {
  BIGINT_MAX,
  BIGINT_MIN,
  INTEGER_RANGES,
  parseBase64,
  parseBigintText,
  parseBooleanText,
  parseDateText,
  parseDoubleText,
  parseIntegerText,
  parseTimestampText,
  parseTimeText,
  timestampExample,
} from '../internal/parse-scalar.js';
import { splitCsvLine, splitElements, unescapeCsv, type CsvSyntax } from './csv-line.js';
import type { CsvSettings } from './csv-options.js';

/** Reads one field's text (escapes still in place) as a value; `quoted` tells `""` from an empty field. */
type FieldReader = (text: string, quoted: boolean) => unknown;

/** Converts unescaped, non-empty text of a scalar type. */
type ScalarReader = (text: string) => unknown;

/**
 * The character codes of the line syntax of some settings.
 *
 * @internal
 */
export function csvSyntax(settings: CsvSettings): CsvSyntax {
  return {
    delimiter: settings.fieldDelimiter.charCodeAt(0),
    quote: settings.quoteCharacter === undefined ? -1 : settings.quoteCharacter.charCodeAt(0),
    escape: settings.escapeCharacter === undefined ? -1 : settings.escapeCharacter.charCodeAt(0),
  };
}

/**
 * Decodes CSV lines into rows.
 *
 * @internal
 */
export class CsvRowDecoder implements RowDecoder {
  readonly changelogMode: ChangelogMode = INSERT_ONLY;
  private readonly syntax: CsvSyntax;
  private readonly readers: FieldReader[];
  private readonly names: string[];
  private readonly allowComments: boolean;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(rowType: RowType, settings: CsvSettings) {
    this.syntax = csvSyntax(settings);
    this.names = rowType.fields.map((f) => f.name);
    this.readers = rowType.fields.map((f) => fieldReader(f.type, settings, this.syntax, true));
    this.allowComments = settings.allowComments;
  }

  decode(message: Uint8Array | string, emit: (row: Row) => void): void {
    let line: string;
    if (typeof message === 'string') {
      line = message;
    } else {
      try {
        line = this.utf8.decode(message);
      } catch {
        throw new FormatError('malformed message: not valid UTF-8');
      }
    }
    if (line.endsWith('\n')) line = line.slice(0, line.endsWith('\r\n') ? -2 : -1);
    // An empty line and (with allow-comments) a comment line hold no row, as in Flink.
    if (line === '' || (this.allowComments && line.charCodeAt(0) === 0x23)) return;
    const { texts, quoted } = splitCsvLine(line, this.syntax);
    const n = this.readers.length;
    if (texts.length !== n) throw new FormatError(`expected ${n} field${n === 1 ? '' : 's'}, found ${texts.length}`);
    const fields = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      try {
        fields[i] = this.readers[i]!(texts[i]!, quoted[i]!);
      } catch (e) {
        const f = withSegment(e, this.names[i]!);
        throw f instanceof FieldError ? f.toFormatError() : f;
      }
    }
    emit({ kind: RowKind.INSERT, fields });
  }
}

function fieldReader(type: LogicalType, settings: CsvSettings, syntax: CsvSyntax, topLevel: boolean): FieldReader {
  const escape = syntax.escape;
  const nullLiteral = settings.nullLiteral;
  const typeText = formatLogicalType(type);
  const nullValue = (): null => (type.nullable ? null : fail(`null is not allowed (${typeText})`));
  const isNull = (text: string, quoted: boolean): boolean => !quoted && text === nullLiteral;

  if (type.root === 'ARRAY' || type.root === 'ROW') {
    if (!topLevel) {
      throw new ConfigurationError(
        `format 'csv' does not support ${typeText} inside an ARRAY or ROW: only scalar values can be nested one level`,
      );
    }
    const read = type.root === 'ARRAY' ? arrayReader(type, settings, syntax) : rowReader(type, settings, syntax);
    return (text, quoted) => {
      if (isNull(text, quoted)) return nullValue();
      // An empty field is null; a quoted empty field is an empty array (what the encoder writes for one).
      if (text === '') return quoted && type.root === 'ARRAY' ? [] : nullValue();
      return read(text);
    };
  }

  const scalar = scalarReader(type, settings);
  const emptyIsValue = type.root === 'CHAR' || type.root === 'VARCHAR' || type.root === 'BINARY' || type.root === 'VARBINARY';
  return (text, quoted) => {
    if (isNull(text, quoted)) return nullValue();
    if (text === '') return emptyIsValue ? scalar('') : nullValue();
    return scalar(escape < 0 ? text : unescapeCsv(text, escape));
  };
}

function arrayReader(type: LogicalType, settings: CsvSettings, syntax: CsvSyntax): ScalarReader {
  const element = fieldReader(type.element!, settings, syntax, false);
  const delimiter = settings.arrayElementDelimiter;
  return (text) => {
    const parts = splitElements(text, delimiter, syntax.escape);
    const out = new Array<unknown>(parts.length);
    for (let i = 0; i < parts.length; i++) {
      try {
        out[i] = element(parts[i]!, false);
      } catch (e) {
        throw withSegment(e, `[${i}]`);
      }
    }
    return out;
  };
}

function rowReader(type: LogicalType, settings: CsvSettings, syntax: CsvSyntax): ScalarReader {
  const fields = type.fields ?? [];
  const readers = fields.map((f) => fieldReader(f.type, settings, syntax, false));
  const delimiter = settings.arrayElementDelimiter;
  return (text) => {
    const parts = splitElements(text, delimiter, syntax.escape);
    if (parts.length !== fields.length) fail(`expected ${fields.length} nested fields separated by '${delimiter}', found ${parts.length}`);
    const out = new Array<unknown>(parts.length);
    for (let i = 0; i < parts.length; i++) {
      try {
        out[i] = readers[i]!(parts[i]!, false);
      } catch (e) {
        throw withSegment(e, fields[i]!.name);
      }
    }
    return out;
  };
}

function scalarReader(type: LogicalType, settings: CsvSettings): ScalarReader {
  const got = (text: string): string => `got ${describeValue(text)}`;
  switch (type.root) {
    case 'NULL':
      return () => null;
    case 'BOOLEAN':
      return (t) => parseBooleanText(t) ?? fail(`expected true or false, ${got(t)}`);
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME': {
      const [min, max] = INTEGER_RANGES[type.root];
      const name = formatLogicalType({ ...type, nullable: true });
      return (t) => {
        const n = parseIntegerText(t);
        if (n === undefined) fail(`expected an integer, ${got(t)}`);
        if (n < min || n > max) fail(`${t.trim()} is out of range for ${name}`);
        return n;
      };
    }
    case 'BIGINT':
      return (t) => {
        const b = parseBigintText(t);
        if (b === undefined) fail(`expected an integer, ${got(t)}`);
        if (b < BIGINT_MIN || b > BIGINT_MAX) fail(`${t.trim()} is out of range for BIGINT`);
        return b;
      };
    case 'FLOAT':
      return (t) => Math.fround(parseDoubleText(t) ?? fail(`expected a number, ${got(t)}`));
    case 'DOUBLE':
      return (t) => parseDoubleText(t) ?? fail(`expected a number, ${got(t)}`);
    case 'DECIMAL': {
      const [precision, scale] = decimalPrecisionScale(type);
      const typeText = formatLogicalType(type);
      return (t) => {
        const d = parseDecimalText(t.trim(), precision, scale);
        if (d === undefined) fail(`expected a number, ${got(t)}`);
        // Flink reads a DECIMAL that overflows its precision as null; for a NOT NULL field that is a failure.
        return d ?? (type.nullable ? null : fail(`${t.trim()} overflows ${typeText}`));
      };
    }
    case 'CHAR':
    case 'VARCHAR':
      return (t) => t;
    case 'BINARY':
    case 'VARBINARY':
      return (t) => parseBase64(t) ?? fail(`expected base64 text, ${got(t)}`);
    case 'DATE':
      return (t) => parseDateText(t.trim(), true) ?? fail(`expected a date like '2020-12-30', ${got(t)}`);
    case 'TIME': {
      // Flink's CSV format cuts the fraction to the type's precision (TIME(0): whole seconds).
      const unit = 10 ** (3 - Math.min(3, type.precision ?? 0));
      return (t) => {
        const ms = parseTimeText(t.trim(), true) ?? fail(`expected a time like '12:13:14.123', ${got(t)}`);
        return ms - (ms % unit);
      };
    }
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ': {
      const zoned = type.root === 'TIMESTAMP_LTZ';
      const expected = `expected a timestamp like '${timestampExample('SQL', zoned)}', `;
      return (t) => parseTimestampText(t.trim(), 'SQL', zoned) ?? fail(expected + got(t));
    }
    default:
      throw new ConfigurationError(`format 'csv' does not support the type ${formatLogicalType(type)}`);
  }
}

/**
 * Checks at creation that a row type can be read and written as CSV (throws for MAP, MULTISET and deeper nesting).
 *
 * @internal
 */
export function checkCsvRowType(rowType: RowType, settings: CsvSettings): void {
  const syntax = csvSyntax(settings);
  for (const f of rowType.fields) fieldReader(f.type, settings, syntax, true);
}
