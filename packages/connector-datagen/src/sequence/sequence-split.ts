// Splits of the generator sources: a strided range of record numbers (first, first + stride, ... below `end`).
// Nexmark interleaves (split i of n takes i, i+n, ...) so every split's event time advances alike; datagen's
// bounded splits are contiguous chunks (stride 1) so that `sequence` fields split evenly, as in Flink.
import type { SourceSplit } from '@runnel/api/connector';
import type { VersionedSerializer } from '@runnel/api';
import { jsonVersionedSerializer } from '@runnel/codec';

/**
 * A strided range of record numbers with its position.
 *
 * @public
 */
export interface SequenceSplit extends SourceSplit {
  readonly splitId: string;
  /** Index of the split among the source's splits; split i goes to subtask i mod parallelism. */
  readonly index: number;
  /** The next record number to generate (the position). */
  readonly next: number;
  readonly stride: number;
  /** Exclusive end of the record numbers, or `null` when unbounded. */
  readonly end: number | null;
}

/**
 * State of the static enumerator: the splits not yet assigned to a reader.
 *
 * @public
 */
export interface SequenceEnumeratorState {
  readonly pending: readonly SequenceSplit[];
}

/** How many records of a split remain (Infinity when unbounded). @internal */
export function remainingOf(next: number, stride: number, end: number | null): number {
  if (end === null) return Number.POSITIVE_INFINITY;
  return next >= end ? 0 : Math.ceil((end - next) / stride);
}

/**
 * The initial splits of a row-number source for `parallelism` subtasks: with a finite `totalRows`, contiguous chunks
 * (so that sequences split evenly, as in Flink's datagen); unbounded, interleaved (split i takes i, i + n, ...).
 *
 * @internal
 */
export function rowNumberSplits(prefix: string, totalRows: number, parallelism: number): SequenceSplit[] {
  return Array.from({ length: parallelism }, (_, i) =>
    Number.isFinite(totalRows)
      ? {
          splitId: `${prefix}-${i}`,
          index: i,
          next: Math.floor((totalRows * i) / parallelism),
          stride: 1,
          end: Math.floor((totalRows * (i + 1)) / parallelism),
        }
      : { splitId: `${prefix}-${i}`, index: i, next: i, stride: parallelism, end: null },
  );
}

function decodeSplit(v: unknown): SequenceSplit {
  const o = v as Record<string, unknown>;
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.splitId !== 'string' ||
    !Number.isSafeInteger(o.index) ||
    !Number.isSafeInteger(o.next) ||
    !Number.isSafeInteger(o.stride) ||
    (o.stride as number) < 1 ||
    !(o.end === null || Number.isSafeInteger(o.end))
  ) {
    throw new Error(`invalid sequence split: ${JSON.stringify(v)}`);
  }
  return { splitId: o.splitId, index: o.index as number, next: o.next as number, stride: o.stride as number, end: o.end as number | null };
}

/**
 * The split serializer of a generator source (JSON, version 1), under the source's own id.
 *
 * @public
 */
export function sequenceSplitSerializer(id: string): VersionedSerializer<SequenceSplit> {
  return jsonVersionedSerializer(id, 1, (v) => decodeSplit(v));
}

/**
 * The enumerator-state serializer of a generator source (JSON, version 1), under the source's own id.
 *
 * @public
 */
export function sequenceEnumeratorStateSerializer(id: string): VersionedSerializer<SequenceEnumeratorState> {
  return jsonVersionedSerializer(id, 1, (v) => {
    const o = v as { pending?: unknown };
    if (typeof o !== 'object' || o === null || !Array.isArray(o.pending)) {
      throw new Error(`invalid enumerator state: ${JSON.stringify(v)}`);
    }
    return { pending: o.pending.map(decodeSplit) };
  });
}
