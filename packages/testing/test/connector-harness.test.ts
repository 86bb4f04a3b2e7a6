import { describe, expect, it } from 'vitest';
import { listSink, listSource } from './fixtures.js';
import { ManualClock, SinkDriver, SourceDriver, sinkHarness, sourceHarness } from '../src/index.js';

describe('source harness and driver', () => {
  it('reads assigned splits through the runtime source operator and restores their positions', async () => {
    const source = listSource([[1, 2, 3], [4, 5]]);
    const h = await sourceHarness(source);
    expect(h.requests[0]).toEqual({ kind: 'register' });
    h.addSplits([{ splitId: 's0', values: [1, 2, 3], next: 0 }]);
    h.pollNext();
    expect(h.output()).toEqual([1]);
    const snap = await h.snapshot();
    await h.close();
    const r = await sourceHarness(source, { restore: snap });
    r.noMoreSplits();
    expect(await r.pollUntil()).toBe('end-of-input');
    expect(r.output()).toEqual([2, 3]);
    await r.endInput();
    expect(r.watermarks().at(-1)).toBe(Number.POSITIVE_INFINITY);
    await r.close();
  });

  it('drives enumerator and readers; a failed reader loses nothing', async () => {
    const source = listSource([[1, 2, 3], [4, 5], [6], [7, 8, 9, 10]]);
    const d = await SourceDriver.start(source, { parallelism: 2 });
    await d.run({ maxRecords: 3 });
    await d.checkpoint();
    await d.run({ maxRecords: 6 });
    await d.failReader(1);
    await d.run();
    expect(d.finished).toBe(true);
    expect(d.records().sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await d.close();
    await expect(d.pollAll()).rejects.toThrow(/closed/);
  });
});

describe('sink harness and driver', () => {
  it('pre-commits at snapshot and commits on completion, through the serializers', async () => {
    const { sink, committed } = listSink();
    const h = await sinkHarness(sink);
    await h.processElement('a');
    const snap = await h.snapshot();
    expect(committed).toEqual([]);
    expect(snap.byteLength).toBeGreaterThan(0);
    await h.notifyCheckpointComplete(snap.checkpointId);
    expect(committed).toEqual(['a']);
    await h.close();
  });

  it('restores a crashed job at another parallelism and commits the restored committables once', async () => {
    const { sink, committed } = listSink();
    const d = await SinkDriver.start(sink, { parallelism: 2, clock: new ManualClock() });
    await d.write(0, ['a']);
    await d.write(1, ['b']);
    const cp = await d.checkpoint();
    await d.crash();
    expect(committed).toEqual([]);
    const r = await SinkDriver.start(sink, { parallelism: 3, restore: cp });
    expect([...committed].sort()).toEqual(['a', 'b']);
    await r.write(2, ['c']);
    await r.finish();
    expect([...committed].sort()).toEqual(['a', 'b', 'c']);
    await expect(r.write(0, ['x'])).rejects.toThrow(/closed/);
  });
});
