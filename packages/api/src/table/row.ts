// The rows that SQL operators and table connectors exchange: the field values (represented as `logical-type.ts`
// says) and the changelog kind of the row (+I, -U, +U, -D), as Flink's `RowData`. A row is a plain object so that
// it is cheap to build and needs no class on the other side of a thread; operators know the row type from the
// plan and never inspect values to find it.

/**
 * The changelog kind of a row (Flink's `RowKind`): insert, update before (retraction of the previous value),
 * update after, delete.
 *
 * @public
 */
export const RowKind = {
  INSERT: 0,
  UPDATE_BEFORE: 1,
  UPDATE_AFTER: 2,
  DELETE: 3,
} as const;

/** @public */
export type RowKind = (typeof RowKind)[keyof typeof RowKind];

const SHORT = ['+I', '-U', '+U', '-D'] as const;

/**
 * The short form of a kind, as Flink prints it: `+I`, `-U`, `+U`, `-D`.
 *
 * @public
 */
export function rowKindShortString(kind: RowKind): '+I' | '-U' | '+U' | '-D' {
  return SHORT[kind];
}

/**
 * The kind for a short string (`+I`, `-U`, `+U`, `-D`), or undefined.
 *
 * @public
 */
export function rowKindFromShortString(s: string): RowKind | undefined {
  const i = (SHORT as readonly string[]).indexOf(s);
  return i < 0 ? undefined : (i as RowKind);
}

/**
 * Whether a row of this kind adds to the result (+I, +U) rather than retracting from it (-U, -D).
 *
 * @public
 */
export function isAccumulate(kind: RowKind): boolean {
  return kind === RowKind.INSERT || kind === RowKind.UPDATE_AFTER;
}

/**
 * A row: its changelog kind and its field values in the order of its row type.
 *
 * @public
 */
export interface Row {
  kind: RowKind;
  readonly fields: unknown[];
}

/**
 * Builds a row.
 *
 * @public
 */
export function row(kind: RowKind, fields: unknown[]): Row {
  return { kind, fields };
}
