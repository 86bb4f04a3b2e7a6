import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { END_OF_INPUT_CHECKPOINT, finalPartName, hiddenPartName, parsePartName, prepareSubtaskFiles } from '../src/part-files.js';

/** A fresh temp directory, removed by the returned cleanup (the only helper these unit tests need). */
async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'runnel-part-files-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('part file names', () => {
  it('round-trip through the parser, and a prefix never claims the files of a longer prefix', () => {
    expect(hiddenPartName('part', 2, 7, 11)).toBe('.part-2-7-11.jsonl.inprogress');
    expect(parsePartName('part', '.part-2-7-11.jsonl.inprogress')).toEqual({ hidden: true, subtask: 2, epoch: 7, counter: 11 });
    expect(finalPartName('part', 2, 8, 11)).toBe('part-2-8-11.jsonl');
    expect(parsePartName('part', 'part-2-8-11.jsonl')).toEqual({ hidden: false, subtask: 2, checkpointId: 8, counter: 11 });
    expect(finalPartName('a.b', 0, END_OF_INPUT_CHECKPOINT, 3)).toBe('a.b-0-end-3.jsonl');
    expect(parsePartName('a.b', 'a.b-0-end-3.jsonl')).toMatchObject({ checkpointId: END_OF_INPUT_CHECKPOINT, counter: 3 });
    expect(parsePartName('a.b', 'aXb-0-1-3.jsonl')).toBeUndefined(); // the prefix is literal, not a pattern
    expect(parsePartName('part', finalPartName('part-1', 0, 3, 5))).toBeUndefined();
    expect(parsePartName('part', hiddenPartName('part-1', 0, 3, 5))).toBeUndefined();
    expect(parsePartName('part', 'part-0-3.jsonl')).toBeUndefined();
    expect(parsePartName('part', '.part-0-1-2.jsonl')).toBeUndefined();
  });
});

describe('prepareSubtaskFiles', () => {
  async function files(...names: string[]): Promise<void> {
    for (const n of names) await writeFile(join(dir, n), '{}\n');
  }

  it('deletes exactly the hidden files it owns with an epoch above the restored checkpoint', async () => {
    await files(
      '.part-0-3-0.jsonl.inprogress', // pending of checkpoint <= 3: kept for the committer
      '.part-0-4-1.jsonl.inprogress', // opened after barrier 3: stray
      'part-0-4-9.jsonl', // committed output is never touched
      '.part-1-9-2.jsonl.inprogress', // index 1 < parallelism 2: owned by subtask 1
      '.part-2-5-4.jsonl.inprogress', // index 2 >= parallelism 2: owned by subtask 0
      '.part-2-1-5.jsonl.inprogress', // ... but epoch 1 <= 3: kept
      '.other-0-9-0.jsonl.inprogress',
    );
    const s0 = await prepareSubtaskFiles(dir, 'part', 0, 2, 3);
    expect([...s0.removed].sort()).toEqual(['.part-0-4-1.jsonl.inprogress', '.part-2-5-4.jsonl.inprogress']);
    expect(s0.nextCounter).toBe(10);
    const s1 = await prepareSubtaskFiles(dir, 'part', 1, 2, 3);
    expect(s1.removed).toEqual(['.part-1-9-2.jsonl.inprogress']);
    expect(s1.nextCounter).toBe(3);
    expect((await readdir(dir)).sort()).toEqual([
      '.other-0-9-0.jsonl.inprogress',
      '.part-0-3-0.jsonl.inprogress',
      '.part-2-1-5.jsonl.inprogress',
      'part-0-4-9.jsonl',
    ]);
  });

  it('deletes nothing on a first run, everything hidden it owns on a restart from scratch', async () => {
    await files('.part-0-0-0.jsonl.inprogress', '.part-0-2-1.jsonl.inprogress', 'part-0-1-2.jsonl');
    expect(await prepareSubtaskFiles(dir, 'part', 0, 1, undefined)).toEqual({ nextCounter: 3, removed: [] });
    const restart = await prepareSubtaskFiles(dir, 'part', 0, 1, -1);
    expect([...restart.removed].sort()).toEqual(['.part-0-0-0.jsonl.inprogress', '.part-0-2-1.jsonl.inprogress']);
    expect(await readdir(dir)).toEqual(['part-0-1-2.jsonl']);
  });
});
