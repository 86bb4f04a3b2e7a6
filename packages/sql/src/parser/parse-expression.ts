// Expressions, by precedence climbing (Pratt): a prefix part (a literal, a name, a call, a parenthesised
// expression, CASE, a constructor, a prefix operator) and then infix and postfix operators as long as they bind
// tighter than the caller's level. The levels are SQL's: OR < AND < NOT < comparison/IS/LIKE/IN/BETWEEN < `||`
// and `+ -` < `* / %` < unary `- +` < postfix `[i]` and `.field` (see ./precedence.ts).
import type { BinaryExpr, CaseExpr, Expr, InExpr, QualifiedName } from './ast.js';
import { NILADIC_FUNCTIONS, RESERVED_FUNCTION_NAMES, RESERVED_WORDS } from './keywords.js';
import type { Token } from './lexer.js';
import { parseCall } from './parse-call.js';
import { parseIntervalLiteral, parseTypedLiteral, typedLiteralAhead } from './parse-literal.js';
import { parseNamePart } from './parse-names.js';
import { Precedence } from './precedence.js';
import type { TokenStream } from './token-stream.js';

const COMPARISON_OPS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const ADDITIVE_OPS = new Set(['+', '-', '||']);
const MULTIPLICATIVE_OPS = new Set(['*', '/', '%']);
/** Words that follow NOT in an infix position (`a NOT IN (...)`). */
const NOT_INFIX = new Set(['IN', 'LIKE', 'BETWEEN', 'SIMILAR']);

/**
 * An expression taking the operators that bind tighter than `minPrecedence` (by default, a whole expression).
 *
 * @internal
 */
export function parseExpr(ts: TokenStream, minPrecedence: number = Precedence.NONE): Expr {
  ts.enter();
  let left = parsePrefix(ts);
  while (infixPrecedence(ts) > minPrecedence) left = parseInfix(ts, left);
  ts.leave();
  return left;
}

/** Whether a query starts at the current token (`(SELECT ...)` is a subquery, `(a + b)` an expression). */
function queryAhead(ts: TokenStream): boolean {
  return ts.isWord('SELECT') || ts.isWord('WITH') || ts.isWord('VALUES');
}

// ------------------------------------------------------------------ prefix parts

function parsePrefix(ts: TokenStream): Expr {
  const t = ts.peek();
  switch (t.kind) {
    case 'number':
    case 'string':
    case 'binary':
      ts.next();
      return { type: 'literal', pos: ts.pos(t), kind: t.kind, text: t.value };
    case 'quoted':
      return parseNameOrCall(ts);
    case 'word':
      return parseWordPrefix(ts, t);
    case 'op':
      switch (t.value) {
        case '(':
          return parseParenthesized(ts);
        case '-':
        case '+': {
          ts.next();
          const operand = parseExpr(ts, Precedence.UNARY);
          return { type: 'unary', pos: ts.pos(t), op: t.value, operand };
        }
        case '?':
          ts.next();
          return { type: 'param', pos: ts.pos(t) };
      }
      break;
  }
  ts.expecting('an expression');
  return ts.fail();
}

function parseWordPrefix(ts: TokenStream, t: Token): Expr {
  const pos = ts.pos(t);
  switch (t.upper) {
    case 'TRUE':
    case 'FALSE':
      ts.next();
      return { type: 'literal', pos, kind: 'bool', text: t.upper };
    case 'NULL':
      ts.next();
      return { type: 'literal', pos, kind: 'null', text: 'NULL' };
    case 'NOT': {
      ts.next();
      return { type: 'unary', pos, op: 'NOT', operand: parseExpr(ts, Precedence.NOT) };
    }
    case 'CASE':
      return parseCase(ts);
    case 'INTERVAL':
      return parseIntervalLiteral(ts);
    case 'EXISTS': {
      ts.next();
      const open = ts.expectOp('(');
      ts.expecting('SELECT');
      if (!queryAhead(ts)) ts.fail();
      const query = ts.grammar.query(ts);
      ts.expectClose(open);
      return { type: 'exists', pos, query };
    }
    case 'ARRAY':
    case 'MAP':
      if (ts.isOp('[', 1)) return parseBracketConstructor(ts, t.upper === 'ARRAY' ? 'array' : 'map');
      if (ts.isOp('(', 1)) ts.unsupported(`${t.upper}(subquery)`, t);
      break;
    case 'ROW':
      if (ts.isOp('(', 1)) {
        ts.next();
        return { type: 'row', pos, items: parseExpressionList(ts) };
      }
      break;
    case 'ANY':
    case 'SOME':
    case 'ALL':
      if (ts.isOp('(', 1)) ts.unsupported(`quantified comparisons (${t.upper} (subquery)); use IN or EXISTS`, t);
      break;
  }
  const typed = typedLiteralAhead(ts);
  if (typed !== undefined) return parseTypedLiteral(ts, typed);
  if (NILADIC_FUNCTIONS.has(t.upper) && !ts.isOp('(', 1)) {
    ts.next();
    return { type: 'call', pos, name: t.upper, args: [], noParens: true, qualifiedName: { parts: [t.value], pos } };
  }
  if (ts.isOp('(', 1) && (RESERVED_FUNCTION_NAMES.has(t.upper) || NILADIC_FUNCTIONS.has(t.upper))) {
    ts.next();
    return parseCall(ts, { parts: [t.value], pos }, true);
  }
  if (!RESERVED_WORDS.has(t.upper)) return parseNameOrCall(ts);
  ts.expecting('an expression');
  return ts.fail();
}

/** `a`, `t.a`, `t.a.b`, `t.*`, `f(x)`, `db.f(x)`. */
function parseNameOrCall(ts: TokenStream): Expr {
  const first = ts.next();
  const pos = ts.pos(first);
  const parts = [first.value];
  while (ts.isOp('.')) {
    const after = ts.peek(1);
    if (after.kind === 'op' && after.value === '*') {
      ts.next();
      ts.next();
      return { type: 'star', pos, qualifier: { parts, pos } };
    }
    if (after.kind !== 'word' && after.kind !== 'quoted') break;
    ts.next();
    parts.push(ts.next().value);
  }
  const name: QualifiedName = { parts, pos };
  if (ts.isOp('(')) return parseCall(ts, name, parts.length === 1 && first.kind === 'word');
  return { type: 'column', pos, name };
}

/** `(expr)`, `(a, b)` (a row), `(SELECT ...)` (a scalar subquery). */
function parseParenthesized(ts: TokenStream): Expr {
  const open = ts.next();
  const pos = ts.pos(open);
  if (queryAhead(ts)) {
    const query = ts.grammar.query(ts);
    ts.expectClose(open);
    return { type: 'scalar-subquery', pos, query };
  }
  const first = parseExpr(ts);
  if (!ts.acceptOp(',')) {
    ts.expectClose(open);
    return first;
  }
  const items = [first];
  do items.push(parseExpr(ts));
  while (ts.acceptOp(','));
  ts.expectClose(open);
  return { type: 'row', pos, items };
}

/** `(a, b, ...)` at its `(`, possibly empty. */
function parseExpressionList(ts: TokenStream): Expr[] {
  const open = ts.expectOp('(');
  const items: Expr[] = [];
  if (ts.acceptOp(')')) return items;
  do items.push(parseExpr(ts));
  while (ts.acceptOp(','));
  ts.expectClose(open);
  return items;
}

/** `ARRAY[a, b]`, `MAP[k, v, ...]`. */
function parseBracketConstructor(ts: TokenStream, type: 'array' | 'map'): Expr {
  const word = ts.next();
  const open = ts.next();
  const items: Expr[] = [];
  if (!ts.acceptOp(']')) {
    do items.push(parseExpr(ts));
    while (ts.acceptOp(','));
    if (!ts.acceptOp(']')) ts.fail(`missing ']' to close the '[' at line ${open.line}, column ${open.col}; ${ts.describe(ts.peek())}`);
  }
  if (type === 'map' && items.length % 2 !== 0) ts.failAt(word, 'MAP[...] takes key, value pairs: an even number of items');
  return { type, pos: ts.pos(word), items };
}

/** `CASE [operand] WHEN ... THEN ... [ELSE ...] END`. */
function parseCase(ts: TokenStream): CaseExpr {
  const start = ts.next();
  ts.expecting('WHEN');
  const operand = ts.isWord('WHEN') ? undefined : parseExpr(ts);
  const whens: { when: Expr; then: Expr }[] = [];
  while (ts.acceptWord('WHEN')) {
    const when = parseExpr(ts);
    ts.expectWord('THEN');
    whens.push({ when, then: parseExpr(ts) });
  }
  if (whens.length === 0) ts.fail();
  let elseExpr: Expr | undefined;
  if (ts.acceptWord('ELSE')) elseExpr = parseExpr(ts);
  if (!ts.acceptWord('END')) ts.fail(`missing END to close the CASE at line ${start.line}, column ${start.col}; ${ts.describe(ts.peek())}`);
  const result: CaseExpr = { type: 'case', pos: ts.pos(start), whens };
  return { ...result, ...(operand === undefined ? {} : { operand }), ...(elseExpr === undefined ? {} : { else: elseExpr }) };
}

// ------------------------------------------------------------------ infix and postfix operators

/** The precedence of the operator at the current token; 0 when there is none. */
function infixPrecedence(ts: TokenStream): number {
  const t = ts.peek();
  if (t.kind === 'op') {
    if (COMPARISON_OPS.has(t.value)) return Precedence.COMPARISON;
    if (ADDITIVE_OPS.has(t.value)) return Precedence.ADDITIVE;
    if (MULTIPLICATIVE_OPS.has(t.value)) return Precedence.MULTIPLICATIVE;
    if (t.value === '[' || t.value === '.') return Precedence.POSTFIX;
    return 0;
  }
  if (t.kind !== 'word') return 0;
  switch (t.upper) {
    case 'OR':
      return Precedence.OR;
    case 'AND':
      return Precedence.AND;
    case 'IS':
    case 'IN':
    case 'LIKE':
    case 'BETWEEN':
      return Precedence.COMPARISON;
    case 'SIMILAR':
      return ts.isWord('TO', 1) ? Precedence.COMPARISON : 0;
    case 'NOT': {
      const after = ts.peek(1);
      return after.kind === 'word' && NOT_INFIX.has(after.upper) ? Precedence.COMPARISON : 0;
    }
    default:
      return 0;
  }
}

function parseInfix(ts: TokenStream, left: Expr): Expr {
  const t = ts.next();
  const pos = left.pos;
  if (t.kind === 'op') {
    switch (t.value) {
      case '[': {
        const index = parseExpr(ts);
        if (!ts.acceptOp(']')) ts.fail(`missing ']' to close the '[' at line ${t.line}, column ${t.col}; ${ts.describe(ts.peek())}`);
        return { type: 'subscript', pos, operand: left, index };
      }
      case '.':
        return { type: 'field', pos, operand: left, field: parseNamePart(ts, 'a field name') };
      default: {
        const op = t.value as BinaryExpr['op'];
        const level = COMPARISON_OPS.has(op) ? Precedence.COMPARISON : ADDITIVE_OPS.has(op) ? Precedence.ADDITIVE : Precedence.MULTIPLICATIVE;
        if (level === Precedence.COMPARISON) refuseQuantified(ts);
        return { type: 'binary', pos, op, left, right: parseExpr(ts, level) };
      }
    }
  }
  switch (t.upper) {
    case 'OR':
    case 'AND':
      return { type: 'binary', pos, op: t.upper, left, right: parseExpr(ts, t.upper === 'OR' ? Precedence.OR : Precedence.AND) };
    case 'IS':
      return parseIs(ts, left);
    case 'NOT':
      return parseNegatable(ts, left, ts.next(), true);
    default:
      return parseNegatable(ts, left, t, false);
  }
}

/** `x = ANY (SELECT ...)` and friends are not supported; say so rather than "expected an expression". */
function refuseQuantified(ts: TokenStream): void {
  const t = ts.peek();
  if (t.kind === 'word' && (t.upper === 'ANY' || t.upper === 'SOME' || t.upper === 'ALL') && ts.isOp('(', 1)) {
    ts.unsupported(`quantified comparisons (${t.upper} (subquery)); use IN or EXISTS`, t);
  }
}

/** After IS: `[NOT] NULL|TRUE|FALSE|UNKNOWN`, `[NOT] DISTINCT FROM y`. */
function parseIs(ts: TokenStream, left: Expr): Expr {
  const pos = left.pos;
  const not = ts.acceptWord('NOT');
  for (const what of ['NULL', 'TRUE', 'FALSE', 'UNKNOWN'] as const) {
    if (ts.acceptWord(what)) return { type: 'is', pos, operand: left, not, what };
  }
  if (ts.acceptPhrase('DISTINCT', 'FROM')) {
    const right = parseExpr(ts, Precedence.COMPARISON);
    return { type: 'binary', pos, op: not ? 'IS NOT DISTINCT FROM' : 'IS DISTINCT FROM', left, right };
  }
  return ts.fail();
}

/** IN, LIKE, SIMILAR TO, BETWEEN, after an optional NOT (`t` is the operator word, consumed). */
function parseNegatable(ts: TokenStream, left: Expr, t: Token, not: boolean): Expr {
  const pos = left.pos;
  switch (t.upper) {
    case 'IN':
      return parseIn(ts, left, not);
    case 'LIKE':
    case 'SIMILAR': {
      if (t.upper === 'SIMILAR') ts.expectWord('TO');
      const pattern = parseExpr(ts, Precedence.COMPARISON);
      const escape = ts.acceptWord('ESCAPE') ? parseExpr(ts, Precedence.COMPARISON) : undefined;
      const like = { type: 'like' as const, pos, op: t.upper === 'LIKE' ? ('LIKE' as const) : ('SIMILAR TO' as const), operand: left, not, pattern };
      return escape === undefined ? like : { ...like, escape };
    }
    case 'BETWEEN': {
      let symmetric = false;
      if (ts.acceptWord('SYMMETRIC')) symmetric = true;
      else ts.acceptWord('ASYMMETRIC');
      const low = parseExpr(ts, Precedence.COMPARISON);
      ts.expectWord('AND');
      const high = parseExpr(ts, Precedence.COMPARISON);
      return { type: 'between', pos, operand: left, not, symmetric, low, high };
    }
    default:
      return ts.failAt(t, `found '${t.value}' after NOT`, ['IN', 'LIKE', 'BETWEEN', 'SIMILAR TO']);
  }
}

/** `x [NOT] IN (a, b)` or `x [NOT] IN (SELECT ...)`. */
function parseIn(ts: TokenStream, left: Expr, not: boolean): InExpr {
  const open = ts.expectOp('(');
  if (queryAhead(ts)) {
    const query = ts.grammar.query(ts);
    ts.expectClose(open);
    return { type: 'in', pos: left.pos, operand: left, not, query };
  }
  const list = [parseExpr(ts)];
  while (ts.acceptOp(',')) list.push(parseExpr(ts));
  ts.expectClose(open);
  return { type: 'in', pos: left.pos, operand: left, not, list };
}
