// SQL hints: `/*+ OPTIONS('k' = 'v') *\/` after a table name or INSERT's target, `/*+ BROADCAST(t1), STATE_TTL('o'
// = '1d') *\/` after SELECT. The lexer keeps a hint as one token; its inside is lexed here, with its position in
// the script, so errors in a hint point into it. A hint is a name with optional options, either `key = value`
// pairs (keys and values strings or names) or a list of names and strings.
import type { TableRef } from './ast.js';
import { tokenize } from './lexer.js';
import { TokenStream } from './token-stream.js';

/**
 * The hints of a query, a table or an INSERT target, as declared in the AST.
 *
 * @internal
 */
export type Hints = NonNullable<TableRef['hints']>;

/**
 * The hints at the current position, when the current token is a hint (several hint comments add up).
 *
 * @internal
 */
export function parseHintsIfAny(ts: TokenStream): Hints | undefined {
  if (ts.peek().kind !== 'hint') return undefined;
  const hints: Hints[number][] = [];
  while (ts.peek().kind === 'hint') {
    const t = ts.next();
    const inner = t.inner ?? { offset: t.offset + 3, line: t.line, col: t.col + 3 };
    const sub = new TokenStream(ts.text, tokenize(ts.text, inner, inner.offset + t.value.length), ts.grammar);
    hints.push(...parseHintList(sub));
  }
  return hints;
}

function parseHintList(ts: TokenStream): Hints[number][] {
  const hints: Hints[number][] = [];
  do {
    ts.expecting('a hint name');
    const nameToken = ts.peek();
    if (nameToken.kind !== 'word' && nameToken.kind !== 'quoted') ts.fail();
    const name = ts.next().value.toUpperCase();
    let options: Record<string, string> | string[] = [];
    if (ts.isOp('(')) options = parseHintOptions(ts);
    hints.push({ name, options });
  } while (ts.acceptOp(','));
  ts.expecting('end of the hint');
  if (!ts.atEnd()) ts.fail();
  return hints;
}

/** `(k = v, ...)` or `(a, b, ...)`, possibly empty. */
function parseHintOptions(ts: TokenStream): Record<string, string> | string[] {
  const open = ts.expectOp('(');
  if (ts.acceptOp(')')) return [];
  const list: string[] = [];
  const pairs: Record<string, string> = {};
  // The first item decides: `k = v` pairs or a plain list.
  const keyValue = ts.peek(1).kind === 'op' && ts.peek(1).value === '=';
  do {
    const item = parseHintValue(ts);
    if (keyValue) {
      ts.expectOp('=');
      pairs[item] = parseHintValue(ts);
    } else {
      list.push(item);
    }
  } while (ts.acceptOp(','));
  ts.expectClose(open);
  return keyValue ? pairs : list;
}

/** A string, a (dotted) name or a number, as text. */
function parseHintValue(ts: TokenStream): string {
  ts.expecting('a string literal');
  ts.expecting('a name');
  const t = ts.peek();
  if (t.kind === 'string' || t.kind === 'number') return ts.next().value;
  if (t.kind !== 'word' && t.kind !== 'quoted') ts.fail();
  let text = ts.next().value;
  while (ts.isOp('.') && (ts.peek(1).kind === 'word' || ts.peek(1).kind === 'quoted')) {
    ts.next();
    text += `.${ts.next().value}`;
  }
  return text;
}
