// A checkpoint triggered while a source task is still opening is taken before any coordinator message that came
// after the trigger (a split assignment, a source event). The split enumerator is snapshotted when the checkpoint is
// triggered, so an assignment sent after that is not in the enumerator's state; if the reader received it before its
// own snapshot of the same checkpoint, the split would be in both — a restore would read it twice (and an event like
// "chunk acknowledged" would be in neither). The task used to run the deferred trigger after such later mail: the
// reader's snapshot then held a split the enumerator's snapshot of the same checkpoint still listed as unassigned.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceSplit, SplitEnumerator, SplitEnumeratorContext, VersionedSerializer } from '@runnel/api';
import { StreamExecutionEnvironment } from '../../src/index.js';

const SPLITS = ['s0', 's1', 's2', 's3'];
const PER_SPLIT = 200;

const json = <T>(id: string): VersionedSerializer<T> => ({
  id,
  version: 1,
  serialize: (v) => new TextEncoder().encode(JSON.stringify(v)),
  deserialize: (b) => JSON.parse(new TextDecoder().decode(b)) as T,
});

/** What each side's snapshot of a checkpoint held (local jobs run on the calling thread: plain arrays work). */
const enumeratorSnapshots = new Map<number, string[]>();
const readerSnapshots = new Map<number, string[]>();

/** Splits on request, one at a time; the reader starts slowly (it asks for a split, then takes 300 ms). */
class PullSource implements Source<number, SourceSplit, string[]> {
  readonly boundedness = 'bounded' as const;
  readonly splitSerializer = json<SourceSplit>('test.pull-split');
  readonly enumeratorStateSerializer = json<string[]>('test.pull-enumerator');

  createEnumerator(ctx: SplitEnumeratorContext<SourceSplit>): SplitEnumerator<SourceSplit, string[]> {
    const remaining = [...SPLITS];
    return {
      start() {},
      handleSplitRequest(subtask) {
        const next = remaining.shift();
        if (next === undefined) ctx.signalNoMoreSplits(subtask);
        else ctx.assignSplit({ splitId: next }, subtask);
      },
      addSplitsBack(splits) {
        remaining.unshift(...splits.map((s) => s.splitId));
      },
      addReader() {},
      snapshotState(checkpointId) {
        enumeratorSnapshots.set(checkpointId, [...remaining]);
        return [...remaining];
      },
      close() {},
    };
  }

  restoreEnumerator(ctx: SplitEnumeratorContext<SourceSplit>): SplitEnumerator<SourceSplit, string[]> {
    return this.createEnumerator(ctx);
  }

  createReader(context: { sendSplitRequest(): void }): SourceReader<number, SourceSplit> {
    const held: { id: string; next: number }[] = [];
    let noMore = false;
    let requested = false;
    const request = (): void => {
      if (requested || noMore) return;
      requested = true;
      context.sendSplitRequest();
    };
    return {
      async start() {
        request();
        // Still opening while the assignment arrives.
        await new Promise((r) => setTimeout(r, 300));
      },
      pollNext(output: ReaderOutput<number>): InputStatus {
        const s = held[0];
        if (s === undefined) return noMore ? 'end-of-input' : 'nothing-available';
        for (let i = 0; i < 10 && s.next < PER_SPLIT; i++) output.collect(SPLITS.indexOf(s.id) * PER_SPLIT + s.next++);
        if (s.next >= PER_SPLIT) {
          held.shift();
          request();
        }
        return 'nothing-available';
      },
      isAvailable: () => new Promise((r) => setTimeout(r, 2)),
      addSplits(splits) {
        requested = false;
        for (const s of splits) held.push({ id: s.splitId, next: 0 });
      },
      notifyNoMoreSplits() {
        noMore = true;
      },
      snapshotState(checkpointId) {
        readerSnapshots.set(checkpointId, held.map((s) => s.id));
        return held.map((s) => ({ splitId: s.id }));
      },
      close() {},
    };
  }
}

describe('a checkpoint triggered while a source task is opening', () => {
  it('is taken before split assignments that arrived after it (no split in both the enumerator and the reader state)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runnel-open-order-'));
    try {
      const env = StreamExecutionEnvironment.create({ parallelism: 1 }).configure({
        'state.checkpoints.dir': join(root, 'cp'),
        'execution.checkpointing.interval': '50 ms',
      });
      env
        .fromSource(new PullSource(), undefined, 'pull')
        .uid('pull')
        // Chained after the source and opened first (tail first): the task is opening over several intervals before
        // the reader registers and asks for its first split.
        .map({
          async open(): Promise<void> {
            await new Promise((r) => setTimeout(r, 400));
          },
          map: (v: number) => v,
        })
        .uid('slow-open')
        .collect();
      const result = await env.execute();
      const values = (result.collected.get('collect') ?? []) as number[];
      expect(values.length).toBe(SPLITS.length * PER_SPLIT);
      expect(new Set(values).size).toBe(values.length);
      // Checkpoints were triggered while the task was opening, and taken by the reader.
      const both = [...readerSnapshots.keys()].filter((id) => enumeratorSnapshots.has(id));
      expect(both.length).toBeGreaterThanOrEqual(2);
      expect(enumeratorSnapshots.get(Math.min(...both))).toEqual(SPLITS);
      for (const id of both) {
        const unassigned = enumeratorSnapshots.get(id)!;
        const inBoth = readerSnapshots.get(id)!.filter((s) => unassigned.includes(s));
        expect(inBoth, `checkpoint ${id}: splits in the reader's state that the enumerator's still lists as unassigned`).toEqual([]);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
