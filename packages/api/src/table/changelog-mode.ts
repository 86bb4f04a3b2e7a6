// Which row kinds a table source produces, a sink accepts or a plan node emits (Flink's `ChangelogMode`). The
// planner checks every edge: a sink that cannot take what a query produces is refused before the job starts.
import { RowKind } from './row.js';

/**
 * A set of row kinds, and whether updates are keyed (upsert: no -U is needed, the key identifies the row).
 *
 * @public
 */
export interface ChangelogMode {
  readonly kinds: readonly RowKind[];
  /** True when update-befores may be missing: consumers must treat +U as "replace by key" (upsert). */
  readonly keyOnlyDeletes?: boolean;
}

/**
 * Only +I rows.
 *
 * @public
 */
export const INSERT_ONLY: ChangelogMode = { kinds: [RowKind.INSERT] };

/**
 * +I, +U, -D keyed by a primary key (no -U).
 *
 * @public
 */
export const UPSERT: ChangelogMode = { kinds: [RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE], keyOnlyDeletes: true };

/**
 * All kinds: +I, -U, +U, -D (retract).
 *
 * @public
 */
export const ALL_KINDS: ChangelogMode = { kinds: [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE] };

/**
 * Whether the mode has only inserts.
 *
 * @public
 */
export function isInsertOnly(mode: ChangelogMode): boolean {
  return mode.kinds.length === 1 && mode.kinds[0] === RowKind.INSERT;
}

/**
 * Flink's text of a mode: `[I]`, `[I,UB,UA,D]`, `[I,UA,D]`.
 *
 * @public
 */
export function formatChangelogMode(mode: ChangelogMode): string {
  const names = ['I', 'UB', 'UA', 'D'];
  return `[${[...mode.kinds].sort().map((k) => names[k]).join(',')}]`;
}
