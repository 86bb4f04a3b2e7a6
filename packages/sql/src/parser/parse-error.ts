// The two errors the SQL parser throws, and only these two: a statement that is not Flink SQL (`SqlParseError`),
// and one that is Flink SQL Runnel does not accept at the syntax level (`SqlUnsupportedError`, e.g.
// MATCH_RECOGNIZE). Both carry the 1-based position of the offending token so that editors, the CLI and the
// planner's messages can point at the text.
import type { Pos } from './ast.js';

/**
 * A syntax error: the text is not Flink SQL. `what` says what was found (`found 'FORM'`, `unterminated string
 * literal ...`), `expected` what would have been accepted at that position, when the parser knows it.
 *
 * The message reads `SQL parse error at line L, column C: <what> (expected one of: A, B)`.
 *
 * @public
 */
export class SqlParseError extends Error {
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column (UTF-16 code units) of the offending token. */
  readonly col: number;
  /** 0-based offset of the offending token in the parsed text. */
  readonly offset: number;
  /** The problem without the position prefix and the expected list. */
  readonly what: string;
  /** What would have been accepted: keywords upper case (`FROM`), punctuation quoted (`')'`), or a description. */
  readonly expected?: readonly string[];

  constructor(what: string, pos: Pos, expected?: readonly string[]) {
    super(`SQL parse error at line ${pos.line}, column ${pos.col}: ${what}${formatExpected(expected)}`);
    this.name = 'SqlParseError';
    this.line = pos.line;
    this.col = pos.col;
    this.offset = pos.offset;
    this.what = what;
    if (expected !== undefined && expected.length > 0) this.expected = expected;
  }
}

/**
 * Flink SQL that Runnel does not support, found while parsing (the planner reports the unsupported statements it
 * parsed, such as `CREATE FUNCTION`, with its own error). The message reads `not supported: <what> (line L,
 * column C)`.
 *
 * @public
 */
export class SqlUnsupportedError extends Error {
  /** 1-based line of the construct. */
  readonly line: number;
  /** 1-based column of the construct. */
  readonly col: number;
  /** 0-based offset of the construct. */
  readonly offset: number;
  /** The construct, e.g. `MATCH_RECOGNIZE`. */
  readonly what: string;

  constructor(what: string, pos: Pos) {
    super(`not supported: ${what} (line ${pos.line}, column ${pos.col})`);
    this.name = 'SqlUnsupportedError';
    this.line = pos.line;
    this.col = pos.col;
    this.offset = pos.offset;
    this.what = what;
  }
}

function formatExpected(expected: readonly string[] | undefined): string {
  if (expected === undefined || expected.length === 0) return '';
  if (expected.length === 1) return ` (expected ${expected[0]})`;
  return ` (expected one of: ${expected.join(', ')})`;
}
