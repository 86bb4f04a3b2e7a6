// End-to-end corruption suite (DESIGN §4): a real job on worker threads writes checkpoints into a directory that
// is kept as a pristine template; each case copies it, damages the newest checkpoint in one way (bit flips,
// truncation, appended bytes, deleted / swapped / replaced files, foreign metadata, ...) and starts the same job
// with `execution.restore-from-latest-checkpoint`. Every case must be *reported* — a `checkpoint-corrupted` job
// event naming the checkpoint and the damaged file, a `[runnel]` log line and the `numberOfCorruptedCheckpoints`
// metric — and the previous checkpoint must be the one restored; with no intact checkpoint left the job must fail
// at start with a message naming every checkpoint and its problem. One case runs to the end to show that the state
// restored from the older checkpoint is complete and exactly-once.
//
// Cost: one job start per case (~1 CPU-second: mostly the worker thread loading the job module). The template
// job runs once; restored jobs are canceled as soon as `submitJob` resolves, because the restore decision is taken
// before any task is deployed. Restored runs use one slot (one worker thread hosting both subtasks), and the table
// cases run two at a time (one per core). About 40 s on 2 loaded cores.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  constants as fsConstants,
  openSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsCheckpointStorage, verifyCheckpoint, type CheckpointMetadata } from '@runnel/checkpoint';
import { submitJob, type JobClient } from '../../src/index.js';
import type { CountArgs } from '../fixtures/checkpoint-jobs.js';
import { countsOf, expectedCounts } from '../fixtures/helpers.js';

const jobs = new URL('../fixtures/checkpoint-jobs.ts', import.meta.url).pathname;
const ROWS = 40_000;
const KEYS = 500;
const RETAINED = 3;

/** What a case needs to know about the template's checkpoints. */
interface Layout {
  /** Completed checkpoint ids, newest first. */
  readonly ids: number[];
  readonly metadata: Map<number, CheckpointMetadata>;
  /** State file names of the newest checkpoint, by role. */
  readonly keyed: [string, string];
  readonly operator: [string, string];
  readonly coordinator: string;
}

interface Case {
  readonly name: string;
  /** Damages `<root>/chk-<newest>`; `prev` is the previous checkpoint's directory. */
  readonly damage: (newest: string, prev: string, l: Layout) => void;
  /** The file the report must name; undefined when the checkpoint just ceases to exist (no report expected). */
  readonly file: ((l: Layout) => string) | undefined;
  /** The problem the report must state. */
  readonly problem?: RegExp;
}

function flipBit(path: string, where: 'start' | 'middle' | 'end' | number): void {
  const b = readFileSync(path);
  const i = where === 'start' ? 0 : where === 'middle' ? b.length >> 1 : where === 'end' ? b.length - 1 : where;
  b[i]! ^= 0x10;
  writeFileSync(path, b);
}

function truncateTo(path: string, size: (n: number) => number): void {
  truncateSync(path, size(statSync(path).size));
}

function swap(a: string, b: string): void {
  renameSync(a, `${a}.swap`);
  renameSync(b, a);
  renameSync(`${a}.swap`, b);
}

const META = '_metadata';
const keyed0 = (l: Layout): string => l.keyed[0];
const keyed1 = (l: Layout): string => l.keyed[1];
const op0 = (l: Layout): string => l.operator[0];
const coordinator = (l: Layout): string => l.coordinator;
const metadata = (): string => META;
const CHECKSUM = /checksum mismatch \(recorded crc32:[0-9a-f]{8}, computed crc32:[0-9a-f]{8}\)/;
const TRUNCATED = /truncated \(size \d+ of \d+ bytes\)/;

const cases: Case[] = [
  // Keyed state (the keyed process operator's key-group file of subtask 0).
  { name: 'keyed state: bit flip in the first byte (magic)', damage: (d, _p, l) => flipBit(join(d, l.keyed[0]), 'start'), file: keyed0, problem: CHECKSUM },
  { name: 'keyed state: bit flip in the middle', damage: (d, _p, l) => flipBit(join(d, l.keyed[0]), 'middle'), file: keyed0, problem: CHECKSUM },
  { name: 'keyed state: bit flip in the last byte (footer check)', damage: (d, _p, l) => flipBit(join(d, l.keyed[0]), 'end'), file: keyed0, problem: CHECKSUM },
  {
    name: 'keyed state: a 64-byte block zeroed',
    damage: (d, _p, l) => {
      const p = join(d, l.keyed[1]);
      const b = readFileSync(p);
      b.fill(0, b.length >> 2, (b.length >> 2) + 64);
      writeFileSync(p, b);
    },
    file: keyed1,
    problem: CHECKSUM,
  },
  { name: 'keyed state: truncated to 0 bytes', damage: (d, _p, l) => truncateTo(join(d, l.keyed[0]), () => 0), file: keyed0, problem: TRUNCATED },
  { name: 'keyed state: truncated to half', damage: (d, _p, l) => truncateTo(join(d, l.keyed[0]), (n) => n >> 1), file: keyed0, problem: TRUNCATED },
  { name: 'keyed state: last byte cut off', damage: (d, _p, l) => truncateTo(join(d, l.keyed[1]), (n) => n - 1), file: keyed1, problem: TRUNCATED },
  { name: 'keyed state: bytes appended', damage: (d, _p, l) => appendFileSync(join(d, l.keyed[0]), Buffer.from('trailing garbage')), file: keyed0, problem: /too long/ },
  { name: 'keyed state: file deleted', damage: (d, _p, l) => rmSync(join(d, l.keyed[0])), file: keyed0, problem: /missing/ },
  {
    name: 'keyed state: replaced by a directory',
    damage: (d, _p, l) => {
      rmSync(join(d, l.keyed[0]));
      mkdirSync(join(d, l.keyed[0]));
    },
    file: keyed0,
    problem: /not a regular file \(a directory\)/,
  },
  {
    name: 'keyed state: replaced by a symlink to the previous checkpoint’s file',
    damage: (d, p, l) => {
      rmSync(join(d, l.keyed[0]));
      symlinkSync(join(p, l.keyed[0]), join(d, l.keyed[0]));
    },
    file: keyed0,
    problem: /symbolic link/,
  },
  {
    name: 'keyed state: replaced by the previous checkpoint’s (intact, older) file',
    damage: (d, p, l) => cpSync(join(p, l.keyed[0]), join(d, l.keyed[0])),
    file: keyed0,
    problem: /checksum mismatch|truncated|too long/,
  },
  { name: 'keyed state: the two subtasks’ files swapped', damage: (d, _p, l) => swap(join(d, l.keyed[0]), join(d, l.keyed[1])), file: keyed0, problem: /checksum mismatch|truncated|too long/ },
  // Operator state (the source readers' split state) and coordinator state (the split enumerator).
  { name: 'operator state: bit flip in the middle', damage: (d, _p, l) => flipBit(join(d, l.operator[0]), 'middle'), file: op0, problem: CHECKSUM },
  { name: 'operator state: truncated to half', damage: (d, _p, l) => truncateTo(join(d, l.operator[0]), (n) => n >> 1), file: op0, problem: TRUNCATED },
  { name: 'operator state: the two subtasks’ files swapped', damage: (d, _p, l) => swap(join(d, l.operator[0]), join(d, l.operator[1])), file: op0, problem: /checksum mismatch|truncated|too long/ },
  { name: 'split enumerator state: bit flip', damage: (d, _p, l) => flipBit(join(d, l.coordinator), 'end'), file: coordinator, problem: CHECKSUM },
  { name: 'split enumerator state: file deleted', damage: (d, _p, l) => rmSync(join(d, l.coordinator)), file: coordinator, problem: /missing/ },
  // Metadata.
  { name: '_metadata: bit flip in the first byte (header)', damage: (d) => flipBit(join(d, META), 'start'), file: metadata, problem: /not a Runnel checkpoint metadata file/ },
  { name: '_metadata: bit flip in the middle (JSON)', damage: (d) => flipBit(join(d, META), 'middle'), file: metadata, problem: /checksum|invalid/ },
  { name: '_metadata: bit flip in the last byte', damage: (d) => flipBit(join(d, META), 'end'), file: metadata, problem: /checksum|invalid/ },
  { name: '_metadata: truncated to 0 bytes', damage: (d) => truncateTo(join(d, META), () => 0), file: metadata, problem: /empty/ },
  { name: '_metadata: truncated to half', damage: (d) => truncateTo(join(d, META), (n) => n >> 1), file: metadata, problem: /truncated/ },
  { name: '_metadata: bytes appended', damage: (d) => appendFileSync(join(d, META), Buffer.from('{"x":1}')), file: metadata, problem: /bytes after the declared \d+ JSON bytes/ },
  {
    name: '_metadata: replaced by random garbage of the same length',
    damage: (d) => {
      const n = statSync(join(d, META)).size;
      let s = 12345;
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
      writeFileSync(join(d, META), b);
    },
    file: metadata,
    problem: /not a Runnel checkpoint metadata file/,
  },
  {
    name: '_metadata: header claims an unknown format version',
    damage: (d) => writeFileSync(join(d, META), readFileSync(join(d, META), 'latin1').replace(/^RUNNEL-CHECKPOINT-METADATA 1 /, 'RUNNEL-CHECKPOINT-METADATA 7 '), 'latin1'),
    file: metadata,
    problem: /version/,
  },
  { name: '_metadata: replaced by the previous checkpoint’s metadata', damage: (d, p) => cpSync(join(p, META), join(d, META)), file: metadata, problem: /copied from another checkpoint/ },
  {
    name: '_metadata: replaced by a symlink to the previous checkpoint’s metadata',
    damage: (d, p) => {
      rmSync(join(d, META));
      symlinkSync(join(p, META), join(d, META));
    },
    file: metadata,
    problem: /symbolic link/,
  },
  {
    name: '_metadata: replaced by a directory',
    damage: (d) => {
      rmSync(join(d, META));
      mkdirSync(join(d, META));
    },
    file: metadata,
    problem: /not a regular file/,
  },
  // A checkpoint without _metadata never completed: the previous one is used and there is nothing to report.
  { name: '_metadata: deleted (the checkpoint does not exist)', damage: (d) => rmSync(join(d, META)), file: undefined },
];

/**
 * At most `n` restored jobs at a time: each start is CPU-bound (a worker thread loads the job module), so more
 * concurrent starts than cores only thrash.
 */
function limiter(n: number): <T>(f: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (f) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await f();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const limited = limiter(2);

function gauge(client: JobClient, name: string): number {
  const m = client.metrics().find((s) => s.name === name);
  if (m === undefined) throw new Error(`metric ${name} not found`);
  return m.value as number;
}

describe('corrupted checkpoints are detected, reported and skipped on restore', () => {
  let root: string;
  let template: string;
  let layout: Layout;
  let logLines: string[] = [];

  const restoreOptions = (dir: string): Record<string, unknown> => ({
    'state.checkpoints.dir': dir,
    'state.checkpoints.num-retained': RETAINED,
    'execution.restore-from-latest-checkpoint': true,
    'taskmanager.numberOfTaskSlots': 1,
  });
  const args = (rowsPerSecond: number): CountArgs => ({ rows: ROWS, keys: KEYS, rowsPerSecond, parallelism: 2 });
  const copy = (name: string): string => {
    const dir = join(root, name);
    cpSync(template, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'runnel-corrupt-'));
    template = join(root, 'template');
    // The job that writes the template: 2 worker threads, a checkpoint every 200 ms, rate-limited so that it is
    // still running (and its state still changing) when the checkpoints are taken.
    const client = await submitJob(jobs, {
      exportName: 'countPerKey',
      args: args(10_000),
      options: { 'execution.checkpointing.interval': '200 ms', 'state.checkpoints.dir': template, 'state.checkpoints.num-retained': RETAINED },
    });
    const deadline = Date.now() + 20_000;
    while (client.checkpointHistory().filter((c) => c.status === 'completed').length < RETAINED + 1) {
      if (client.getStatus() !== 'running' || Date.now() > deadline) throw new Error(`template job: ${client.getStatus()}, ${JSON.stringify(client.checkpointHistory())}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    await client.cancel();
    // A checkpoint in flight at cancel time is left without _metadata; drop it so the template is exactly the set
    // of completed checkpoints.
    const storage = new FsCheckpointStorage({ directory: template, retained: RETAINED, fsync: false });
    await storage.cleanupIncomplete();
    const refs = await storage.listCompleted();
    const ids = refs.map((r) => r.checkpointId);
    const meta = new Map<number, CheckpointMetadata>();
    for (const ref of refs) {
      // Verify every template checkpoint: a case must start from intact checkpoints only.
      meta.set(ref.checkpointId, (await verifyCheckpoint(storage, ref)).metadata);
    }
    const newest = meta.get(ids[0]!)!;
    const count = newest.operators.find((o) => o.uid === 'count')!;
    const seq = newest.operators.find((o) => o.uid === 'sequence')!;
    layout = {
      ids,
      metadata: meta,
      keyed: count.keyGroupHandles.map((h) => h.handle.ref) as [string, string],
      operator: seq.operatorStateHandles.map((h) => h.handle.ref) as [string, string],
      coordinator: seq.coordinatorState!.handle.ref,
    };
    logLines = [];
    // The coordinator logs to stderr; keep a copy of its lines (and still let them through).
    const write = process.stderr.write.bind(process.stderr) as (...a: unknown[]) => boolean;
    vi.spyOn(process.stderr, 'write').mockImplementation((...a: unknown[]) => {
      for (const l of String(a[0]).split('\n')) if (l.startsWith('[runnel]')) logLines.push(l);
      return write(...a);
    });
  }, 40_000);

  afterAll(() => {
    vi.restoreAllMocks();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the template holds the retained number of intact checkpoints with distinct, non-trivial state', () => {
    expect(layout.ids.length).toBe(RETAINED);
    expect(layout.keyed).toHaveLength(2);
    expect(layout.operator).toHaveLength(2);
    const [newest, prev] = layout.ids.map((id) => layout.metadata.get(id)!);
    const keyedOf = (m: CheckpointMetadata): { size: number; checksum: string }[] => m.operators.find((o) => o.uid === 'count')!.keyGroupHandles.map((h) => h.handle);
    // The previous checkpoint's keyed state differs from the newest one's (the job was running between them), so
    // "which checkpoint was restored" is observable and an older file is a real corruption of the newest one.
    expect(keyedOf(newest!).map((h) => h.checksum)).not.toEqual(keyedOf(prev!).map((h) => h.checksum));
    for (const h of keyedOf(newest!)) expect(h.size).toBeGreaterThan(4096);
  });

  it('control: an untouched copy (plus a stray unreferenced file) restores the newest checkpoint and reports nothing', async () => {
    const dir = copy('control');
    writeFileSync(join(dir, `chk-${layout.ids[0]}`, 'stray-file'), 'not referenced by _metadata');
    const client = await submitJob(jobs, { exportName: 'countPerKey', args: args(10_000), options: restoreOptions(dir) });
    try {
      expect(client.restoredCheckpointId()).toBe(layout.ids[0]);
      expect(client.events().filter((e) => e.type === 'checkpoint-corrupted')).toEqual([]);
      expect(gauge(client, 'numberOfCorruptedCheckpoints')).toBe(0);
    } finally {
      await client.cancel();
    }
  }, 20_000);

  it.concurrent.for(cases)('$name', { timeout: 60_000 }, (c, { expect }) => limited(async () => {
    const [newestId, prevId] = layout.ids as [number, number];
    const dir = copy(`case-${cases.indexOf(c)}`);
    c.damage(join(dir, `chk-${newestId}`), join(dir, `chk-${prevId}`), layout);
    const client = await submitJob(jobs, { exportName: 'countPerKey', args: args(10_000), options: restoreOptions(dir) });
    try {
      // Never a silent restore of bad state: the previous checkpoint is used...
      expect(client.restoredCheckpointId()).toBe(prevId);
      const corrupted = client.events().filter((e) => e.type === 'checkpoint-corrupted');
      const restored = client.events().filter((e) => e.type === 'restored');
      expect(restored).toHaveLength(1);
      expect(restored[0]!.checkpointId).toBe(prevId);
      if (c.file === undefined) {
        expect(corrupted).toEqual([]);
        expect(gauge(client, 'numberOfCorruptedCheckpoints')).toBe(0);
        return;
      }
      // ... and the skipped one is reported as an event naming checkpoint, file and problem ...
      expect(corrupted).toHaveLength(1);
      const ev = corrupted[0]!;
      expect(ev.checkpointId).toBe(newestId);
      expect(ev.message).toContain(`checkpoint chk-${newestId}`);
      expect(ev.message).toContain(`file "${c.file(layout)}"`);
      expect(ev.message).toMatch(c.problem!);
      expect(client.events().indexOf(ev)).toBeLessThan(client.events().indexOf(restored[0]!));
      // ... as a log line ...
      expect(logLines).toContain(`[runnel] ${ev.message}`);
      // ... and as a metric.
      expect(gauge(client, 'numberOfCorruptedCheckpoints')).toBe(1);
    } finally {
      await client.cancel();
      const ended = await client.getJobExecutionResult().then(() => 'finished', (e: Error) => e.message);
      expect(ended).toMatch(/: canceled$/);
      expect(client.getStatus()).toBe('canceled');
    }
  }));

  it('two damaged checkpoints: both are reported and the third newest is used', async () => {
    const [a, b, c] = layout.ids as [number, number, number];
    const dir = copy('two');
    flipBit(join(dir, `chk-${a}`, layout.keyed[1]), 'middle');
    truncateTo(join(dir, `chk-${b}`, META), (n) => n - 10);
    const client = await submitJob(jobs, { exportName: 'countPerKey', args: args(10_000), options: restoreOptions(dir) });
    try {
      expect(client.restoredCheckpointId()).toBe(c);
      const corrupted = client.events().filter((e) => e.type === 'checkpoint-corrupted');
      expect(corrupted.map((e) => e.checkpointId)).toEqual([a, b]);
      expect(gauge(client, 'numberOfCorruptedCheckpoints')).toBe(2);
    } finally {
      await client.cancel();
    }
  }, 20_000);

  it('a job restored past a damaged checkpoint runs to the end with exactly-once results', async () => {
    const [newestId, prevId] = layout.ids as [number, number];
    const dir = copy('finish');
    flipBit(join(dir, `chk-${newestId}`, layout.keyed[0]), 'middle');
    // Unthrottled from here: only the remaining rows are produced, and the result must count every row once.
    const client = await submitJob(jobs, { exportName: 'countPerKey', args: args(0), options: restoreOptions(dir) });
    expect(client.restoredCheckpointId()).toBe(prevId);
    const result = await client.getJobExecutionResult();
    expect(result.events.filter((e) => e.type === 'checkpoint-corrupted').map((e) => e.checkpointId)).toEqual([newestId]);
    expect(countsOf(result.collected.get('collect'))).toEqual(expectedCounts(ROWS, KEYS));
  }, 30_000);

  it('a checkpoint damaged while the job runs is detected on the restart after a failure', async () => {
    const dir = join(root, 'restart');
    const rows = 12_000;
    // No periodic checkpoints: the test takes two itself, damages the second, and the job then fails on its last
    // row (attempt 0 only) and restarts from the newest intact checkpoint.
    const client = await submitJob(jobs, {
      exportName: 'countPerKey',
      args: { rows, keys: KEYS, rowsPerSecond: 4_000, failAt: rows - 1, parallelism: 2 } satisfies CountArgs,
      options: {
        'execution.checkpointing.interval': '1 h',
        'state.checkpoints.dir': dir,
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.attempts': 1,
        'restart-strategy.fixed-delay.delay': '50 ms',
        'taskmanager.numberOfTaskSlots': 1,
      },
    });
    // Right at start-up, while readers are still being assigned their splits: a split must end up either in the
    // enumerator's snapshot or in a reader's, never in both (it would be read twice after the restore).
    const first = await client.triggerCheckpoint();
    await new Promise((r) => setTimeout(r, 100));
    const second = await client.triggerCheckpoint();
    truncateTo(join(dir, `chk-${second.id}`, layout.keyed[1]), (n) => n >> 1);
    // Precondition (else the test proves nothing): the damage happened before the failure.
    expect(client.getStatus(), 'the job failed before the checkpoint was damaged; make it longer').toBe('running');
    expect(client.events()).toEqual([]);
    const result = await client.getJobExecutionResult();
    expect(result.restarts).toBe(1);
    const corrupted = result.events.filter((e) => e.type === 'checkpoint-corrupted');
    expect(corrupted.map((e) => e.checkpointId)).toEqual([second.id]);
    expect(corrupted[0]!.message).toContain(`file "${layout.keyed[1]}": truncated`);
    expect(result.events.filter((e) => e.type === 'restored').map((e) => e.checkpointId)).toEqual([first.id]);
    expect(result.metrics.find((m) => m.name === 'numberOfCorruptedCheckpoints')?.value).toBe(1);
    expect(countsOf(result.collected.get('collect'))).toEqual(expectedCounts(rows, KEYS));
  }, 30_000);

  // A FIFO must be rejected as a special file, not waited on (a blocking open would wait for a writer forever).
  it('a FIFO in place of a state file is reported, not waited on', async () => {
    const [newestId, prevId] = layout.ids as [number, number];
    const dir = copy('fifo');
    const fifo = join(dir, `chk-${newestId}`, layout.keyed[0]);
    rmSync(fifo);
    execFileSync('mkfifo', [fifo]);
    const started = submitJob(jobs, { exportName: 'countPerKey', args: args(10_000), options: restoreOptions(dir) });
    const decided = await Promise.race([started.then(() => true, () => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    // Unblock the pending open (a writer appears and leaves at once) so that no thread-pool thread stays stuck;
    // ENXIO means no reader has opened it yet.
    let settled = decided;
    void started.finally(() => (settled = true)).catch(() => {});
    while (!settled) {
      try {
        closeSync(openSync(fifo, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const client = await started;
    try {
      expect(decided, 'the restore blocked on the FIFO').toBe(true);
      expect(client.restoredCheckpointId()).toBe(prevId);
      expect(client.events().find((e) => e.type === 'checkpoint-corrupted')?.message).toMatch(/not a regular file \(special file\)/);
    } finally {
      await client.cancel();
    }
  }, 30_000);

  it('every retained checkpoint damaged: the job fails at start, naming every checkpoint and its problem', async () => {
    const [a, b, c] = layout.ids as [number, number, number];
    const dir = copy('all');
    flipBit(join(dir, `chk-${a}`, layout.keyed[0]), 'middle');
    rmSync(join(dir, `chk-${b}`, layout.coordinator));
    flipBit(join(dir, `chk-${c}`, META), 'start');
    logLines.length = 0;
    const started = submitJob(jobs, { exportName: 'countPerKey', args: args(10_000), options: restoreOptions(dir) });
    await expect(started).rejects.toThrow(/no intact checkpoint/);
    const message = ((await started.catch((e: unknown) => e)) as Error).message;
    expect(message).toContain(dir);
    expect(message).toMatch(new RegExp(`chk-${a}: file "${layout.keyed[0]}": checksum mismatch`));
    expect(message).toMatch(new RegExp(`chk-${b}: file "${layout.coordinator}": missing`));
    expect(message).toMatch(new RegExp(`chk-${c}: file "_metadata": not a Runnel checkpoint metadata file`));
    // Each one was also logged as it was skipped.
    for (const id of [a, b, c]) expect(logLines.some((l) => l.includes(`checkpoint ${id} failed verification`))).toBe(true);
  }, 20_000);
});
