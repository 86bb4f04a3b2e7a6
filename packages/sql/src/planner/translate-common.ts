// Helpers of the translation passes: operator uids derived from plan digests, and the changelog checks.
import { isInsertOnly, type ChangelogMode } from '@runnel/api/table';
import type { Rel } from '../plan/rel.js';
import { explainRel, stableHash } from '../plan/explain.js';
import { SqlNotSupportedError } from '../validation-error.js';
import type { TranslateContext } from './translate-context.js';
import { keyedUidPrefix } from './state-layout.js';

/**
 * The uid of a plan node: a hash of its subtree's text. Keyed SQL operators (`keyed`) carry the state layout too,
 * so that a savepoint of another layout is refused instead of read wrongly (see state-layout.ts).
 *
 * @internal
 */
export function uidOf(rel: Rel, ctx: TranslateContext, role = '', keyed = false): string {
  const base = `${keyed ? keyedUidPrefix() : 'sql-'}${stableHash(explainRel(rel) + role)}`;
  const n = ctx.uids.get(base) ?? 0;
  ctx.uids.set(base, n + 1);
  return n === 0 ? base : `${base}-${n}`;
}

/** Whether a mode has retractions with their previous values (-U) where it has updates. @internal */
export function requireRetract(mode: ChangelogMode, what: string): void {
  if (isInsertOnly(mode)) return;
  if (mode.keyOnlyDeletes) throw new SqlNotSupportedError(`${what} over an upsert changelog (a source without update-befores); Flink inserts ChangelogNormalize here`);
}

