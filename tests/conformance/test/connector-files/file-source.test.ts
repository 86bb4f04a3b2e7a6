import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileSplit, FileSource, type FileSourceReader } from '@runnel/connector-files';
import { RecordingReaderOutput, TestEnumeratorContext, TestReaderContext } from '@runnel/testing';
import { tempDir } from './part-file-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

/** Wires an enumerator and `n` readers of `source` the way the runtime does, through the contracts only. */
function wire(source: FileSource, n: number) {
  const enumContext = new TestEnumeratorContext<FileSplit>(n);
  const enumerator = source.createEnumerator(enumContext);
  const readers = Array.from({ length: n }, (_, i) => {
    const context = new TestReaderContext(i, n);
    context.sendSplitRequest = () => {
      context.splitRequests++;
      enumerator.handleSplitRequest(i);
    };
    return source.createReader(context) as FileSourceReader;
  });
  enumContext.onAssign = (split: FileSplit, subtask: number) => readers[subtask]!.addSplits([split]);
  enumContext.onNoMoreSplits = (subtask: number) => readers[subtask]!.notifyNoMoreSplits();
  return { enumContext, enumerator, readers };
}

describe('FileSource', () => {
  it('bounded: reads every record of a directory exactly once across parallel readers', async () => {
    const expected: unknown[] = [];
    for (let f = 0; f < 7; f++) {
      const values = Array.from({ length: 20 + f }, (_, i) => ({ f, i }));
      expected.push(...values);
      await writeFile(join(dir, `part-${f}.jsonl`), values.map((v) => JSON.stringify(v)).join('\n'));
    }
    const source = new FileSource({ path: dir, readChunkSize: 64 });
    expect(source.boundedness).toBe('bounded');
    const { enumContext, enumerator, readers } = wire(source, 2);
    await enumerator.start();
    for (const r of readers) r.start();
    await enumContext.runCalls();

    const output = new RecordingReaderOutput<unknown>();
    await Promise.all(
      readers.map(async (reader) => {
        for (;;) {
          const status = reader.pollNext(output);
          if (status === 'end-of-input') return;
          if (status === 'nothing-available') await reader.isAvailable();
        }
      }),
    );
    const key = (v: unknown) => JSON.stringify(v);
    expect(output.records.map(key).sort()).toEqual(expected.map(key).sort());
    expect(enumContext.assigned).toHaveLength(7);
    expect(enumContext.noMoreSplits.sort()).toEqual([0, 1]);
    await Promise.all(readers.map((r) => r.close()));
    await enumerator.close();
  });

  it('continuous: a file added to the monitored directory is picked up and read', async () => {
    await writeFile(join(dir, 'a.jsonl'), '{"n":1}\n');
    const source = new FileSource({ path: dir, monitorIntervalMs: 100 });
    expect(source.boundedness).toBe('continuous-unbounded');
    const { enumContext, enumerator, readers } = wire(source, 1);
    const reader = readers[0]!;
    await enumerator.start();
    reader.start();
    await enumContext.runCalls();
    const output = new RecordingReaderOutput<unknown>();
    const pollUntil = async (count: number) => {
      while (output.emitted.length < count) {
        const status = reader.pollNext(output);
        expect(status).not.toBe('end-of-input');
        if (status === 'nothing-available') await reader.isAvailable();
      }
    };
    await pollUntil(1);
    expect(reader.pollNext(output)).toBe('nothing-available'); // waits for more files, does not end

    await writeFile(join(dir, 'b.jsonl'), '{"n":2}\n{"n":3}\n');
    await enumContext.runCalls(); // the periodic re-listing
    await pollUntil(3);
    expect(output.records).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await reader.close();
  });

  it('snapshots split positions through the versioned split serializer', async () => {
    await writeFile(join(dir, 'a.jsonl'), Array.from({ length: 10 }, (_, i) => `{"i":${i}}`).join('\n'));
    const source = new FileSource({ path: join(dir, 'a.jsonl'), maxRecordsPerPoll: 4 });
    const { enumContext, enumerator, readers } = wire(source, 1);
    await enumerator.start();
    await enumContext.runCalls();
    const reader = readers[0]!;
    reader.start();
    const output = new RecordingReaderOutput<unknown>();
    while (output.emitted.length < 4) {
      if (reader.pollNext(output) === 'nothing-available') await reader.isAvailable();
    }
    const bytes = reader.snapshotState(1).map((s) => source.splitSerializer.serialize(s));
    await reader.close();

    const restored = source.createReader(new TestReaderContext());
    restored.addSplits(bytes.map((b) => source.splitSerializer.deserialize(b, source.splitSerializer.version)));
    restored.notifyNoMoreSplits();
    const rest = new RecordingReaderOutput<unknown>();
    for (;;) {
      const status = restored.pollNext(rest);
      if (status === 'end-of-input') break;
      if (status === 'nothing-available') await restored.isAvailable();
    }
    expect([...output.records, ...rest.records]).toEqual(Array.from({ length: 10 }, (_, i) => ({ i })));
    await restored.close();
  });
});
