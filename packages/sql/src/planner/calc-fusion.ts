// Which Calcs the translator fuses into one compiled function (as Flink's CalcMergeRule): a Calc, the chain of Calcs
// under it whose expressions are deterministic, and the computed columns of a scan right under that chain. The
// result is the fused expressions over the lowest input (the scan's raw row when a scan is fused). Translation and
// projection push-down (projection-pushdown.ts) both use it, so that what is pushed into a source is exactly what the
// fused functions read.
import type { CalcRel, Rel, ScanRel } from '../plan/rel.js';
import type { Rex } from '../plan/rex.js';
import { isDeterministic, substituteInputs } from '../codegen/rex-substitute.js';

/** A Calc with what is fused under it. @internal */
export interface FusedCalc {
  /** The projections over `below` (over the scan's raw row when `scan` is set). */
  readonly projects: readonly Rex[];
  /** The conditions, in the order they are checked, over the same input. */
  readonly conditions: readonly Rex[];
  /** The Calcs fused under the top one (top to bottom). */
  readonly fused: readonly CalcRel[];
  /** The first node not fused (the scan itself when `scan` is set). */
  readonly below: Rel;
  /** The scan whose computed columns were fused in: the expressions read its raw rows. */
  readonly scan?: ScanRel;
}

/** Whether a node's expressions can be substituted into the Calc above it. @internal */
export const fusable = (projects: readonly Rex[]): boolean => projects.every(isDeterministic);

/** The Calc `rel` fused with the Calcs (and the scan's computed columns) under it. @internal */
export function fuseCalcs(rel: CalcRel): FusedCalc {
  let projects: readonly Rex[] = rel.projects;
  let conditions: Rex[] = rel.condition ? [rel.condition] : [];
  const fused: CalcRel[] = [];
  let below: Rel = rel.input;
  while (below.kind === 'calc' && fusable(below.projects)) {
    const inner: readonly Rex[] = below.projects;
    projects = projects.map((p) => substituteInputs(p, inner));
    conditions = conditions.map((c) => substituteInputs(c, inner));
    if (below.condition) conditions.unshift(below.condition);
    fused.push(below);
    below = below.input;
  }
  if (below.kind !== 'scan' || !fusable(below.projects)) return { projects, conditions, fused, below };
  const scan = below;
  return {
    projects: projects.map((p) => substituteInputs(p, scan.projects)),
    conditions: conditions.map((c) => substituteInputs(c, scan.projects)),
    fused,
    below,
    scan,
  };
}
