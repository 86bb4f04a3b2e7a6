// The committer of the file sink: publishes pending part files by renaming them to their final names. Commits
// are idempotent, because after a restore the runtime hands the committables of the restored checkpoint over
// again, and some of them may have been committed before the failure. The size check distinguishes "already
// committed" (final file of the expected size, pending file gone) from a foreign or damaged file, which fails
// loudly rather than being published or overwritten.
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommitRequest, Committer } from '@runnel/api/connector';
import type { FileSinkCommittable } from './file-sink-state.js';
import { syncDirectory } from './sync-directory.js';

async function sizeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Renames pending part files of the file sink to their final names.
 *
 * @public
 */
export class FileCommitter implements Committer<FileSinkCommittable> {
  /** @param dir - the sink directory the committables' names are relative to */
  constructor(private readonly dir: string) {}

  /**
   * Commits in request order, then syncs the directory once so that the renames are durable. Throws, naming the
   * file, when a committable can be neither committed nor recognized as already committed.
   */
  async commit(requests: readonly CommitRequest<FileSinkCommittable>[]): Promise<void> {
    if (requests.length === 0) return;
    for (const { checkpointId, committable } of requests) await this.commitOne(checkpointId, committable);
    // Also after a pure re-commit: the previous attempt may have renamed without reaching its directory sync.
    await syncDirectory(this.dir);
  }

  /** Nothing to release: every commit is self-contained. */
  close(): void {}

  private async commitOne(checkpointId: number, c: FileSinkCommittable): Promise<void> {
    const pending = join(this.dir, c.pendingName);
    const final = join(this.dir, c.finalName);
    const pendingSize = await sizeOf(pending);
    if (pendingSize !== undefined) {
      if (pendingSize !== c.size) {
        throw new Error(
          `filesystem sink: cannot commit '${pending}' (checkpoint ${checkpointId}): it has ${pendingSize} bytes, ` +
            `the checkpoint recorded ${c.size}`,
        );
      }
      if ((await sizeOf(final)) !== undefined) {
        throw new Error(
          `filesystem sink: cannot commit '${pending}' (checkpoint ${checkpointId}): '${final}' already exists ` +
            '(does another sink write to this directory with the same prefix?)',
        );
      }
      await rename(pending, final);
      return;
    }
    const finalSize = await sizeOf(final);
    if (finalSize === c.size) return; // committed before (a re-commit after a restore)
    if (finalSize !== undefined) {
      throw new Error(
        `filesystem sink: cannot commit '${pending}' (checkpoint ${checkpointId}): it is gone and '${final}' has ` +
          `${finalSize} bytes, not the recorded ${c.size}`,
      );
    }
    throw new Error(
      `filesystem sink: cannot commit checkpoint ${checkpointId}: neither the pending file '${pending}' nor the ` +
        `committed file '${final}' exists (deleted or moved while a checkpoint still referenced it?)`,
    );
  }
}
