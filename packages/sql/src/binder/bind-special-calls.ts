// Binds function calls and the expression forms that are function calls underneath: LIKE / SIMILAR TO, EXTRACT,
// FLOOR/CEIL(... TO unit), TRIM(... FROM ...), TIMESTAMPADD/DIFF, constructors (ARRAY[...], MAP[...], ROW(...)),
// subscripts and ROW field access. Unit and mode keywords are passed to the function as a leading string literal,
// so that its definition can prepare for them once.
import type { LogicalType } from '@runnel/api/table';
import type { Expr } from '../parser/ast.js';
import type { Rex } from '../plan/rex.js';
import { lookupScalarFunction } from '../functions/registry.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import type { ExprContext } from './bind-expression.js';
import { callRex, castRex, fieldAccess, sameType, unify } from './rex-builders.js';

function unitLiteral(unit: string): Rex {
  return { kind: 'literal', value: unit.toUpperCase(), type: { root: 'CHAR', nullable: false, precision: unit.length } };
}

/** Calls the built-in scalar function `name` on bound operands. @internal */
export function callFunction(name: string, operands: Rex[], ctx: ExprContext, pos: Expr['pos'], shownAs = name): Rex {
  const def = lookupScalarFunction(name);
  if (!def) throw new SqlValidationError(`No match found for function signature ${shownAs}(...): unknown function`, pos);
  if (operands.length < def.minArgs || operands.length > def.maxArgs) {
    const expected = def.minArgs === def.maxArgs ? `${def.minArgs}` : def.maxArgs === Infinity ? `at least ${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`;
    throw new SqlValidationError(`${shownAs} takes ${expected} argument${expected === '1' ? '' : 's'}, got ${operands.length}`, pos);
  }
  const literals = operands.map((o) => (o.kind === 'literal' ? o.value : undefined));
  return callRex(shownAs, () => def.resolve(operands.map((o) => o.type), ctx.fn, literals), operands, pos);
}

const PROCTIME_TYPE: LogicalType = { root: 'TIMESTAMP_LTZ', nullable: false, precision: 3, timeAttribute: 'proctime' };

/** @internal */
export function bindSpecialCall(e: Expr, ctx: ExprContext, bindExpr: (e: Expr, ctx: ExprContext) => Rex): Rex {
  const bind = (x: Expr): Rex => bindExpr(x, ctx);
  switch (e.type) {
    case 'like': {
      const ops = [bind(e.operand), bind(e.pattern)];
      if (e.escape) ops.push(bind(e.escape));
      const r = callFunction(e.op, ops, ctx, e.pos);
      return e.not ? { kind: 'special', op: 'NOT', operands: [r], type: r.type } : r;
    }
    case 'extract':
      return callFunction('EXTRACT', [unitLiteral(e.unit), bind(e.operand)], ctx, e.pos);
    case 'array': {
      if (e.items.length === 0) throw new SqlValidationError('ARRAY[] needs at least one element', e.pos);
      const items = unify(e.items.map(bind), ctx.fn, e.pos, 'ARRAY');
      const type: LogicalType = { root: 'ARRAY', nullable: false, element: items[0]!.type };
      return { kind: 'call', name: 'ARRAY', call: { type, impl: (...v: unknown[]) => v, strictNulls: false, deterministic: true }, operands: items, type };
    }
    case 'map': {
      if (e.items.length === 0 || e.items.length % 2 !== 0) throw new SqlValidationError('MAP[...] needs key, value pairs', e.pos);
      const all = e.items.map(bind);
      const keys = unify(all.filter((_, i) => i % 2 === 0), ctx.fn, e.pos, 'MAP keys');
      const values = unify(all.filter((_, i) => i % 2 === 1), ctx.fn, e.pos, 'MAP values');
      const ops: Rex[] = [];
      for (let i = 0; i < keys.length; i++) ops.push(keys[i]!, values[i]!);
      const type: LogicalType = { root: 'MAP', nullable: false, key: keys[0]!.type, element: values[0]!.type };
      const impl = (...v: unknown[]): Map<unknown, unknown> => {
        const m = new Map<unknown, unknown>();
        for (let i = 0; i < v.length; i += 2) m.set(v[i], v[i + 1]);
        return m;
      };
      return { kind: 'call', name: 'MAP', call: { type, impl, strictNulls: false, deterministic: true }, operands: ops, type };
    }
    case 'row': {
      const items = e.items.map(bind);
      const type: LogicalType = { root: 'ROW', nullable: false, fields: items.map((r, i) => ({ name: `EXPR$${i}`, type: r.type })) };
      return { kind: 'call', name: 'ROW', call: { type, impl: (...v: unknown[]) => v, strictNulls: false, deterministic: true }, operands: items, type };
    }
    case 'subscript':
      return callFunction('ITEM', [bind(e.operand), bind(e.index)], ctx, e.pos, 'ITEM');
    case 'field':
      return fieldAccess(bind(e.operand), e.field, e.pos);
    case 'call': {
      const name = e.name;
      if (e.argNames?.length) throw new SqlNotSupportedError(`named arguments of ${name}`, e.pos);
      if (e.qualifiedName && e.qualifiedName.parts.length > 1) throw new SqlNotSupportedError(`qualified function names (${e.qualifiedName.parts.join('.')}): user-defined functions come with the next SQL release`, e.pos);
      if (name === 'PROCTIME') {
        if (e.args.length > 0) throw new SqlValidationError('PROCTIME() takes no arguments', e.pos);
        return { kind: 'proctime', type: PROCTIME_TYPE };
      }
      if (e.withinGroup || e.nullTreatment) throw new SqlNotSupportedError(`${name} with ${e.withinGroup ? 'WITHIN GROUP' : `${e.nullTreatment} NULLS`}`, e.pos);
      const args = e.args.map(bind);
      if (e.timeUnit !== undefined) {
        if (name === 'FLOOR' || name === 'CEIL' || name === 'CEILING') return callFunction(name === 'FLOOR' ? 'FLOOR_TO' : 'CEIL_TO', [unitLiteral(e.timeUnit), ...args], ctx, e.pos, name);
        return callFunction(name, [unitLiteral(e.timeUnit), ...args], ctx, e.pos);
      }
      if (name === 'TRIM') return callFunction('TRIM', [unitLiteral(e.trim ?? 'BOTH'), ...args], ctx, e.pos);
      const lazy = lazyForm(e);
      if (lazy) {
        // Checked as a call first (argument count and types), evaluated as a CASE: only the chosen branch runs,
        // as in Flink (IF(x <> 0, 1 / x, 0) must not divide by zero).
        const checked = callFunction(name, args, ctx, e.pos);
        const r = bind(lazy);
        if (!sameType(r.type, checked.type)) return castRex(r, checked.type, ctx.fn, e.pos);
        return { ...r, type: { ...r.type, nullable: checked.type.nullable } } as Rex;
      }
      return callFunction(name, args, ctx, e.pos);
    }
    default:
      throw new SqlValidationError(`unexpected expression ${e.type}`, e.pos);
  }
}

/** IF, COALESCE, IFNULL and NULLIF as the CASE expressions they stand for (lazy branches). */
function lazyForm(e: Extract<Expr, { type: 'call' }>): Expr | undefined {
  const a = e.args;
  const pos = e.pos;
  const isNotNull = (x: Expr): Expr => ({ type: 'is', pos: x.pos, operand: x, not: true, what: 'NULL' });
  switch (e.name) {
    case 'IF':
      return a.length === 3 ? { type: 'case', pos, whens: [{ when: a[0]!, then: a[1]! }], else: a[2]! } : undefined;
    case 'COALESCE':
    case 'IFNULL':
      return a.length >= 2 ? { type: 'case', pos, whens: a.slice(0, -1).map((x) => ({ when: isNotNull(x), then: x })), else: a[a.length - 1]! } : undefined;
    case 'NULLIF':
      return a.length === 2
        ? { type: 'case', pos, whens: [{ when: { type: 'binary', pos, op: '=', left: a[0]!, right: a[1]! }, then: { type: 'literal', pos, kind: 'null', text: 'NULL' } }], else: a[0]! }
        : undefined;
    default:
      return undefined;
  }
}
