// Binds OVER aggregations in a SELECT list (`COUNT(*) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 5 PRECEDING AND
// CURRENT ROW)`). As in Flink's streaming mode, every OVER call of a query must use the same window, ordered
// ascending by a time attribute, with a frame that ends at the current row; the frame is ROWS (a number of rows) or
// RANGE (an interval of the time attribute), bounded or UNBOUNDED PRECEDING.
import type { Expr, FuncCall, Select, WindowSpec } from '../parser/ast.js';
import type { AggCall, OverAggregateRel, Rel } from '../plan/rel.js';
import type { Rex } from '../plan/rex.js';
import { lookupAggregateFunction, distinctAggregate } from '../aggregates/registry.js';
import { FunctionTypeError } from '../functions/function-definition.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import { bindExpr } from './bind-expression.js';
import type { BindEnv } from './bind-env.js';
import { itemName, project, uniqueNames, type FromScope } from './projection.js';
import { Scope } from './scope.js';

function digest(e: unknown): string {
  return JSON.stringify(e, (k, v: unknown) => (k === 'pos' ? undefined : v));
}

/** The OVER calls in an expression (not inside other OVER calls). */
function overCalls(e: Expr, out: FuncCall[]): void {
  if (e.type === 'call' && e.over) {
    out.push(e);
    return;
  }
  for (const v of Object.values(e)) {
    const visit = (x: unknown): void => {
      if (x && typeof x === 'object' && 'type' in x && 'pos' in x) overCalls(x as Expr, out);
    };
    if (Array.isArray(v)) v.forEach(visit);
    else visit(v);
  }
}

/** Whether a SELECT list has OVER calls. @internal */
export function hasOverCalls(s: Select): boolean {
  const calls: FuncCall[] = [];
  for (const i of s.items) if (i.expr.type !== 'star') overCalls(i.expr, calls);
  return calls.length > 0;
}

function resolveWindow(spec: WindowSpec, s: Select): WindowSpec {
  if (!spec.ref) return spec;
  const named = s.windows?.find((w) => w.name === spec.ref);
  if (!named) throw new SqlValidationError(`Window '${spec.ref}' is not defined in the WINDOW clause`, spec.pos);
  return named.spec;
}

/** The SELECT with OVER calls, over the FROM (and WHERE) plan. @internal */
export function bindOverSelect(s: Select, from: FromScope, input: Rel, env: BindEnv): Rel {
  const fn = env.fn;
  const calls: FuncCall[] = [];
  for (const i of s.items) if (i.expr.type !== 'star') overCalls(i.expr, calls);
  const specs = calls.map((c) => resolveWindow(c.over!, s));
  const first = specs[0]!;
  for (const w of specs) {
    if (digest({ p: w.partitionBy, o: w.orderBy, f: w.frame }) !== digest({ p: first.partitionBy, o: first.orderBy, f: first.frame })) {
      throw new SqlNotSupportedError('OVER aggregations with different windows in one query (Flink streaming needs one window per query)', w.pos);
    }
  }
  const scope = from.scope;
  if (first.orderBy.length !== 1) throw new SqlValidationError('OVER windows in streaming mode must be ordered by exactly one time attribute (ORDER BY rowtime)', first.pos);
  const order = bindExpr(first.orderBy[0]!.expr, { scope, fn, noAggregates: 'in OVER' });
  if (order.kind !== 'input' || !order.type.timeAttribute || first.orderBy[0]!.desc) {
    throw new SqlNotSupportedError('OVER windows ordered other than ascending by a time attribute (streaming OVER aggregations need ORDER BY a rowtime or proctime attribute ASC)', first.orderBy[0]!.expr.pos);
  }
  // The frame: default RANGE UNBOUNDED PRECEDING AND CURRENT ROW.
  const frame = first.frame;
  let unit: 'ROWS' | 'RANGE' = 'RANGE';
  let preceding = Infinity;
  if (frame) {
    unit = frame.unit;
    const end = frame.end ?? { kind: 'CURRENT ROW' as const };
    if (end.kind !== 'CURRENT ROW') throw new SqlNotSupportedError(`OVER windows whose frame ends at ${end.kind} (only CURRENT ROW)`, frame.pos);
    const start = frame.start;
    if (start.kind === 'UNBOUNDED PRECEDING') preceding = Infinity;
    else if (start.kind === 'CURRENT ROW') preceding = 0;
    else if (start.kind === 'PRECEDING') {
      const off = bindExpr(start.offset!, { scope: new Scope([]), fn, noAggregates: 'in a frame' });
      if (off.kind !== 'literal') throw new SqlValidationError('the PRECEDING offset of an OVER frame must be a constant', frame.pos);
      if (unit === 'ROWS') {
        if (typeof off.value !== 'number' || !Number.isInteger(off.value) || off.value < 0) throw new SqlValidationError('ROWS ... PRECEDING needs a non-negative integer', frame.pos);
        preceding = off.value;
      } else {
        if (off.type.root !== 'INTERVAL_DAY_TIME') throw new SqlValidationError("RANGE ... PRECEDING over a time attribute needs an interval, e.g. INTERVAL '1' HOUR", frame.pos);
        preceding = off.value as number;
      }
    } else throw new SqlNotSupportedError(`OVER frames starting at ${start.kind}`, frame.pos);
  }
  // Partition keys and aggregate arguments, appended to the input's fields.
  const pre: Rex[] = input.fields.map((f, i) => ({ kind: 'input', index: i, type: f.type }));
  const add = (r: Rex): number => {
    if (r.kind === 'input') return r.index;
    pre.push(r);
    return pre.length - 1;
  };
  const partitionKeys = first.partitionBy.map((e) => add(bindExpr(e, { scope, fn, noAggregates: 'in PARTITION BY' })));
  const aggs: AggCall[] = [];
  const aggDigests: string[] = [];
  for (const c of calls) {
    const d = digest({ n: c.name, a: c.args, d: c.distinct, f: c.filter });
    if (aggDigests.includes(d)) continue;
    const def = lookupAggregateFunction(c.name);
    if (!def) throw new SqlNotSupportedError(`${c.name}() OVER (...) (ROW_NUMBER, RANK and the like come with Top-N in the next SQL release)`, c.pos);
    const args = c.args.filter((a) => !(a.type === 'star' && c.name === 'COUNT')).map((a) => bindExpr(a, { scope, fn, noAggregates: 'in the arguments of an OVER aggregate' }));
    let agg;
    try {
      agg = def.resolve(args.map((a) => a.type), args.map((a) => (a.kind === 'literal' ? a.value : undefined)));
    } catch (e) {
      if (e instanceof FunctionTypeError) throw new SqlValidationError(`${c.name}: ${e.message}`, c.pos);
      throw e;
    }
    if (c.distinct) agg = distinctAggregate(agg, args.map((a) => a.type));
    const filter = c.filter ? add(bindExpr(c.filter, { scope, fn, noAggregates: 'in FILTER' })) : undefined;
    aggDigests.push(d);
    aggs.push({ name: c.name, agg, args: args.map(add), distinct: c.distinct ?? false, filter, type: agg.type });
  }
  const preRel = pre.length === input.fields.length ? input : project(input, pre, pre.map((_, i) => input.fields[i]?.name ?? `$f${i}`));
  const over: OverAggregateRel = {
    kind: 'over-aggregate',
    input: preRel,
    partitionKeys,
    orderField: order.index,
    eventTime: order.type.timeAttribute === 'rowtime',
    unit,
    preceding,
    aggs,
    fields: [...preRel.fields, ...aggs.map((a, i) => ({ name: `w$${i}`, type: a.type }))],
  };
  // The SELECT list over the OVER output: input fields keep their indexes, OVER calls read their aggregate.
  const base = preRel.fields.length;
  const outScope = new Scope([...scope.fields]);
  const intercept = (e: Expr): Rex | undefined => {
    if (e.type !== 'call' || !e.over) return undefined;
    const i = aggDigests.indexOf(digest({ n: e.name, a: e.args, d: e.distinct, f: e.filter }));
    return { kind: 'input', index: base + i, type: over.fields[base + i]!.type };
  };
  const projects: Rex[] = [];
  const names: string[] = [];
  s.items.forEach((item, i) => {
    if (item.expr.type === 'star') {
      for (const f of scope.fields) {
        projects.push({ kind: 'input', index: f.index, type: f.type });
        names.push(f.name);
      }
      return;
    }
    projects.push(bindExpr(item.expr, { scope: outScope, fn, intercept, noAggregates: 'next to OVER aggregations (use a subquery)' }));
    names.push(itemName(item, i));
  });
  return project(over, projects, uniqueNames(names));
}
