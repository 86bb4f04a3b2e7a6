// Small builders of plans shared by the query binders: projections, select-item names, unique output names, and
// the FROM clause's scope.
import type { SelectItem } from '../parser/ast.js';
import type { CalcRel, Rel } from '../plan/rel.js';
import type { Rex } from '../plan/rex.js';
import type { Scope } from './scope.js';

/** The fields of a FROM clause, with qualifiers, and the plan that produces them. @internal */
export interface FromScope {
  readonly rel: Rel;
  readonly scope: Scope;
}

/** A projection of a plan. @internal */
export function project(input: Rel, projects: readonly Rex[], names: readonly string[], condition?: Rex): CalcRel {
  return { kind: 'calc', input, projects, condition, fields: projects.map((p, i) => ({ name: names[i]!, type: p.type })) };
}

/** The name of a select item: its alias, its column name, or `EXPR$i`. @internal */
export function itemName(item: SelectItem, i: number): string {
  if (item.alias) return item.alias;
  const e = item.expr;
  if (e.type === 'column') return e.name.parts[e.name.parts.length - 1]!;
  if (e.type === 'field') return e.field;
  return `EXPR$${i}`;
}

/** Makes output names unique as Flink does (`a`, `a0`, ...). @internal */
export function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    let m = n;
    for (let k = 0; used.has(m); k++) m = `${n}${k}`;
    used.add(m);
    return m;
  });
}

