import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSink } from '../src/file-sink.js';
import { FileSinkWriter } from '../src/file-sink-writer.js';
import { sinkContext, tempDir } from './fakes.js';

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
  it('writes records as JSON lines and publishes the part file on flush(true)', async () => {
    const writer = new FileSink({ path: join(dir, 'out') }).createWriter(sinkContext(3, 4));
    const values = [{ a: 1, s: 'ü€🙂' }, [1, 2], 'text', 42, null];
    for (const v of values) writer.write(v, noContext);
    await writer.flush(false);
    // Flushed for a checkpoint: written and synced, but still in progress (hidden).
    expect(await readdir(join(dir, 'out'))).toEqual(['.part-3-0.jsonl.inprogress']);
    await writer.flush(true);
    expect(await readdir(join(dir, 'out'))).toEqual(['part-3-0.jsonl']);
    expect(await linesOf('part-3-0.jsonl', join(dir, 'out'))).toEqual(values);
    await writer.close();
  });

  it('rolls to a new part file before a record would exceed the rolling size', async () => {
    const record = { pad: 'x'.repeat(89) }; // 100 bytes per line with the newline
    const line = JSON.stringify(record) + '\n';
    expect(Buffer.byteLength(line)).toBe(100);
    const writer = new FileSinkWriter(sinkContext(), {
      path: dir,
      rollingFileSize: 350,
      fileNamePrefix: 'events',
      writeBatchSize: 150,
    });
    for (let i = 0; i < 10; i++) writer.write({ ...record, pad: record.pad.slice(0, 89 - String(i).length) + i }, noContext);
    await writer.flush(true);
    await writer.close();
    const files = (await readdir(dir)).sort();
    expect(files).toEqual(['events-0-0.jsonl', 'events-0-1.jsonl', 'events-0-2.jsonl', 'events-0-3.jsonl']);
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size));
    expect(sizes).toEqual([300, 300, 300, 100]);
    const all = (await Promise.all(files.map((f) => linesOf(f)))).flat() as { pad: string }[];
    expect(all.map((r) => r.pad.at(-1))).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('reports back-pressure while more than maxBufferedBytes are not written, and releases it', async () => {
    const writer = new FileSinkWriter(sinkContext(), { path: dir, maxBufferedBytes: 1000, writeBatchSize: 200 });
    expect(writer.isAvailable()).toBeUndefined();
    let i = 0;
    while (writer.isAvailable() === undefined) writer.write({ i: i++, pad: 'y'.repeat(40) }, noContext);
    const written = i;
    expect(written).toBeGreaterThan(15); // ~52 bytes per record: about 20 records fit under the bound
    const blocked = writer.isAvailable();
    expect(blocked).toBeInstanceOf(Promise);
    await blocked;
    expect(writer.isAvailable()).toBeUndefined();
    await writer.flush(true);
    await writer.close();
    const lines = await linesOf('part-0-0.jsonl');
    expect(lines.map((r) => (r as { i: number }).i)).toEqual(Array.from({ length: written }, (_, k) => k));
  });

  it('continues counters after existing files and recovers in-progress files of an earlier run', async () => {
    await writeFile(join(dir, 'part-0-0.jsonl'), '{"old":0}\n');
    await writeFile(join(dir, '.part-0-1.jsonl.inprogress'), '{"old":1}\n{"old":2}\n{"torn":');
    await writeFile(join(dir, '.part-0-2.jsonl.inprogress'), '{"torn-only"');
    await writeFile(join(dir, '.part-5-0.jsonl.inprogress'), '{"orphan":1}\n'); // subtask beyond parallelism 2
    await writeFile(join(dir, '.part-1-0.jsonl.inprogress'), '{"other":1}\n'); // subtask 1 recovers its own
    const writer = new FileSinkWriter(sinkContext(0, 2), { path: dir });
    writer.write({ fresh: true }, noContext);
    await writer.flush(true);
    await writer.close();
    expect((await readdir(dir)).sort()).toEqual([
      '.part-1-0.jsonl.inprogress',
      'part-0-0.jsonl',
      'part-0-1.jsonl',
      'part-0-3.jsonl',
      'part-5-0.jsonl',
    ]);
    expect(await linesOf('part-0-1.jsonl')).toEqual([{ old: 1 }, { old: 2 }]);
    expect(await linesOf('part-0-3.jsonl')).toEqual([{ fresh: true }]);
    expect(await linesOf('part-5-0.jsonl')).toEqual([{ orphan: 1 }]);
  });

  it('close() publishes what was written; a new file follows a flush(true)', async () => {
    const writer = new FileSinkWriter(sinkContext(), { path: dir });
    writer.write({ n: 1 }, noContext);
    await writer.flush(true);
    writer.write({ n: 2 }, noContext);
    await writer.close();
    await writer.close(); // idempotent
    expect((await readdir(dir)).sort()).toEqual(['part-0-0.jsonl', 'part-0-1.jsonl']);
    expect(await linesOf('part-0-1.jsonl')).toEqual([{ n: 2 }]);
  });

  it('rejects records JSON cannot represent, and surfaces I/O failures', async () => {
    const writer = new FileSinkWriter(sinkContext(), { path: dir });
    expect(() => writer.write(undefined, noContext)).toThrow(/not JSON-serializable/);
    await writer.close();

    await writeFile(join(dir, 'not-a-dir'), '');
    const broken = new FileSinkWriter(sinkContext(), { path: join(dir, 'not-a-dir', 'sub') });
    broken.write({ a: 1 }, noContext);
    await expect(broken.flush(false)).rejects.toThrow();
    expect(() => broken.write({ a: 2 }, noContext)).toThrow();
    await broken.close();
  });
});
