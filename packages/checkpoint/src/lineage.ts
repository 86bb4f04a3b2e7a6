// The lineage of a checkpoint directory: which run the directory's newest checkpoints belong to. A run that starts
// (from scratch, from a savepoint, or from one of the directory's checkpoints) records, in `_lineage`, the highest
// checkpoint id the directory held when it started (its floor) and what it started from (its origin). Resuming
// ("the newest checkpoint in the directory") then only considers checkpoints above the floor, and falls back to
// the origin when the run took none: a run restored from a savepoint and killed before its first checkpoint
// resumes from that savepoint again — not from an older checkpoint the directory still holds from before the
// savepoint, which would replay output that was already committed. Without `_lineage` (directories of older
// versions) every checkpoint counts, as before.
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckpointLineage } from '@runnel/api';

/**
 * Name of the lineage file in a checkpoint directory.
 *
 * @public
 */
export const LINEAGE_FILE_NAME = '_lineage';

const FORMAT = 'runnel-lineage';

function invalid(directory: string, detail: string): Error {
  return new Error(
    `checkpoint directory ${directory}: ${LINEAGE_FILE_NAME} is unreadable (${detail}); it says which checkpoints belong to the current run — ` +
      `delete it to resume from the newest checkpoint of the directory`,
  );
}

/**
 * Reads the lineage of a checkpoint directory; undefined when it has none.
 *
 * @public
 */
export async function readLineage(directory: string): Promise<CheckpointLineage | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, LINEAGE_FILE_NAME), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw invalid(directory, (e as Error).message);
  }
  if (v === null || typeof v !== 'object' || v.format !== FORMAT || v.version !== 1) throw invalid(directory, 'not a lineage file of version 1');
  const floor = v.floor;
  const origin = v.origin as Record<string, unknown> | null;
  if (!Number.isSafeInteger(floor) || (floor as number) < -1) throw invalid(directory, 'floor must be an integer >= -1');
  if (origin === null || typeof origin !== 'object') throw invalid(directory, 'origin missing');
  if (origin.kind === 'none') return { floor: floor as number, origin: { kind: 'none' } };
  if (!Number.isSafeInteger(origin.checkpointId) || (origin.checkpointId as number) < 0) throw invalid(directory, 'origin.checkpointId must be a non-negative integer');
  if (origin.kind === 'checkpoint') return { floor: floor as number, origin: { kind: 'checkpoint', checkpointId: origin.checkpointId as number } };
  if (origin.kind === 'savepoint' && typeof origin.path === 'string' && origin.path.length > 0) {
    return { floor: floor as number, origin: { kind: 'savepoint', path: origin.path, checkpointId: origin.checkpointId as number } };
  }
  throw invalid(directory, `unknown origin ${JSON.stringify(origin).slice(0, 80)}`);
}

/**
 * Records the lineage of a run that starts now: written to a temporary file, synced, renamed over `_lineage`.
 *
 * @public
 */
export async function writeLineage(directory: string, lineage: CheckpointLineage, fsync = true): Promise<void> {
  await mkdir(directory, { recursive: true });
  const tmp = join(directory, `.${LINEAGE_FILE_NAME}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(JSON.stringify({ format: FORMAT, version: 1, ...lineage }) + '\n');
    if (fsync) await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(directory, LINEAGE_FILE_NAME));
  if (fsync) {
    const d = await open(directory, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }
}
