// OVER windows: `OVER (PARTITION BY a ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)`,
// `OVER w` (a window of the WINDOW clause) and `OVER (w ORDER BY ...)`; also the `(...)` of `WINDOW w AS (...)`.
import type { Expr, FrameBound, WindowFrame, WindowSpec } from './ast.js';
import { parseOrderItems } from './parse-order-by.js';
import { Precedence } from './precedence.js';
import type { TokenStream } from './token-stream.js';

/**
 * The window after OVER (the current token): a parenthesised specification or a window name.
 *
 * @internal
 */
export function parseOver(ts: TokenStream): WindowSpec {
  ts.expecting("'('");
  ts.expecting('a window name');
  if (ts.isIdentifier()) {
    const t = ts.next();
    return { pos: ts.pos(t), ref: t.value, partitionBy: [], orderBy: [] };
  }
  return parseWindowSpec(ts);
}

/**
 * `( [name] [PARTITION BY ...] [ORDER BY ...] [ROWS|RANGE ...] )`.
 *
 * @internal
 */
export function parseWindowSpec(ts: TokenStream): WindowSpec {
  const open = ts.expectOp('(');
  const pos = ts.pos(open);
  let ref: string | undefined;
  if (ts.isIdentifier() && !['PARTITION', 'ORDER', 'ROWS', 'RANGE'].some((w) => ts.isWord(w))) ref = ts.next().value;
  let partitionBy: Expr[] = [];
  if (ts.acceptPhrase('PARTITION', 'BY')) {
    partitionBy = [ts.grammar.expression(ts)];
    while (ts.acceptOp(',')) partitionBy.push(ts.grammar.expression(ts));
  }
  const orderBy = ts.acceptPhrase('ORDER', 'BY') ? parseOrderItems(ts) : [];
  const frame = parseFrameIfAny(ts);
  ts.expectClose(open);
  const spec: WindowSpec = { pos, partitionBy, orderBy };
  return { ...spec, ...(ref === undefined ? {} : { ref }), ...(frame === undefined ? {} : { frame }) };
}

function parseFrameIfAny(ts: TokenStream): WindowFrame | undefined {
  const unitToken = ts.peek();
  let unit: 'ROWS' | 'RANGE';
  if (ts.acceptWord('ROWS')) unit = 'ROWS';
  else if (ts.acceptWord('RANGE')) unit = 'RANGE';
  else return undefined;
  const pos = ts.pos(unitToken);
  if (ts.acceptWord('BETWEEN')) {
    const start = parseBound(ts);
    ts.expectWord('AND');
    const end = parseBound(ts);
    return { pos, unit, start, end };
  }
  return { pos, unit, start: parseBound(ts) };
}

function parseBound(ts: TokenStream): FrameBound {
  if (ts.acceptWord('UNBOUNDED')) {
    if (ts.acceptWord('PRECEDING')) return { kind: 'UNBOUNDED PRECEDING' };
    if (ts.acceptWord('FOLLOWING')) return { kind: 'UNBOUNDED FOLLOWING' };
    return ts.fail();
  }
  if (ts.acceptPhrase('CURRENT', 'ROW')) return { kind: 'CURRENT ROW' };
  // `10 PRECEDING`, `INTERVAL '1' HOUR PRECEDING`: the offset stops before BETWEEN's AND.
  const offset = ts.grammar.expression(ts, Precedence.COMPARISON);
  if (ts.acceptWord('PRECEDING')) return { kind: 'PRECEDING', offset };
  if (ts.acceptWord('FOLLOWING')) return { kind: 'FOLLOWING', offset };
  return ts.fail();
}
