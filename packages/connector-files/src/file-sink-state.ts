// What the exactly-once file sink persists in checkpoints: committables (pending part files waiting for their
// checkpoint to complete) and writer state (the counter of the subtask). Both hold file *names* relative to the
// sink directory, not paths: a checkpoint stays valid when the job is restored from another working directory,
// and a corrupt or foreign payload cannot make the committer rename files outside the sink directory. Serialized
// as validated JSON under their own ids (readable when inspecting a checkpoint by hand).
import type { VersionedSerializer } from '@runnel/api';
import { jsonVersionedSerializer } from '@runnel/codec';

/**
 * A pending part file: closed and synced at a checkpoint barrier, renamed to its final name on commit.
 *
 * @public
 */
export interface FileSinkCommittable {
  /** Hidden name of the pending file in the sink directory (`.<prefix>-<subtask>-<epoch>-<n>.jsonl.inprogress`). */
  readonly pendingName: string;
  /** Name it gets on commit (`<prefix>-<subtask>-<checkpoint>-<n>.jsonl`; `end` for the end-of-input commit). */
  readonly finalName: string;
  /** Size in bytes; a commit checks it, so a truncated or foreign file is never published silently. */
  readonly size: number;
}

/**
 * State of a file sink writer at a checkpoint.
 *
 * @public
 */
export interface FileSinkWriterState {
  /** The subtask index whose file names this state describes. */
  readonly subtask: number;
  /** The checkpoint the state was taken at. */
  readonly checkpointId: number;
  /** The next part counter of the subtask: a restored writer never goes below it. */
  readonly nextCounter: number;
}

const COMMITTABLE_ID = 'runnel.files.sink-committable';
const WRITER_STATE_ID = 'runnel.files.sink-writer-state';

function fail(id: string, what: string): never {
  throw new Error(`${id}: invalid payload: ${what}`);
}

function isPlainFileName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

/**
 * Serializer of {@link FileSinkCommittable} (`runnel.files.sink-committable`, version 1).
 *
 * @public
 */
export const fileSinkCommittableSerializer: VersionedSerializer<FileSinkCommittable> = jsonVersionedSerializer(
  COMMITTABLE_ID,
  1,
  (value) => {
    const v = value as Partial<FileSinkCommittable> | null;
    if (typeof v !== 'object' || v === null) fail(COMMITTABLE_ID, 'not an object');
    if (!isPlainFileName(v.pendingName) || !isPlainFileName(v.finalName)) {
      fail(COMMITTABLE_ID, 'pendingName and finalName must be plain file names');
    }
    if (!isCount(v.size)) fail(COMMITTABLE_ID, 'size must be a non-negative integer');
    return { pendingName: v.pendingName, finalName: v.finalName, size: v.size };
  },
);

/**
 * Serializer of {@link FileSinkWriterState} (`runnel.files.sink-writer-state`, version 1).
 *
 * @public
 */
export const fileSinkWriterStateSerializer: VersionedSerializer<FileSinkWriterState> = jsonVersionedSerializer(
  WRITER_STATE_ID,
  1,
  (value) => {
    const v = value as Partial<FileSinkWriterState> | null;
    if (typeof v !== 'object' || v === null) fail(WRITER_STATE_ID, 'not an object');
    if (!isCount(v.subtask) || !isCount(v.checkpointId) || !isCount(v.nextCounter)) {
      fail(WRITER_STATE_ID, 'subtask, checkpointId and nextCounter must be non-negative integers');
    }
    return { subtask: v.subtask, checkpointId: v.checkpointId, nextCounter: v.nextCounter };
  },
);
