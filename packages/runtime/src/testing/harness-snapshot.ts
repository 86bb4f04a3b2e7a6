// Snapshots of operator test harnesses: an operator's capture encoded exactly as a checkpoint stores it (keyed state
// per key group in the canonical format, operator state in its format), and the restore data of one subtask at any
// parallelism planned from the snapshots of all old subtasks (key groups picked by range, operator state
// redistributed), as the runtime's restore planner does for a job.
import { keyGroupRangeForSubtask } from '@runnel/api';
import { decodeOperatorState, redistributeOperatorState } from '@runnel/checkpoint';
import type { OperatorCapture, OperatorRestore } from '../checkpointing/operator-snapshot.js';
import { decodeRestore, encodeCapture, type EncodedOperatorState } from '../checkpointing/state-encoding.js';

/**
 * The encoded state of one old subtask of an operator.
 *
 * @internal
 */
export interface EncodedSubtaskState {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly checkpointId: number;
  readonly state: EncodedOperatorState;
}

/**
 * Encodes a capture as the task does before it goes to checkpoint storage (releases a backend snapshot).
 *
 * @internal
 */
export async function encodeSubtaskCapture(
  capture: OperatorCapture,
  at: { subtaskIndex: number; parallelism: number; maxParallelism: number; checkpointId: number; watermark: number; uid: string },
): Promise<EncodedSubtaskState> {
  const state = await encodeCapture(at.uid, capture, at.watermark);
  if (state.keyed?.base !== undefined) throw new Error('incremental captures cannot be restored by a harness');
  return { subtaskIndex: at.subtaskIndex, parallelism: at.parallelism, maxParallelism: at.maxParallelism, checkpointId: at.checkpointId, state };
}

/**
 * What subtask `subtaskIndex` of `parallelism` restores from the encoded states of every old subtask (one
 * checkpoint): the key groups of its range, its share of the operator state, the lowest old watermark.
 *
 * @internal
 */
export function planSubtaskRestore(
  old: readonly EncodedSubtaskState[],
  subtaskIndex: number,
  parallelism: number,
  operatorName: string,
): OperatorRestore {
  if (old.length === 0) throw new Error('nothing to restore: no subtask snapshots given');
  const first = old[0]!;
  const seen = new Set<number>();
  for (const s of old) {
    if (s.checkpointId !== first.checkpointId) throw new Error(`subtask snapshots of different checkpoints (${first.checkpointId} and ${s.checkpointId}) cannot be restored together`);
    if (s.maxParallelism !== first.maxParallelism) throw new Error(`subtask snapshots with different maxParallelism (${first.maxParallelism} and ${s.maxParallelism})`);
    if (s.parallelism !== first.parallelism) throw new Error(`subtask snapshots taken at different parallelisms (${first.parallelism} and ${s.parallelism})`);
    if (seen.has(s.subtaskIndex)) throw new Error(`two snapshots of subtask ${s.subtaskIndex}`);
    seen.add(s.subtaskIndex);
  }
  const ordered = [...old].sort((a, b) => a.subtaskIndex - b.subtaskIndex);
  const keyedStates = ordered.find((s) => s.state.keyed)?.state.keyed?.states;
  const chunks = ordered.flatMap((s) => (s.state.keyed ? [{ bytes: s.state.keyed.bytes, index: s.state.keyed.index }] : []));
  // Operator state of missing old subtasks counts as empty: a restore at the old parallelism keeps each subtask's own.
  const perOld = Array.from({ length: first.parallelism }, (_, i) => {
    const s = ordered.find((o) => o.subtaskIndex === i);
    return s?.state.operatorState ? decodeOperatorState(s.state.operatorState.bytes) : [];
  });
  const operatorState = redistributeOperatorState(perOld, parallelism)[subtaskIndex]!;
  const watermarks = ordered.map((s) => s.state.watermark);
  const watermark = watermarks.some((w) => w === Number.NEGATIVE_INFINITY) ? undefined : Math.min(...watermarks);
  const range = keyGroupRangeForSubtask(first.maxParallelism, parallelism, subtaskIndex);
  return decodeRestore(
    {
      uid: operatorName,
      subtask: subtaskIndex,
      checkpointId: first.checkpointId,
      keyed: keyedStates ? { states: keyedStates, chunks } : undefined,
      operatorState,
      watermark,
    },
    range,
    operatorName,
  );
}
