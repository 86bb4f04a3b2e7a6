// Names and recovery of the sink's part files. A part file is written under a hidden in-progress name
// (`.part-0-3.jsonl.inprogress`, skipped by readers such as the file source) and renamed to its final name
// (`part-0-3.jsonl`) when it is finished. A writer that starts finds the in-progress files a previous run left
// behind and finishes them: it cuts the last, possibly half-written line and renames them. That keeps the
// at-least-once promise (what was flushed before a checkpoint becomes visible even if the job died before rolling)
// and is the hook where an exactly-once committer will later decide, per checkpoint, what to keep.
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The final name of a part file.
 *
 * @internal
 */
export function finalPartName(prefix: string, subtask: number, counter: number): string {
  return `${prefix}-${subtask}-${counter}.jsonl`;
}

/**
 * The in-progress name of a part file.
 *
 * @internal
 */
export function inProgressPartName(prefix: string, subtask: number, counter: number): string {
  return `.${prefix}-${subtask}-${counter}.jsonl.inprogress`;
}

/**
 * What a file name says about a part file, or `undefined` when it is not a part file of `prefix`.
 *
 * @internal
 */
export function parsePartName(
  prefix: string,
  name: string,
): { subtask: number; counter: number; inProgress: boolean } | undefined {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^(\\.)?${escaped}-(\\d+)-(\\d+)\\.jsonl(\\.inprogress)?$`).exec(name);
  if (match === null) return undefined;
  const hidden = match[1] !== undefined;
  const inProgress = match[4] !== undefined;
  if (hidden !== inProgress) return undefined;
  return { subtask: Number(match[2]), counter: Number(match[3]), inProgress };
}

const NEWLINE = 0x0a;
const SCAN_BLOCK = 64 * 1024;

/** Truncates a file after its last newline; returns the new size. */
async function truncateAfterLastNewline(path: string): Promise<number> {
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    const block = Buffer.allocUnsafe(SCAN_BLOCK);
    let keep = 0;
    for (let blockEnd = size; blockEnd > 0 && keep === 0; blockEnd -= SCAN_BLOCK) {
      const start = Math.max(0, blockEnd - SCAN_BLOCK);
      const { bytesRead } = await handle.read(block, 0, blockEnd - start, start);
      const at = block.subarray(0, bytesRead).lastIndexOf(NEWLINE);
      if (at !== -1) keep = start + at + 1;
    }
    if (keep !== size) {
      await handle.truncate(keep);
      await handle.datasync();
    }
    return keep;
  } finally {
    await handle.close();
  }
}

/** Finishes an in-progress file left by an earlier run: cut a torn last line, then publish or drop it. */
async function recoverInProgress(dir: string, name: string, finalName: string): Promise<void> {
  const from = join(dir, name);
  const to = join(dir, finalName);
  const size = await truncateAfterLastNewline(from);
  if (size === 0) {
    await unlink(from);
    return;
  }
  const existing = await stat(to).catch(() => undefined);
  if (existing !== undefined) {
    throw new Error(`filesystem sink: cannot recover '${from}': '${to}' exists (two writers share the prefix?)`);
  }
  await rename(from, to);
}

/**
 * Recovers the in-progress files of `subtask` (subtask 0 also takes those of subtasks at or above `parallelism`,
 * left by a run with a higher parallelism) and returns the first unused counter of `subtask`.
 *
 * @internal
 */
export async function recoverPartFiles(
  dir: string,
  prefix: string,
  subtask: number,
  parallelism: number,
): Promise<number> {
  let maxCounter = -1;
  for (const name of await readdir(dir)) {
    const part = parsePartName(prefix, name);
    if (part === undefined) continue;
    const mine = part.subtask === subtask;
    if (mine) maxCounter = Math.max(maxCounter, part.counter);
    if (part.inProgress && (mine || (subtask === 0 && part.subtask >= parallelism))) {
      await recoverInProgress(dir, name, finalPartName(prefix, part.subtask, part.counter));
    }
  }
  return maxCounter + 1;
}
