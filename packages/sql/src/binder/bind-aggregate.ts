// Binds aggregating SELECTs: GROUP BY (with GROUPING SETS, ROLLUP, CUBE), aggregate calls with DISTINCT and
// FILTER, HAVING, window aggregation over a window TVF (`GROUP BY window_start, window_end, ...`) and Flink's legacy
// group windows (`GROUP BY TUMBLE(ts, INTERVAL '1' MINUTE)` with TUMBLE_START/_END/_ROWTIME). The plan is Flink's:
// a projection computing keys and aggregate arguments, the aggregation, then a projection for the SELECT list.
import type { LogicalType } from '@runnel/api/table';
import type { Expr, FuncCall, GroupingElement, Select } from '../parser/ast.js';
import type { AggCall, Field, Rel, WindowSpec } from '../plan/rel.js';
import { rexToString, type Rex } from '../plan/rex.js';
import { lookupAggregateFunction, distinctAggregate } from '../aggregates/registry.js';
import { FunctionTypeError } from '../functions/function-definition.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import { bindExpr, isAggregateCall } from './bind-expression.js';
import type { BindEnv } from './bind-env.js';
import { itemName, project, uniqueNames, type FromScope } from './projection.js';
import { intervalMs, windowFields, windowSpec } from './bind-window.js';
import { Scope } from './scope.js';

const LEGACY_WINDOWS = new Set(['TUMBLE', 'HOP', 'SESSION']);
const LEGACY_AUX: Record<string, [string, number]> = {};
for (const w of LEGACY_WINDOWS) {
  LEGACY_AUX[`${w}_START`] = [w, 0];
  LEGACY_AUX[`${w}_END`] = [w, 1];
  LEGACY_AUX[`${w}_ROWTIME`] = [w, 2];
  LEGACY_AUX[`${w}_PROCTIME`] = [w, 2];
}

function digest(e: unknown): string {
  return JSON.stringify(e, (k, v: unknown) => (k === 'pos' ? undefined : v));
}

function walk(e: Expr | undefined, visit: (e: Expr) => boolean): void {
  if (!e || !visit(e)) return;
  for (const v of Object.values(e)) {
    if (Array.isArray(v)) for (const x of v) walkAny(x, visit);
    else walkAny(v, visit);
  }
}

function walkAny(v: unknown, visit: (e: Expr) => boolean): void {
  if (v && typeof v === 'object' && 'type' in v && 'pos' in v && typeof (v as { type: unknown }).type === 'string') {
    const t = (v as { type: string }).type;
    if (t === 'query') return; // subqueries have their own scope
    walk(v as Expr, visit);
  } else if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const x of Object.values(v)) if (x && typeof x === 'object') walkAny(x, visit);
  }
}

/** The aggregate calls of an expression (not descending into them). @internal */
function aggregateCalls(e: Expr | undefined, out: FuncCall[]): void {
  walk(e, (x) => {
    if (x.type === 'call' && isAggregateCall(x)) {
      out.push(x);
      return false;
    }
    return true;
  });
}

/** Whether the SELECT list or HAVING has aggregate calls. @internal */
export function hasAggregates(s: Select): boolean {
  const calls: FuncCall[] = [];
  for (const i of s.items) aggregateCalls(i.expr, calls);
  aggregateCalls(s.having, calls);
  return calls.length > 0;
}

interface WindowPlan {
  readonly spec: (timeField: number) => WindowSpec;
  /** The expression of the time attribute, over the aggregation's input scope. */
  readonly time: Rex;
  readonly kind: 'tvf' | 'legacy';
  readonly legacyKind?: string;
}

function stripTime(t: LogicalType): LogicalType {
  return t.timeAttribute ? { ...t, timeAttribute: undefined } : t;
}

/** @internal */
export function bindAggregateSelect(s: Select, from: FromScope, env: BindEnv): Rel {
  const scope = from.scope;
  let input = from.rel;
  const fn = env.fn;
  // The window TVF under the FROM (possibly below a WHERE), whose window_start/end are grouped on.
  let tvf: Extract<Rel, { kind: 'window-table' }> | undefined;
  let where: Rex | undefined;
  if (input.kind === 'window-table') tvf = input;
  else if (input.kind === 'calc' && input.input.kind === 'window-table' && input.projects.every((p, i) => p.kind === 'input' && p.index === i)) {
    tvf = input.input;
    where = input.condition;
  }
  const plain: Expr[] = [];
  let sets: number[][] | undefined;
  let window: WindowPlan | undefined;
  const windowCols = new Map<number, number>(); // scope index -> 0 start, 1 end, 2 time
  if (tvf) {
    const n = tvf.input.fields.length;
    windowCols.set(n, 0).set(n + 1, 1).set(n + 2, 2);
  }
  const groupedWindowCols = new Set<number>();
  const addKey = (e: Expr): number => {
    if (e.type === 'column' && tvf) {
      const r = scope.resolve(e.name);
      const w = windowCols.get(r.field.index);
      if (w !== undefined && r.path.length === 0) {
        groupedWindowCols.add(w);
        return -1;
      }
    }
    if (e.type === 'call' && LEGACY_WINDOWS.has(e.name) && !e.over) {
      if (window) throw new SqlValidationError('only one group window is allowed in GROUP BY', e.pos);
      window = legacyWindow(e, scope, env);
      return -1;
    }
    const d = digest(e);
    const i = plain.findIndex((p) => digest(p) === d);
    if (i >= 0) return i;
    plain.push(e);
    return plain.length - 1;
  };
  for (const g of s.groupBy ?? []) bindGroupingElement(g, addKey, (set) => {
    if (sets) throw new SqlNotSupportedError('more than one GROUPING SETS, ROLLUP or CUBE in a GROUP BY', 'pos' in g ? g.pos : s.pos);
    sets = set;
  });
  if (tvf && (groupedWindowCols.has(0) || groupedWindowCols.has(1))) {
    if (!groupedWindowCols.has(0) || !groupedWindowCols.has(1)) throw new SqlValidationError('window aggregation must GROUP BY both window_start and window_end', s.pos);
    const t = tvf;
    window = { kind: 'tvf', time: { kind: 'input', index: t.window.timeField, type: t.input.fields[t.window.timeField]!.type }, spec: (timeField) => ({ ...t.window, timeField }) };
    input = where ? project(t.input, t.input.fields.map((f, i) => ({ kind: 'input', index: i, type: f.type })), t.input.fields.map((f) => f.name), where) : t.input;
  } else if (groupedWindowCols.size > 0) {
    throw new SqlValidationError('window_time can only be grouped on together with window_start and window_end', s.pos);
  }
  if (sets) {
    // Plain keys (outside GROUPING SETS) belong to every set.
    const all = plain.map((_, i) => i);
    const inSets = new Set(sets.flat());
    const outside = all.filter((i) => !inSets.has(i));
    sets = sets.map((set) => [...new Set([...outside, ...set])].sort((a, b) => a - b));
  }

  // Keys and aggregate arguments over the FROM scope.
  const bindIn = (e: Expr, what: string): Rex => {
    const r = bindExpr(e, { scope, fn, noAggregates: what });
    if (window?.kind === 'tvf') for (const i of inputsOfRex(r)) if (windowCols.has(i)) throw new SqlValidationError('window_start, window_end and window_time can only be used as group keys of the window aggregation', e.pos);
    return r;
  };
  const keyRex = plain.map((e) => bindIn(e, 'in GROUP BY'));
  const calls: FuncCall[] = [];
  for (const i of s.items) {
    aggregateCalls(i.expr, calls);
  }
  aggregateCalls(s.having, calls);
  const pre: Rex[] = [...keyRex];
  const aggs: AggCall[] = [];
  const aggDigests: string[] = [];
  for (const c of calls) {
    const d = digest(c);
    if (aggDigests.includes(d)) continue;
    aggDigests.push(d);
    const def = lookupAggregateFunction(c.name)!;
    const args = c.args.filter((a) => !(a.type === 'star' && c.name === 'COUNT')).map((a) => bindIn(a, `in the arguments of ${c.name} (nested aggregates)`));
    if (c.args.some((a) => a.type === 'star') && c.name !== 'COUNT') throw new SqlValidationError(`${c.name}(*) is not allowed; only COUNT(*)`, c.pos);
    if (args.length < def.minArgs || args.length > def.maxArgs) throw new SqlValidationError(`${c.name} takes ${def.minArgs === def.maxArgs ? def.minArgs : `${def.minArgs} to ${def.maxArgs}`} arguments, got ${args.length}`, c.pos);
    if (c.name === 'COUNT' && c.distinct && args.length === 0) throw new SqlValidationError('COUNT(DISTINCT *) is not allowed', c.pos);
    let agg;
    try {
      agg = def.resolve(args.map((a) => a.type), args.map((a) => (a.kind === 'literal' ? a.value : undefined)));
    } catch (e) {
      if (e instanceof FunctionTypeError) throw new SqlValidationError(`${c.name}: ${e.message}`, c.pos);
      throw e;
    }
    if (c.distinct) agg = distinctAggregate(agg, args.map((a) => a.type));
    const argIdx = args.map((a) => {
      pre.push(a);
      return pre.length - 1;
    });
    let filter: number | undefined;
    if (c.filter) {
      const f = bindIn(c.filter, 'in FILTER');
      if (f.type.root !== 'BOOLEAN') throw new SqlValidationError(`FILTER must be a BOOLEAN expression, not ${f.type.root}`, c.filter.pos);
      pre.push(f);
      filter = pre.length - 1;
    }
    aggs.push({ name: c.name, agg, args: argIdx, distinct: c.distinct ?? false, filter, type: agg.type });
  }
  const g = keyRex.length;
  const keyNullable = (i: number): boolean => sets !== undefined && sets.some((set) => !set.includes(i));
  const keyFields: Field[] = keyRex.map((r, i) => ({ name: `$f${i}`, type: { ...stripTime(r.type), nullable: r.type.nullable || keyNullable(i) } }));
  let agg: Rel;
  let windowOut = -1;
  if (window) {
    const w = window;
    pre.push(w.time);
    const preRel = project(input, pre, pre.map((_, i) => `$f${i}`));
    const spec = w.spec(pre.length - 1);
    const wf = windowFields(w.time.type);
    windowOut = g;
    agg = {
      kind: 'window-aggregate', input: preRel, window: spec, groupKeys: keyRex.map((_, i) => i), groupingSets: sets, aggs,
      fields: [...keyFields, ...wf, ...aggs.map((a, i) => ({ name: `$a${i}`, type: a.type }))],
    };
  } else {
    const preRel = project(input, pre, pre.map((_, i) => `$f${i}`));
    agg = { kind: 'aggregate', input: preRel, groupKeys: keyRex.map((_, i) => i), groupingSets: sets, aggs, fields: [...keyFields, ...aggs.map((a, i) => ({ name: `$a${i}`, type: a.type }))] };
  }
  const aggBase = window ? g + 3 : g;

  // The SELECT list and HAVING over the aggregation's output.
  const keyDigests = keyRex.map((r) => rexToString(r));
  const outScope = Scope.of(agg.fields);
  const intercept = (e: Expr): Rex | undefined => {
    if (e.type === 'call' && isAggregateCall(e)) {
      const i = aggDigests.indexOf(digest(e));
      return { kind: 'input', index: aggBase + i, type: agg.fields[aggBase + i]!.type };
    }
    if (e.type === 'call' && LEGACY_AUX[e.name] && !e.over) {
      const [kind, which] = LEGACY_AUX[e.name]!;
      if (!window || window.kind !== 'legacy' || window.legacyKind !== kind) throw new SqlValidationError(`${e.name} needs a ${kind} group window in GROUP BY`, e.pos);
      return { kind: 'input', index: windowOut + which, type: agg.fields[windowOut + which]!.type };
    }
    if (e.type === 'call' && (e.name === 'GROUPING' || e.name === 'GROUPING_ID')) throw new SqlNotSupportedError(`${e.name}()`, e.pos);
    const calls: FuncCall[] = [];
    aggregateCalls(e, calls);
    if (calls.length > 0 || e.type === 'literal' || e.type === 'interval') return undefined;
    if (e.type === 'column' && window?.kind === 'tvf') {
      const r = scope.resolve(e.name);
      const w = windowCols.get(r.field.index);
      if (w !== undefined) return { kind: 'input', index: windowOut + w, type: agg.fields[windowOut + w]!.type };
    }
    let r: Rex;
    try {
      r = bindExpr(e, { scope, fn });
    } catch (err) {
      if (e.type === 'column') throw err;
      return undefined;
    }
    const k = keyDigests.indexOf(rexToString(r));
    if (k >= 0) return { kind: 'input', index: k, type: agg.fields[k]!.type };
    if (e.type === 'column') throw new SqlValidationError(`Expression '${e.name.parts.join('.')}' is not being grouped`, e.pos);
    return undefined;
  };
  const outCtx = { scope: outScope, fn, intercept };
  let rel: Rel = agg;
  if (s.having) {
    const cond = bindExpr(s.having, outCtx);
    if (cond.type.root !== 'BOOLEAN') throw new SqlValidationError(`HAVING must be a BOOLEAN expression, not ${cond.type.root}`, s.having.pos);
    rel = project(rel, rel.fields.map((f, i) => ({ kind: 'input', index: i, type: f.type })), rel.fields.map((f) => f.name), cond);
  }
  const projects: Rex[] = [];
  const names: string[] = [];
  s.items.forEach((item, i) => {
    if (item.expr.type === 'star') throw new SqlValidationError('SELECT * is not allowed with GROUP BY', item.pos);
    projects.push(bindExpr(item.expr, outCtx));
    names.push(itemName(item, i));
  });
  const out = project(rel, projects, uniqueNames(names));
  if (s.distinct) return { kind: 'aggregate', input: out, groupKeys: out.fields.map((_, i) => i), aggs: [], fields: out.fields.map((f) => ({ name: f.name, type: stripTime(f.type) })) };
  return out;
}

function inputsOfRex(r: Rex, into: number[] = []): number[] {
  if (r.kind === 'input') into.push(r.index);
  else if (r.kind === 'call' || r.kind === 'special') for (const o of r.operands) inputsOfRex(o, into);
  return into;
}

function bindGroupingElement(g: GroupingElement, addKey: (e: Expr) => number, setSets: (sets: number[][]) => void): void {
  if (g.kind === 'expr') {
    addKey(g.expr);
    return;
  }
  if (g.kind === 'grouping-sets') {
    setSets(g.sets.map((set) => set.map(addKey).filter((i) => i >= 0)));
    return;
  }
  const keys = g.exprs.map(addKey).filter((i) => i >= 0);
  if (g.kind === 'rollup') {
    const sets: number[][] = [];
    for (let n = keys.length; n >= 0; n--) sets.push(keys.slice(0, n));
    setSets(sets);
  } else {
    const sets: number[][] = [];
    for (let mask = (1 << keys.length) - 1; mask >= 0; mask--) sets.push(keys.filter((_, i) => (mask & (1 << i)) !== 0));
    setSets(sets);
  }
}

function legacyWindow(e: FuncCall, scope: Scope, env: BindEnv): WindowPlan {
  const name = e.name;
  const want = name === 'HOP' ? 3 : 2;
  if (e.args.length !== want && !(e.args.length === want + 1 && name !== 'SESSION')) {
    throw new SqlValidationError(`${name} group window takes ${name === 'HOP' ? '(time, slide, size)' : name === 'SESSION' ? '(time, gap)' : '(time, size)'}`, e.pos);
  }
  const time = bindExpr(e.args[0]!, { scope, fn: env.fn, noAggregates: 'in a group window' });
  if (time.kind !== 'input') throw new SqlValidationError(`the first argument of ${name} must be a time attribute column`, e.args[0]!.pos);
  const a = e.args.slice(1).map((x, i) => intervalMs(x, env, `argument ${i + 2} of ${name}`));
  const ms = name === 'TUMBLE' ? { size: a[0], offset: a[1] } : name === 'HOP' ? { slide: a[0], size: a[1], offset: a[2] } : { gap: a[0] };
  // Checked now, so that a non-time attribute is reported at the GROUP BY.
  windowSpec(name as WindowSpec['kind'], 0, time.type, ms, e.pos);
  return { kind: 'legacy', legacyKind: name, time, spec: (timeField) => windowSpec(name as WindowSpec['kind'], timeField, time.type, ms, e.pos) };
}
