// Parsing of the JSON envelopes of the changelog formats (`debezium-json`, `canal-json`): a message is one JSON
// object around the rows (`before`/`after`, `data`/`old`), converted by the `json` format's row converters. As in
// the `json` decoder, the message is parsed with the native `JSON.parse` and parsed again with the exact parser only
// when a converter says a number may have lost digits (`NEEDS_EXACT_PARSE`); a decoder that sees this for a quarter
// of a window of messages parses exactly first for a while. Conversion builds every row of a message before any is
// emitted, so a second parse never emits a row twice. Shared with `canal-json`, which imports it from here.
import { FormatError, type LogicalType, type RowField } from '@runnel/api/table';
import { parseJsonExact } from '../internal/exact-json.js';
import { describeValue, fail, FieldError, withSegment } from '../internal/field-error.js';
import { JsonNumber } from '../internal/json-number.js';
import type { TimestampStandard } from '../internal/parse-scalar.js';
import { createJsonRowConverter, createJsonValueConverter, NEEDS_EXACT_PARSE, type JsonParseState } from '../json/json-value-converters.js';

/** Messages per window of the choice between the native and the exact parser. */
const WINDOW = 256;
/** Windows parsed exactly before the native parser is tried again. */
const EXACT_WINDOWS = 16;

/**
 * Parses envelopes: text to a parsed value, and the value to rows through `convert`, exactly when needed.
 *
 * @internal
 */
export class EnvelopeParser {
  /** Shared with the converters made for this parser (see {@link EnvelopeParser.rowConverter}). */
  readonly state: JsonParseState = { exact: false };
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private exactFirst = false;
  private windowMessages = 0;
  private windowReparsed = 0;
  private exactWindows = 0;

  /** The text of a message (UTF-8 for bytes, a leading byte order mark dropped). */
  text(message: Uint8Array | string): string {
    if (typeof message === 'string') return message.charCodeAt(0) === 0xfeff ? message.slice(1) : message;
    try {
      const text = this.utf8.decode(message);
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
      throw new FormatError('malformed message: not valid UTF-8');
    }
  }

  /**
   * Parses `text` and converts the value with `convert`, which reads numbers through converters made with this
   * parser's `state`; when one of them needs the exact digits, the text is parsed again exactly and converted again.
   *
   * @throws FormatError when the text is not JSON or `convert` fails (a `FieldError` names the field)
   */
  parse<T>(text: string, convert: (root: unknown) => T): T {
    let parsed: unknown;
    try {
      parsed = this.exactFirst ? parseJsonExact(text) : JSON.parse(text);
    } catch (e) {
      throw new FormatError(`malformed JSON: ${(e as Error).message}`);
    }
    this.state.exact = this.exactFirst;
    let result: T;
    try {
      result = convert(parsed);
    } catch (e) {
      if (e !== NEEDS_EXACT_PARSE) throw toFormatError(e);
      this.windowReparsed++;
      this.state.exact = true;
      try {
        result = convert(parseJsonExact(text));
      } catch (e2) {
        throw toFormatError(e2);
      } finally {
        this.state.exact = this.exactFirst;
      }
    }
    if (++this.windowMessages === WINDOW) this.nextWindow();
    return result;
  }

  /** A converter of a JSON object into the fields of `rowType`, reading numbers as this parser says. */
  rowConverter(fields: readonly RowField[], timestampStandard: TimestampStandard): (value: unknown) => unknown[] {
    return createJsonRowConverter(fields, { failOnMissingField: false, timestampStandard }, this.state);
  }

  /** A converter of one JSON value (metadata) of `type`, reading numbers as this parser says. */
  valueConverter(type: LogicalType, timestampStandard: TimestampStandard): (value: unknown) => unknown {
    return createJsonValueConverter(type, { failOnMissingField: false, timestampStandard }, this.state);
  }

  private nextWindow(): void {
    if (this.exactFirst) {
      this.exactFirst = --this.exactWindows > 0;
    } else if (this.windowReparsed * 4 >= WINDOW) {
      this.exactFirst = true;
      this.exactWindows = EXACT_WINDOWS;
    }
    this.windowMessages = 0;
    this.windowReparsed = 0;
  }
}

function toFormatError(e: unknown): unknown {
  return e instanceof FieldError ? e.toFormatError() : e;
}

/**
 * Whether a parsed value is a JSON object (not an array, not a number kept as text).
 *
 * @internal
 */
export function isJsonObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber);
}

/**
 * The envelope member `name` of an object (own members only: `constructor` is not a member of `{}`), undefined when
 * absent.
 *
 * @internal
 */
export function member(o: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(o, name) ? o[name] : undefined;
}

/**
 * Converts the row of envelope member `name` with `convert`; failures name the member (`field 'after.price'`).
 *
 * @internal
 */
export function convertMember(convert: (value: unknown) => unknown[], value: unknown, name: string): unknown[] {
  try {
    return convert(value);
  } catch (e) {
    throw withSegment(e, name);
  }
}

/**
 * Throws the failure of a message whose envelope is not an object.
 *
 * @internal
 */
export function notAnObject(format: string, v: unknown): never {
  return fail(`expected a ${format} message (a JSON object), got ${describeValue(v)}`);
}
