// Reads what the file sink left in a directory (committed and hidden part files, their records) and makes test
// records, for the file connector's tests.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh temp directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'runnel-files-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Committed (visible) part files of `dir`, sorted. */
export async function committedFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.jsonl') && !n.startsWith('.')).sort();
}

/** Hidden (in-progress or pending) part files of `dir`, sorted. */
export async function hiddenFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('.')).sort();
}

/** The records of one file. */
export async function recordsOf(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  if (text.length === 0) return [];
  if (!text.endsWith('\n')) throw new Error(`${path} does not end with a newline`);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as unknown);
}

/** Every committed record of `dir`, sorted by its JSON text (order across files is not defined). */
export async function committedRecords(dir: string): Promise<unknown[]> {
  const all: unknown[] = [];
  for (const f of await committedFiles(dir)) all.push(...(await recordsOf(join(dir, f))));
  return sortByJson(all);
}

export function sortByJson(values: readonly unknown[]): unknown[] {
  return values
    .map((v) => [JSON.stringify(v), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, v]) => v);
}

/** Records `{ s, i }` for subtask `s`, i in [from, to). */
export function batch(s: number, from: number, to: number): { s: number; i: number }[] {
  return Array.from({ length: to - from }, (_, k) => ({ s, i: from + k }));
}
