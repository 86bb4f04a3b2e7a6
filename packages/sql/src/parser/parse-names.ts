// The small pieces every part of the grammar uses: names (`db.tbl`, `` `my col` ``), name lists (`(a, b)`),
// string literals and the `('key' = 'value', ...)` option lists of WITH and ALTER TABLE SET.
import type { QualifiedName } from './ast.js';
import type { Token } from './lexer.js';
import type { TokenStream } from './token-stream.js';

/**
 * A simple name: a back-quoted name or an unreserved word, as written. `label` names what is expected in the
 * error message (`a column name`).
 *
 * @internal
 */
export function parseIdentifier(ts: TokenStream, label = 'an identifier'): string {
  ts.expectingName(label);
  if (!ts.isIdentifier()) ts.fail();
  return ts.next().value;
}

/**
 * A name after a `.`: any word, reserved or not, is unambiguous there (`t.value`, `t.from`).
 *
 * @internal
 */
export function parseNamePart(ts: TokenStream, label = 'a name after \'.\''): string {
  ts.expecting(label);
  const t = ts.peek();
  if (t.kind !== 'word' && t.kind !== 'quoted') ts.fail();
  return ts.next().value;
}

/**
 * A dotted name: `tbl`, `db.tbl`, `cat.db.tbl`.
 *
 * @internal
 */
export function parseQualifiedName(ts: TokenStream, label = 'a name'): QualifiedName {
  const pos = ts.pos();
  const parts = [parseIdentifier(ts, label)];
  while (ts.isOp('.') && ts.peek(1).kind !== 'op') {
    ts.next();
    parts.push(parseNamePart(ts));
  }
  return { parts, pos };
}

/**
 * `(a, b, c)`: a parenthesised, non-empty list of simple names.
 *
 * @internal
 */
export function parseIdentifierList(ts: TokenStream, label = 'a column name'): string[] {
  const open = ts.expectOp('(');
  const names = [parseIdentifier(ts, label)];
  while (ts.acceptOp(',')) names.push(parseIdentifier(ts, label));
  ts.expectClose(open);
  return names;
}

/**
 * A string literal's value.
 *
 * @internal
 */
export function parseString(ts: TokenStream, label = 'a string literal'): string {
  ts.expecting(label);
  if (ts.peek().kind !== 'string') ts.fail();
  return ts.next().value;
}

/**
 * `('k' = 'v', ...)`, possibly empty: the options of WITH, ALTER TABLE SET and CREATE CATALOG.
 *
 * @internal
 */
export function parseOptionList(ts: TokenStream): { key: string; value: string; pos: { line: number; col: number; offset: number } }[] {
  const open = ts.expectOp('(');
  const options: { key: string; value: string; pos: { line: number; col: number; offset: number } }[] = [];
  if (ts.acceptOp(')')) return options;
  do {
    const keyToken: Token = ts.peek();
    if (keyToken.kind !== 'string' && (keyToken.kind === 'word' || keyToken.kind === 'quoted')) {
      ts.fail(`found '${keyToken.value}': option keys are string literals ('${keyToken.value}' = '...')`, ["a string literal"]);
    }
    const key = parseString(ts, "an option key ('key' = 'value')");
    ts.expectOp('=');
    const valueToken = ts.peek();
    if (valueToken.kind === 'number' || valueToken.kind === 'word') {
      ts.fail(`found '${valueToken.value}': option values are string literals ('${key}' = '${valueToken.value}')`, ['a string literal']);
    }
    const value = parseString(ts, 'an option value (a string literal)');
    options.push({ key, value, pos: ts.pos(keyToken) });
  } while (ts.acceptOp(','));
  ts.expectClose(open);
  return options;
}
