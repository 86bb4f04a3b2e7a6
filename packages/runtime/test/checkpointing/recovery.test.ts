import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob, submitJob } from '../../src/index.js';
import { countsOf, expectedCounts } from '../fixtures/helpers.js';

/**
 * The completed checkpoints in `dir` (with `_metadata`). An aborted checkpoint's directory may reappear briefly: a
 * task of the failed attempt can still be writing into it after the abort deleted it (it is removed by the next
 * retention pass, or the next run's), so retention is checked on completed checkpoints only.
 */
function completedCheckpoints(dir: string): string[] {
  return readdirSync(dir).filter((d) => d.startsWith('chk-') && existsSync(join(dir, d, '_metadata')));
}

const jobs = new URL('../fixtures/checkpoint-jobs.ts', import.meta.url).pathname;

// Restart after the one injected failure, quickly.
const RESTART_ONCE = {
  'restart-strategy.type': 'fixed-delay',
  'restart-strategy.fixed-delay.attempts': 3,
  'restart-strategy.fixed-delay.delay': '50 ms',
} as const;

describe('recovery from checkpoints', () => {
  for (const backend of ['heap', 'level']) it(`restarts a failed job from its latest checkpoint with exactly-once state (${backend} backend, worker threads, p=2)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cp-'));
    try {
      const rows = 60_000;
      const keys = 97;
      const r = await runJob(jobs, {
        exportName: 'countPerKey',
        args: { rows, keys, rowsPerSecond: 40_000, failAt: 40_000, parallelism: 2 },
        options: {
          'execution.checkpointing.interval': '200 ms',
          'state.checkpoints.dir': dir,
          ...RESTART_ONCE,
          'state.backend.type': backend,
        },
      });
      expect(r.restarts).toBe(1);
      expect(r.checkpoints.filter((c) => c.status === 'completed').length).toBeGreaterThan(0);
      const got = countsOf(r.collected.get('collect'));
      expect(got.size).toBe(keys);
      expect(got).toEqual(expectedCounts(rows, keys));
      expect(completedCheckpoints(dir).length).toBeLessThanOrEqual(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('incremental checkpoints: restarts from a chain of deltas with exactly-once state and timers (heap, p=2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cp-'));
    try {
      const rows = 60_000;
      const keys = 97;
      const r = await runJob(jobs, {
        exportName: 'countPerKey',
        args: { rows, keys, rowsPerSecond: 30_000, failAt: 45_000, parallelism: 2 },
        options: {
          'execution.checkpointing.interval': '150 ms',
          'execution.checkpointing.incremental': true,
          'execution.checkpointing.incremental.max-chain-length': 100,
          'state.checkpoints.dir': dir,
          'state.checkpoints.num-retained': 1,
          ...RESTART_ONCE,
        },
      });
      expect(r.restarts).toBe(1);
      const completed = r.checkpoints.filter((c) => c.status === 'completed');
      // Deltas were taken (smaller than what they reference). The first checkpoint, and the first after the restart
      // (tasks track changes only since they started), are full; the restart restored the one before that: a delta.
      const deltas = completed.filter((c) => c.incremental);
      expect(deltas.length).toBeGreaterThan(2);
      for (const d of deltas) expect(d.sizeBytes!).toBeLessThan(d.fullSizeBytes!);
      const fulls = completed.filter((c) => !c.incremental).map((c) => c.id);
      expect(fulls.length).toBeGreaterThanOrEqual(2);
      const restoredFrom = completed.filter((c) => c.id < fulls[1]!).at(-1)!;
      expect(restoredFrom.incremental).toBe(true);
      const got = countsOf(r.collected.get('collect'));
      expect(got.size).toBe(keys);
      expect(got).toEqual(expectedCounts(rows, keys));
      // One retained checkpoint; the shared directory holds only the files its chain references.
      expect(completedCheckpoints(dir)).toHaveLength(1);
      const meta = readFileSync(join(dir, readdirSync(dir).find((d) => d.startsWith('chk-'))!, '_metadata'), 'utf8');
      const shared = readdirSync(join(dir, 'shared'));
      for (const f of shared) expect(meta).toContain(`shared/${f}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('incremental checkpoints: window timers, not checkpointed in deltas, come back from the window state (heap, p=2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cp-'));
    try {
      const rows = 60_000;
      const runLength = 100;
      const r = await runJob(jobs, {
        exportName: 'windowsPerRun',
        args: { rows, keys: 0, runLength, rowsPerSecond: 30_000, failAt: 45_000, parallelism: 2 },
        options: {
          'execution.checkpointing.interval': '150 ms',
          'execution.checkpointing.incremental': true,
          'execution.checkpointing.incremental.max-chain-length': 100,
          'state.checkpoints.dir': dir,
          ...RESTART_ONCE,
        },
      });
      expect(r.restarts).toBe(1);
      // The restart restored a delta, holding windows created after its base that no later record touches.
      const completed = r.checkpoints.filter((c) => c.status === 'completed');
      const fulls = completed.filter((c) => !c.incremental).map((c) => c.id);
      expect(completed.filter((c) => c.id < fulls[1]!).at(-1)!.incremental).toBe(true);
      const got = (r.collected.get('collect') ?? []) as { key: number; start: number; count: number; sum: number }[];
      const expected: typeof got = [];
      for (let key = 0; key < rows / runLength; key++) {
        const first = key * runLength;
        const sum = runLength * first + (runLength * (runLength - 1)) / 2;
        for (const start of [-2_000_000, 0]) expected.push({ key, start, count: runLength, sum });
      }
      const order = (a: { key: number; start: number }, b: { key: number; start: number }) => a.key - b.key || a.start - b.start;
      expect([...got].sort(order)).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a job restored from a savepoint that fails before its first checkpoint restarts from the savepoint again', async () => {
    const root = mkdtempSync(join(tmpdir(), 'runnel-sp-restart-'));
    try {
      const rows = 20_000;
      const keys = 31;
      const first = await submitJob(jobs, {
        exportName: 'countPerKey',
        args: { rows, keys, rowsPerSecond: 5_000, parallelism: 2 },
        options: { 'execution.checkpointing.interval': '100 ms', 'state.checkpoints.dir': join(root, 'chk-a') },
      });
      while (!first.checkpointHistory().some((c) => c.status === 'completed')) await new Promise((r) => setTimeout(r, 50));
      const savepoint = await first.triggerSavepoint(join(root, 'savepoint'));
      await first.cancel();
      const savepointId = first.checkpointHistory().find((c) => c.path === savepoint)!.id;
      // The second run restores the savepoint and fails (attempt 0) before any checkpoint of its own completes.
      const r = await runJob(jobs, {
        exportName: 'countPerKey',
        args: { rows, keys, rowsPerSecond: 20_000, failAt: rows - 10, parallelism: 2 },
        options: {
          'execution.savepoint.path': savepoint,
          'execution.checkpointing.interval': '1 h',
          'state.checkpoints.dir': join(root, 'chk-b'),
          'restart-strategy.type': 'fixed-delay',
          'restart-strategy.fixed-delay.attempts': 1,
          'restart-strategy.fixed-delay.delay': '10 ms',
        },
      });
      expect(r.restarts).toBe(1);
      expect(r.events.filter((e) => e.type === 'restored').map((e) => e.checkpointId)).toEqual([savepointId, savepointId]);
      expect(countsOf(r.collected.get('collect'))).toEqual(expectedCounts(rows, keys));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
