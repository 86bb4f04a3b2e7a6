// Restore-side helpers: what a restoring subtask reads from a verified checkpoint. Keyed state: the keyed-state
// files of every old subtask whose key-group range overlaps the new subtask's range, decoding only the blocks of
// the key groups it now owns (via the block index). Operator state: all old subtasks' files, redistributed.

import type { CheckpointStorage, CompletedCheckpointRef, KeyGroupEntries, KeyGroupRange, OperatorStateEntries, SerializerSnapshot } from '@runnel/api';
import { decodeKeyGroups } from './format/key-groups-format.js';
import { decodeOperatorState } from './format/operator-state-format.js';
import { redistributeOperatorState } from './format/redistribute.js';
import type { OperatorSnapshotMeta } from './format/metadata.js';
import { CheckpointCorruptedError } from './errors.js';

/**
 * The keyed-state handles of `op` whose key-group range overlaps `range`.
 *
 * @public
 */
export function keyGroupHandlesFor(op: OperatorSnapshotMeta, range: KeyGroupRange): OperatorSnapshotMeta['keyGroupHandles'] {
  return op.keyGroupHandles.filter((h) => h.start <= range.end && h.end >= range.start && h.end >= h.start);
}

/**
 * Reads the keyed state of the key groups in `range` (a new subtask's range, at any parallelism), sorted by key
 * group, ready for `KeyedStateBackend.restore`.
 *
 * @throws CheckpointCorruptedError (with checkpoint and file) for damaged files.
 * @public
 */
export async function readKeyedState(
  storage: CheckpointStorage,
  ref: CompletedCheckpointRef,
  op: OperatorSnapshotMeta,
  range: KeyGroupRange,
): Promise<KeyGroupEntries[]> {
  const out: KeyGroupEntries[] = [];
  for (const h of keyGroupHandlesFor(op, range)) {
    const bytes = await storage.readState(ref, h.handle);
    try {
      for (const g of decodeKeyGroups(bytes, h.index, (kg) => kg >= range.start && kg <= range.end)) out.push(g);
    } catch (err) {
      if (err instanceof CheckpointCorruptedError) throw err.withLocation({ checkpoint: ref.ref, file: h.handle.ref });
      throw err;
    }
  }
  out.sort((a, b) => a.keyGroup - b.keyGroup);
  return out;
}

/**
 * Reads the operator state of all old subtasks of `op` and redistributes it over `newParallelism` subtasks
 * (see {@link redistributeOperatorState}); element `i` of the result is for new subtask `i`.
 *
 * @public
 */
export async function readOperatorState(
  storage: CheckpointStorage,
  ref: CompletedCheckpointRef,
  op: OperatorSnapshotMeta,
  newParallelism: number,
): Promise<OperatorStateEntries[][]> {
  const perSubtask: OperatorStateEntries[][] = [];
  const handles = [...op.operatorStateHandles].sort((a, b) => a.subtask - b.subtask);
  for (const h of handles) {
    const bytes = await storage.readState(ref, h.handle);
    try {
      perSubtask.push(decodeOperatorState(bytes));
    } catch (err) {
      if (err instanceof CheckpointCorruptedError) throw err.withLocation({ checkpoint: ref.ref, file: h.handle.ref });
      throw err;
    }
  }
  return redistributeOperatorState(perSubtask, newParallelism);
}

/**
 * Reads the coordinator state of `op` (e.g. a source's split enumerator), with the serializer it was written with.
 *
 * @public
 */
export async function readCoordinatorState(
  storage: CheckpointStorage,
  ref: CompletedCheckpointRef,
  op: OperatorSnapshotMeta,
): Promise<{ serializer: SerializerSnapshot; bytes: Uint8Array } | undefined> {
  if (op.coordinatorState === undefined) return undefined;
  return { serializer: op.coordinatorState.serializer, bytes: await storage.readState(ref, op.coordinatorState.handle) };
}
