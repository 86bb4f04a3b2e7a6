import { describe, expect, it } from 'vitest';
import { NexmarkSource, type NexmarkSplit, NexmarkGenerator, nexmarkEventTime, type NexmarkEvent } from '@runnel/connector-datagen';
import { RecordingReaderOutput, TestEnumeratorContext, TestReaderContext, pollUntilBlocked } from '@runnel/testing';

function runAll(source: NexmarkSource, parallelism: number): NexmarkEvent[][] {
  const ctx = new TestEnumeratorContext<NexmarkSplit>(parallelism, { registeredReaders: [] });
  const enumerator = source.createEnumerator(ctx);
  void enumerator.start();
  const perSubtask: NexmarkEvent[][] = [];
  for (let i = 0; i < parallelism; i++) {
    enumerator.addReader(i);
    const reader = source.createReader(new TestReaderContext(i, parallelism));
    reader.addSplits(ctx.assignedTo(i));
    if (ctx.noMoreSplits.includes(i)) reader.notifyNoMoreSplits();
    const out = new RecordingReaderOutput<NexmarkEvent>();
    const statuses = pollUntilBlocked(reader, out);
    expect(statuses.at(-1)).toBe('end-of-input');
    perSubtask.push(out.records);
  }
  return perSubtask;
}

describe('NexmarkSource', () => {
  it('assigns split i (event numbers i, i+n, ...) to subtask i when its reader registers', () => {
    const source = new NexmarkSource({ eventsNum: 1000 });
    const ctx = new TestEnumeratorContext<NexmarkSplit>(3, { registeredReaders: [] });
    const enumerator = source.createEnumerator(ctx);
    void enumerator.start();
    expect(ctx.assigned.length).toBe(0);
    enumerator.addReader(1);
    expect(ctx.assignedTo(1)).toEqual([{ splitId: 'nexmark-1', index: 1, next: 1, stride: 3, end: 1000 }]);
    expect([...ctx.noMoreSplits]).toEqual([1]);
    expect(enumerator.snapshotState(1).pending.map((s) => s.index)).toEqual([0, 2]);
    enumerator.addReader(0);
    enumerator.addReader(2);
    expect(ctx.assignedTo(0)[0]!.next).toBe(0);
    expect(ctx.assignedTo(2)[0]!.next).toBe(2);
    expect(enumerator.snapshotState(2).pending).toEqual([]);
    expect(source.boundedness).toBe('bounded');
    expect(new NexmarkSource().boundedness).toBe('continuous-unbounded');
  });

  it('generates with any parallelism exactly the events of a single generator', () => {
    const N = 7_777;
    const expected: NexmarkEvent[] = new Array(N);
    new NexmarkGenerator({ seed: 5 }).fill(expected, 0, 1, N);
    for (const p of [1, 2, 4]) {
      const parts = runAll(new NexmarkSource({ eventsNum: N, seed: 5 }), p);
      const merged: NexmarkEvent[] = new Array(N);
      parts.forEach((events, i) => events.forEach((e, k) => (merged[i + k * p] = e)));
      expect(parts.reduce((n, e) => n + e.length, 0)).toBe(N);
      expect(merged).toEqual(expected);
    }
  });

  it('polls in batches of at most 1024 through per-split outputs with event timestamps, then ends', () => {
    const source = new NexmarkSource({ eventsNum: 3000 });
    const reader = source.createReader(new TestReaderContext(0, 1));
    const out = new RecordingReaderOutput<NexmarkEvent>();
    expect(reader.pollNext(out)).toBe('nothing-available'); // no split yet
    reader.addSplits(source.createSplits(1));
    const sizes: number[] = [];
    let status = 'more-available';
    while (status === 'more-available') {
      const before = out.records.length;
      status = reader.pollNext(out);
      sizes.push(out.records.length - before);
    }
    // The split is done but the enumerator has not said "no more splits" yet.
    expect(status).toBe('nothing-available');
    expect(sizes).toEqual([1024, 1024, 952]);
    expect(out.created).toEqual(['nexmark-0']);
    expect(out.released).toEqual(['nexmark-0']);
    expect(out.recordsOf('nexmark-0').length).toBe(3000);
    expect(out.emitted.map((e) => e.timestamp)).toEqual(out.records.map(nexmarkEventTime));
    reader.notifyNoMoreSplits();
    expect(reader.pollNext(out)).toBe('end-of-input');
  });

  it('resumes a snapshotted split with exactly the remaining events', () => {
    const N = 5_000;
    const source = new NexmarkSource({ eventsNum: N, seed: 11 });
    const splits = source.createSplits(2);
    const reader = source.createReader(new TestReaderContext(1, 2));
    reader.addSplits([splits[1]!]);
    reader.notifyNoMoreSplits();
    const out = new RecordingReaderOutput<NexmarkEvent>();
    reader.pollNext(out);
    reader.pollNext(out);
    const snapshot = reader.snapshotState(1);
    expect(snapshot).toEqual([{ splitId: 'nexmark-1', index: 1, next: 1 + 2048 * 2, stride: 2, end: N }]);
    // Through the versioned serializer, as a checkpoint would store it.
    const ser = source.splitSerializer;
    const restored = snapshot.map((s) => ser.deserialize(ser.serialize(s), ser.version));
    const after = new RecordingReaderOutput<NexmarkEvent>();
    const reader2 = source.createReader(new TestReaderContext(1, 2));
    reader2.addSplits(restored);
    reader2.notifyNoMoreSplits();
    expect(pollUntilBlocked(reader2, after).at(-1)).toBe('end-of-input');
    // Events emitted before the snapshot + events after the restore = the uninterrupted run.
    const full = runAll(new NexmarkSource({ eventsNum: N, seed: 11 }), 2)[1]!;
    expect([...out.records, ...after.records]).toEqual(full);
    expect(reader2.snapshotState(2)).toEqual([]);
  });

  it('keeps unassigned splits in enumerator state and takes splits back', () => {
    const source = new NexmarkSource({ eventsNum: 100 });
    const ctx = new TestEnumeratorContext<NexmarkSplit>(2, { registeredReaders: [] });
    const enumerator = source.createEnumerator(ctx);
    enumerator.addReader(0);
    const ser = source.enumeratorStateSerializer;
    const state = ser.deserialize(ser.serialize(enumerator.snapshotState(1)), 1);
    expect(state.pending.map((s) => s.splitId)).toEqual(['nexmark-1']);
    const ctx2 = new TestEnumeratorContext<NexmarkSplit>(2, { registeredReaders: [] });
    const restored = source.restoreEnumerator(ctx2, state);
    restored.addReader(0);
    expect(ctx2.assignedTo(0)).toEqual([]); // split 0 belongs to a reader already
    restored.addReader(1);
    expect(ctx2.assignedTo(1).map((s) => s.splitId)).toEqual(['nexmark-1']);
    // A failed reader's split comes back and is assigned again when the reader re-registers.
    const back = { ...ctx2.assignedTo(1)[0]!, next: 41 };
    restored.addSplitsBack([back], 1);
    expect(restored.snapshotState(2).pending).toEqual([back]);
    restored.addReader(1);
    expect(ctx2.assignedTo(1).at(-1)).toEqual(back);
    expect(() => ser.deserialize(ser.serialize(state), 2)).toThrow(/version 2/);
  });

  it('keeps producing when unbounded', () => {
    const source = new NexmarkSource();
    const reader = source.createReader(new TestReaderContext(0, 1));
    reader.addSplits(source.createSplits(1));
    reader.notifyNoMoreSplits();
    const out = new RecordingReaderOutput<NexmarkEvent>();
    for (let i = 0; i < 5; i++) expect(reader.pollNext(out)).toBe('more-available');
    expect(out.records.length).toBe(5 * 1024);
    expect(reader.snapshotState(1)[0]!.next).toBe(5 * 1024);
  });

  it('paces events with rate-limit, waking through the scheduler', async () => {
    let now = 0;
    const timers: { cb: () => void; ms: number }[] = [];
    const source = new NexmarkSource(
      { eventsNum: 10_000 },
      {
        rateLimit: 4000, // over 2 subtasks: 2000 per reader
        clock: () => now,
        scheduler: (cb, ms) => {
          timers.push({ cb, ms });
          return () => {};
        },
      },
    );
    const reader = source.createReader(new TestReaderContext(0, 2));
    reader.addSplits([source.createSplits(2)[0]!]);
    const out = new RecordingReaderOutput<NexmarkEvent>();
    expect(reader.pollNext(out)).toBe('more-available');
    expect(out.records.length).toBe(1); // one permit at start
    expect(reader.pollNext(out)).toBe('nothing-available');
    const available = reader.isAvailable();
    expect(timers.length).toBe(1);
    expect(timers[0]!.ms).toBe(1); // 2000/s: next permit due in 0.5 ms, rounded up
    now = 250; // 500 more permits
    timers[0]!.cb();
    await available;
    reader.pollNext(out);
    expect(out.records.length).toBe(501);
    now = 10_000; // long pause: at most one second of permits accrue
    reader.pollNext(out);
    reader.pollNext(out);
    expect(out.records.length).toBe(501 + 2000);
  });

  it('settles isAvailable when splits arrive', async () => {
    const source = new NexmarkSource({ eventsNum: 10 });
    const reader = source.createReader(new TestReaderContext(0, 1));
    let settled = false;
    const p = reader.isAvailable().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    reader.addSplits(source.createSplits(1));
    await p;
    expect(settled).toBe(true);
  });
});
