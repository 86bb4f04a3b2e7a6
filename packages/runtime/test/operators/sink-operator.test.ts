// The sink operator's two-phase commit, driven by hand: a committable stays in the operator's checkpointed state
// until its commit returned (a snapshot taken while the commit is in flight must still hold it, or a crash before
// the commit lands loses the file: campaign seed 100180), the next barrier waits for commits in flight, commits
// never overlap, and close waits for the commit in flight (the thread is terminated after it).
import { describe, expect, it } from 'vitest';
import type { CommitRequest, Sink, SinkWriter, VersionedSerializer } from '@runnel/api';
import { SinkOperator } from '../../src/operators/sink-operator.js';
import { SINK_COMMITTABLES_STATE } from '../../src/checkpointing/operator-snapshot.js';
import { testContext } from '../fixtures/operator-context.js';

const text: VersionedSerializer<string> = {
  id: 'test.committable',
  version: 1,
  serialize: (s) => new TextEncoder().encode(s),
  deserialize: (b) => new TextDecoder().decode(b),
};

/** A sink whose writer pre-commits "c<checkpoint>" and whose committer blocks until the test releases it. */
function blockingSink(): { sink: Sink<string, string>; commits: string[][]; inFlight: () => number; release: () => void } {
  const commits: string[][] = [];
  let active = 0;
  let maxActive = 0;
  const waiting: (() => void)[] = [];
  const writer: SinkWriter<string, string> = {
    write() {},
    flush: async () => {},
    prepareCommit: async (cp) => [`c${cp}`],
    close: async () => {},
  };
  const sink: Sink<string, string> = {
    createWriter: () => writer,
    committableSerializer: text,
    createCommitter: () => ({
      async commit(requests: readonly CommitRequest<string>[]) {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((r) => waiting.push(r));
        commits.push(requests.map((r) => r.committable));
        active--;
      },
      close() {},
    }),
  };
  return {
    sink,
    commits,
    inFlight: () => maxActive,
    release: () => waiting.shift()?.(),
  };
}

function committablesIn(op: SinkOperator<string>, checkpointId: number): string[] {
  const state = op.snapshotState(checkpointId).operatorState.find((s) => s.name === SINK_COMMITTABLES_STATE);
  return (state?.elements ?? []).map((e) => text.deserialize((e as [number, string, number, Uint8Array])[3], 1));
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('sink operator commits', () => {
  it('keeps a committable in the checkpointed state until its commit returned', async () => {
    const { sink, commits, release } = blockingSink();
    const op = new SinkOperator(testContext({ name: 'sink' }).ctx, sink);
    await op.open();
    await op.prepareSnapshotPreBarrier(1);
    expect(committablesIn(op, 1)).toEqual(['c1']);
    const committed = op.notifyCheckpointComplete(1);
    await tick();
    // A snapshot taken while checkpoint 1's commit is in flight must still hold c1.
    expect(committablesIn(op, 2)).toEqual(['c1']);
    release();
    await committed;
    expect(commits).toEqual([['c1']]);
    expect(committablesIn(op, 3)).toEqual([]);
  });

  it('takes the next checkpoint only after the commits of completed ones returned', async () => {
    // Two subtasks' commits of one checkpoint land in any order; what orders them against later changes is that
    // checkpoint N + 1 cannot complete before each subtask's commit of N returned (mysql-cdc's hand-off from its
    // parallel snapshot to one binlog reader relies on it: a slow commit of snapshot rows landing after another
    // subtask's commit of a later change of the same key put the old row back).
    const { sink, commits, release } = blockingSink();
    const op = new SinkOperator(testContext({ name: 'sink' }).ctx, sink);
    await op.open();
    await op.prepareSnapshotPreBarrier(1);
    const committed = op.notifyCheckpointComplete(1);
    await tick();
    let prepared = false;
    const second = op.prepareSnapshotPreBarrier(2).then(() => {
      prepared = true;
    });
    for (let i = 0; i < 10; i++) await tick();
    expect(prepared).toBe(false);
    release();
    await committed;
    await second;
    expect(prepared).toBe(true);
    expect(commits).toEqual([['c1']]);
    expect(committablesIn(op, 2)).toEqual(['c2']);
  });

  it('runs commits one after another, in checkpoint order', async () => {
    const { sink, commits, inFlight, release } = blockingSink();
    const op = new SinkOperator(testContext({ name: 'sink' }).ctx, sink);
    await op.open();
    await op.prepareSnapshotPreBarrier(1);
    await op.prepareSnapshotPreBarrier(2);
    const first = op.notifyCheckpointComplete(1);
    const second = op.notifyCheckpointComplete(2);
    await tick();
    release();
    await first;
    await tick();
    release();
    await second;
    expect(inFlight()).toBe(1);
    // c1 is not committed twice: the second commit starts after the first one removed it.
    expect(commits).toEqual([['c1'], ['c2']]);
  });

  it('closes only after the commit in flight returned, and starts no commit after close', async () => {
    // The executor is terminated once its tasks closed; a file commit still running then started a rename in a
    // terminating thread, which aborts Node 20 (CI, 2026-12-03). A commit queued behind it must not start either.
    const { sink, commits, release } = blockingSink();
    const events: string[] = [];
    const committer = sink.createCommitter!;
    sink.createCommitter = () => {
      const c = committer();
      return { commit: c.commit.bind(c), close: () => void events.push('committer closed') };
    };
    const op = new SinkOperator(testContext({ name: 'sink' }).ctx, sink);
    await op.open();
    await op.prepareSnapshotPreBarrier(1);
    await op.prepareSnapshotPreBarrier(2);
    const first = op.notifyCheckpointComplete(1);
    await tick();
    const closed = op.close().then(() => void events.push('operator closed'));
    const second = op.notifyCheckpointComplete(2);
    await tick();
    await tick();
    expect(events).toEqual([]);
    release();
    await first;
    events.push('commit 1 returned');
    await closed;
    await second;
    expect(events).toEqual(['commit 1 returned', 'committer closed', 'operator closed']);
    expect(commits).toEqual([['c1']]);
  });
});
