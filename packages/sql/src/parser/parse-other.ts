// Statements Flink has and Runnel does not run (CREATE FUNCTION, USE CATALOG, LOAD MODULE, ...): they are
// recognised by their first keywords and kept as text, so that the planner can answer `not supported: CREATE
// FUNCTION` instead of the parser answering with a syntax error about a valid Flink statement.
import type { OtherStatement } from './ast.js';
import type { Token } from './lexer.js';
import type { TokenStream } from './token-stream.js';

/**
 * Skips to the end of the statement that began at `start` and returns it as an OtherStatement.
 *
 * @internal
 */
export function parseOther(ts: TokenStream, start: Token, what: string): OtherStatement {
  while (!ts.atStatementEnd()) ts.next();
  return { type: 'other', pos: ts.pos(start), what, text: ts.textFrom(start) };
}

/**
 * Skips to the end of the current statement (the tokens of an unsupported ALTER TABLE action).
 *
 * @internal
 */
export function skipToStatementEnd(ts: TokenStream): void {
  while (!ts.atStatementEnd()) ts.next();
}
