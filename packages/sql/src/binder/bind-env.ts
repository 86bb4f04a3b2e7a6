// What binding a query needs besides the syntax tree: the catalog, the function settings, the common table
// expressions in scope, and the catalog's view bodies being expanded (to refuse recursive views).
import type { Catalog } from '../catalog/catalog.js';
import type { FunctionContext } from '../functions/function-definition.js';
import type { Rel } from '../plan/rel.js';

/** A bound relation with its field names and the alias that qualifies them. @internal */
export interface BoundRelation {
  readonly rel: Rel;
  readonly qualifier?: string;
}

/** @internal */
export interface BindEnv {
  readonly catalog: Catalog;
  readonly fn: FunctionContext;
  /** WITH queries visible here, by name. */
  readonly ctes: ReadonlyMap<string, Rel>;
  /** Views being expanded (cycle check). */
  readonly expanding: ReadonlySet<string>;
}
