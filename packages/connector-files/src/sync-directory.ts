// fsync of a directory: makes file creations and renames in it durable. On POSIX systems a directory can be
// opened read-only and fsynced; on Windows opening a directory fails with EISDIR/EPERM, where renames are
// journaled by NTFS anyway, so that failure is ignored.
import { open } from 'node:fs/promises';

/**
 * Syncs the directory entry list of `dir` to disk.
 *
 * @internal
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (process.platform === 'win32' && (code === 'EISDIR' || code === 'EPERM')) return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
