// Incremental checkpoints end to end: a job on worker threads writes chains of deltas into `shared/`; restoring
// from the newest chain gives exactly-once results; a damaged delta is reported and the previous checkpoint (whose
// chain does not contain it) is used; a damaged shared base fails every checkpoint built on it, each named; and a
// retained incremental checkpoint restores at another parallelism on the LevelDB backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsCheckpointStorage, verifyCheckpoint, type CheckpointMetadata } from '@runnel/checkpoint';
import { submitJob } from '../../src/index.js';
import type { CountArgs } from '../fixtures/checkpoint-jobs.js';
import { countsOf, expectedCounts } from '../fixtures/helpers.js';

const jobs = new URL('../fixtures/checkpoint-jobs.ts', import.meta.url).pathname;
const ROWS = 40_000;
const KEYS = 500;

function flipMiddle(path: string): void {
  const b = readFileSync(path);
  b[b.length >> 1]! ^= 0x10;
  writeFileSync(path, b);
}

describe('incremental checkpoints end to end', () => {
  let root: string;
  let template: string;
  let ids: number[];
  let meta: Map<number, CheckpointMetadata>;
  const args = (rowsPerSecond: number, parallelism = 2): CountArgs => ({ rows: ROWS, keys: KEYS, rowsPerSecond, parallelism });
  const copy = (name: string): string => {
    const dir = join(root, name);
    cpSync(template, dir, { recursive: true });
    return dir;
  };
  const keyedChain = (id: number, subtask: number): string[] => {
    const op = meta.get(id)!.operators.find((o) => o.uid === 'count')!;
    const ranges = [...new Set(op.keyGroupHandles.map((h) => h.start))].sort((a, b) => a - b);
    return op.keyGroupHandles.filter((h) => h.start === ranges[subtask]).map((h) => h.handle.ref);
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'runnel-incremental-'));
    template = join(root, 'template');
    const client = await submitJob(jobs, {
      exportName: 'countPerKey',
      args: args(10_000),
      options: {
        'execution.checkpointing.interval': '200 ms',
        'execution.checkpointing.incremental': true,
        'state.checkpoints.dir': template,
        'state.checkpoints.num-retained': 3,
      },
    });
    const deadline = Date.now() + 20_000;
    while (client.checkpointHistory().filter((c) => c.status === 'completed').length < 5) {
      if (client.getStatus() !== 'running' || Date.now() > deadline) throw new Error(`template job: ${client.getStatus()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.cancel();
    const storage = new FsCheckpointStorage({ directory: template, retained: 3, fsync: false });
    await storage.cleanupIncomplete();
    await storage.collectSharedGarbage();
    const refs = await storage.listCompleted();
    ids = refs.map((r) => r.checkpointId);
    meta = new Map();
    for (const ref of refs) meta.set(ref.checkpointId, (await verifyCheckpoint(storage, ref)).metadata);
  }, 40_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('the template holds three chains that share their base and differ in their newest delta', () => {
    expect(ids).toHaveLength(3);
    const [newest, prev, oldest] = ids as [number, number, number];
    for (const s of [0, 1]) {
      const n = keyedChain(newest, s);
      const p = keyedChain(prev, s);
      expect(n.length).toBeGreaterThanOrEqual(3);
      expect(n.every((f) => f.startsWith('shared/'))).toBe(true);
      expect(n.slice(0, -1)).toEqual(p); // the newest builds on the previous one
      expect(keyedChain(oldest, s)[0]).toBe(n[0]); // one base for all three
    }
  });

  it('restoring the newest chain runs to the end with exactly-once results', async () => {
    const dir = copy('plain');
    const client = await submitJob(jobs, {
      exportName: 'countPerKey',
      args: args(0),
      options: { 'state.checkpoints.dir': dir, 'execution.restore-from-latest-checkpoint': true, 'execution.checkpointing.incremental': true },
    });
    expect(client.restoredCheckpointId()).toBe(ids[0]);
    const result = await client.getJobExecutionResult();
    expect(countsOf(result.collected.get('collect'))).toEqual(expectedCounts(ROWS, KEYS));
  }, 30_000);

  it('a damaged newest delta is reported and the previous checkpoint is restored, exactly once', async () => {
    const dir = copy('delta');
    const delta = keyedChain(ids[0]!, 1).at(-1)!;
    flipMiddle(join(dir, delta));
    const client = await submitJob(jobs, {
      exportName: 'countPerKey',
      args: args(0),
      options: { 'state.checkpoints.dir': dir, 'execution.restore-from-latest-checkpoint': true },
    });
    expect(client.restoredCheckpointId()).toBe(ids[1]);
    const result = await client.getJobExecutionResult();
    const corrupted = result.events.filter((e) => e.type === 'checkpoint-corrupted');
    expect(corrupted.map((e) => e.checkpointId)).toEqual([ids[0]]);
    expect(JSON.stringify(corrupted[0])).toContain(delta);
    expect(countsOf(result.collected.get('collect'))).toEqual(expectedCounts(ROWS, KEYS));
  }, 30_000);

  it('a damaged shared base fails every checkpoint built on it, naming each', async () => {
    const dir = copy('base');
    const base = keyedChain(ids[0]!, 0)[0]!;
    flipMiddle(join(dir, base));
    const err = await submitJob(jobs, {
      exportName: 'countPerKey',
      args: args(0),
      options: { 'state.checkpoints.dir': dir, 'execution.restore-from-latest-checkpoint': true },
    }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/no intact checkpoint/);
    for (const id of ids) expect(err!.message).toContain(`chk-${id}`);
    expect(err!.message).toContain(base);
  }, 30_000);

  it('a retained incremental checkpoint restores at parallelism 1 on the LevelDB backend', async () => {
    const dir = copy('level');
    const client = await submitJob(jobs, {
      exportName: 'countPerKey',
      args: args(0, 1),
      options: { 'execution.savepoint.path': join(dir, `chk-${ids[0]}`), 'state.backend.type': 'level' },
    });
    const result = await client.getJobExecutionResult();
    expect(countsOf(result.collected.get('collect'))).toEqual(expectedCounts(ROWS, KEYS));
  }, 30_000);
});
