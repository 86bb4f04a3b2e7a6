// What a harness's snapshot() returns: the operator's state of one or more subtasks of one checkpoint, encoded in
// the formats a checkpoint stores (canonical keyed-state entries per key group, operator state, the watermark).
// Restoring a harness from it is what a job restore does, at the same or another parallelism.
import type { EncodedSubtaskState } from '@runnel/runtime/testing';

/**
 * The encoded state of an operator at one checkpoint, for one or more of its subtasks. Combine the snapshots of
 * the harnesses of all subtasks with {@link combineSnapshots} to restore at another parallelism.
 *
 * @public
 */
export class OperatorSnapshot {
  /** @internal */
  constructor(
    readonly checkpointId: number,
    /** @internal */
    readonly subtasks: readonly EncodedSubtaskState[],
  ) {}

  /** The parallelism the snapshot was taken at. */
  get parallelism(): number {
    return this.subtasks[0]!.parallelism;
  }

  /** The subtasks whose state it holds. */
  get subtaskIndexes(): number[] {
    return this.subtasks.map((s) => s.subtaskIndex).sort((a, b) => a - b);
  }

  /** Bytes of encoded state (keyed and operator state), e.g. to assert that a snapshot is not empty. */
  get byteLength(): number {
    let n = 0;
    for (const s of this.subtasks) n += (s.state.keyed?.bytes.byteLength ?? 0) + (s.state.operatorState?.bytes.byteLength ?? 0);
    return n;
  }
}

/**
 * One snapshot of several subtasks of the same checkpoint (each harness snapshots one subtask).
 *
 * @throws Error when they belong to different checkpoints or parallelisms, or name a subtask twice.
 * @public
 */
export function combineSnapshots(snapshots: readonly OperatorSnapshot[]): OperatorSnapshot {
  if (snapshots.length === 0) throw new Error('combineSnapshots: no snapshots given');
  const first = snapshots[0]!;
  const seen = new Set<number>();
  const all: EncodedSubtaskState[] = [];
  for (const s of snapshots) {
    if (s.checkpointId !== first.checkpointId) throw new Error(`combineSnapshots: checkpoints ${first.checkpointId} and ${s.checkpointId} differ`);
    if (s.parallelism !== first.parallelism) throw new Error(`combineSnapshots: parallelisms ${first.parallelism} and ${s.parallelism} differ`);
    for (const t of s.subtasks) {
      if (seen.has(t.subtaskIndex)) throw new Error(`combineSnapshots: subtask ${t.subtaskIndex} appears twice`);
      seen.add(t.subtaskIndex);
      all.push(t);
    }
  }
  return new OperatorSnapshot(first.checkpointId, all);
}
