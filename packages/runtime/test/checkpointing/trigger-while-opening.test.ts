// A checkpoint triggered while a source task is still opening (a restored run restoring state, a sink connecting:
// anything slower than the checkpoint interval) waits until the task runs. It used to be declined as if the task
// were finishing: the coordinator then believed a source had ended, aborted the checkpoint with "a task finished
// before the checkpoint completed" and never triggered another one — a continuous job silently stopped
// checkpointing (about 1 in 40 restarts of a SQL filesystem source with 150 ms checkpoints under kill tests).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataGenSource, type DataGenRow } from '@runnel/connector-datagen';
import { StreamExecutionEnvironment } from '../../src/index.js';

const ROWS = 6_000;

describe('a checkpoint triggered while a source task is opening', () => {
  it('is taken once the task runs, and checkpointing goes on (p=2, one source subtask opens slowly)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runnel-open-'));
    try {
      const env = StreamExecutionEnvironment.create({ parallelism: 2 }).configure({
        'state.checkpoints.dir': join(root, 'cp'),
        'execution.checkpointing.interval': '50 ms',
      });
      const source = new DataGenSource({ fields: { seq: { type: 'bigint', kind: 'sequence', start: 0, end: ROWS - 1 } }, rowsPerSecond: 3_000 });
      env
        .fromSource(source, undefined, 'sequence')
        .uid('sequence')
        // Chained to the source: subtask 1's source task stays "opening" over several checkpoint intervals.
        .map({
          async open(ctx: { indexOfThisSubtask: number }): Promise<void> {
            if (ctx.indexOfThisSubtask === 1) await new Promise((r) => setTimeout(r, 500));
          },
          map: (r: DataGenRow) => r.seq as number,
        })
        .uid('slow-open')
        .collect();
      const result = await env.execute();
      const seqs = (result.collected.get('collect') ?? []) as number[];
      expect(seqs.length).toBe(ROWS);
      expect(new Set(seqs).size).toBe(ROWS);
      // The first checkpoint was triggered while subtask 1 was opening (500 ms against a 50 ms interval): it waits
      // for the task and completes. Checkpoints triggered as the sequence ends may be declined by a finishing task.
      const history = [...result.checkpoints].sort((a, b) => a.id - b.id);
      expect({ id: history[0]!.id, status: history[0]!.status, failure: history[0]!.failure }).toEqual({ id: history[0]!.id, status: 'completed', failure: undefined });
      // Besides the final checkpoint, periodic ones completed while the job ran (about 2 s at 3 000 rows/s).
      const completed = history.filter((c) => c.status === 'completed');
      expect(completed.length).toBeGreaterThanOrEqual(3);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
