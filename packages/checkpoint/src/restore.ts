// Restore-side reads: what a restoring subtask reads from a verified checkpoint. Keyed state: the keyed-state
// files of every old subtask whose key-group range overlaps the new subtask's range, decoding only the blocks of
// the key groups it now owns (via the block index). Operator state: all old subtasks' files, redistributed. The
// runtime's restore planner reads through these same functions (it reads the files on the job coordinator and
// decodes keyed state on each task's thread), so tools and the runtime cannot disagree on what a checkpoint holds.

import type { CheckpointStorage, CompletedCheckpointRef, KeyGroupEntries, KeyGroupRange, OperatorStateEntries, SerializerSnapshot, StateHandle } from '@runnel/api';
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
 * Reads the bytes of one state file of a checkpoint, e.g. `(h) => storage.readState(ref, h)`.
 *
 * @public
 */
export type StateFileReader = (handle: StateHandle) => Promise<Uint8Array>;

/**
 * Decodes the key groups in `range` from one keyed-state file (its bytes and the block index of its handle), in
 * file order.
 *
 * @throws CheckpointCorruptedError (without a file location: callers add it) for damaged bytes.
 * @public
 */
export function decodeKeyGroupRange(bytes: Uint8Array, index: readonly (readonly [number, number, number])[], range: KeyGroupRange): KeyGroupEntries[] {
  return decodeKeyGroups(bytes, index, (kg) => kg >= range.start && kg <= range.end);
}

/**
 * Reads the keyed state of the key groups in `range` (a new subtask's range, at any parallelism), sorted by key
 * group (entries of one key group in the order of the handles: an incremental chain's base first), ready for
 * `KeyedStateBackend.restore`.
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
      for (const g of decodeKeyGroupRange(bytes, h.index, range)) out.push(g);
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
 * @throws CheckpointCorruptedError (with checkpoint and file) for damaged files.
 * @public
 */
export async function readOperatorState(
  storage: CheckpointStorage,
  ref: CompletedCheckpointRef,
  op: OperatorSnapshotMeta,
  newParallelism: number,
): Promise<OperatorStateEntries[][]> {
  return readOperatorStateFrom((h) => storage.readState(ref, h), op, newParallelism, ref.ref);
}

/**
 * {@link readOperatorState} through a file reader (one that caches or verifies reads). Each old subtask's state
 * keeps its subtask index — a subtask that wrote none counts as empty — so that at an unchanged parallelism every
 * subtask gets its own state back.
 *
 * @param checkpoint - names the checkpoint in the location of a {@link CheckpointCorruptedError}
 * @throws CheckpointCorruptedError (with the file, and `checkpoint` when given) for damaged files.
 * @public
 */
export async function readOperatorStateFrom(
  readFile: StateFileReader,
  op: OperatorSnapshotMeta,
  newParallelism: number,
  checkpoint?: string,
): Promise<OperatorStateEntries[][]> {
  const perSubtask: OperatorStateEntries[][] = Array.from({ length: op.parallelism }, () => []);
  for (const h of op.operatorStateHandles) {
    const bytes = await readFile(h.handle);
    try {
      perSubtask[h.subtask] = decodeOperatorState(bytes);
    } catch (err) {
      if (err instanceof CheckpointCorruptedError) throw err.withLocation({ ...(checkpoint !== undefined ? { checkpoint } : {}), file: h.handle.ref });
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
