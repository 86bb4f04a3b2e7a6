import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileCommitter, FileSink, FileSinkWriter } from '@runnel/connector-files';
import { testSinkWriterContext } from '@runnel/testing';
import { tempDir } from './part-file-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const noContext = { timestamp: Number.NEGATIVE_INFINITY, currentWatermark: Number.NEGATIVE_INFINITY };

async function linesOf(name: string, base = dir): Promise<unknown[]> {
  const text = await readFile(join(base, name), 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as unknown);
}

describe('FileSinkWriter', () => {
  it('writes JSON lines into a hidden file and pre-commits it with its final name and size', async () => {
    const out = join(dir, 'out');
    const writer = new FileSink({ path: out }).createWriter(testSinkWriterContext(3, 4));
    const values = [{ a: 1, s: 'ü€🙂' }, [1, 2], 'text', 42, null];
    for (const v of values) writer.write(v, noContext);
    await writer.flush(false);
    // Flushed for a checkpoint: written and synced, but in progress (hidden, epoch 0, counter 0).
    expect(await readdir(out)).toEqual(['.part-3-0-0.jsonl.inprogress']);
    const committables = await writer.prepareCommit!(7);
    const size = (await stat(join(out, '.part-3-0-0.jsonl.inprogress'))).size;
    expect(committables).toEqual([{ pendingName: '.part-3-0-0.jsonl.inprogress', finalName: 'part-3-7-0.jsonl', size }]);
    expect(writer.snapshotState!(7)).toEqual([{ subtask: 3, checkpointId: 7, nextCounter: 1 }]);
    // The next file is opened after barrier 7: epoch 8, the lowest checkpoint it can be committed with.
    writer.write({ after: 7 }, noContext);
    await writer.flush(false);
    expect((await readdir(out)).sort()).toEqual(['.part-3-0-0.jsonl.inprogress', '.part-3-8-1.jsonl.inprogress']);
    expect(await writer.prepareCommit!(9)).toEqual([
      expect.objectContaining({ pendingName: '.part-3-8-1.jsonl.inprogress', finalName: 'part-3-9-1.jsonl' }),
    ]);
    expect(await writer.prepareCommit!(10)).toEqual([]); // nothing written since the last barrier
    await writer.close();
    await new FileCommitter(out).commit([{ checkpointId: 7, committable: committables[0]! }]);
    expect(await linesOf('part-3-7-0.jsonl', out)).toEqual(values);
  });

  it('rolls to a new part file before a record would exceed the rolling size; each is a committable', async () => {
    const record = { pad: 'x'.repeat(89) }; // 100 bytes per line with the newline
    expect(Buffer.byteLength(JSON.stringify(record) + '\n')).toBe(100);
    const writer = new FileSinkWriter(testSinkWriterContext(), {
      path: dir,
      rollingFileSize: 350,
      fileNamePrefix: 'events',
      writeBatchSize: 150,
    });
    for (let i = 0; i < 10; i++) writer.write({ pad: record.pad.slice(0, 89 - String(i).length) + i }, noContext);
    await writer.flush(true);
    const committables = await writer.prepareCommit!(Number.MAX_SAFE_INTEGER);
    await writer.close();
    expect(committables.map((c) => [c.finalName, c.size])).toEqual([
      ['events-0-end-0.jsonl', 300],
      ['events-0-end-1.jsonl', 300],
      ['events-0-end-2.jsonl', 300],
      ['events-0-end-3.jsonl', 100],
    ]);
    await new FileCommitter(dir).commit(committables.map((committable) => ({ checkpointId: 1, committable })));
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(committables.map((c) => c.finalName));
    const all = (await Promise.all(files.map((f) => linesOf(f)))).flat() as { pad: string }[];
    expect(all.map((r) => r.pad.at(-1))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('reports back-pressure while more than maxBufferedBytes are not written, and releases it', async () => {
    const writer = new FileSinkWriter(testSinkWriterContext(), { path: dir, maxBufferedBytes: 1000, writeBatchSize: 200 });
    expect(writer.isAvailable()).toBeUndefined();
    let i = 0;
    while (writer.isAvailable() === undefined) writer.write({ i: i++, pad: 'y'.repeat(40) }, noContext);
    const written = i;
    expect(written).toBeGreaterThan(15); // ~52 bytes per record: about 20 records fit under the bound
    const blocked = writer.isAvailable();
    expect(blocked).toBeInstanceOf(Promise);
    await blocked;
    expect(writer.isAvailable()).toBeUndefined();
    await writer.flush(false);
    const [committable] = await writer.prepareCommit!(1);
    await writer.close();
    const lines = await linesOf(committable!.pendingName);
    expect(lines.map((r) => (r as { i: number }).i)).toEqual(Array.from({ length: written }, (_, k) => k));
  });

  it('starts its counter above every file of its subtask index, and above its restored state', async () => {
    await writeFile(join(dir, 'part-0-4-6.jsonl'), '{"old":0}\n'); // committed by an earlier job
    await writeFile(join(dir, '.part-0-2-3.jsonl.inprogress'), '{"old":1}\n'); // pending: epoch 2 <= 5, kept
    await writeFile(join(dir, 'part-1-4-40.jsonl'), '{"other":0}\n'); // another index does not count
    const context = { ...testSinkWriterContext(0, 2), restoredCheckpointId: 5, attemptNumber: 1 };
    const writer = new FileSinkWriter(context, { path: dir }, [
      { subtask: 0, checkpointId: 5, nextCounter: 5 },
      { subtask: 1, checkpointId: 5, nextCounter: 90 },
    ]);
    writer.write({ fresh: true }, noContext);
    expect(await writer.prepareCommit!(6)).toEqual([expect.objectContaining({ finalName: 'part-0-6-7.jsonl' })]);
    expect(writer.snapshotState!(6)).toEqual([{ subtask: 0, checkpointId: 6, nextCounter: 8 }]);
    await writer.close();

    const restored = new FileSinkWriter({ ...context, restoredCheckpointId: 6 }, { path: dir }, [
      { subtask: 0, checkpointId: 6, nextCounter: 20 }, // e.g. committed files were moved away meanwhile
    ]);
    restored.write({ again: true }, noContext);
    expect(await restored.prepareCommit!(7)).toEqual([
      expect.objectContaining({ pendingName: '.part-0-7-20.jsonl.inprogress', finalName: 'part-0-7-20.jsonl' }),
    ]);
    await restored.close();
  });

  it('never publishes by itself: close drops what was not pre-committed and leaves hidden files only', async () => {
    const writer = new FileSinkWriter(testSinkWriterContext(), { path: dir, writeBatchSize: 10 });
    writer.write({ n: 1 }, noContext);
    await writer.flush(true); // end of input closes the file; only prepareCommit + commit publish it
    writer.write({ n: 2 }, noContext);
    await writer.close();
    await writer.close(); // idempotent
    // {n:2} was still buffered (below writeBatchSize): dropped, no file was even opened for it.
    expect(await readdir(dir)).toEqual(['.part-0-0-0.jsonl.inprogress']);
    expect(() => writer.write({ n: 3 }, noContext)).toThrow(/after close/);
  });

  it('rejects records JSON cannot represent, and surfaces I/O failures', async () => {
    const writer = new FileSinkWriter(testSinkWriterContext(), { path: dir });
    expect(() => writer.write(undefined, noContext)).toThrow(/not JSON-serializable/);
    await writer.close();
    expect(() => new FileSinkWriter(testSinkWriterContext(), { path: dir, fileNamePrefix: 'a/b' })).toThrow(/prefix/);

    await writeFile(join(dir, 'not-a-dir'), '');
    const broken = new FileSinkWriter(testSinkWriterContext(), { path: join(dir, 'not-a-dir', 'sub') });
    broken.write({ a: 1 }, noContext);
    await expect(broken.flush(false)).rejects.toThrow();
    await expect(broken.prepareCommit(1)).rejects.toThrow();
    expect(() => broken.write({ a: 2 }, noContext)).toThrow();
    await broken.close();
  });
});
