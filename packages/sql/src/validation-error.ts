// The errors a statement gets before it runs: it does not fit the catalog or the type rules (validation), or it
// uses something Runnel does not have (unsupported). Both carry the position in the script, so the SQL client can
// say `line 3, column 14` and the user can fix the text.
import type { Pos } from './parser/ast.js';

/**
 * A statement that parses but does not validate: unknown table or column, wrong types, a query a sink cannot take.
 *
 * @public
 */
export class SqlValidationError extends Error {
  override readonly name: string = 'SqlValidationError';
  /** 1-based line of the offending text, when known. */
  readonly line?: number;
  /** 1-based column, when known. */
  readonly col?: number;
  constructor(
    /** What is wrong, without the position. */
    readonly detail: string,
    pos?: Pos,
  ) {
    super(pos ? `${detail} (line ${pos.line}, column ${pos.col})` : detail);
    this.line = pos?.line;
    this.col = pos?.col;
  }
}

/**
 * A statement that uses a feature Runnel does not have; the message starts with `not supported: `.
 *
 * @public
 */
export class SqlNotSupportedError extends SqlValidationError {
  override readonly name: string = 'SqlNotSupportedError';
  constructor(what: string, pos?: Pos) {
    super(`not supported: ${what}`, pos);
  }
}
