// The source operator's watermarks over the splits a reader holds: a split held but not read yet (queued, or
// restored) holds the watermark — at its checkpointed watermark after a restore — until the reader releases it;
// releasing the last split does not end event time; idleness applies only to splits being read; readers that emit
// through the main output keep one watermark for all their splits. Driven by hand, in an exact order.
import { describe, expect, it } from 'vitest';
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceSplit, VersionedSerializer } from '@runnel/api';
import { SourceOperator } from '../../src/operators/source-operator.js';
import { SOURCE_SPLITS_STATE } from '../../src/checkpointing/operator-snapshot.js';
import { perRecordWatermarks } from '../fixtures/helpers.js';
import { testContext, type TestContext } from '../fixtures/operator-context.js';

interface Ev {
  split: string;
  ts: number;
}
interface Split extends SourceSplit {
  readonly from: number;
  readonly to: number;
}

const json: VersionedSerializer<Split> = {
  id: 'test.split',
  version: 1,
  serialize: (s) => new TextEncoder().encode(JSON.stringify(s)),
  deserialize: (b) => JSON.parse(new TextDecoder().decode(b)) as Split,
};

/** Reads its splits one after another in the order `order` gives (or assignment order), `batch` records a poll. */
class SequentialReader implements SourceReader<Ev, Split> {
  readonly splits: { split: Split; next: number; out?: ReaderOutput<Ev> }[] = [];
  noMore = false;
  constructor(
    private readonly batch: number,
    private readonly order: string[] | undefined,
    private readonly perSplit: boolean,
  ) {}
  context: { sendSplitRequest(): void } | undefined;
  start(): void {
    // Pull-based readers ask for their first split when they start.
    this.context?.sendSplitRequest();
  }
  addSplits(splits: readonly Split[]): void {
    for (const s of splits) this.splits.push({ split: s, next: s.from });
    if (this.order) this.splits.sort((a, b) => this.order!.indexOf(a.split.splitId) - this.order!.indexOf(b.split.splitId));
  }
  notifyNoMoreSplits(): void {
    this.noMore = true;
  }
  pollNext(output: ReaderOutput<Ev>): InputStatus {
    const s = this.splits[0];
    if (!s) return this.noMore ? 'end-of-input' : 'nothing-available';
    const out = this.perSplit ? (s.out ??= output.createOutputForSplit(s.split.splitId)) : output;
    for (let i = 0; i < this.batch && s.next < s.split.to; i++) out.collect({ split: s.split.splitId, ts: s.next++ });
    if (s.next >= s.split.to) {
      if (this.perSplit) output.releaseOutputForSplit(s.split.splitId);
      this.splits.shift();
    }
    return 'more-available';
  }
  isAvailable(): Promise<void> {
    return Promise.resolve();
  }
  snapshotState(): Split[] {
    return this.splits.map((s) => ({ ...s.split, from: s.next }));
  }
  close(): void {}
}

function source(reader: SequentialReader): Source<Ev, Split, null> {
  return {
    boundedness: 'bounded',
    createEnumerator: () => {
      throw new Error('not used');
    },
    restoreEnumerator: () => {
      throw new Error('not used');
    },
    createReader: (context) => {
      reader.context = context;
      return reader;
    },
    splitSerializer: json,
    enumeratorStateSerializer: json as unknown as VersionedSerializer<null>,
  };
}

const split = (id: string, from: number, to: number): Split => ({ splitId: id, from, to });

async function setup(opts: {
  restored?: [Split, number][];
  order?: string[];
  perSplit?: boolean;
  idleMs?: number;
}): Promise<{ t: TestContext; op: SourceOperator<Ev>; reader: SequentialReader }> {
  const reader = new SequentialReader(10, opts.order, opts.perSplit ?? true);
  const t = testContext({
    name: 'source',
    restore: opts.restored
      ? {
          checkpointId: 7,
          operatorState: [{ name: SOURCE_SPLITS_STATE, mode: 'split', elements: opts.restored.map(([s, w]) => [json.id, 1, json.serialize(s), w]) }],
        }
      : undefined,
  });
  let strategy = perRecordWatermarks<Ev>((e) => e.ts);
  if (opts.idleMs !== undefined) strategy = strategy.withIdleness(opts.idleMs);
  const op = new SourceOperator<Ev>(t.ctx, source(reader), strategy);
  await op.open();
  return { t, op, reader };
}

/** Polls until the reader has emitted the records of `splitId` (or everything). */
function pollUntil(op: SourceOperator<Ev>, reader: SequentialReader, done: () => boolean): void {
  for (let i = 0; i < 10_000 && !done(); i++) op.emitNext();
}

/** The highest watermark emitted before the first record of `splitId`. */
function watermarkBefore(t: TestContext, splitId: string): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const e of t.emitted) {
    if (e.kind === 'record' && (e.value as Ev).split === splitId) break;
    if (e.kind === 'watermark') max = Math.max(max, e.watermark);
  }
  return max;
}

describe('source operator watermarks over held splits', () => {
  it('after a restore, a split read later holds the watermark at its checkpointed value (restore 2 -> 1)', async () => {
    // Two half-read splits of two old readers come back to one reader, which reads the later one first.
    const { t, op, reader } = await setup({ restored: [[split('late-file', 5_000, 5_100), 4_999], [split('early-file', 150, 200), 149]], order: ['late-file', 'early-file'] });
    pollUntil(op, reader, () => reader.splits.length === 0);
    // Nothing above the early file's watermark may pass before the early file is read: its records would be late.
    expect(watermarkBefore(t, 'early-file')).toBeLessThanOrEqual(149);
    const records = t.emitted.filter((e) => e.kind === 'record');
    expect(records).toHaveLength(150);
    // Every record is above every watermark emitted before it (nothing late).
    let wm = Number.NEGATIVE_INFINITY;
    for (const e of t.emitted) {
      if (e.kind === 'watermark') wm = Math.max(wm, e.watermark);
      else if (e.kind === 'record') expect(e.timestamp).toBeGreaterThan(wm);
    }
  });

  it('a queued split that is not being read yet holds the watermark', async () => {
    const { t, op, reader } = await setup({});
    op.addSplits([split('a', 100, 200), split('b', 150, 160)]);
    pollUntil(op, reader, () => reader.splits.length === 0);
    expect(watermarkBefore(t, 'b')).toBeLessThan(150);
    // 'a' ran to 199 while 'b' (150-159) waited: the watermark follows 'b', the split that is behind.
    expect(Math.max(...t.watermarks())).toBe(158);
  });

  it('releasing the last split does not end event time: a split assigned later moves the watermark on', async () => {
    const { t, op, reader } = await setup({});
    op.addSplits([split('a', 100, 200)]);
    pollUntil(op, reader, () => reader.splits.length === 0);
    expect(Math.max(...t.watermarks())).toBe(198);
    op.addSplits([split('b', 300, 400)]);
    pollUntil(op, reader, () => reader.splits.length === 0);
    expect(Math.max(...t.watermarks())).toBe(398);
    expect(t.watermarks()).not.toContain(Number.POSITIVE_INFINITY);
  });

  it('checkpoints each split with its watermark (none for a split not read yet)', async () => {
    const { op, reader } = await setup({});
    op.addSplits([split('a', 100, 200), split('b', 300, 400)]);
    pollUntil(op, reader, () => reader.splits[0]!.next >= 150);
    const state = op.snapshotState(1).operatorState.find((s) => s.name === SOURCE_SPLITS_STATE)!;
    const byId = new Map(state.elements.map((e) => {
      const [, , bytes, w] = e as [string, number, Uint8Array, number];
      return [json.deserialize(bytes, 1).splitId, w];
    }));
    expect(byId.get('a')).toBe(148);
    expect(byId.get('b')).toBe(Number.NEGATIVE_INFINITY);
  });

  it('idleness applies to the splits being read, not to queued ones', async () => {
    const { t, op, reader } = await setup({ idleMs: 100 });
    op.addSplits([split('a', 100, 110), split('b', 500, 600)]);
    // Read 'a' fully but stop before 'b' (the reader is stuck, e.g. waiting for I/O).
    op.emitNext();
    expect(reader.splits.map((s) => s.split.splitId)).toEqual(['b']);
    t.advanceTime(1_000);
    expect(t.emitted.some((e) => e.kind === 'idle' && e.idle)).toBe(false);
    expect(t.watermarks().every((w) => w < 500)).toBe(true);
  });

  it('registers the reader before starting it, so that a split request in start() never precedes the registration', async () => {
    // An enumerator answers registered readers only: a request that overtook the registration was dropped and the
    // reader waited forever (a bounded job that never ended).
    const { t } = await setup({});
    expect(t.gateway).toEqual(['register', 'request']);
  });

  it('a reader that emits through the main output keeps one watermark for all its splits', async () => {
    const { t, op, reader } = await setup({ perSplit: false });
    op.addSplits([split('a', 100, 200), split('b', 300, 400)]);
    pollUntil(op, reader, () => reader.splits.length === 0);
    expect(Math.max(...t.watermarks())).toBe(398);
  });
});
