// Lists the files a source path stands for. A directory is walked recursively; names starting with `.` or `_` are
// skipped as in Flink (hidden files, and the sink's in-progress files `.part-*.inprogress`, are not data yet).
// The result is sorted so that files are assigned in name order.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

function isHidden(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_');
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    if (isHidden(entry.name)) continue;
    const full = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const s = await stat(full).catch(() => undefined); // a dangling link is not a file to read
      isDir = s?.isDirectory() ?? false;
      isFile = s?.isFile() ?? false;
    }
    if (isDir) await walk(full, out);
    else if (isFile) out.push(full);
  }
}

/**
 * The files of `path`: the file itself, or the non-hidden files under a directory, sorted by path.
 *
 * @internal
 */
export async function listFiles(path: string): Promise<string[]> {
  const s = await stat(path);
  if (s.isFile()) return [path];
  if (!s.isDirectory()) throw new Error(`filesystem source: '${path}' is neither a file nor a directory`);
  const out: string[] = [];
  await walk(path, out);
  return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
