// Exactly-once scenarios of the file sink, driven through the two-phase-commit contract in the runtime's order
// (@runnel/testing's SinkDriver, through the runtime's sink operator) on real temp directories.
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSink } from '@runnel/connector-files';
import { SinkDriver } from '@runnel/testing';
import { tempDir, batch, committedFiles, committedRecords, hiddenFiles, recordsOf, sortByJson } from './part-file-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** Small batches, so that records reach the in-progress files right away (as strays do in a real crash). */
function sink(rollingFileSize = 1 << 20): FileSink {
  return new FileSink({ path: dir, writeBatchSize: 64, rollingFileSize });
}

/** Records per committed file, keyed by the (subtask, checkpoint) in its name; `n` files of one key are merged. */
async function recordsByCheckpoint(base = dir): Promise<Map<string, unknown[]>> {
  const result = new Map<string, unknown[]>();
  for (const f of await committedFiles(base)) {
    const m = /^part-(\d+)-(\d+|end)-(\d+)\.jsonl$/.exec(f);
    expect(m, f).not.toBeNull();
    const key = `${m![1]}@${m![2]}`;
    result.set(key, [...(result.get(key) ?? []), ...(await recordsOf(join(base, f)))]);
  }
  return result;
}

describe('FileSink exactly-once', () => {
  it('commits, per checkpoint, exactly the records written before its barrier', async () => {
    const job = await SinkDriver.start(sink(100), { parallelism: 2 });
    await job.write(0, batch(0, 0, 10));
    await job.write(1, batch(1, 0, 3));
    await job.checkpoint(1);
    expect(await committedFiles(dir)).toEqual([]); // pre-committed, not visible before the checkpoint completes
    await job.complete(1);
    expect(await committedRecords(dir)).toEqual(sortByJson([...batch(0, 0, 10), ...batch(1, 0, 3)]));

    await job.write(0, batch(0, 10, 30)); // 15 bytes per record: rolls within the checkpoint
    await job.write(1, batch(1, 3, 5));
    await job.checkpoint(2);
    await job.write(0, batch(0, 30, 33)); // after barrier 2: belongs to checkpoint 3
    await job.complete(2);
    await job.write(1, batch(1, 5, 6));
    await job.checkpoint(3);
    // Checkpoint 3 is not complete yet: its records are hidden.
    expect(await committedRecords(dir)).toEqual(sortByJson([...batch(0, 0, 30), ...batch(1, 0, 5)]));
    await job.complete(3);
    await job.close();

    const byCheckpoint = await recordsByCheckpoint();
    expect([...byCheckpoint.keys()].sort()).toEqual(['0@1', '0@2', '0@3', '1@1', '1@2', '1@3']);
    expect(byCheckpoint.get('0@1')).toEqual(batch(0, 0, 10));
    expect(byCheckpoint.get('0@2')).toEqual(batch(0, 10, 30));
    expect(byCheckpoint.get('0@3')).toEqual(batch(0, 30, 33));
    expect(byCheckpoint.get('1@1')).toEqual(batch(1, 0, 3));
    expect(byCheckpoint.get('1@2')).toEqual(batch(1, 3, 5));
    expect(byCheckpoint.get('1@3')).toEqual(batch(1, 5, 6));
    expect((await committedFiles(dir)).filter((f) => f.startsWith('part-0-2-')).length).toBeGreaterThan(1);
    expect(await hiddenFiles(dir)).toEqual([]);
  });

  it('a crash after prepareCommit but before commit: the restore commits, strays go, nothing is lost or doubled', async () => {
    const first = await SinkDriver.start(sink(), { parallelism: 2 });
    await first.write(0, batch(0, 0, 5));
    await first.write(1, batch(1, 0, 5));
    await first.complete(0); // nothing pending: a no-op
    const cp1 = await first.checkpoint(1);
    await first.complete(1);
    await first.write(0, batch(0, 5, 10));
    await first.write(1, batch(1, 5, 8));
    const cp2 = await first.checkpoint(2); // checkpoint 2 completes, but the job dies before committing it
    await first.write(0, batch(0, 10, 20)); // after barrier 2 (written out, not committed): replayed after the restore
    await first.close();
    expect(cp2.subtaskIndexes).toEqual([0, 1]);
    expect(await committedRecords(dir)).toEqual(sortByJson([...batch(0, 0, 5), ...batch(1, 0, 5)]));
    expect((await hiddenFiles(dir)).length).toBe(3); // two pending files of checkpoint 2, one stray

    const second = await SinkDriver.start(sink(), { parallelism: 2, restore: cp2, attemptNumber: 1 });
    // Restored committables are committed when the subtasks open.
    expect(await committedRecords(dir)).toEqual(sortByJson([...batch(0, 0, 10), ...batch(1, 0, 8)]));
    await second.write(0, batch(0, 10, 24)); // the replay of what came after barrier 2, and more
    await second.write(1, batch(1, 8, 9));
    await second.checkpoint(3);
    await second.complete(3);
    await second.close();
    expect(await committedRecords(dir)).toEqual(sortByJson([...batch(0, 0, 24), ...batch(1, 0, 9)]));
    expect(await hiddenFiles(dir)).toEqual([]);
  });

  it('a crash after prepareCommit of a checkpoint that never completed: its pending files are strays', async () => {
    const first = await SinkDriver.start(sink(), { parallelism: 1 });
    await first.write(0, batch(0, 0, 4));
    const cp1 = await first.checkpoint(1);
    await first.complete(1);
    await first.write(0, batch(0, 4, 8));
    await first.checkpoint(2); // pre-committed, but checkpoint 2 never completes
    await first.write(0, batch(0, 8, 9));
    await first.close();

    const second = await SinkDriver.start(sink(), { parallelism: 1, restore: cp1, attemptNumber: 1 });
    await second.write(0, batch(0, 4, 9)); // replay from checkpoint 1
    await second.checkpoint(2); // the same checkpoint id again
    await second.complete(2);
    await second.close();
    expect(await committedRecords(dir)).toEqual(sortByJson(batch(0, 0, 9)));
    expect(await hiddenFiles(dir)).toEqual([]);
  });

  it('a crash after commit: re-committing the restored checkpoint is a no-op', async () => {
    const first = await SinkDriver.start(sink(), { parallelism: 2 });
    await first.write(0, batch(0, 0, 6));
    await first.write(1, batch(1, 0, 6));
    const cp1 = await first.checkpoint(1);
    await first.complete(1);
    await first.write(1, batch(1, 6, 7));
    await first.close();
    const files = await committedFiles(dir);
    const before = await Promise.all(files.map(async (f) => [await readFile(join(dir, f), 'utf8'), (await stat(join(dir, f))).ino]));

    const second = await SinkDriver.start(sink(), { parallelism: 2, restore: cp1, attemptNumber: 1 });
    expect(await committedFiles(dir)).toEqual(files);
    const after = await Promise.all(files.map(async (f) => [await readFile(join(dir, f), 'utf8'), (await stat(join(dir, f))).ino]));
    expect(after).toEqual(before);
    await second.write(1, batch(1, 6, 7));
    await second.finish();
    expect(await committedRecords(dir)).toEqual(sortByJson([...batch(0, 0, 6), ...batch(1, 0, 7)]));
  });

  it('removes stray in-progress files from after the restored checkpoint, including torn ones', async () => {
    const first = await SinkDriver.start(sink(100), { parallelism: 2 });
    await first.write(0, batch(0, 0, 3));
    const cp1 = await first.checkpoint(1);
    await first.complete(1);
    await first.write(0, batch(0, 3, 30)); // rolls: several strays
    await first.write(1, batch(1, 0, 10));
    await first.close();
    // A torn stray, as a crash in the middle of an append leaves it.
    await writeFile(join(dir, '.part-1-2-99.jsonl.inprogress'), '{"s":1,"i":2}\n{"s":1,');
    // Files of other prefixes and other data are never touched.
    await writeFile(join(dir, '.other-0-5-0.jsonl.inprogress'), 'x\n');
    await writeFile(join(dir, 'notes.txt'), 'keep\n');
    const strays = await hiddenFiles(dir);
    expect(strays.filter((f) => f.startsWith('.part-0-')).length).toBeGreaterThan(2);

    const second = await SinkDriver.start(sink(100), { parallelism: 2, restore: cp1, attemptNumber: 1 });
    for (const t of second.subtasks) await t.writer.flush(false); // waits for the writers' start-up cleanup
    expect(await hiddenFiles(dir)).toEqual(['.other-0-5-0.jsonl.inprogress']);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('keep\n');
    await second.close();
    expect(await committedRecords(dir)).toEqual(sortByJson(batch(0, 0, 3)));
  });

  it('restores at parallelism 2 → 1: subtask 0 commits and cleans up what subtask 1 left', async () => {
    const first = await SinkDriver.start(sink(), { parallelism: 2 });
    await first.write(0, batch(0, 0, 4));
    await first.write(1, batch(1, 0, 4));
    const cp1 = await first.checkpoint(1);
    await first.complete(1);
    await first.write(0, batch(0, 4, 6));
    await first.write(1, batch(1, 4, 8));
    const cp2 = await first.checkpoint(2); // not committed before the crash
    await first.write(1, batch(1, 8, 20)); // stray of subtask 1
    await first.close();

    const second = await SinkDriver.start(sink(), { parallelism: 1, restore: cp2, attemptNumber: 1 });
    await second.write(0, batch(1, 8, 20)); // the replay now all goes through subtask 0
    await second.write(0, batch(0, 6, 7));
    await second.checkpoint(3);
    await second.complete(3);
    await second.close();
    expect(await hiddenFiles(dir)).toEqual([]);
    expect(await committedRecords(dir)).toEqual(sortByJson([...batch(0, 0, 7), ...batch(1, 0, 20)]));
    const names = await committedFiles(dir);
    expect(names.filter((f) => f.startsWith('part-1-'))).toHaveLength(2); // checkpoints 1 and 2 of old subtask 1
    expect(names.filter((f) => f.startsWith('part-0-3-'))).toHaveLength(1);
  });

  it('restores at parallelism 1 → 2: committables dealt over both subtasks, each committing its share', async () => {
    const first = await SinkDriver.start(sink(120), { parallelism: 1 });
    await first.write(0, batch(0, 0, 12)); // rolls: several pending files
    const cp1 = await first.checkpoint(1);
    expect((await hiddenFiles(dir)).length).toBeGreaterThan(1); // several pre-committed (pending) files
    await first.write(0, batch(0, 12, 20)); // stray
    await first.close();

    // As the runtime redistributes operator state: the writer state goes to subtask 0, the committables round-robin
    // over both subtasks, and each commits its share when it opens.
    const second = await SinkDriver.start(sink(120), { parallelism: 2, restore: cp1, attemptNumber: 1 });
    expect(await committedRecords(dir)).toEqual(sortByJson(batch(0, 0, 12)));
    await second.write(0, batch(0, 12, 20));
    await second.write(1, batch(1, 0, 5));
    await second.checkpoint(2);
    await second.complete(2);
    await second.close();
    expect(await hiddenFiles(dir)).toEqual([]);
    expect(await committedRecords(dir)).toEqual(sortByJson([...batch(0, 0, 20), ...batch(1, 0, 5)]));
    // Subtask 0 continued its counter above the files of checkpoint 1: no committed file was overwritten.
    const counters = (await committedFiles(dir)).filter((f) => f.startsWith('part-0-')).map((f) => Number(f.split('-')[3]!.split('.')[0]));
    expect(new Set(counters).size).toBe(counters.length);
  });

  it('commits at end of input: a bounded job without checkpoints, and the tail after the last checkpoint', async () => {
    const bounded = await SinkDriver.start(new FileSink({ path: join(dir, 'a') }), { parallelism: 2 });
    await bounded.write(0, batch(0, 0, 3));
    await bounded.write(1, batch(1, 0, 2));
    await bounded.subtasks[0]!.writer.flush(false);
    expect(await committedFiles(join(dir, 'a'))).toEqual([]); // without checkpoints nothing is committed before the end
    await bounded.finish();
    expect(await committedFiles(join(dir, 'a'))).toEqual(['part-0-end-0.jsonl', 'part-1-end-0.jsonl']);
    expect(await recordsOf(join(dir, 'a', 'part-0-end-0.jsonl'))).toEqual(batch(0, 0, 3));
    expect(await hiddenFiles(join(dir, 'a'))).toEqual([]);

    const job = await SinkDriver.start(new FileSink({ path: join(dir, 'b') }), { parallelism: 1 });
    await job.write(0, batch(0, 0, 3));
    await job.checkpoint(1);
    await job.write(0, batch(0, 3, 5));
    await job.finish(); // also commits checkpoint 1, which had not completed yet
    const byCheckpoint = await recordsByCheckpoint(join(dir, 'b'));
    expect(byCheckpoint.get('0@1')).toEqual(batch(0, 0, 3));
    expect(byCheckpoint.get('0@end')).toEqual(batch(0, 3, 5));
  });

  it('a restart without checkpoint deletes the earlier attempt’s files; a new job keeps older output', async () => {
    const earlier = await SinkDriver.start(sink(), { parallelism: 2 });
    await earlier.write(0, batch(0, 0, 3));
    await earlier.write(1, batch(1, 0, 1));
    await earlier.finish(); // an earlier, finished job writing to the same directory
    const earlierFiles = await committedFiles(dir);
    expect(earlierFiles).toEqual(['part-0-end-0.jsonl', 'part-1-end-0.jsonl']);

    const first = await SinkDriver.start(sink(), { parallelism: 2 }); // attempt 0 of a new job: touches nothing it did not write
    await first.write(0, batch(0, 100, 110));
    await first.write(1, batch(1, 100, 110));
    await first.close(); // fails before any checkpoint
    expect(await hiddenFiles(dir)).toEqual(['.part-0-0-1.jsonl.inprogress', '.part-1-0-1.jsonl.inprogress']);

    const restarted = await SinkDriver.start(sink(), { parallelism: 2, attemptNumber: 1 }); // restart from scratch
    for (const t of restarted.subtasks) await t.writer.flush(false);
    expect(await hiddenFiles(dir)).toEqual([]);
    await restarted.write(0, batch(0, 100, 110));
    await restarted.write(1, batch(1, 100, 110));
    await restarted.finish();
    expect(await committedFiles(dir)).toEqual(
      [...earlierFiles, 'part-0-end-2.jsonl', 'part-1-end-2.jsonl'].sort(), // counters continue: nothing overwritten
    );
    expect(await committedRecords(dir)).toEqual(
      sortByJson([...batch(0, 0, 3), ...batch(1, 0, 1), ...batch(0, 100, 110), ...batch(1, 100, 110)]),
    );
  });
});
