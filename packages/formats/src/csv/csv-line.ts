// Splitting one CSV line into fields, and a field into array elements, as Jackson's CSV parser does for Flink: a
// field that starts with the quote character is quoted (a doubled quote inside stands for one, and delimiters and
// line breaks are literal), the escape character (when set) makes the next character literal anywhere. Escape
// sequences are kept in the field text and removed by `unescapeCsv` per value, because an ARRAY or ROW field must
// be split on its element delimiter before unescaping (`a\;b;c` is two elements).
import { FormatError } from '@runnel/api/table';

/**
 * The fields of a line: their texts (quotes removed, escapes kept) and whether each was quoted.
 *
 * @internal
 */
export interface CsvFields {
  readonly texts: string[];
  readonly quoted: boolean[];
}

/**
 * The characters that structure a line, as UTF-16 code units (-1: none).
 *
 * @internal
 */
export interface CsvSyntax {
  readonly delimiter: number;
  readonly quote: number;
  readonly escape: number;
}

/**
 * Splits a line (without its line break) into fields.
 *
 * @throws FormatError for an unterminated quoted field or text after a closing quote
 * @internal
 */
export function splitCsvLine(line: string, syntax: CsvSyntax): CsvFields {
  const { delimiter, quote, escape } = syntax;
  const texts: string[] = [];
  const quoted: boolean[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    if (i < n && line.charCodeAt(i) === quote) {
      let text = '';
      let start = ++i;
      for (;;) {
        if (i >= n) throw new FormatError(`malformed CSV: field ${texts.length + 1} has no closing quote`);
        const c = line.charCodeAt(i);
        if (c === escape) {
          i += 2;
        } else if (c === quote) {
          if (line.charCodeAt(i + 1) === quote) {
            text += line.slice(start, i + 1);
            i += 2;
            start = i;
          } else {
            text += line.slice(start, i);
            i++;
            break;
          }
        } else {
          i++;
        }
      }
      // Jackson lets blanks follow a closing quote; anything else before the next delimiter is an error.
      while (i < n && (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09) && line.charCodeAt(i) !== delimiter) i++;
      texts.push(text);
      quoted.push(true);
      if (i >= n) break;
      if (line.charCodeAt(i) !== delimiter) {
        throw new FormatError(`malformed CSV: unexpected character '${line[i]}' after the closing quote of field ${texts.length}`);
      }
    } else {
      const start = i;
      while (i < n) {
        const c = line.charCodeAt(i);
        if (c === delimiter) break;
        i += c === escape ? 2 : 1;
      }
      texts.push(line.slice(start, Math.min(i, n)));
      quoted.push(false);
      if (i >= n) break;
    }
    i++; // the delimiter; a line ending with one has a last, empty field
  }
  return { texts, quoted };
}

/**
 * Splits a field into the elements of an ARRAY or nested ROW on `delimiter`, keeping escaped delimiters.
 *
 * @internal
 */
export function splitElements(text: string, delimiter: string, escape: number): string[] {
  if (escape < 0) return text.split(delimiter);
  const out: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (text.charCodeAt(i) === escape) {
      i += 2;
    } else if (text.startsWith(delimiter, i)) {
      out.push(text.slice(start, i));
      i += delimiter.length;
      start = i;
    } else {
      i++;
    }
  }
  out.push(text.slice(start));
  return out;
}

/**
 * Removes escapes: the escape character makes the next character literal; `\n`, `\r`, `\t` and `\0` (with the
 * escape character in place of `\`) stand for the control characters, as in Jackson.
 *
 * @internal
 */
export function unescapeCsv(text: string, escape: number): string {
  if (escape < 0 || text.indexOf(String.fromCharCode(escape)) < 0) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== escape || i + 1 >= text.length) {
      out += text[i];
      continue;
    }
    const next = text[++i]!;
    out += next === 'n' ? '\n' : next === 'r' ? '\r' : next === 't' ? '\t' : next === '0' ? '\0' : next;
  }
  return out;
}
