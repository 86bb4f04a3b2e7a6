// Binds queries: FROM (tables, views, subqueries, WITH queries, window TVFs), WHERE, the SELECT list, DISTINCT,
// UNION ALL, VALUES, ORDER BY and LIMIT, into a relational plan. Aggregations are bound in bind-aggregate.ts.
import type { LogicalType } from '@runnel/api/table';
import type { FromItem, Query, QueryBody, Select } from '../parser/ast.js';
import type { Field, Rel, SortRel } from '../plan/rel.js';
import type { Rex } from '../plan/rex.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import { bindExpr } from './bind-expression.js';
import { castRex, sameType } from './rex-builders.js';
import { bindAggregateSelect, hasAggregates } from './bind-aggregate.js';
import { bindWindowTvf } from './bind-window.js';
import { bindOverSelect, hasOverCalls } from './bind-over.js';
import { scanTable } from './bind-table.js';
import { Scope, type ScopeField } from './scope.js';
import { itemName, project, uniqueNames, type FromScope } from './projection.js';
import type { BindEnv } from './bind-env.js';
import { evaluateConstant } from '../codegen/evaluate-constant.js';
import { commonType } from '../types/type-rules.js';

/** A query's plan and its output field names. @internal */
export function bindQuery(q: Query, env: BindEnv): Rel {
  let inner = env;
  if (q.with) {
    const ctes = new Map(env.ctes);
    for (const w of q.with) {
      let rel = bindQuery(w.query, { ...inner, ctes });
      if (w.columns) rel = renameFields(rel, w.columns, w.pos);
      ctes.set(w.name, rel);
    }
    inner = { ...env, ctes };
  }
  let rel = bindBody(q.body, inner);
  if (q.orderBy || q.limit || q.offset) {
    const scope = Scope.of(rel.fields);
    const keys: SortRel['keys'][number][] = [];
    for (const o of q.orderBy ?? []) {
      const r = bindOrderKey(o.expr, rel, scope, inner);
      keys.push({ field: r, desc: o.desc, nullsFirst: o.nullsFirst ?? !o.desc });
    }
    const limit = q.limit ? constantInt(q.limit, inner, 'LIMIT') : undefined;
    const offset = q.offset ? constantInt(q.offset, inner, 'OFFSET') : 0;
    rel = { kind: 'sort', input: rel, keys, limit, offset, fields: rel.fields };
  }
  return rel;
}

function bindOrderKey(e: import('../parser/ast.js').Expr, rel: Rel, scope: Scope, env: BindEnv): number {
  if (e.type === 'literal' && e.kind === 'number') {
    const i = Number(e.text);
    if (!Number.isInteger(i) || i < 1 || i > rel.fields.length) throw new SqlValidationError(`ORDER BY position ${e.text} is not in the select list (1..${rel.fields.length})`, e.pos);
    return i - 1;
  }
  const r = bindExpr(e, { scope, fn: env.fn, noAggregates: 'in ORDER BY' });
  if (r.kind !== 'input') throw new SqlNotSupportedError('ORDER BY an expression that is not in the select list: add it to the SELECT and order by its name', e.pos);
  return r.index;
}

function constantInt(e: import('../parser/ast.js').Expr, env: BindEnv, what: string): number {
  const r = bindExpr(e, { scope: new Scope([]), fn: env.fn, noAggregates: `in ${what}` });
  const v = evaluateConstant(r);
  const n = typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new SqlValidationError(`${what} must be a non-negative integer`, e.pos);
  return n;
}

function renameFields(rel: Rel, names: readonly string[], pos: Query['pos']): Rel {
  if (names.length !== rel.fields.length) throw new SqlValidationError(`${names.length} column names for a query of ${rel.fields.length} columns`, pos);
  return project(rel, rel.fields.map((f, i) => ({ kind: 'input', index: i, type: f.type })), names);
}

function bindBody(b: QueryBody, env: BindEnv): Rel {
  switch (b.type) {
    case 'query':
      return bindQuery(b, env);
    case 'select':
      return bindSelect(b, env);
    case 'values':
      return bindValues(b, env);
    case 'setop': {
      if (b.op !== 'UNION') throw new SqlNotSupportedError(`${b.op}${b.all ? ' ALL' : ''}`, b.pos);
      const left = bindBody(b.left, env);
      const right = bindBody(b.right, env);
      const union = unionAll([left, right], env, b.pos);
      return b.all ? union : distinct(union);
    }
  }
}

function unionAll(inputs: Rel[], env: BindEnv, pos: QueryBody['pos']): Rel {
  const n = inputs[0]!.fields.length;
  for (const r of inputs) if (r.fields.length !== n) throw new SqlValidationError(`Column count mismatch in UNION: ${n} and ${r.fields.length}`, pos);
  const types: LogicalType[] = [];
  for (let i = 0; i < n; i++) {
    const rs: Rex[] = inputs.map((r) => ({ kind: 'input', index: i, type: r.fields[i]!.type }));
    const t = commonType(rs.map((r) => r.type));
    if (!t) throw new SqlValidationError(`UNION: the types ${rs.map((r) => r.type.root).join(', ')} of column ${i + 1} have no common type`, pos);
    types.push({ ...t, nullable: rs.some((r) => r.type.nullable), timeAttribute: undefined });
  }
  const names = inputs[0]!.fields.map((f) => f.name);
  const cast = inputs.map((r) =>
    r.fields.every((f, i) => sameType(f.type, types[i]!) && f.type.nullable === types[i]!.nullable && !f.type.timeAttribute)
      ? r
      : project(r, r.fields.map((f, i) => castRex({ kind: 'input', index: i, type: { ...f.type, timeAttribute: undefined } }, types[i]!, env.fn, pos)), names),
  );
  return { kind: 'union', inputs: cast, fields: types.map((t, i) => ({ name: names[i]!, type: t })) };
}

/** SELECT DISTINCT over all fields: a group aggregation without aggregates. @internal */
export function distinct(rel: Rel): Rel {
  const fields = rel.fields.map((f) => ({ name: f.name, type: { ...f.type, timeAttribute: undefined } }));
  return { kind: 'aggregate', input: rel, groupKeys: rel.fields.map((_, i) => i), aggs: [], fields };
}

function bindValues(b: Extract<QueryBody, { type: 'values' }>, env: BindEnv): Rel {
  const empty = new Scope([]);
  const bound = b.rows.map((r) => r.map((e) => bindExpr(e, { scope: empty, fn: env.fn, noAggregates: 'in VALUES' })));
  const n = bound[0]!.length;
  for (const r of bound) if (r.length !== n) throw new SqlValidationError('VALUES rows must have the same number of columns', b.pos);
  const types: LogicalType[] = [];
  for (let i = 0; i < n; i++) {
    const t = commonType(bound.map((r) => r[i]!.type));
    if (!t) throw new SqlValidationError(`VALUES column ${i + 1} has no common type`, b.pos);
    types.push({ ...t, nullable: bound.some((r) => r[i]!.type.nullable) });
  }
  const rows = bound.map((r) => r.map((x, i) => evaluateConstant(castRex(x, types[i]!, env.fn, b.pos))));
  return { kind: 'values', rows, fields: types.map((t, i) => ({ name: `EXPR$${i}`, type: t })) };
}

/** The plan of a FROM item and the fields it makes visible. @internal */
export function bindFrom(f: FromItem, env: BindEnv): FromScope {
  switch (f.type) {
    case 'table': {
      if (f.forSystemTime) throw new SqlNotSupportedError('FOR SYSTEM_TIME AS OF (temporal and lookup joins come with joins)', f.pos);
      const simple = f.name.parts.length === 1 ? f.name.parts[0]! : undefined;
      const cte = simple !== undefined ? env.ctes.get(simple) : undefined;
      let rel: Rel;
      let qualifier = f.alias ?? f.name.parts[f.name.parts.length - 1]!;
      if (cte) rel = cte;
      else {
        const entry = env.catalog.lookup(f.name);
        qualifier = f.alias ?? entry.name;
        if (entry.kind === 'table') rel = scanTable(entry, f, env.fn);
        else if (entry.kind === 'stream') rel = entry.rel;
        else {
          if (env.expanding.has(entry.name)) throw new SqlValidationError(`View '${entry.name}' refers to itself`, f.pos);
          if (f.hints?.length) throw new SqlValidationError('OPTIONS hints apply to tables, not views', f.pos);
          rel = bindQuery(entry.query, { ...env, ctes: new Map(), expanding: new Set([...env.expanding, entry.name]) });
          if (entry.columnNames) rel = renameFields(rel, entry.columnNames, f.pos);
        }
      }
      if (f.columnAliases) rel = renameFields(rel, f.columnAliases, f.pos);
      return { rel, scope: qualify(rel.fields, qualifier) };
    }
    case 'subquery': {
      if (f.lateral) throw new SqlNotSupportedError('LATERAL subqueries', f.pos);
      let rel = bindQuery(f.query, env);
      if (f.columnAliases) rel = renameFields(rel, f.columnAliases, f.pos);
      return { rel, scope: qualify(rel.fields, f.alias) };
    }
    case 'tvf': {
      const data = f.args.find((a, i) => a.name === 'DATA' || (a.name === undefined && i === 0));
      let input: Rel | undefined;
      if (data?.value.kind === 'table') input = bindFrom({ type: 'table', pos: data.pos, name: data.value.table }, env).rel;
      else if (data?.value.kind === 'query') input = bindQuery(data.value.query, env);
      let rel: Rel = bindWindowTvf(f, env, input);
      if (f.columnAliases) rel = renameFields(rel, f.columnAliases, f.pos);
      return { rel, scope: qualify(rel.fields, f.alias) };
    }
    case 'join':
      throw new SqlNotSupportedError(`${f.comma ? 'comma' : f.kind} JOIN (joins come with the next SQL release)`, f.pos);
    case 'unnest':
      throw new SqlNotSupportedError('UNNEST', f.pos);
  }
}

function qualify(fields: readonly Field[], qualifier: string | undefined): Scope {
  return new Scope(fields.map((fl, index): ScopeField => ({ qualifier, name: fl.name, type: fl.type, index })));
}

function bindSelect(s: Select, env: BindEnv): Rel {
  const from: FromScope = s.from ? bindFrom(s.from, env) : { rel: { kind: 'values', rows: [[]], fields: [] }, scope: new Scope([]) };
  let input = from.rel;
  if (s.where) {
    const cond = bindExpr(s.where, { scope: from.scope, fn: env.fn, noAggregates: 'in WHERE' });
    if (cond.type.root !== 'BOOLEAN' && cond.type.root !== 'NULL') throw new SqlValidationError(`WHERE must be a BOOLEAN expression, not ${cond.type.root}`, s.where.pos);
    input = project(input, input.fields.map((f, i) => ({ kind: 'input', index: i, type: f.type })), input.fields.map((f) => f.name), cond);
  }
  if (hasOverCalls(s)) {
    if (s.groupBy || hasAggregates(s)) throw new SqlNotSupportedError('OVER aggregations together with GROUP BY or plain aggregates in one SELECT (use a subquery)', s.pos);
    const rel = bindOverSelect(s, from, input, env);
    return s.distinct ? distinct(rel) : rel;
  }
  if (s.windows?.length) throw new SqlValidationError('the WINDOW clause names windows for OVER aggregations, but the SELECT has none', s.pos);
  if (s.groupBy || hasAggregates(s)) return bindAggregateSelect(s, { rel: input, scope: from.scope }, env);
  if (s.having) throw new SqlValidationError('HAVING without GROUP BY or aggregates', s.having.pos);
  const projects: Rex[] = [];
  const names: string[] = [];
  s.items.forEach((item, i) => {
    if (item.expr.type === 'star') {
      const q = item.expr.qualifier?.parts[item.expr.qualifier.parts.length - 1];
      const fields = from.scope.fields.filter((f) => q === undefined || f.qualifier === q);
      if (q !== undefined && fields.length === 0) throw new SqlValidationError(`Unknown table '${q}' in ${q}.*`, item.pos);
      for (const f of fields) {
        projects.push({ kind: 'input', index: f.index, type: f.type });
        names.push(f.name);
      }
      return;
    }
    projects.push(bindExpr(item.expr, { scope: from.scope, fn: env.fn }));
    names.push(itemName(item, i));
  });
  const rel = project(input, projects, uniqueNames(names));
  return s.distinct ? distinct(rel) : rel;
}

