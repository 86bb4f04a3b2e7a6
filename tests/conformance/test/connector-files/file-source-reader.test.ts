import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileSplitOf, type FileSplit, FileSourceReader, type FileSourceReaderSettings } from '@runnel/connector-files';
import { RecordingReaderOutput, TestReaderContext, pollReader } from '@runnel/testing';
import { tempDir } from './part-file-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** Reads the given splits to the end with one reader and returns what it emitted. */
async function readAll(splits: FileSplit[], settings: FileSourceReaderSettings = {}) {
  const context = new TestReaderContext();
  const reader = new FileSourceReader(context, settings);
  reader.addSplits(splits);
  reader.notifyNoMoreSplits();
  reader.start();
  const output = new RecordingReaderOutput<unknown>();
  await pollReader(reader, output);
  await reader.close();
  return { output, context };
}

const records = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, name: `név-${i}-€🙂`, nested: { i } }));
const jsonl = (values: unknown[], eol = '\n') => values.map((v) => JSON.stringify(v) + eol).join('');

describe('FileSourceReader', () => {
  it('reads every line of a file and emits it through the split output', async () => {
    const values = records(50);
    const path = await file('a.jsonl', jsonl(values));
    const { output } = await readAll([fileSplitOf(path)]);
    expect(output.records).toEqual(values);
    expect(new Set(output.emitted.map((e) => e.splitId))).toEqual(new Set([path]));
    expect(output.released).toEqual([path]);
  });

  it('reads a multi-byte text identically at every chunk size, including chunks ending inside a character', async () => {
    const values = records(40);
    const path = await file('utf8.jsonl', jsonl(values));
    for (const readChunkSize of [1, 2, 3, 5, 7, 13, 64]) {
      const { output } = await readAll([fileSplitOf(path)], { readChunkSize });
      expect(output.records, `chunk size ${readChunkSize}`).toEqual(values);
    }
  });

  it('handles CRLF line endings, a last line without newline, blank lines and a byte order mark', async () => {
    const content = '\uFEFF{"a":1}\r\n\r\n  \n{"a":"ü"}\r\n\n{"a":3}';
    const path = await file('crlf.jsonl', content);
    for (const readChunkSize of [1, 4, 1024]) {
      const { output } = await readAll([fileSplitOf(path)], { readChunkSize });
      expect(output.records).toEqual([{ a: 1 }, { a: 'ü' }, { a: 3 }]);
    }
  });

  it('reads lines much longer than the chunk size', async () => {
    const values = [{ big: 'x'.repeat(10_000) }, { small: 1 }, { big: 'ÿ'.repeat(5_000) }];
    const path = await file('long.jsonl', jsonl(values));
    const { output } = await readAll([fileSplitOf(path)], { readChunkSize: 16 });
    expect(output.records).toEqual(values);
  });

  it('emits at most maxRecordsPerPoll records per pollNext', async () => {
    const values = records(100);
    const path = await file('batch.jsonl', jsonl(values));
    const reader = new FileSourceReader(new TestReaderContext(), { maxRecordsPerPoll: 8 });
    reader.addSplits([fileSplitOf(path)]);
    reader.notifyNoMoreSplits();
    const output = new RecordingReaderOutput<unknown>();
    const perPoll: number[] = [];
    for (;;) {
      const before = output.emitted.length;
      const status = reader.pollNext(output);
      perPoll.push(output.emitted.length - before);
      if (status === 'end-of-input') break;
      if (status === 'nothing-available') await reader.isAvailable();
    }
    expect(Math.max(...perPoll)).toBe(8);
    expect(output.records).toEqual(values);
    await reader.close();
  });

  it('resumes exactly after the last emitted record from a snapshot (and keeps line numbers)', async () => {
    const values = records(60);
    const lines = values.map((v) => JSON.stringify(v));
    lines[49] = '{broken'; // line 50
    const path = await file('resume.jsonl', lines.join('\r\n') + '\r\n');
    const settings = { readChunkSize: 37, maxRecordsPerPoll: 7 };

    const first = new FileSourceReader(new TestReaderContext(), settings);
    first.addSplits([fileSplitOf(path)]);
    const firstOut = new RecordingReaderOutput<unknown>();
    await pollReader(first, firstOut, { maxRecords: 20 });
    const snapshot = first.snapshotState(1);
    await first.close();
    expect(snapshot).toHaveLength(1);
    expect(snapshot[0]!.line).toBe(firstOut.emitted.length + 1);

    const second = new FileSourceReader(new TestReaderContext(), settings);
    second.addSplits(snapshot);
    second.notifyNoMoreSplits();
    const secondOut = new RecordingReaderOutput<unknown>();
    await expect(pollReader(second, secondOut)).rejects.toThrow(`${path}:50:`);
    await second.close();
    expect([...firstOut.records, ...secondOut.records]).toEqual(values.slice(0, 49));
  });

  it('snapshots queued splits unchanged and drops finished ones', async () => {
    const a = await file('a.jsonl', jsonl(records(3)));
    const b = await file('b.jsonl', jsonl(records(3)));
    const c = await file('c.jsonl', jsonl(records(3)));
    const reader = new FileSourceReader(new TestReaderContext(), { maxRecordsPerPoll: 1 });
    reader.addSplits([fileSplitOf(a), fileSplitOf(b), fileSplitOf(c)]);
    const output = new RecordingReaderOutput<unknown>();
    await pollReader(reader, output, { maxRecords: 4 }); // a finished, one record of b emitted
    expect(output.released).toEqual([a]);
    const state = reader.snapshotState(7);
    expect(state.map((s) => s.path)).toEqual([b, c]);
    expect(state[0]!.line).toBe(2);
    expect(state[0]!.offset).toBe(Buffer.byteLength(JSON.stringify(records(3)[0]) + '\n'));
    expect(state[1]).toEqual(fileSplitOf(c));
    await reader.close();
  });

  it('fails on a malformed line with file:line and the start of the bad text', async () => {
    const path = await file('bad.jsonl', `{"ok":1}\n\n{"ok":2}\n{"oops": ${'z'.repeat(200)}\n{"ok":3}\n`);
    const reader = new FileSourceReader(new TestReaderContext(), { readChunkSize: 8 });
    reader.addSplits([fileSplitOf(path)]);
    reader.notifyNoMoreSplits();
    const output = new RecordingReaderOutput<unknown>();
    const error = await pollReader(reader, output).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(`${path}:4:`);
    expect(error?.message).toContain('{"oops": zzz');
    expect(error?.message.length).toBeLessThan(300); // the bad text is shown truncated
    expect(output.records).toEqual([{ ok: 1 }, { ok: 2 }]);
    expect(() => reader.pollNext(output)).toThrow(`${path}:4:`); // stays failed
    await reader.close();
  });

  it('skips and counts malformed lines with ignoreParseErrors', async () => {
    const path = await file('skip.jsonl', '{"a":1}\nnot json\n{"a":2}\n{"a":\n\n{"a":3}');
    const { output, context } = await readAll([fileSplitOf(path)], { ignoreParseErrors: true, readChunkSize: 5 });
    expect(output.records).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(context.metricGroup.count('numRecordsInErrors')).toBe(2);
  });

  it('fails with the path when a file cannot be read', async () => {
    const reader = new FileSourceReader(new TestReaderContext());
    reader.addSplits([fileSplitOf(join(dir, 'missing.jsonl'))]);
    await expect(pollReader(reader, new RecordingReaderOutput<unknown>())).rejects.toThrow(/cannot read '.*missing\.jsonl'/);
    await reader.close();
  });

  it('asks for a split when it has none and again after each split, then ends on no-more-splits', async () => {
    const a = await file('a.jsonl', jsonl(records(2)));
    const context = new TestReaderContext();
    const reader = new FileSourceReader(context);
    reader.start();
    expect(context.splitRequests).toBe(1);
    const output = new RecordingReaderOutput<unknown>();
    expect(reader.pollNext(output)).toBe('nothing-available');
    expect(context.splitRequests).toBe(1); // one outstanding request at a time
    const available = reader.isAvailable();
    reader.addSplits([fileSplitOf(a)]);
    await available;
    while (context.splitRequests < 2) {
      if (reader.pollNext(output) === 'nothing-available') await reader.isAvailable();
    }
    reader.notifyNoMoreSplits();
    await pollReader(reader, output);
    expect(output.records).toEqual(records(2));
    expect(reader.pollNext(output)).toBe('end-of-input');
    await reader.close();
  });
});
