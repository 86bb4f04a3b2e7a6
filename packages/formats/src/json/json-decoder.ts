// The `json` decoder: one message (bytes or text) holds one JSON object, decoded into one +I row of the context's
// row type (a top-level array yields one row per element, and `null` none, as in Flink). Converters are built once
// per decoder; per message the work is UTF-8 decoding, the native `JSON.parse` and one converter call per field.
// A message whose numbers need their exact digits is parsed a second time with the exact parser (see
// `json-value-converters.ts`). A decoder that sees this for a quarter or more of a window of messages (say a table
// of DECIMAL(38, 18) columns) parses with the exact parser first for the next windows, saving the first parse, and
// then tries the native parser again for one window, in case the data changed.
import { FormatError, INSERT_ONLY, RowKind, type ChangelogMode, type Row, type RowDecoder, type RowType } from '@runnel/api/table';
import { parseJsonExact } from '../internal/exact-json.js';
import { describeValue, FieldError } from '../internal/field-error.js';
import type { JsonDecodingSettings } from './json-options.js';
import { createJsonRowConverter, NEEDS_EXACT_PARSE, type JsonParseState } from './json-value-converters.js';

/** Messages per window of the choice between the native and the exact parser. */
const WINDOW = 256;
/** Windows parsed exactly before the native parser is tried again. */
const EXACT_WINDOWS = 16;

/**
 * Decodes JSON messages into rows.
 *
 * @internal
 */
export class JsonRowDecoder implements RowDecoder {
  readonly changelogMode: ChangelogMode = INSERT_ONLY;
  private readonly state: JsonParseState = { exact: false };
  private readonly convertRow: (value: unknown) => unknown[];
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  /** Parse with the exact parser first (many messages of the last native window needed it). */
  private exactFirst = false;
  /** Messages decoded in the current window. */
  private windowMessages = 0;
  /** Messages of the current window that were parsed twice. */
  private windowReparsed = 0;
  /** Windows left in exact-first mode. */
  private exactWindows = 0;

  constructor(rowType: RowType, settings: JsonDecodingSettings) {
    this.convertRow = createJsonRowConverter(rowType.fields, settings, this.state);
  }

  decode(message: Uint8Array | string, emit: (row: Row) => void): void {
    let text: string;
    if (typeof message === 'string') {
      text = message.charCodeAt(0) === 0xfeff ? message.slice(1) : message;
    } else {
      try {
        text = this.utf8.decode(message);
      } catch {
        throw new FormatError('malformed message: not valid UTF-8');
      }
    }
    let parsed: unknown;
    try {
      parsed = this.exactFirst ? parseJsonExact(text) : JSON.parse(text);
    } catch (e) {
      throw new FormatError(text.trim() === '' ? 'empty message: expected a JSON object' : `malformed JSON: ${(e as Error).message}`);
    }
    let rows: Row[] | Row | null;
    this.state.exact = this.exactFirst;
    try {
      rows = this.rowsOf(parsed);
    } catch (e) {
      if (e !== NEEDS_EXACT_PARSE) throw toFormatError(e);
      rows = this.reparse(text);
    }
    if (++this.windowMessages === WINDOW) this.nextWindow();
    if (rows === null) return;
    if (Array.isArray(rows)) for (const r of rows) emit(r);
    else emit(rows);
  }

  /** Chooses the parser for the next window. */
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

  /** Parses and converts a message again, exactly. */
  private reparse(text: string): Row[] | Row | null {
    this.windowReparsed++;
    this.state.exact = true;
    try {
      return this.rowsOf(parseJsonExact(text));
    } catch (e) {
      throw toFormatError(e);
    } finally {
      this.state.exact = this.exactFirst;
    }
  }

  /** The row of an object, the rows of an array of objects (converted before any is emitted), none for null. */
  private rowsOf(parsed: unknown): Row[] | Row | null {
    if (parsed === null) return null;
    if (!Array.isArray(parsed)) {
      if (typeof parsed !== 'object') throw new FormatError(`expected a JSON object, got ${describeValue(parsed)}`);
      return { kind: RowKind.INSERT, fields: this.convertRow(parsed) };
    }
    const rows: Row[] = [];
    for (let i = 0; i < parsed.length; i++) {
      const element: unknown = parsed[i];
      if (element === null) continue;
      try {
        rows.push({ kind: RowKind.INSERT, fields: this.convertRow(element) });
      } catch (e) {
        if (e instanceof FieldError) throw e.toFormatError(`array element ${i}: `);
        throw e;
      }
    }
    return rows;
  }
}

function toFormatError(e: unknown): unknown {
  return e instanceof FieldError ? e.toFormatError() : e;
}
