// Function calls: `f(a, b)`, `COUNT(*)`, `COUNT(DISTINCT x)`, named arguments `f(a => 1)`, then `WITHIN GROUP
// (ORDER BY ...)`, `FILTER (WHERE ...)`, `IGNORE NULLS` and `OVER ...`; and the calls whose arguments are not a
// plain list, which SQL writes with keywords: CAST/TRY_CAST, EXTRACT, SUBSTRING ... FROM ... FOR, POSITION ... IN,
// TRIM, OVERLAY ... PLACING, FLOOR/CEIL ... TO, TIMESTAMPADD/TIMESTAMPDIFF with a unit first. The keyword forms
// become ordinary calls (`SUBSTRING(s FROM 2 FOR 3)` is SUBSTRING with args s, 2, 3) so the binder has one shape.
import type { CastExpr, Expr, ExtractExpr, FuncCall, QualifiedName } from './ast.js';
import { timeUnitOf } from './keywords.js';
import type { Token } from './lexer.js';
import { parseOrderItems } from './parse-order-by.js';
import { parseTypeSpec } from './parse-type.js';
import { parseOver } from './parse-window-spec.js';
import { Precedence } from './precedence.js';
import type { TokenStream } from './token-stream.js';

type SpecialForm = (ts: TokenStream, name: QualifiedName, upper: string) => Expr;

const SPECIAL_FORMS: Readonly<Record<string, SpecialForm>> = {
  CAST: parseCast,
  TRY_CAST: parseCast,
  EXTRACT: parseExtract,
  SUBSTRING: parseSubstring,
  POSITION: parsePosition,
  TRIM: parseTrim,
  OVERLAY: parseOverlay,
  FLOOR: parseFloorCeil,
  CEIL: parseFloorCeil,
  CEILING: parseFloorCeil,
  TIMESTAMPADD: parseUnitFirst,
  TIMESTAMPDIFF: parseUnitFirst,
};

/**
 * A call at its `(` (the current token), the name already consumed. `keywordForms` is false for a back-quoted
 * or qualified name (`` `trim`(x) `` is a user function, not TRIM).
 *
 * @internal
 */
export function parseCall(ts: TokenStream, name: QualifiedName, keywordForms: boolean): Expr {
  const upper = name.parts.map((p) => p.toUpperCase()).join('.');
  const special = keywordForms ? SPECIAL_FORMS[upper] : undefined;
  if (special !== undefined) return special(ts, name, upper);
  const open = ts.next();
  const call: { -readonly [K in keyof FuncCall]: FuncCall[K] } = { type: 'call', pos: name.pos, name: upper, args: [], qualifiedName: name };
  if (ts.isOp('*')) {
    call.args = [{ type: 'star', pos: ts.pos(ts.next()) }];
    ts.expectClose(open);
  } else if (!ts.acceptOp(')')) {
    if (ts.acceptWord('DISTINCT')) call.distinct = true;
    else ts.acceptWord('ALL');
    const args: Expr[] = [];
    const argNames: string[] = [];
    do {
      // `name => value`: Flink's named arguments.
      const t = ts.peek();
      if ((t.kind === 'word' || t.kind === 'quoted') && ts.isOp('=>', 1)) {
        argNames.push(t.kind === 'word' ? t.upper : t.value.toUpperCase());
        ts.next();
        ts.next();
      } else if (argNames.length > 0) {
        ts.fail('after a named argument, every argument is named (name => value)', ['a named argument']);
      }
      args.push(ts.grammar.expression(ts));
      refuseJsonClauses(ts, upper);
    } while (ts.acceptOp(','));
    if (argNames.length > 0 && argNames.length !== args.length) {
      ts.failAt(open, 'either every argument is named (name => value) or none is');
    }
    ts.expectClose(open);
    call.args = args;
    if (argNames.length > 0) call.argNames = argNames;
  }
  return parseCallSuffixes(ts, call);
}

/**
 * The JSON functions' keyword clauses (`RETURNING INT`, `DEFAULT 0 ON EMPTY`, `KEY 'a' VALUE b`, `NULL ON NULL`)
 * are not parsed: say so at the clause rather than "missing ')'".
 */
function refuseJsonClauses(ts: TokenStream, upper: string): void {
  if (!upper.startsWith('JSON') || ts.isOp(',') || ts.isOp(')') || ts.atEnd()) return;
  const t = ts.peek();
  ts.unsupported(`the keyword clauses of ${upper} (RETURNING, ON EMPTY, ON ERROR, KEY ... VALUE, ... ON NULL)`, t);
}

/** WITHIN GROUP, FILTER, IGNORE/RESPECT NULLS and OVER after a call's `)`. */
function parseCallSuffixes(ts: TokenStream, call: { -readonly [K in keyof FuncCall]: FuncCall[K] }): FuncCall {
  if (ts.isWords('WITHIN', 'GROUP')) {
    ts.next();
    ts.next();
    const open = ts.expectOp('(');
    ts.expectWord('ORDER');
    ts.expectWord('BY');
    call.withinGroup = parseOrderItems(ts);
    ts.expectClose(open);
  }
  if (ts.isWord('FILTER') && ts.isOp('(', 1)) {
    ts.next();
    const open = ts.next();
    ts.expectWord('WHERE');
    call.filter = ts.grammar.expression(ts);
    ts.expectClose(open);
  }
  if ((ts.isWord('IGNORE') || ts.isWord('RESPECT')) && ts.isWord('NULLS', 1)) {
    call.nullTreatment = ts.next().upper as 'IGNORE' | 'RESPECT';
    ts.next();
  }
  if (ts.acceptWord('OVER')) call.over = parseOver(ts);
  return call;
}

/** `CAST(x AS type)`, `TRY_CAST(x AS type)`. */
function parseCast(ts: TokenStream, name: QualifiedName, upper: string): CastExpr {
  const open = ts.next();
  const operand = ts.grammar.expression(ts);
  ts.expectWord('AS');
  const target = parseTypeSpec(ts);
  ts.expectClose(open);
  return { type: 'cast', pos: name.pos, try: upper === 'TRY_CAST', operand, target };
}

/** A time unit word (`DAY`, `SQL_TSI_DAY`), upper case singular, or a failure naming what was expected. */
function parseTimeUnit(ts: TokenStream): string {
  ts.expecting('a time unit (SECOND, MINUTE, HOUR, DAY, ...)');
  const t = ts.peek();
  const unit = t.kind === 'word' ? timeUnitOf(t.upper) : undefined;
  if (unit === undefined) return ts.fail();
  ts.next();
  return unit;
}

/** `EXTRACT(unit FROM x)`. */
function parseExtract(ts: TokenStream, name: QualifiedName): ExtractExpr {
  const open = ts.next();
  const unit = parseTimeUnit(ts);
  ts.expectWord('FROM');
  const operand = ts.grammar.expression(ts);
  ts.expectClose(open);
  return { type: 'extract', pos: name.pos, unit, operand };
}

/** The plain argument list after a first argument (for the keyword forms that also take commas). */
function parseRestArgs(ts: TokenStream, open: Token, args: Expr[]): Expr[] {
  while (ts.acceptOp(',')) args.push(ts.grammar.expression(ts));
  ts.expectClose(open);
  return args;
}

function call(name: QualifiedName, upper: string, args: Expr[], extra: Partial<FuncCall> = {}): FuncCall {
  return { type: 'call', pos: name.pos, name: upper, args, qualifiedName: name, ...extra };
}

/** `SUBSTRING(s FROM a [FOR b])` or `SUBSTRING(s, a [, b])`. */
function parseSubstring(ts: TokenStream, name: QualifiedName, upper: string): FuncCall {
  const open = ts.next();
  const args = [ts.grammar.expression(ts)];
  if (ts.acceptWord('FROM')) {
    args.push(ts.grammar.expression(ts));
    if (ts.acceptWord('FOR')) args.push(ts.grammar.expression(ts));
    ts.expectClose(open);
    return call(name, upper, args);
  }
  return call(name, upper, parseRestArgs(ts, open, args));
}

/** `POSITION(a IN b [FROM c])`; the first operand stops before IN. */
function parsePosition(ts: TokenStream, name: QualifiedName, upper: string): FuncCall {
  const open = ts.next();
  const args = [ts.grammar.expression(ts, Precedence.COMPARISON)];
  if (!ts.acceptWord('IN')) return call(name, upper, parseRestArgs(ts, open, args));
  args.push(ts.grammar.expression(ts));
  if (ts.acceptWord('FROM')) args.push(ts.grammar.expression(ts));
  ts.expectClose(open);
  return call(name, upper, args);
}

/** `TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)` or `TRIM(s)`: args are s and, when written, the characters. */
function parseTrim(ts: TokenStream, name: QualifiedName, upper: string): FuncCall {
  const open = ts.next();
  let mode: 'BOTH' | 'LEADING' | 'TRAILING' = 'BOTH';
  let modeWritten = false;
  for (const m of ['BOTH', 'LEADING', 'TRAILING'] as const) {
    if (ts.acceptWord(m)) {
      mode = m;
      modeWritten = true;
      break;
    }
  }
  let chars: Expr | undefined;
  if (!ts.isWord('FROM')) chars = ts.grammar.expression(ts);
  let source: Expr;
  if (ts.acceptWord('FROM')) {
    source = ts.grammar.expression(ts);
  } else if (chars !== undefined && !modeWritten) {
    // `TRIM(s)`: what was read as the characters is the string.
    source = chars;
    chars = undefined;
  } else {
    return ts.fail();
  }
  ts.expectClose(open);
  return call(name, upper, chars === undefined ? [source] : [source, chars], { trim: mode });
}

/** `OVERLAY(s PLACING r FROM n [FOR l])`. */
function parseOverlay(ts: TokenStream, name: QualifiedName, upper: string): FuncCall {
  const open = ts.next();
  const args = [ts.grammar.expression(ts)];
  if (!ts.acceptWord('PLACING')) return call(name, upper, parseRestArgs(ts, open, args));
  args.push(ts.grammar.expression(ts));
  ts.expectWord('FROM');
  args.push(ts.grammar.expression(ts));
  if (ts.acceptWord('FOR')) args.push(ts.grammar.expression(ts));
  ts.expectClose(open);
  return call(name, upper, args);
}

/** `FLOOR(x)`, `FLOOR(x TO unit)`, same for CEIL and CEILING. */
function parseFloorCeil(ts: TokenStream, name: QualifiedName, upper: string): FuncCall {
  const open = ts.next();
  const args = [ts.grammar.expression(ts)];
  if (ts.acceptWord('TO')) {
    const timeUnit = parseTimeUnit(ts);
    ts.expectClose(open);
    return call(name, upper, args, { timeUnit });
  }
  return call(name, upper, parseRestArgs(ts, open, args));
}

/** `TIMESTAMPADD(unit, n, t)`, `TIMESTAMPDIFF(unit, a, b)`: the unit becomes `timeUnit`, not an argument. */
function parseUnitFirst(ts: TokenStream, name: QualifiedName, upper: string): FuncCall {
  const open = ts.next();
  const timeUnit = parseTimeUnit(ts);
  const args: Expr[] = [];
  while (ts.acceptOp(',')) args.push(ts.grammar.expression(ts));
  ts.expectClose(open);
  return call(name, upper, args, { timeUnit });
}
