// The `csv` encoder: a row to one CSV line (without a line break; the sink adds its own), the fields in the row
// type's order. Values are written in the forms the decoder reads, so that every row reads back as written: a field
// is quoted only when it must be (it holds the delimiter, the quote or escape character or a line break, is empty
// text, equals `null-literal`, or would start a comment line), doubling quotes and escape characters inside. Null
// is written as `null-literal`, or as an empty field without it.
import { formatLogicalType, type LogicalType, type Row, type RowEncoder, type RowType } from '@runnel/api/table';
import { formatDecimal } from '../internal/decimal-text.js';
import { describeValue, fail, FieldError, withSegment } from '../internal/field-error.js';
import { formatBase64, formatDate, formatFloat, formatTime, formatTimestamp } from '../internal/format-scalar.js';
import { decimalPrecisionScale } from '../internal/logical-types.js';
import { checkCsvRowType } from './csv-decoder.js';
import type { CsvSettings } from './csv-options.js';

/** Writes a non-null value as its unquoted, unescaped text. */
type TextWriter = (value: unknown) => string;

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/**
 * Encodes rows as CSV lines.
 *
 * @internal
 */
export class CsvRowEncoder implements RowEncoder {
  private readonly writers: ((value: unknown, first: boolean) => string)[];
  private readonly names: string[];
  private readonly delimiter: string;
  /** What a line of one empty field is written as (an empty line would hold no row). */
  private readonly emptyLine: string;

  constructor(rowType: RowType, settings: CsvSettings) {
    checkCsvRowType(rowType, settings);
    const field = new FieldText(settings);
    this.names = rowType.fields.map((f) => f.name);
    this.writers = rowType.fields.map((f) => field.writer(f.type));
    this.delimiter = settings.fieldDelimiter;
    this.emptyLine = settings.quoteCharacter === undefined ? '' : settings.quoteCharacter.repeat(2);
  }

  encode(row: Row): string {
    const values = row.fields;
    let line = '';
    for (let i = 0; i < this.writers.length; i++) {
      try {
        line += (i === 0 ? '' : this.delimiter) + this.writers[i]!(values[i], i === 0);
      } catch (e) {
        const f = withSegment(e, this.names[i]!);
        throw f instanceof FieldError ? f.toFormatError('cannot encode: ') : f;
      }
    }
    return line === '' && this.writers.length > 0 ? this.emptyLine : line;
  }
}

/** Quoting and escaping of field texts under some settings. */
class FieldText {
  private readonly quote: string | undefined;
  private readonly escape: string | undefined;
  private readonly nullText: string;
  private readonly special: RegExp;
  private readonly elementDelimiter: string;

  constructor(private readonly settings: CsvSettings) {
    this.quote = settings.quoteCharacter;
    this.escape = settings.escapeCharacter;
    this.nullText = settings.nullLiteral ?? '';
    this.elementDelimiter = settings.arrayElementDelimiter;
    const chars = [settings.fieldDelimiter, settings.quoteCharacter, settings.escapeCharacter].filter((c) => c !== undefined);
    this.special = new RegExp(`[${chars.map(escapeRegExp).join('')}\\r\\n]`);
  }

  /** The writer of a top-level field: null, then the value's text, quoted when needed. */
  writer(type: LogicalType): (value: unknown, first: boolean) => string {
    const text = this.textWriter(type);
    const nested = type.root === 'ARRAY' || type.root === 'ROW';
    // An empty string, bytes or array is written quoted (`""`), so that it reads back apart from null.
    const emptyIsValue = nested ? type.root === 'ARRAY' : ['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY'].includes(type.root);
    return (v, first) => {
      if (v === null || v === undefined) return this.nullText;
      const t = text(v);
      const force = (t === '' && emptyIsValue) || t === this.settings.nullLiteral || (this.settings.allowComments && first && t.startsWith('#'));
      // The elements of an ARRAY or ROW come with their escapes already (see `element`).
      return this.field(t, force, !nested);
    };
  }

  /** A field's text as written: quoted (or escaped) when it must be; `escapeText`: escape characters in it are literal. */
  private field(t: string, force: boolean, escapeText: boolean): string {
    if (!force && !this.special.test(t)) return t;
    const { quote, escape } = this;
    if (quote !== undefined) {
      let body = escape === undefined || !escapeText ? t : t.replaceAll(escape, escape + escape);
      body = body.replaceAll(quote, quote + quote);
      return quote + body + quote;
    }
    if (escape !== undefined) {
      // Without quotes, escape what would end or split the field; a forced field gets its first character escaped,
      // which keeps it from reading as null or as a comment.
      const out = this.escaped(t, escapeText);
      return force && t !== '' && !out.startsWith(escape) ? escape + out : out;
    }
    return fail(
      `${describeValue(t)} needs quoting (it holds the field delimiter or a line break, is empty or the null literal), but quoting is disabled; set csv.escape-character`,
    );
  }

  /** Text with the escape character before each field delimiter (and each escape character, `escapeText`); line breaks as `\n`, `\r`. */
  private escaped(t: string, escapeText: boolean): string {
    const escape = this.escape!;
    const delimiter = this.settings.fieldDelimiter;
    let out = '';
    for (const c of t) {
      if (c === '\n') out += `${escape}n`;
      else if (c === '\r') out += `${escape}r`;
      else if (c === delimiter || (escapeText && c === escape)) out += escape + c;
      else out += c;
    }
    return out;
  }

  /** An element of an ARRAY or nested ROW: its element delimiter escaped (it cannot be quoted). */
  private element(t: string): string {
    const needs = t.includes(this.elementDelimiter) || (this.escape !== undefined && t.includes(this.escape));
    if (!needs) return t;
    if (this.escape === undefined) {
      fail(`the element ${describeValue(t)} holds the array-element-delimiter '${this.elementDelimiter}'; set csv.escape-character to write it`);
    }
    let out = '';
    for (let i = 0; i < t.length; i++) {
      if (t.startsWith(this.elementDelimiter, i)) {
        out += this.escape + this.elementDelimiter;
        i += this.elementDelimiter.length - 1;
      } else {
        out += t[i] === this.escape ? this.escape + this.escape : t[i];
      }
    }
    return out;
  }

  private textWriter(type: LogicalType): TextWriter {
    const what = formatLogicalType(type);
    const number = (v: unknown): number => (typeof v === 'number' ? v : fail(`expected a number for ${what}, got ${describeValue(v)}`));
    switch (type.root) {
      case 'NULL':
        return () => this.nullText;
      case 'BOOLEAN':
        return (v) => (typeof v === 'boolean' ? (v ? 'true' : 'false') : fail(`expected a boolean for ${what}, got ${describeValue(v)}`));
      case 'TINYINT':
      case 'SMALLINT':
      case 'INTEGER':
      case 'INTERVAL_YEAR_MONTH':
      case 'INTERVAL_DAY_TIME':
      case 'DOUBLE':
        return (v) => `${number(v)}`;
      case 'FLOAT':
        return (v) => formatFloat(number(v));
      case 'BIGINT':
        return (v) =>
          typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)) ? `${v}` : fail(`expected a bigint for ${what}, got ${describeValue(v)}`);
      case 'DECIMAL': {
        const scale = decimalPrecisionScale(type)[1];
        const scientific = this.settings.decimalScientific;
        return (v) =>
          typeof v === 'bigint' ? formatDecimal(v, scale, scientific) : fail(`expected a bigint (the unscaled value) for ${what}, got ${describeValue(v)}`);
      }
      case 'CHAR':
      case 'VARCHAR':
        return (v) => (typeof v === 'string' ? v : fail(`expected a string for ${what}, got ${describeValue(v)}`));
      case 'BINARY':
      case 'VARBINARY':
        return (v) => (v instanceof Uint8Array ? formatBase64(v) : fail(`expected a Uint8Array for ${what}, got ${describeValue(v)}`));
      case 'DATE':
        return (v) => formatDate(number(v));
      case 'TIME':
        return (v) => formatTime(number(v));
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ': {
        const zoned = type.root === 'TIMESTAMP_LTZ';
        return (v) => formatTimestamp(number(v), 'SQL', zoned);
      }
      case 'ARRAY': {
        const element = this.textWriter(type.element!);
        return (v) => {
          if (!Array.isArray(v)) fail(`expected an array for ${what}, got ${describeValue(v)}`);
          return v.map((e: unknown, i) => this.elementText(element, e, `[${i}]`)).join(this.elementDelimiter);
        };
      }
      case 'ROW': {
        const fields = type.fields ?? [];
        const writers = fields.map((f) => this.textWriter(f.type));
        return (v) => {
          if (!Array.isArray(v)) fail(`expected the nested row's fields as an array for ${what}, got ${describeValue(v)}`);
          return writers.map((w, i) => this.elementText(w, v[i], fields[i]!.name)).join(this.elementDelimiter);
        };
      }
      default:
        // Unreachable: checkCsvRowType refused the type when the encoder was created.
        throw new Error(`format 'csv' does not support the type ${what}`);
    }
  }

  private elementText(write: TextWriter, v: unknown, segment: string): string {
    try {
      return v === null || v === undefined ? this.nullText : this.element(write(v));
    } catch (e) {
      throw withSegment(e, segment);
    }
  }
}
