// The entry points of the Flink SQL parser: a script of `;`-separated statements, one statement, an expression
// (computed columns, watermarks and the Table API's string expressions) or a data type. Everything the parser
// throws is a SqlParseError or a SqlUnsupportedError with the position of the offending token.
import type { Expr, ParsedStatement, Statement, TypeSpec } from './ast.js';
import { tokenize } from './lexer.js';
import { SqlParseError, SqlUnsupportedError } from './parse-error.js';
import { parseExpr } from './parse-expression.js';
import { parseQuery } from './parse-query.js';
import { parseOneStatement, parseStatementSetBody } from './parse-statement.js';
import { parseTypeSpec } from './parse-type.js';
import { type Grammar, TokenStream } from './token-stream.js';

/** The grammar's recursive entry points, given to every token stream (see token-stream.ts for why). */
const GRAMMAR: Grammar = { expression: parseExpr, query: parseQuery };

/**
 * Parses a script: statements separated by `;`, empty statements skipped. `BEGIN STATEMENT SET; INSERT ...;
 * INSERT ...; END;` is one statement (a statement set) spanning several `;`. Each result has the statement's exact
 * text (from its first token to its last, without the `;`) and position.
 *
 * @throws SqlParseError at the first syntax error, SqlUnsupportedError at Flink SQL Runnel does not support.
 * @public
 */
export function parseScript(text: string): ParsedStatement[] {
  return run(text, (ts) => {
    const statements: ParsedStatement[] = [];
    for (;;) {
      while (ts.isOp(';')) ts.next();
      if (ts.atEnd()) return statements;
      const start = ts.peek();
      let statement: Statement;
      if (ts.isWord('BEGIN')) {
        ts.next();
        ts.expectWord('STATEMENT');
        ts.expectWord('SET');
        ts.acceptOp(';');
        statement = parseStatementSetBody(ts, start, start);
      } else {
        statement = parseOneStatement(ts);
      }
      const statementText = ts.textFrom(start);
      ts.expecting("';'");
      ts.expecting('end of input');
      if (!ts.atStatementEnd()) ts.fail();
      statements.push({ statement, text: statementText, pos: ts.pos(start) });
    }
  });
}

/**
 * Parses exactly one statement (a trailing `;` is allowed).
 *
 * @throws SqlParseError when the text holds no statement or more than one.
 * @public
 */
export function parseStatement(text: string): ParsedStatement {
  const statements = parseScript(text);
  if (statements.length === 1) return statements[0]!;
  if (statements.length === 0) {
    const end = tokenize(text).at(-1)!;
    throw new SqlParseError('found end of input', { line: end.line, col: end.col, offset: end.offset }, ['a statement']);
  }
  const second = statements[1]!;
  throw new SqlParseError('found a second statement where one was expected', second.pos);
}

/**
 * Parses one expression, e.g. `price * 0.908`, `` `dateTime` - INTERVAL '4' SECOND ``.
 *
 * @throws SqlParseError, SqlUnsupportedError
 * @public
 */
export function parseExpression(text: string): Expr {
  return run(text, (ts) => {
    const expr = parseExpr(ts);
    ts.expecting('end of input');
    if (!ts.atEnd()) ts.fail();
    return expr;
  });
}

/**
 * Parses a data type, e.g. `DECIMAL(10, 2) NOT NULL`, `ROW<a INT, b ARRAY<STRING>>`.
 *
 * @throws SqlParseError, SqlUnsupportedError
 * @public
 */
export function parseType(text: string): TypeSpec {
  return run(text, (ts) => {
    const type = parseTypeSpec(ts);
    ts.expecting('end of input');
    if (!ts.atEnd()) ts.fail();
    return type;
  });
}

/**
 * Runs `body` over the tokens of `text`. The parser limits nesting itself; a stack overflow that still happens
 * (a JavaScript stack smaller than usual) is reported as a parse error at the token reached, not as a RangeError.
 */
function run<T>(text: string, body: (ts: TokenStream) => T): T {
  const ts = new TokenStream(text, tokenize(text), GRAMMAR);
  try {
    return body(ts);
  } catch (e) {
    if (e instanceof SqlParseError || e instanceof SqlUnsupportedError) throw e;
    if (e instanceof RangeError) throw new SqlParseError('the statement nests too deeply', ts.pos());
    throw e;
  }
}
