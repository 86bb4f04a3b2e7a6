// Queries: `[WITH ...] body [ORDER BY ...] [LIMIT n] [OFFSET n ROWS] [FETCH FIRST n ROWS ONLY]`, where the body
// is SELECTs, VALUES and parenthesised queries combined by UNION/EXCEPT/MINUS and, binding tighter, INTERSECT;
// and the clauses of a SELECT other than FROM (./parse-from.ts): the select list, WHERE, GROUP BY with GROUPING
// SETS/ROLLUP/CUBE, HAVING and WINDOW.
import type { Expr, GroupingElement, OrderItem, Query, QueryBody, Select, SelectItem, SetOp, ValuesBody, WindowSpec } from './ast.js';
import { parseFrom } from './parse-from.js';
import { parseHintsIfAny } from './parse-hints.js';
import { parseIdentifier, parseIdentifierList } from './parse-names.js';
import { parseOrderItems } from './parse-order-by.js';
import { parseWindowSpec } from './parse-window-spec.js';
import type { TokenStream } from './token-stream.js';

/**
 * A query at the current token.
 *
 * @internal
 */
export function parseQuery(ts: TokenStream): Query {
  ts.enter();
  const start = ts.peek();
  const pos = ts.pos(start);
  let withList: { name: string; columns?: readonly string[]; query: Query; pos: Query['pos'] }[] | undefined;
  if (ts.acceptWord('WITH')) {
    if (ts.isWord('RECURSIVE')) ts.unsupported('WITH RECURSIVE');
    withList = [];
    do {
      const namePos = ts.pos();
      const name = parseIdentifier(ts, 'a name for the WITH query');
      const columns = ts.isOp('(') ? parseIdentifierList(ts) : undefined;
      ts.expectWord('AS');
      const open = ts.expectOp('(');
      const query = parseQuery(ts);
      ts.expectClose(open);
      withList.push(columns === undefined ? { name, query, pos: namePos } : { name, columns, query, pos: namePos });
    } while (ts.acceptOp(','));
  }
  const body = parseSetExpression(ts);
  let orderBy: OrderItem[] | undefined;
  if (ts.acceptPhrase('ORDER', 'BY')) orderBy = parseOrderItems(ts);
  const { limit, offset } = parseLimitOffsetFetch(ts);
  ts.leave();
  // A parenthesised query with nothing around it is that query.
  if (withList === undefined && orderBy === undefined && limit === undefined && offset === undefined && body.type === 'query') return body;
  const query: { -readonly [K in keyof Query]: Query[K] } = { type: 'query', pos, body };
  if (withList !== undefined) query.with = withList;
  if (orderBy !== undefined) query.orderBy = orderBy;
  if (limit !== undefined) query.limit = limit;
  if (offset !== undefined) query.offset = offset;
  return query;
}

/** `LIMIT n`, `OFFSET n [ROW|ROWS]`, `FETCH FIRST|NEXT [n] ROW|ROWS ONLY`, each at most once, in any order. */
function parseLimitOffsetFetch(ts: TokenStream): { limit?: Expr; offset?: Expr } {
  let limit: Expr | undefined;
  let offset: Expr | undefined;
  for (;;) {
    if (limit === undefined && ts.acceptWord('LIMIT')) {
      if (ts.isWord('ALL')) ts.unsupported('LIMIT ALL (leave the LIMIT out)');
      limit = ts.grammar.expression(ts);
      if (ts.isOp(',')) ts.unsupported("LIMIT offset, count (write LIMIT count OFFSET offset)");
    } else if (offset === undefined && ts.acceptWord('OFFSET')) {
      offset = ts.grammar.expression(ts);
      if (ts.isWord('ROW') || ts.isWord('ROWS')) ts.next();
    } else if (limit === undefined && ts.acceptWord('FETCH')) {
      const fetch = ts.previous();
      if (!ts.acceptWord('FIRST')) ts.expectWord('NEXT');
      if (ts.isWord('ROW') || ts.isWord('ROWS')) limit = { type: 'literal', pos: ts.pos(fetch), kind: 'number', text: '1' };
      else limit = ts.grammar.expression(ts);
      if (!ts.acceptWord('ROWS')) ts.expectWord('ROW');
      ts.expectWord('ONLY');
    } else {
      return { ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }) };
    }
  }
}

/** Terms combined by UNION, EXCEPT and MINUS, left to right. */
function parseSetExpression(ts: TokenStream): QueryBody {
  let left = parseIntersection(ts);
  for (;;) {
    let op: SetOp['op'];
    if (ts.acceptWord('UNION')) op = 'UNION';
    else if (ts.acceptWord('EXCEPT')) op = 'EXCEPT';
    else if (ts.isWord('MINUS')) {
      ts.next();
      op = 'EXCEPT';
    } else return left;
    const all = parseSetQuantifier(ts);
    left = { type: 'setop', pos: left.pos, op, all, left, right: parseIntersection(ts) };
  }
}

/** Primaries combined by INTERSECT, which binds tighter than UNION and EXCEPT. */
function parseIntersection(ts: TokenStream): QueryBody {
  let left = parseQueryPrimary(ts);
  while (ts.acceptWord('INTERSECT')) {
    const all = parseSetQuantifier(ts);
    left = { type: 'setop', pos: left.pos, op: 'INTERSECT', all, left, right: parseQueryPrimary(ts) };
  }
  return left;
}

function parseSetQuantifier(ts: TokenStream): boolean {
  if (ts.acceptWord('ALL')) return true;
  ts.acceptWord('DISTINCT');
  return false;
}

function parseQueryPrimary(ts: TokenStream): QueryBody {
  ts.expecting('SELECT');
  ts.expecting('VALUES');
  ts.expecting("'('");
  if (ts.isWord('SELECT')) return parseSelect(ts);
  if (ts.isWord('VALUES')) return parseValues(ts);
  if (ts.isOp('(')) {
    const open = ts.next();
    const query = parseQuery(ts);
    ts.expectClose(open);
    return query;
  }
  return ts.fail();
}

/** `VALUES (1, 'a'), (2, 'b')`; a row may also be `ROW(...)` or a single expression. */
function parseValues(ts: TokenStream): ValuesBody {
  const start = ts.next();
  const rows: Expr[][] = [];
  do {
    if (ts.isOp('(') || (ts.isWord('ROW') && ts.isOp('(', 1))) {
      if (ts.isWord('ROW')) ts.next();
      const open = ts.next();
      const row = [ts.grammar.expression(ts)];
      while (ts.acceptOp(',')) row.push(ts.grammar.expression(ts));
      ts.expectClose(open);
      rows.push(row);
    } else {
      rows.push([ts.grammar.expression(ts)]);
    }
  } while (ts.acceptOp(','));
  return { type: 'values', pos: ts.pos(start), rows };
}

function parseSelect(ts: TokenStream): Select {
  const start = ts.next();
  const select: { -readonly [K in keyof Select]: Select[K] } = { type: 'select', pos: ts.pos(start), distinct: false, items: [] };
  const hints = parseHintsIfAny(ts);
  if (hints !== undefined) select.hints = hints;
  if (ts.acceptWord('DISTINCT')) select.distinct = true;
  else ts.acceptWord('ALL');
  select.items = parseSelectItems(ts);
  if (ts.acceptWord('FROM')) select.from = parseFrom(ts);
  if (ts.acceptWord('WHERE')) select.where = ts.grammar.expression(ts);
  if (ts.acceptPhrase('GROUP', 'BY')) select.groupBy = parseGroupBy(ts);
  if (ts.acceptWord('HAVING')) select.having = ts.grammar.expression(ts);
  if (ts.acceptWord('WINDOW')) select.windows = parseWindowClause(ts);
  return select;
}

function parseSelectItems(ts: TokenStream): SelectItem[] {
  const items = [parseSelectItem(ts)];
  while (ts.acceptOp(',')) {
    const t = ts.peek();
    if (t.kind === 'word' && t.upper === 'FROM') ts.fail(`found '${t.value}' after ',' (remove the trailing ',' of the select list)`, ['an expression']);
    items.push(parseSelectItem(ts));
  }
  return items;
}

/** `*`, `t.*`, `expr`, `expr AS alias`, `expr alias`. */
function parseSelectItem(ts: TokenStream): SelectItem {
  const t = ts.peek();
  const pos = ts.pos(t);
  ts.expecting("'*'");
  if (ts.isOp('*')) {
    ts.next();
    return { pos, expr: { type: 'star', pos } };
  }
  const expr = ts.grammar.expression(ts);
  if (expr.type === 'star') return { pos, expr };
  if (ts.acceptWord('AS')) return { pos, expr, alias: parseIdentifier(ts, 'an alias') };
  if (ts.isIdentifier()) {
    const alias = ts.next().value;
    ts.markAlias();
    return { pos, expr, alias };
  }
  return { pos, expr };
}

function parseGroupBy(ts: TokenStream): GroupingElement[] {
  const elements = [parseGroupingElement(ts)];
  while (ts.acceptOp(',')) elements.push(parseGroupingElement(ts));
  return elements;
}

function parseGroupingElement(ts: TokenStream): GroupingElement {
  const t = ts.peek();
  const pos = ts.pos(t);
  if (ts.isWords('GROUPING', 'SETS')) {
    ts.next();
    ts.next();
    const open = ts.expectOp('(');
    const sets = [parseGroupingSet(ts)];
    while (ts.acceptOp(',')) sets.push(parseGroupingSet(ts));
    ts.expectClose(open);
    return { kind: 'grouping-sets', pos, sets };
  }
  if ((ts.isWord('ROLLUP') || ts.isWord('CUBE')) && ts.isOp('(', 1)) {
    const kind = ts.next().upper === 'ROLLUP' ? 'rollup' : 'cube';
    const open = ts.next();
    const exprs = [ts.grammar.expression(ts)];
    while (ts.acceptOp(',')) exprs.push(ts.grammar.expression(ts));
    ts.expectClose(open);
    return { kind, pos, exprs };
  }
  if (ts.isOp('(') && ts.isOp(')', 1)) {
    ts.next();
    ts.next();
    return { kind: 'grouping-sets', pos, sets: [[]] };
  }
  return { kind: 'expr', expr: ts.grammar.expression(ts) };
}

/** One set of GROUPING SETS: `(a, b)`, `()`, `a`. */
function parseGroupingSet(ts: TokenStream): Expr[] {
  if (ts.isWords('GROUPING', 'SETS') || ((ts.isWord('ROLLUP') || ts.isWord('CUBE')) && ts.isOp('(', 1))) {
    ts.unsupported(`${ts.peek().upper} inside GROUPING SETS (list the sets)`);
  }
  if (!ts.isOp('(')) return [ts.grammar.expression(ts)];
  const open = ts.next();
  if (ts.acceptOp(')')) return [];
  const set = [ts.grammar.expression(ts)];
  while (ts.acceptOp(',')) set.push(ts.grammar.expression(ts));
  ts.expectClose(open);
  return set;
}

/** `WINDOW w AS (...), w2 AS (...)`. */
function parseWindowClause(ts: TokenStream): { name: string; spec: WindowSpec }[] {
  const windows: { name: string; spec: WindowSpec }[] = [];
  do {
    const name = parseIdentifier(ts, 'a window name');
    ts.expectWord('AS');
    windows.push({ name, spec: parseWindowSpec(ts) });
  } while (ts.acceptOp(','));
  return windows;
}
