// The FROM clause: table names (with hints, `FOR SYSTEM_TIME AS OF` and aliases), subqueries, table-valued
// functions (`TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '10' MINUTES))`, `LATERAL TABLE(f(x))`), UNNEST,
// and joins. JOINs bind tighter than commas, as in standard SQL: `FROM a, b JOIN c ON ...` is `a, (b JOIN c)`.
import type { Expr, FromItem, JoinRef, TvfArg, TvfRef } from './ast.js';
import type { Token } from './lexer.js';
import { parseHintsIfAny } from './parse-hints.js';
import { parseIdentifier, parseIdentifierList, parseQualifiedName } from './parse-names.js';
import type { TokenStream } from './token-stream.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The FROM clause after the FROM keyword.
 *
 * @internal
 */
export function parseFrom(ts: TokenStream): FromItem {
  let left = parseJoinChain(ts);
  while (ts.acceptOp(',')) {
    const right = parseJoinChain(ts);
    left = { type: 'join', pos: left.pos, kind: 'CROSS', left, right, comma: true };
  }
  return left;
}

/** A FROM item followed by any number of JOINs. */
function parseJoinChain(ts: TokenStream): FromItem {
  let left = parseFromPrimary(ts);
  for (;;) {
    const kind = parseJoinKeywords(ts);
    if (kind === undefined) return left;
    const right = parseFromPrimary(ts);
    const join: Mutable<JoinRef> = { type: 'join', pos: left.pos, kind, left, right };
    if (kind !== 'CROSS') {
      if (ts.acceptWord('ON')) join.on = ts.grammar.expression(ts);
      else if (ts.acceptWord('USING')) join.using = parseIdentifierList(ts);
      else ts.fail(`${kind === 'INNER' ? 'a' : `a ${kind}`} JOIN needs a condition; ${ts.describe(ts.peek())}`);
    }
    left = join;
  }
}

/** `[INNER] JOIN`, `LEFT [OUTER] JOIN`, ..., `CROSS JOIN`; undefined when no join follows. */
function parseJoinKeywords(ts: TokenStream): JoinRef['kind'] | undefined {
  ts.expecting('JOIN');
  const t = ts.peek();
  if (t.kind !== 'word') return undefined;
  switch (t.upper) {
    case 'JOIN':
      ts.next();
      return 'INNER';
    case 'NATURAL':
      return ts.unsupported('NATURAL JOIN (write the join condition with ON or USING)');
    case 'INNER':
    case 'CROSS':
      ts.next();
      if (t.upper === 'CROSS' && (ts.isWord('APPLY'))) ts.unsupported('CROSS APPLY (write CROSS JOIN LATERAL TABLE(...))');
      ts.expectWord('JOIN');
      return t.upper;
    case 'LEFT':
    case 'RIGHT':
    case 'FULL':
      // `LEFT(` would be the function; a join keyword is followed by OUTER or JOIN.
      if (!ts.isWord('OUTER', 1) && !ts.isWord('JOIN', 1)) return undefined;
      ts.next();
      ts.acceptWord('OUTER');
      ts.expectWord('JOIN');
      return t.upper;
    default:
      return undefined;
  }
}

function parseFromPrimary(ts: TokenStream): FromItem {
  ts.expectingName('a table name');
  ts.expecting("'('");
  const t = ts.peek();
  if (ts.isOp('(')) return parseParenthesizedFrom(ts);
  if (ts.isWord('LATERAL')) {
    ts.next();
    if (ts.isWord('TABLE') && ts.isOp('(', 1)) return parseTvf(ts, t, true);
    ts.expecting('TABLE');
    if (!ts.isOp('(')) ts.fail();
    const open = ts.next();
    const query = ts.grammar.query(ts);
    ts.expectClose(open);
    return { type: 'subquery', pos: ts.pos(t), query, lateral: true, ...parseAlias(ts) };
  }
  if (ts.isWord('TABLE') && ts.isOp('(', 1)) return parseTvf(ts, t, false);
  if (ts.isWord('UNNEST') && ts.isOp('(', 1)) return parseUnnest(ts);
  ts.expecting('TABLE');
  ts.expecting('LATERAL');
  ts.expecting('UNNEST');
  if (!ts.isIdentifier()) ts.fail();
  return parseTableRef(ts);
}

/** `(SELECT ...) [AS] x`, or a parenthesised join `(a JOIN b ON ...)`. */
function parseParenthesizedFrom(ts: TokenStream): FromItem {
  ts.enter();
  const open = ts.next();
  // Skip nested parentheses to see whether a query starts: `((SELECT ...) UNION (...))` is a subquery.
  let k = 0;
  while (ts.isOp('(', k)) k++;
  if (ts.isWord('SELECT', k) || ts.isWord('WITH', k) || ts.isWord('VALUES', k)) {
    const query = ts.grammar.query(ts);
    ts.expectClose(open);
    ts.leave();
    return { type: 'subquery', pos: ts.pos(open), query, lateral: false, ...parseAlias(ts) };
  }
  const inner = parseFrom(ts);
  ts.expectClose(open);
  ts.leave();
  return inner;
}

/** `name [hints] [FOR SYSTEM_TIME AS OF expr] [[AS] alias [(cols)]]`. */
function parseTableRef(ts: TokenStream): FromItem {
  const name = parseQualifiedName(ts, 'a table name');
  const ref: Mutable<Extract<FromItem, { type: 'table' }>> = { type: 'table', pos: name.pos, name };
  const hints = parseHintsIfAny(ts);
  if (hints !== undefined) ref.hints = hints;
  if (ts.isWord('FOR')) {
    ts.next();
    ts.expectWord('SYSTEM_TIME');
    ts.expectWord('AS');
    ts.expectWord('OF');
    ref.forSystemTime = ts.grammar.expression(ts);
  }
  if (ts.isWord('MATCH_RECOGNIZE')) ts.unsupported('MATCH_RECOGNIZE');
  if (ts.isWord('TABLESAMPLE')) ts.unsupported('TABLESAMPLE');
  return { ...ref, ...parseAlias(ts) };
}

/** `[AS] alias [(c1, c2)]`, or nothing. */
function parseAlias(ts: TokenStream): { alias?: string; columnAliases?: string[] } {
  let alias: string | undefined;
  if (ts.acceptWord('AS')) alias = parseIdentifier(ts, 'an alias');
  else if (ts.isIdentifier()) {
    alias = ts.next().value;
    ts.markAlias();
  }
  if (alias === undefined) return {};
  if (!ts.isOp('(')) return { alias };
  return { alias, columnAliases: parseIdentifierList(ts) };
}

/** `[LATERAL] TABLE(fn(args)) [alias]`, `start` being LATERAL or TABLE. */
function parseTvf(ts: TokenStream, start: Token, lateral: boolean): TvfRef {
  ts.next(); // TABLE
  const outer = ts.next(); // (
  const name = parseQualifiedName(ts, 'a table function name');
  const open = ts.expectOp('(');
  const args: TvfArg[] = [];
  if (!ts.acceptOp(')')) {
    do args.push(parseTvfArg(ts));
    while (ts.acceptOp(','));
    ts.expectClose(open);
  }
  ts.expectClose(outer);
  const tvf: TvfRef = { type: 'tvf', pos: ts.pos(start), name: name.parts.map((p) => p.toUpperCase()).join('.'), args, lateral };
  return { ...tvf, ...parseAlias(ts) };
}

/** `[NAME =>] TABLE t [PARTITION BY k]`, `DESCRIPTOR(c)`, `(SELECT ...)` or an expression. */
function parseTvfArg(ts: TokenStream): TvfArg {
  const pos = ts.pos();
  let name: string | undefined;
  const t = ts.peek();
  if ((t.kind === 'word' || t.kind === 'quoted') && ts.isOp('=>', 1)) {
    name = t.kind === 'word' ? t.upper : t.value.toUpperCase();
    ts.next();
    ts.next();
  }
  const named = name === undefined ? {} : { name };
  if (ts.acceptWord('TABLE')) {
    const table = parseQualifiedName(ts, 'a table name');
    let partitionBy: Expr[] | undefined;
    if (ts.acceptPhrase('PARTITION', 'BY')) partitionBy = parsePartitionKeys(ts);
    return { pos, ...named, value: { kind: 'table', table }, ...(partitionBy === undefined ? {} : { partitionBy }) };
  }
  if (ts.isWord('DESCRIPTOR') && ts.isOp('(', 1)) {
    ts.next();
    return { pos, ...named, value: { kind: 'descriptor', columns: parseIdentifierList(ts) } };
  }
  if (ts.isOp('(') && (ts.isWord('SELECT', 1) || ts.isWord('WITH', 1) || ts.isWord('VALUES', 1))) {
    const open = ts.next();
    const query = ts.grammar.query(ts);
    ts.expectClose(open);
    return { pos, ...named, value: { kind: 'query', query } };
  }
  return { pos, ...named, value: { kind: 'expr', expr: ts.grammar.expression(ts) } };
}

/** `PARTITION BY k` or `PARTITION BY (k1, k2)` of a table argument. */
function parsePartitionKeys(ts: TokenStream): Expr[] {
  if (!ts.isOp('(')) return [ts.grammar.expression(ts)];
  const open = ts.next();
  const keys = [ts.grammar.expression(ts)];
  while (ts.acceptOp(',')) keys.push(ts.grammar.expression(ts));
  ts.expectClose(open);
  return keys;
}

/** `UNNEST(a [, b]) [WITH ORDINALITY] [[AS] t (x [, n])]`. */
function parseUnnest(ts: TokenStream): FromItem {
  const start = ts.next();
  const open = ts.next();
  const args = [ts.grammar.expression(ts)];
  while (ts.acceptOp(',')) args.push(ts.grammar.expression(ts));
  ts.expectClose(open);
  const withOrdinality = ts.acceptPhrase('WITH', 'ORDINALITY');
  return { type: 'unnest', pos: ts.pos(start), args, withOrdinality, ...parseAlias(ts) };
}
