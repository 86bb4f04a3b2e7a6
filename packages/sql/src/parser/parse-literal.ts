// Literals that are more than one token: `INTERVAL '5' MINUTES`, `INTERVAL -'1:30' HOUR TO MINUTE`, and the typed
// literals `DATE '2020-01-01'`, `TIME '12:00:00'`, `TIMESTAMP '2020-01-01 00:00:00'`, `TIMESTAMP_LTZ '...'` and
// `TIMESTAMP WITH LOCAL TIME ZONE '...'`. Their text is kept as written; the binder checks and converts it.
import type { IntervalLiteral, LiteralExpr } from './ast.js';
import { parseIntervalQualifier } from './parse-type.js';
import type { TokenStream } from './token-stream.js';

/**
 * `INTERVAL [+|-] 'text' qualifier` at the current INTERVAL keyword (also `INTERVAL 5 SECOND`).
 *
 * @internal
 */
export function parseIntervalLiteral(ts: TokenStream): IntervalLiteral {
  const start = ts.next();
  let negative = false;
  if (ts.isOp('-') || ts.isOp('+')) negative = ts.next().value === '-';
  ts.expecting('a string literal');
  const t = ts.peek();
  if (t.kind !== 'string' && t.kind !== 'number') ts.fail();
  ts.next();
  const { from, to } = parseIntervalQualifier(ts);
  const literal: IntervalLiteral = { type: 'interval', pos: ts.pos(start), text: t.value, negative, from };
  return to === undefined ? literal : { ...literal, to };
}

/**
 * The kind of typed literal starting at the current token, and how many words its prefix has; undefined when
 * the current token does not start one (`date` alone is a column).
 *
 * @internal
 */
export function typedLiteralAhead(ts: TokenStream): { kind: LiteralExpr['kind']; words: number } | undefined {
  const t = ts.peek();
  if (t.kind !== 'word') return undefined;
  const stringAt = (k: number) => ts.peek(k).kind === 'string';
  switch (t.upper) {
    case 'DATE':
      return stringAt(1) ? { kind: 'date', words: 1 } : undefined;
    case 'TIME':
      return stringAt(1) ? { kind: 'time', words: 1 } : undefined;
    case 'TIMESTAMP_LTZ':
      return stringAt(1) ? { kind: 'timestamp_ltz', words: 1 } : undefined;
    case 'TIMESTAMP':
      if (stringAt(1)) return { kind: 'timestamp', words: 1 };
      if (ts.isWords('TIMESTAMP', 'WITH', 'LOCAL', 'TIME', 'ZONE') && stringAt(5)) return { kind: 'timestamp_ltz', words: 5 };
      return undefined;
    default:
      return undefined;
  }
}

/**
 * The typed literal `typedLiteralAhead` found.
 *
 * @internal
 */
export function parseTypedLiteral(ts: TokenStream, ahead: { kind: LiteralExpr['kind']; words: number }): LiteralExpr {
  const pos = ts.pos();
  for (let i = 0; i < ahead.words; i++) ts.next();
  return { type: 'literal', pos, kind: ahead.kind, text: ts.next().value };
}
