// Whole-checkpoint verification and "restore from the newest intact checkpoint". DESIGN §4: a checkpoint that
// fails verification on restore is reported and the previous retained one is used. Verification reads every
// byte the checkpoint references (metadata, then each state file: existence, size, checksum), so that a restore
// never starts from state that would fail half-way through loading, or worse, load silently wrong.
//
// Only CheckpointCorruptedError leads to a fallback. Any other error (permission denied, I/O error, storage
// unreachable) is rethrown: falling back to an older checkpoint because of a transient failure would needlessly
// rewind the job.

import type { CheckpointStorage, CompletedCheckpointRef } from '@runnel/api';
import { decodeMetadata, METADATA_FILE_NAME, referencedHandles, type CheckpointMetadata } from './format/metadata.js';
import { CheckpointCorruptedError, NoIntactCheckpointError } from './errors.js';

/**
 * A checkpoint whose metadata and every referenced state file were verified.
 *
 * @public
 */
export interface VerifiedCheckpoint {
  readonly ref: CompletedCheckpointRef;
  readonly metadata: CheckpointMetadata;
  /** State files verified. */
  readonly files: number;
  /** Bytes read and checksummed (metadata and state files). */
  readonly verifiedBytes: number;
  /** Wall time of the verification, for logs (bytes / time = verification throughput). */
  readonly durationMs: number;
}

/**
 * Options of {@link loadLatestValid}.
 *
 * @public
 */
export interface LoadLatestValidOptions {
  /** Called for each completed checkpoint that failed verification and was skipped (newest first). */
  readonly onCorrupted?: (ref: CompletedCheckpointRef, error: CheckpointCorruptedError) => void;
  /** Consider savepoints listed by the storage too (default true: they are restore points in the same id sequence). */
  readonly includeSavepoints?: boolean;
}

/**
 * Reads and verifies one completed checkpoint: its metadata (format, version, checksum, and that it describes
 * this checkpoint) and every state handle it references (existence, size, checksum).
 *
 * @throws CheckpointCorruptedError naming the checkpoint, the file and the problem.
 * @public
 */
export async function verifyCheckpoint(storage: CheckpointStorage, ref: CompletedCheckpointRef): Promise<VerifiedCheckpoint> {
  const started = performance.now();
  const where = { checkpoint: ref.ref, file: METADATA_FILE_NAME };
  let bytes: Uint8Array;
  try {
    bytes = await storage.readMetadata(ref);
  } catch (err) {
    if (err instanceof CheckpointCorruptedError) throw err.withLocation(where);
    throw err;
  }
  const metadata = decodeMetadata(bytes, where);
  if (metadata.checkpointId !== ref.checkpointId || metadata.kind !== ref.kind) {
    throw new CheckpointCorruptedError(
      'mismatch',
      `metadata describes ${metadata.kind} ${metadata.checkpointId}, not ${ref.kind} ${ref.checkpointId} (copied from another checkpoint?)`,
      where,
    );
  }
  const verifyState = (storage as { verifyState?: unknown }).verifyState;
  let verifiedBytes = bytes.length;
  let files = 0;
  for (const { handle } of referencedHandles(metadata)) {
    try {
      if (typeof verifyState === 'function') {
        await (verifyState as (r: CompletedCheckpointRef, h: typeof handle) => Promise<void>).call(storage, ref, handle);
      } else {
        await storage.readState(ref, handle);
      }
    } catch (err) {
      if (err instanceof CheckpointCorruptedError) throw err.withLocation({ checkpoint: ref.ref, file: handle.ref });
      throw err;
    }
    verifiedBytes += handle.size;
    files++;
  }
  return { ref, metadata, files, verifiedBytes, durationMs: performance.now() - started };
}

/**
 * Finds the newest completed checkpoint that is intact, verifying each candidate fully (newest first) and calling
 * `onCorrupted` for every damaged one it skips.
 *
 * @returns the verified checkpoint, or `undefined` when the storage has no completed checkpoint at all.
 * @throws NoIntactCheckpointError when checkpoints exist but all are damaged (the message lists each one's
 *   problem: `no intact checkpoint in <dir>: chk-5: ...; chk-4: ...`); other errors of the storage as they are.
 * @public
 */
export async function loadLatestValid(
  storage: CheckpointStorage,
  options: LoadLatestValidOptions = {},
): Promise<VerifiedCheckpoint | undefined> {
  const includeSavepoints = options.includeSavepoints ?? true;
  const refs = (await storage.listCompleted()).filter((r) => includeSavepoints || r.kind === 'checkpoint');
  const failures: { ref: string; error: CheckpointCorruptedError }[] = [];
  for (const ref of refs) {
    try {
      return await verifyCheckpoint(storage, ref);
    } catch (err) {
      if (!(err instanceof CheckpointCorruptedError)) throw err;
      failures.push({ ref: ref.ref, error: err });
      options.onCorrupted?.(ref, err);
    }
  }
  if (failures.length === 0) return undefined;
  const directory = (storage as { directory?: unknown }).directory;
  throw new NoIntactCheckpointError(typeof directory === 'string' ? directory : storage.name, failures);
}
