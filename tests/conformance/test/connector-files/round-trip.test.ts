import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSink, FileSource, fileSplitOf, type FileSplit } from '@runnel/connector-files';
import { RecordingReaderOutput, TestEnumeratorContext, TestReaderContext, pollReader, testSinkWriterContext } from '@runnel/testing';
import { tempDir } from './part-file-helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

describe('sink → source round trip', () => {
  it('reads back exactly the published records; in-progress files stay invisible to the source', async () => {
    const values = Array.from({ length: 500 }, (_, i) => ({ i, s: `ä${i}`, list: [i, { deep: i % 7 === 0 }] }));
    const sink = new FileSink({ path: dir, rollingFileSize: 4096, writeBatchSize: 1000 });
    const done = sink.createWriter(testSinkWriterContext(0, 2));
    const open = sink.createWriter(testSinkWriterContext(1, 2));
    for (const v of values) done.write(v, { timestamp: 0, currentWatermark: 0 });
    open.write({ unpublished: true }, { timestamp: 0, currentWatermark: 0 });
    await done.flush(true);
    const committables = await done.prepareCommit!(Number.MAX_SAFE_INTEGER);
    await sink.createCommitter().commit(committables.map((committable) => ({ checkpointId: 1, committable })));
    await open.flush(false);
    await open.prepareCommit!(1); // written, synced and pending, but its checkpoint never completes

    const source = new FileSource({ path: dir, readChunkSize: 333 });
    const enumContext = new TestEnumeratorContext<FileSplit>();
    const enumerator = source.createEnumerator(enumContext);
    await enumerator.start();
    await enumContext.runCalls();
    const files = enumerator.snapshotState(1).pendingSplits;
    expect(files.length).toBeGreaterThan(5);
    expect(files.length).toBeLessThan(10); // beyond 9, name order (part-0-end-10 < part-0-end-2) differs from write order
    expect(files.every((s) => /\/part-0-end-\d+\.jsonl$/.test(s.path))).toBe(true);

    const reader = source.createReader(new TestReaderContext());
    reader.addSplits(files.map((s) => fileSplitOf(s.path)));
    reader.notifyNoMoreSplits();
    const output = new RecordingReaderOutput<unknown>();
    await pollReader(reader, output);
    expect(output.records).toEqual(values); // files are named in order, so name order is write order
    await Promise.all([reader.close(), done.close(), open.close()]);
  });
});
