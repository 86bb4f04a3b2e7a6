// Binds expressions of the syntax tree to the scope's fields and resolves their functions and operators for the
// argument types (see ../functions). The result is a typed Rex tree; every error names the position in the text.
// Aggregate calls and grouped expressions are the query binder's business: it passes hooks that see each node
// first, so that `SUM(x) + 1` above a GROUP BY binds `SUM(x)` to the aggregate's output field.
import type { LogicalType } from '@runnel/api/table';
import type { Expr, FuncCall } from '../parser/ast.js';
import type { Rex, RexLiteral } from '../plan/rex.js';
import type { FunctionContext } from '../functions/function-definition.js';
import { lookupScalarFunction, resolveOperator } from '../functions/registry.js';
import { lookupAggregateFunction } from '../aggregates/registry.js';
import { toLogicalType } from '../types/type-spec.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import { bindInterval, bindLiteral } from './literals.js';
import type { Scope } from './scope.js';
import { bindSpecialCall } from './bind-special-calls.js';
import { callRex, castRex, fieldAccess, fmt, unify, withNullable } from './rex-builders.js';

/** What an expression is bound in. @internal */
export interface ExprContext {
  readonly scope: Scope;
  readonly fn: FunctionContext;
  /** Sees every node first (aggregates, grouped expressions); returns a Rex to use instead, or undefined. */
  readonly intercept?: (e: Expr) => Rex | undefined;
  /** Where aggregates are not allowed, what to say (e.g. `in WHERE`). */
  readonly noAggregates?: string;
}

const BOOLEAN: LogicalType = { root: 'BOOLEAN', nullable: true };

function isBoolean(r: Rex): boolean {
  return r.type.root === 'BOOLEAN' || r.type.root === 'NULL';
}

function requireBoolean(r: Rex, pos: Expr['pos'], what: string): Rex {
  if (!isBoolean(r)) throw new SqlValidationError(`${what} must be a BOOLEAN expression, not ${fmt(r.type)}`, pos);
  return r;
}

function special(op: Extract<Rex, { kind: 'special' }>['op'], operands: Rex[], type: LogicalType): Rex {
  return { kind: 'special', op, operands, type };
}

/**
 * Binds an expression.
 *
 * @internal
 */
export function bindExpr(e: Expr, ctx: ExprContext): Rex {
  const intercepted = ctx.intercept?.(e);
  if (intercepted) return intercepted;
  switch (e.type) {
    case 'literal':
      return bindLiteral(e);
    case 'interval':
      return bindInterval(e);
    case 'column': {
      const { field, path } = ctx.scope.resolve(e.name);
      let r: Rex = { kind: 'input', index: field.index, type: field.type };
      for (const p of path) r = fieldAccess(r, p, e.pos);
      return r;
    }
    case 'star':
      throw new SqlValidationError('* is only allowed in a SELECT list or COUNT(*)', e.pos);
    case 'param':
      throw new SqlNotSupportedError('dynamic parameters (?)', e.pos);
    case 'scalar-subquery':
      throw new SqlNotSupportedError('scalar subqueries (they come with joins)', e.pos);
    case 'exists':
      throw new SqlNotSupportedError('EXISTS subqueries (they come with joins)', e.pos);
    case 'unary': {
      const x = bindExpr(e.operand, ctx);
      if (e.op === 'NOT') return special('NOT', [requireBoolean(x, e.pos, 'the operand of NOT')], withNullable(BOOLEAN, x.type.nullable));
      if (e.op === '+') return x;
      return callRex('-', () => resolveOperator('NEG', [x.type], ctx.fn), [x], e.pos);
    }
    case 'binary': {
      const l = bindExpr(e.left, ctx);
      const r = bindExpr(e.right, ctx);
      if (e.op === 'AND' || e.op === 'OR') {
        requireBoolean(l, e.left.pos, `the left operand of ${e.op}`);
        requireBoolean(r, e.right.pos, `the right operand of ${e.op}`);
        return special(e.op, [l, r], withNullable(BOOLEAN, l.type.nullable || r.type.nullable));
      }
      if (e.op === 'IS DISTINCT FROM' || e.op === 'IS NOT DISTINCT FROM') {
        const eq = callRex('=', () => resolveOperator('=', [l.type, r.type], ctx.fn), [l, r], e.pos) as Extract<Rex, { kind: 'call' }>;
        const f = eq.call.impl;
        const distinct = e.op === 'IS DISTINCT FROM';
        const impl = (a: unknown, b: unknown): boolean => {
          if (a === null || b === null) return (a === null) !== (b === null) ? distinct : !distinct;
          return f(a, b) === true ? !distinct : distinct;
        };
        return { kind: 'call', name: e.op, call: { type: { root: 'BOOLEAN', nullable: false }, impl, strictNulls: false, deterministic: true }, operands: [l, r], type: { root: 'BOOLEAN', nullable: false } };
      }
      return callRex(e.op, () => resolveOperator(e.op as Parameters<typeof resolveOperator>[0], [l.type, r.type], ctx.fn), [l, r], e.pos);
    }
    case 'is': {
      const x = bindExpr(e.operand, ctx);
      const not = e.not ? 'IS NOT ' : 'IS ';
      if (e.what === 'NULL') return special(e.not ? 'IS NOT NULL' : 'IS NULL', [x], { root: 'BOOLEAN', nullable: false });
      requireBoolean(x, e.pos, `the operand of IS ${e.what}`);
      const what = e.what === 'UNKNOWN' ? 'NULL' : e.what;
      return special(`${not}${what}` as 'IS TRUE', [x], { root: 'BOOLEAN', nullable: false });
    }
    case 'case': {
      const whens: Rex[] = [];
      const thens: Rex[] = [];
      const operand = e.operand ? bindExpr(e.operand, ctx) : undefined;
      for (const w of e.whens) {
        if (operand) {
          const v = bindExpr(w.when, ctx);
          whens.push(callRex('=', () => resolveOperator('=', [operand.type, v.type], ctx.fn), [operand, v], w.when.pos));
        } else {
          whens.push(requireBoolean(bindExpr(w.when, ctx), w.when.pos, 'a WHEN condition'));
        }
        thens.push(bindExpr(w.then, ctx));
      }
      const elseRex: Rex = e.else ? bindExpr(e.else, ctx) : { kind: 'literal', value: null, type: { root: 'NULL', nullable: true } };
      const results = unify([...thens, elseRex], ctx.fn, e.pos, 'CASE');
      const ops: Rex[] = [];
      for (let i = 0; i < whens.length; i++) ops.push(whens[i]!, results[i]!);
      ops.push(results[results.length - 1]!);
      const nullable = results.some((r) => r.type.nullable);
      return special('CASE', ops, withNullable(results[0]!.type, nullable));
    }
    case 'cast': {
      const x = bindExpr(e.operand, ctx);
      const to = toLogicalType(e.target);
      if (x.type.root === 'NULL') return { kind: 'literal', value: null, type: withNullable(to, true) };
      return castRex(x, to, ctx.fn, e.pos, e.try);
    }
    case 'in': {
      if (e.query) throw new SqlNotSupportedError('IN with a subquery', e.pos);
      const x = bindExpr(e.operand, ctx);
      const items = e.list!.map((i) => bindExpr(i, ctx));
      const all = unify([x, ...items], ctx.fn, e.pos, 'IN');
      const eq = callRex('=', () => resolveOperator('=', [all[0]!.type, all[0]!.type], ctx.fn), [all[0]!, all[0]!], e.pos) as Extract<Rex, { kind: 'call' }>;
      return inRex(all[0]!, all.slice(1), eq.call.impl, e.not);
    }
    case 'between': {
      const x = bindExpr(e.operand, ctx);
      const lo = bindExpr(e.low, ctx);
      const hi = bindExpr(e.high, ctx);
      const ge = (a: Rex, b: Rex): Rex => callRex('>=', () => resolveOperator('>=', [a.type, b.type], ctx.fn), [a, b], e.pos);
      const le = (a: Rex, b: Rex): Rex => callRex('<=', () => resolveOperator('<=', [a.type, b.type], ctx.fn), [a, b], e.pos);
      const and = (a: Rex, b: Rex): Rex => special('AND', [a, b], withNullable(BOOLEAN, a.type.nullable || b.type.nullable));
      let r = and(ge(x, lo), le(x, hi));
      if (e.symmetric) r = special('OR', [r, and(ge(x, hi), le(x, lo))], r.type);
      return e.not ? special('NOT', [r], r.type) : r;
    }
    case 'like':
    case 'extract':
    case 'array':
    case 'map':
    case 'row':
    case 'subscript':
    case 'field':
      return bindSpecialCall(e, ctx, bindExpr);
    case 'call':
      return bindCall(e, ctx);
    default:
      throw new SqlValidationError(`unexpected expression`, (e as Expr).pos);
  }
}

function inRex(x: Rex, items: Rex[], eq: (a: unknown, b: unknown) => unknown, not: boolean): Rex {
  const type: LogicalType = { root: 'BOOLEAN', nullable: x.type.nullable || items.some((i) => i.type.nullable) };
  const literals = items.every((i) => i.kind === 'literal');
  const primitive = literals && items.every((i) => { const v = (i as RexLiteral).value; return v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'bigint'; });
  if (primitive) {
    // A constant list of primitives: one Set lookup per row instead of n comparisons.
    const values = items.map((i) => (i as RexLiteral).value);
    const hasNull = values.includes(null);
    const set = new Set<unknown>(values.filter((v) => v !== null));
    const impl = (v: unknown): boolean | null => (set.has(v) ? !not : hasNull ? null : not);
    return { kind: 'call', name: not ? 'NOT IN' : 'IN', call: { type, impl, strictNulls: true, deterministic: true }, operands: [x], type };
  }
  const impl = (v: unknown, ...list: unknown[]): boolean | null => {
    let sawNull = false;
    for (const w of list) {
      if (w === null) sawNull = true;
      else if (eq(v, w) === true) return !not;
    }
    return sawNull ? null : not;
  };
  return { kind: 'call', name: not ? 'NOT IN' : 'IN', call: { type, impl, strictNulls: false, deterministic: true }, operands: [x, ...items], type };
}

/** Whether a call is an aggregate call. @internal */
export function isAggregateCall(e: FuncCall): boolean {
  return e.over === undefined && lookupAggregateFunction(e.name) !== undefined && lookupScalarFunction(e.name) === undefined;
}

function bindCall(e: FuncCall, ctx: ExprContext): Rex {
  if (e.over) throw new SqlNotSupportedError(`${e.name}(...) OVER (...) here: OVER aggregations are supported in the SELECT list of a query without GROUP BY`, e.pos);
  if (isAggregateCall(e)) {
    throw new SqlValidationError(ctx.noAggregates ? `aggregate function ${e.name} is not allowed ${ctx.noAggregates}` : `aggregate function ${e.name} is not allowed here`, e.pos);
  }
  if (e.filter || e.distinct) throw new SqlValidationError(`${e.name} is not an aggregate function: DISTINCT and FILTER apply to aggregates only`, e.pos);
  return bindSpecialCall(e, ctx, bindExpr);
}
