// The layout of the keyed state of SQL operators, and how it shows in their uids. The keyed SQL operators
// (group, window and OVER aggregations, ChangelogNormalize) keep state under keys made by `rowKeySelector` and,
// for DISTINCT aggregates, accumulators keyed by the distinct values. When that layout changes, state written in
// the old one would restore without an error and be read wrongly (a key that no longer matches starts empty, an
// accumulator is read as another shape). No backend reads keys back, so a serializer id cannot guard them: the
// layout is part of these operators' uids instead. A savepoint of another layout then holds state the job does
// not claim, which the runtime refuses by default before any task starts; the session turns that refusal into a
// message that names the layout (see `refusedStateLayouts`).
//
// Layouts: 1 (unmarked uids `sql-<hash>`): a composite key was a JSON-encoded tuple, a BIGINT key a bigint, a
// DISTINCT value a [count, row] entry. 2 (`sql-s2-<hash>`): a composite key of scalars is one tagged,
// length-delimited string, a BIGINT key in the safe-integer range its number (c78b141); a single BIGINT/DECIMAL
// DISTINCT argument is keyed by its number with a plain count (f761ddf). 3 (`sql-s3-<hash>`): the mini-batch group
// aggregation keeps its bundle in memory (flushed before every barrier), so its state is the group state alone; in
// layout 2 it also kept each group's result before the batch ('mini-batch-before') and timers, which layout 3 would
// leave unread (a pending change never emitted). Bump SQL_STATE_LAYOUT with any change of what these operators
// store or how they key it.

/** The layout of the keyed SQL operators' state that this version writes and reads. @internal */
export const SQL_STATE_LAYOUT = 3;

const SQL_UID = /^sql-(?:s(\d+)-)?[0-9a-f]{16}(?:-\d+)?$/;

/** The uid prefix of keyed SQL operators in the current layout. @internal */
export function keyedUidPrefix(): string {
  return `sql-s${SQL_STATE_LAYOUT}-`;
}

/** The state layout a keyed SQL operator's uid was written with, or `undefined` for a uid SQL did not make. @internal */
export function stateLayoutOfUid(uid: string): number | undefined {
  const m = SQL_UID.exec(uid);
  if (!m) return undefined;
  return m[1] === undefined ? 1 : Number(m[1]);
}
