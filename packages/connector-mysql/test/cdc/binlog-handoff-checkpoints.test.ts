// The enumerator hands out the binlog split only once a checkpoint taken after the snapshot's checkpoint completed
// has completed too, driven by hand (no server). Why: the snapshot rows travel through every sink subtask and the
// binlog changes through one; a two-phase-commit sink commits a checkpoint after it completed, on each subtask on
// its own. The sink operator takes a checkpoint only after its commits of completed ones returned, so the
// completion of the second checkpoint means every subtask's snapshot rows are in the target. With the binlog handed
// out at the first completion, the SIGKILL test (seed 1432270984) saw one subtask's commit of a chunk's rows land
// after the other subtask had committed later binlog changes of the same keys: stale and resurrected rows.
import { describe, expect, it } from 'vitest';
import type { SplitEnumeratorContext } from '@runnel/api';
import { MySqlCdcEnumerator, type MySqlCdcEnumeratorState } from '../../src/cdc/mysql-cdc-enumerator.js';
import type { MySqlCdcSettings } from '../../src/cdc/mysql-cdc-options.js';
import type { MySqlCdcSplit } from '../../src/cdc/mysql-cdc-split.js';

/** Every chunk of one table finished; the binlog not handed out yet (as restored, or as after the last report). */
const finishedSnapshot = (snapshotCheckpointed: boolean): MySqlCdcEnumeratorState => ({
  discovered: true,
  tables: [],
  remaining: [],
  assigned: [],
  finished: {
    'shop.orders#0': { table: 'shop.orders', segments: [{ lo: null, hi: '100', high: { file: 'binlog.000001', pos: 900 } }] },
    'shop.orders#1': { table: 'shop.orders', segments: [{ lo: '100', hi: null, high: { file: 'binlog.000001', pos: 700 } }] },
  },
  binlogAssigned: false,
  snapshotCheckpointed,
});

function enumerator(state: MySqlCdcEnumeratorState): { e: MySqlCdcEnumerator; assigned: { split: MySqlCdcSplit; subtask: number }[] } {
  const assigned: { split: MySqlCdcSplit; subtask: number }[] = [];
  const context: SplitEnumeratorContext<MySqlCdcSplit> = {
    currentParallelism: 2,
    registeredReaders: () => [0, 1],
    assignSplits: (m) => {
      for (const [subtask, splits] of m) for (const split of splits) assigned.push({ split, subtask });
    },
    assignSplit: (split, subtask) => assigned.push({ split, subtask }),
    signalNoMoreSplits: () => undefined,
    sendEventToSourceReader: () => undefined,
    callAsync: () => {
      throw new Error('no discovery expected');
    },
  };
  const settings = { newlyAddedTables: false, startup: { mode: 'initial' } } as unknown as MySqlCdcSettings;
  const e = new MySqlCdcEnumerator(context, settings, state);
  void e.start();
  return { e, assigned };
}

describe('mysql-cdc enumerator: the binlog after the snapshot', () => {
  it('goes out when a checkpoint taken after the snapshot checkpoint completed has completed', () => {
    const { e, assigned } = enumerator(finishedSnapshot(false));
    e.handleSplitRequest(1);
    expect(assigned).toEqual([]);
    expect(e.snapshotState(5).snapshotCheckpointed).toBe(true);
    e.notifyCheckpointComplete(5);
    // Checkpoint 5 holds every chunk, but its commits may still be running on some sink subtasks.
    expect(assigned).toEqual([]);
    e.snapshotState(6);
    e.notifyCheckpointComplete(6);
    expect(assigned).toHaveLength(1);
    expect(assigned[0]!.subtask).toBe(1);
    expect(assigned[0]!.split).toMatchObject({ kind: 'binlog', position: { file: 'binlog.000001', pos: 700 }, skipRows: 0 });
  });

  it('does not count a checkpoint taken before the snapshot checkpoint completed', () => {
    const { e, assigned } = enumerator(finishedSnapshot(false));
    e.handleSplitRequest(0);
    e.snapshotState(5);
    e.snapshotState(6); // concurrent: triggered before 5 completed
    e.notifyCheckpointComplete(5);
    e.notifyCheckpointComplete(6);
    expect(assigned).toEqual([]);
    e.snapshotState(7);
    e.notifyCheckpointComplete(7);
    expect(assigned.map((a) => a.split.kind)).toEqual(['binlog']);
  });

  it('goes out at once after a restore from a checkpoint that holds the finished snapshot', () => {
    // The restored checkpoint's committables are committed while the sinks open, before any later change.
    const { e, assigned } = enumerator(finishedSnapshot(true));
    e.handleSplitRequest(0);
    expect(assigned.map((a) => a.split.kind)).toEqual(['binlog']);
  });
});
