// The lexer of Flink SQL: text to tokens, each with its 1-based line and column and its offsets, in one linear pass.
// Comments are dropped, hints (`/*+ ... *\/`) are kept as one token whose value is the text inside (the parser
// lexes it again where a hint is allowed). Keywords are not recognised here: a word is a word, and the parser
// decides from its position whether `timestamp` is a type, a literal prefix or a column name.
//
// Characters that start no token (`$`, `"`, `::`) become `invalid` tokens instead of errors, so that the raw
// text of an unquoted `SET key = value` can hold them; the parser reports an invalid token as soon as it reaches
// one. Unterminated strings, quoted names and comments are errors at once, at the position where they start.
import { SqlParseError } from './parse-error.js';

/**
 * The kinds of tokens. `word`: an unquoted identifier or keyword; `quoted`: a back-quoted identifier; `string`:
 * `'...'`; `number`: `7`, `1.5`, `.5`, `1e-3`; `binary`: `X'0aff'`; `op`: punctuation and operators; `hint`:
 * `/*+ ... *\/`; `invalid`: a character that starts no token; `eof`: the end of the text.
 *
 * @internal
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'binary' | 'op' | 'hint' | 'invalid' | 'eof';

/**
 * A token with its position.
 *
 * @internal
 */
export interface Token {
  readonly kind: TokenKind;
  /**
   * `word`: as written; `quoted`: the name with doubled back quotes unescaped; `string`: the value with doubled
   * quotes unescaped; `number`: the text; `binary`: the hex digits; `op`: the operator (`!=` is given as `<>`);
   * `hint`: the text between `/*+` and `*\/`; `invalid`: the text; `eof`: empty.
   */
  readonly value: string;
  /** The upper-case value of a `word` (for keyword matching); empty for other kinds. */
  readonly upper: string;
  /** 1-based line of the first character. */
  readonly line: number;
  /** 1-based column of the first character. */
  readonly col: number;
  /** 0-based offset of the first character. */
  readonly offset: number;
  /** 0-based offset just past the last character. */
  readonly end: number;
  /** `invalid` tokens: what is wrong, as a sentence fragment for an error message. */
  readonly problem?: string;
  /** `hint` tokens: where the text inside starts (offset, line and column). */
  readonly inner?: { readonly offset: number; readonly line: number; readonly col: number };
}

/** Two-character operators, tried before single characters. */
const TWO_CHAR_OPS = new Set(['<>', '<=', '>=', '!=', '||', '=>']);
/** Single-character punctuation and operators. */
const ONE_CHAR_OPS = new Set(['(', ')', '[', ']', ',', ';', '.', '+', '-', '*', '/', '%', '=', '<', '>', '?']);

const UNICODE_LETTER = /\p{L}/u;
const UNICODE_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || (c > 127 && UNICODE_LETTER.test(String.fromCharCode(c)));
}

function isIdentPart(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    isDigit(c) ||
    c === 95 ||
    c === 36 || // `$` inside a name, as Calcite allows
    (c > 127 && UNICODE_LETTER_OR_DIGIT.test(String.fromCharCode(c)))
  );
}

function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/**
 * Where lexing starts: the offset and its line and column. A hint's inner text is lexed with the position of its
 * first character, so that errors inside a hint point into the script.
 *
 * @internal
 */
export interface LexStart {
  readonly offset: number;
  readonly line: number;
  readonly col: number;
}

/**
 * Splits `text` (from `start.offset` to `end`) into tokens, the last being `eof`. Linear in the length of the
 * text. Throws a SqlParseError for an unterminated string, quoted name or comment, an empty quoted name and a
 * malformed binary literal.
 *
 * @internal
 */
export function tokenize(text: string, start: LexStart = { offset: 0, line: 1, col: 1 }, end: number = text.length): Token[] {
  const tokens: Token[] = [];
  let i = start.offset;
  let line = start.line;
  // Offset of the current line's first character, shifted so that `i - lineStart + 1` is the column.
  let lineStart = start.offset - (start.col - 1);

  const posAt = (offset: number, l: number, ls: number) => ({ offset, line: l, col: offset - ls + 1 });
  const push = (kind: TokenKind, value: string, from: number, fromLine: number, fromLineStart: number, extra?: Partial<Token>) => {
    tokens.push({
      kind,
      value,
      upper: kind === 'word' ? value.toUpperCase() : '',
      line: fromLine,
      col: from - fromLineStart + 1,
      offset: from,
      end: i,
      ...extra,
    });
  };
  // Advances `i` to `to`, counting the line breaks in between (strings and comments may span lines).
  const advanceTo = (to: number) => {
    for (let j = i; j < to; j++) {
      if (text.charCodeAt(j) === 10) {
        line++;
        lineStart = j + 1;
      }
    }
    i = to;
  };

  while (i < end) {
    const c = text.charCodeAt(i);
    // Whitespace.
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0xfeff) {
      i++;
      continue;
    }
    const from = i;
    const fromLine = line;
    const fromLineStart = lineStart;
    const next = i + 1 < end ? text.charCodeAt(i + 1) : -1;

    // `-- comment` to the end of the line.
    if (c === 45 && next === 45) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 || nl > end ? end : nl;
      continue;
    }
    // `/* comment */` and `/*+ hint */`.
    if (c === 47 && next === 42) {
      const close = text.indexOf('*/', i + 2);
      const isHint = i + 2 < end && text.charCodeAt(i + 2) === 43;
      if (close === -1 || close + 2 > end) {
        throw new SqlParseError(
          `unterminated ${isHint ? 'hint' : 'comment'} starting at line ${fromLine}, column ${from - fromLineStart + 1}`,
          posAt(from, fromLine, fromLineStart),
        );
      }
      if (isHint) {
        const innerOffset = i + 3;
        advanceTo(close + 2);
        // Line and column of the first character inside the hint (the hint opener is on one line).
        push('hint', text.slice(innerOffset, close), from, fromLine, fromLineStart, {
          inner: { offset: innerOffset, line: fromLine, col: innerOffset - fromLineStart + 1 },
        });
      } else {
        advanceTo(close + 2);
      }
      continue;
    }
    // Strings, and `_charset'...'` strings (the charset is irrelevant: strings are Unicode).
    if (c === 39) {
      push('string', readQuoted(39, 'string literal'), from, fromLine, fromLineStart);
      continue;
    }
    // Back-quoted names.
    if (c === 96) {
      const name = readQuoted(96, 'quoted identifier');
      if (name === '') throw new SqlParseError('empty quoted identifier ``', posAt(from, fromLine, fromLineStart), ['an identifier']);
      push('quoted', name, from, fromLine, fromLineStart);
      continue;
    }
    // Numbers: `7`, `1.5`, `1.`, `.5`, `1e-3`, `2.5E10`.
    if (isDigit(c) || (c === 46 && isDigit(next))) {
      while (i < end && isDigit(text.charCodeAt(i))) i++;
      if (i < end && text.charCodeAt(i) === 46) {
        i++;
        while (i < end && isDigit(text.charCodeAt(i))) i++;
      }
      const e = i < end ? text.charCodeAt(i) : -1;
      if (e === 69 || e === 101) {
        let j = i + 1;
        const sign = j < end ? text.charCodeAt(j) : -1;
        if (sign === 43 || sign === 45) j++;
        if (j < end && isDigit(text.charCodeAt(j))) {
          while (j < end && isDigit(text.charCodeAt(j))) j++;
          i = j;
        }
      }
      push('number', text.slice(from, i), from, fromLine, fromLineStart);
      continue;
    }
    // Words, `X'...'` binary literals and `_charset'...'` strings.
    if (isIdentStart(c)) {
      i++;
      while (i < end && isIdentPart(text.charCodeAt(i))) i++;
      const word = text.slice(from, i);
      const quoteFollows = i < end && text.charCodeAt(i) === 39;
      if (quoteFollows && (word === 'X' || word === 'x')) {
        const hex = readQuoted(39, 'binary literal');
        checkBinary(hex, posAt(from, fromLine, fromLineStart));
        push('binary', hex, from, fromLine, fromLineStart);
      } else if (quoteFollows && word.length > 1 && word.charCodeAt(0) === 95) {
        push('string', readQuoted(39, 'string literal'), from, fromLine, fromLineStart);
      } else {
        push('word', word, from, fromLine, fromLineStart);
      }
      continue;
    }
    // Operators and punctuation.
    const two = text.slice(i, i + 2);
    if (two === '::') {
      i += 2;
      push('invalid', '::', from, fromLine, fromLineStart, { problem: "found '::': casts are written CAST(x AS type) in Flink SQL" });
      continue;
    }
    if (TWO_CHAR_OPS.has(two) && i + 2 <= end) {
      i += 2;
      push('op', two === '!=' ? '<>' : two, from, fromLine, fromLineStart);
      continue;
    }
    const one = text[i]!;
    if (ONE_CHAR_OPS.has(one)) {
      i++;
      push('op', one, from, fromLine, fromLineStart);
      continue;
    }
    if (c === 34) {
      // A double-quoted text is one invalid token up to its closing quote, so that the parser reports it once.
      const close = text.indexOf('"', i + 1);
      i = close === -1 || close >= end ? i + 1 : close + 1;
      advanceTo(i);
      push('invalid', text.slice(from, i), from, fromLine, fromLineStart, {
        problem: 'found a double-quoted text: write \'text\' for a string or `name` for a name in Flink SQL',
      });
      continue;
    }
    // Any other character; a surrogate pair stays one token.
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < end ? 2 : 1;
    const ch = text.slice(from, i);
    push('invalid', ch, from, fromLine, fromLineStart, { problem: `unexpected character '${ch}'` });
  }
  tokens.push({ kind: 'eof', value: '', upper: '', line, col: end - lineStart + 1, offset: end, end });
  return tokens;

  // Reads a text between `quote` characters starting at `i`, a doubled quote standing for one; leaves `i` past
  // the closing quote. The value is built from slices, so long strings cost linear time.
  function readQuoted(quote: number, what: string): string {
    const from = i;
    const fromLine = line;
    const fromLineStart = lineStart;
    const q = String.fromCharCode(quote);
    let j = text.charCodeAt(i) === quote ? i + 1 : text.indexOf(q, i) + 1; // skip a `_charset` / `X` prefix
    const parts: string[] = [];
    for (;;) {
      const close = text.indexOf(q, j);
      if (close === -1 || close >= end) {
        throw new SqlParseError(
          `unterminated ${what} starting at line ${fromLine}, column ${from - fromLineStart + 1}`,
          posAt(from, fromLine, fromLineStart),
        );
      }
      parts.push(text.slice(j, close));
      if (close + 1 < end && text.charCodeAt(close + 1) === quote) {
        parts.push(q);
        j = close + 2;
        continue;
      }
      advanceTo(close + 1);
      return parts.length === 1 ? parts[0]! : parts.join('');
    }
  }
}

function checkBinary(hex: string, pos: { offset: number; line: number; col: number }): void {
  for (let k = 0; k < hex.length; k++) {
    if (!isHexDigit(hex.charCodeAt(k))) {
      throw new SqlParseError(`invalid binary literal: X'...' holds hexadecimal digits, found '${hex[k]}'`, pos);
    }
  }
  if (hex.length % 2 !== 0) throw new SqlParseError('invalid binary literal: X\'...\' needs an even number of hexadecimal digits', pos);
}
