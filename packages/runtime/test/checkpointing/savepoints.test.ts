// Savepoints, rescaling and state migration, end to end on worker threads (as in Flink): a savepoint taken from a
// running job restores into a new run at another parallelism and on another state backend, and the restored run's
// output together with what the first run committed equals an uninterrupted run's output exactly; stop-with-
// savepoint with and without drain; unclaimed state (allowNonRestoredState); restores that cannot read an
// operator's state fail naming the operator uid and the state; the savepoint metadata describes itself; checkpoint
// history and metrics. The reference output is computed from the job's definition and checked against an
// uninterrupted run. Row counts and rates are small so that the suite stays well under a minute and a half.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  FsCheckpointStorage,
  decodeMetadata,
  encodeMetadata,
  readKeyedState,
  readOperatorState,
  type CheckpointMetadata,
  type OperatorSnapshotMeta,
} from '@runnel/checkpoint';
import { submitJob, type JobClient, type JobExecutionResult } from '../../src/index.js';
import {
  expectedTotals,
  expectedWindowLines,
  range,
  sequenceSource,
  type SavepointJobArgs,
  type Totals,
} from '../fixtures/savepoint-jobs.js';

const jobs = new URL('../fixtures/savepoint-jobs.ts', import.meta.url).pathname;
const ROWS = 12_000;
const KEYS = 8;
const WINDOW_MS = 50;
/** Rows per second of a first run: about 6 s of input (the first run is canceled or stopped after a savepoint, so this costs no time; it leaves slack on a loaded machine), so a savepoint lands in the middle. */
const RATE = 2_000;

const TIMEOUT = 120_000;
const ALL_TOTALS = expectedTotals(range(0, ROWS), KEYS);
const ALL_WINDOWS = expectedWindowLines(range(0, ROWS), KEYS, WINDOW_MS);

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'runnel-savepoints-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

let dirs = 0;
function freshDir(name: string): string {
  return join(root, `${name}-${++dirs}`);
}

function args(out: string, parallelism: number, more: Partial<SavepointJobArgs> = {}): SavepointJobArgs {
  return { rows: ROWS, keys: KEYS, rowsPerSecond: RATE, parallelism, out, windowMs: WINDOW_MS, ...more };
}

/** The committed output of the FileSink: every line of every visible file, sorted. */
function committedLines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const lines: string[] = [];
  for (const f of readdirSync(dir)) {
    if (f.startsWith('.') || f.startsWith('_')) continue; // in-progress and pending files are not output
    for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) if (l) lines.push(l);
  }
  return lines.sort();
}

function totalsOf(r: JobExecutionResult): Totals[] {
  return ((r.collected.get('collect') ?? []) as Totals[]).slice().sort((a, b) => a.key - b.key);
}

async function until(what: string, cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Rows emitted by the source so far, from the live metrics (reported every 50 ms). */
function sourceRowsOut(client: JobClient): number {
  return client
    .metrics()
    .filter((m) => m.name === 'numRecordsOut' && Object.values(m.variables).some((v) => v === 'sequence'))
    .reduce((s, m) => s + (typeof m.value === 'number' ? m.value : 0), 0);
}

/** Rows the savepoint's source readers had read: for every split, [start, next). */
async function rowsReadBefore(path: string, rows = ROWS): Promise<number[]> {
  const sp = await FsCheckpointStorage.openSavepoint(path);
  const op = sp.metadata.operators.find((o) => o.uid === 'sequence')!;
  const ser = sequenceSource({ rows, rowsPerSecond: 0 }).splitSerializer;
  const pending = new Map<number, { next: number; end: number }>();
  for (const subtask of await readOperatorState(sp.storage, sp.ref, op, 1)) {
    for (const st of subtask) {
      if (st.name !== '__source-splits') continue;
      for (const e of st.elements) {
        const [id, version, bytes] = e as [string, number, Uint8Array];
        const split = ser.deserialize(bytes, version);
        expect(id).toBe(ser.id);
        pending.set(split.index, { next: split.next, end: split.end! });
      }
    }
  }
  // Splits were contiguous chunks of the sequence; a split missing from the state was read completely.
  const p = op.parallelism;
  const seqs: number[] = [];
  for (let i = 0; i < p; i++) {
    const start = Math.floor((rows * i) / p);
    const end = Math.floor((rows * (i + 1)) / p);
    const s = pending.get(i);
    for (let q = start; q < (s ? s.next : end); q++) seqs.push(q);
  }
  return seqs;
}

interface FirstRun {
  savepoint: string;
  out: string;
  client: JobClient;
}

/** Runs the job until it has made progress, takes a savepoint and cancels the job. */
async function savepointAndCancel(parallelism: number, backend: string, more: Partial<SavepointJobArgs> = {}): Promise<FirstRun> {
  const out = freshDir('out');
  const savepoint = freshDir('savepoint');
  const client = await submitJob(jobs, {
    exportName: 'savepointJob',
    args: args(out, parallelism, more),
    options: {
      // No periodic checkpoints: one completing between the savepoint and the cancel would commit output that the
      // restored run produces again (as in Flink, restoring an older savepoint is not exactly-once for sinks).
      'state.checkpoints.dir': freshDir('checkpoints'),
      'state.backend.type': backend,
      'metrics.reporter.interval': '50 ms',
    },
  });
  await until('source progress', () => sourceRowsOut(client) >= 1_500);
  const first = await client.triggerCheckpoint();
  expect(first.status).toBe('completed');
  const path = await client.triggerSavepoint(savepoint);
  expect(path).toBe(savepoint);
  await client.cancel();
  await expect(client.getJobExecutionResult()).rejects.toThrow(/canceled/);
  expect(client.getStatus()).toBe('canceled');
  return { savepoint: path, out, client };
}

/** Restores `savepoint` into a new run writing to `out` and runs it to the end. */
async function restore(savepoint: string, out: string, parallelism: number, backend: string, more: Partial<SavepointJobArgs> = {}, options: Record<string, unknown> = {}): Promise<{ result: JobExecutionResult; client: JobClient }> {
  const client = await submitJob(jobs, {
    exportName: 'savepointJob',
    args: args(out, parallelism, { rowsPerSecond: 0, ...more }),
    options: {
      'state.checkpoints.dir': freshDir('checkpoints'),
      'state.backend.type': backend,
      'execution.savepoint.path': savepoint,
      ...options,
    },
  });
  const result = await client.getJobExecutionResult();
  return { result, client };
}

describe('savepoints: reference', () => {
  it('an uninterrupted run produces the computed reference output (totals per key and all window results)', async () => {
    const out = freshDir('out');
    const client = await submitJob(jobs, { exportName: 'savepointJob', args: args(out, 2, { rowsPerSecond: 0 }), options: { 'state.checkpoints.dir': freshDir('checkpoints') } });
    const r = await client.getJobExecutionResult();
    expect(totalsOf(r)).toEqual(ALL_TOTALS);
    expect(committedLines(out)).toEqual(ALL_WINDOWS);
    expect(ALL_WINDOWS.length).toBeGreaterThan(ROWS / WINDOW_MS);
    expect(client.restoredCheckpointId()).toBeUndefined();
  }, TIMEOUT);
});

describe('savepoint, cancel, restore at another parallelism and on another state backend', () => {
  const cases: { from: number; to: number; fromBackend: string; toBackend: string }[] = [
    { from: 1, to: 2, fromBackend: 'heap', toBackend: 'heap' },
    { from: 2, to: 4, fromBackend: 'heap', toBackend: 'level' },
    { from: 4, to: 1, fromBackend: 'level', toBackend: 'heap' },
  ];
  for (const c of cases) {
    it(`p=${c.from} ${c.fromBackend} -> p=${c.to} ${c.toBackend}: restored output plus committed output equals the reference`, async () => {
      const first = await savepointAndCancel(c.from, c.fromBackend);
      await expectExactlyOnceAfterRestore(first, c.to, c.toBackend);
    }, TIMEOUT);
  }

  for (const [fromBackend, toBackend] of [
    ['heap', 'level'],
    ['level', 'heap'],
  ] as const) {
    it(`${fromBackend} -> ${toBackend} with a state that names a VersionedSerializer restores exactly`, async () => {
      const first = await savepointAndCancel(1, fromBackend, { sumSerializerId: 'test.sum', sumSerializerVersion: 2 });
      await expectExactlyOnceAfterRestore(first, 1, toBackend, { sumSerializerId: 'test.sum', sumSerializerVersion: 2 });
    }, TIMEOUT);
  }
});

async function expectExactlyOnceAfterRestore(first: FirstRun, parallelism: number, backend: string, more: Partial<SavepointJobArgs> = {}): Promise<void> {
  const before = await rowsReadBefore(first.savepoint);
  // The savepoint is taken in the middle of the input.
  expect(before.length).toBeGreaterThan(0);
  expect(before.length).toBeLessThan(ROWS);
  // The first run was canceled: it never reached end of input, so it emitted no final totals.
  expect(first.client.collected()).toEqual([]);

  const meta = (await FsCheckpointStorage.openSavepoint(first.savepoint)).metadata;
  const { result, client } = await restore(first.savepoint, first.out, parallelism, backend, more);
  expect(client.restoredCheckpointId()).toBe(meta.checkpointId);
  expect(result.events.filter((e) => e.type === 'restored').map((e) => e.checkpointId)).toEqual([meta.checkpointId]);
  expect(result.events.find((e) => e.type === 'restored')!.message).toContain(first.savepoint);
  expect(result.restarts).toBe(0);
  // Keyed state (totals of every key, remapped by key group) and the source splits were restored exactly.
  expect(totalsOf(result)).toEqual(ALL_TOTALS);
  // The first run's committed windows plus the restored run's: every window exactly once.
  const lines = committedLines(first.out);
  expect({ lines: lines.length, distinct: new Set(lines).size }).toEqual({ lines: ALL_WINDOWS.length, distinct: ALL_WINDOWS.length });
  expect(lines).toEqual(ALL_WINDOWS);
  // Checkpoint ids continue after the savepoint's.
  expect(result.checkpoints.length).toBeGreaterThan(0);
  for (const cp of result.checkpoints) expect(cp.id).toBeGreaterThan(meta.checkpointId);
}

/** The checkpointing gauges of the job, from one metrics snapshot. */
function checkpointGauges(client: JobClient): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of client.metrics()) {
    if (m.scope.includes('checkpointing') && typeof m.value === 'number') out[m.name] = m.value;
  }
  return out;
}

describe('stop-with-savepoint', () => {
  it('without drain: the job stops with its windows and timers in the savepoint; resuming completes the output exactly once', async () => {
    const out = freshDir('out');
    const client = await submitJob(jobs, {
      exportName: 'savepointJob',
      args: args(out, 2),
      options: {
        'execution.checkpointing.interval': '100 ms',
        'state.checkpoints.dir': freshDir('checkpoints'),
        // Frequent periodic watermarks: anything the sources emit between the savepoint barrier and the stop
        // (windows firing after the barrier) would show up as duplicate window results below.
        'pipeline.auto-watermark-interval': '5 ms',
        'metrics.reporter.interval': '50 ms',
      },
    });
    await until('a completed checkpoint', () => client.checkpointHistory().some((c) => c.status === 'completed'));
    const target = freshDir('savepoint');
    const path = await client.stopWithSavepoint(target);
    expect(path).toBe(target);
    expect(client.getStatus()).toBe('finished');
    const r1 = await client.getJobExecutionResult();
    // No final watermark: the timers at end of input did not fire.
    expect(totalsOf(r1)).toEqual([]);
    const sp = r1.checkpoints.find((c) => c.kind === 'savepoint')!;
    expect(sp).toMatchObject({ status: 'completed', path: target });
    expect(sp.sizeBytes).toBeGreaterThan(0);
    const meta = (await FsCheckpointStorage.openSavepoint(path)).metadata;
    expect(meta).toMatchObject({ kind: 'savepoint', checkpointId: sp.id });
    const before = await rowsReadBefore(path);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(ROWS);
    // What the stopped run committed is a subset of the reference (windows complete before the stop).
    const firstLines = committedLines(out);
    for (const l of firstLines) expect(ALL_WINDOWS).toContain(l);

    const { result } = await restore(path, out, 2, 'heap');
    expect(totalsOf(result)).toEqual(ALL_TOTALS);
    const lines = committedLines(out);
    expect({ lines: lines.length, distinct: new Set(lines).size }).toEqual({ lines: ALL_WINDOWS.length, distinct: ALL_WINDOWS.length });
    expect(lines).toEqual(ALL_WINDOWS);
  }, TIMEOUT);

  it('with drain: the final watermark fires every window and timer before the job stops; history and metrics are plausible', async () => {
    const out = freshDir('out');
    const client = await submitJob(jobs, {
      exportName: 'savepointJob',
      args: args(out, 2),
      options: { 'execution.checkpointing.interval': '100 ms', 'state.checkpoints.dir': freshDir('checkpoints'), 'metrics.reporter.interval': '50 ms' },
    });
    await until('two completed checkpoints', () => client.checkpointHistory().filter((c) => c.status === 'completed').length >= 2);

    // History and metrics, read in the same tick so that they describe the same moment.
    const history = client.checkpointHistory();
    const gauges = checkpointGauges(client);
    const completed = history.filter((c) => c.status === 'completed');
    const last = completed[completed.length - 1]!;
    for (const c of completed) {
      expect(c.kind).toBe('checkpoint');
      expect(c.sizeBytes).toBeGreaterThan(0);
      expect(c.durationMs).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(c.durationMs)).toBe(true);
      expect(c.path).toMatch(/chk-\d+$/);
    }
    expect(completed.map((c) => c.id)).toEqual([...completed.map((c) => c.id)].sort((a, b) => a - b));
    expect(gauges).toMatchObject({
      lastCompletedCheckpointId: last.id,
      lastCheckpointDuration: last.durationMs,
      lastCheckpointSize: last.sizeBytes,
      numberOfCompletedCheckpoints: completed.length,
      numberOfFailedCheckpoints: history.filter((c) => c.status === 'failed').length,
    });
    expect(gauges['numberOfFailedCheckpoints']).toBe(0);

    const path = await client.stopWithSavepoint(freshDir('savepoint'), { drain: true });
    expect(client.getStatus()).toBe('finished');
    const r = await client.getJobExecutionResult();
    const sp = r.checkpoints.find((c) => c.kind === 'savepoint')!;
    expect(sp).toMatchObject({ status: 'completed', path });
    expect(sp.sizeBytes).toBeGreaterThan(0);
    expect(sp.durationMs).toBeGreaterThanOrEqual(0);
    expect(sp.id).toBeGreaterThan(last.id);
    expect((await FsCheckpointStorage.openSavepoint(path)).metadata).toMatchObject({ kind: 'savepoint', checkpointId: sp.id });
    // Exactly the rows read before the savepoint (its split positions) were processed, and all their results emitted.
    const before = await rowsReadBefore(path);
    expect(before.length).toBeGreaterThan(0);
    expect(before.length).toBeLessThan(ROWS);
    expect(totalsOf(r)).toEqual(expectedTotals(before, KEYS));
    expect(committedLines(out)).toEqual(expectedWindowLines(before, KEYS, WINDOW_MS));
  }, TIMEOUT);
});

describe('restoring a savepoint into a changed job', () => {
  let shared: FirstRun;
  beforeAll(async () => {
    shared = await savepointAndCancel(2, 'heap', { sumSerializerId: 'test.sum', sumSerializerVersion: 2 });
  }, TIMEOUT);

  /** A copy of the shared first run's output directory (the restored FileSink commits the savepoint's pending files there). */
  function copyOfOutput(): string {
    const out = freshDir('out');
    cpSync(shared.out, out, { recursive: true });
    return out;
  }

  it('the savepoint _metadata lists per operator uid its states (name, kind, serializer id and version), key-group ranges and source splits', async () => {
    const sp = await FsCheckpointStorage.openSavepoint(shared.savepoint);
    const meta = sp.metadata;
    expect(meta).toMatchObject({ format: 'runnel-checkpoint', version: 1, kind: 'savepoint', jobName: 'runnel-job' });
    const op = (uid: string): OperatorSnapshotMeta => {
      const o = meta.operators.find((x) => x.uid === uid);
      expect(o, `operator ${uid} in ${meta.operators.map((x) => x.uid).join(', ')}`).toBeDefined();
      return o!;
    };
    const totals = op('totals');
    expect(totals).toMatchObject({ parallelism: 2, maxParallelism: 128 });
    const byName = new Map(totals.keyedStates.map((s) => [s.name, s]));
    expect([...byName.keys()].sort()).toEqual(['buckets', 'count', 'sum']);
    expect(byName.get('count')).toMatchObject({ kind: 'value', valueSerializer: { id: 'runnel.generic', version: 1 } });
    expect(byName.get('sum')).toMatchObject({ kind: 'value', valueSerializer: { id: 'test.sum', version: 2 } });
    expect(byName.get('buckets')).toMatchObject({ kind: 'map', valueSerializer: { id: 'runnel.generic', version: 1 }, mapKeySerializer: { id: 'runnel.generic', version: 1 } });
    // Key groups in contiguous ranges, one per old subtask, covering all 128.
    expect(totals.keyGroupHandles.map((h) => [h.start, h.end])).toEqual([
      [0, 63],
      [64, 127],
    ]);
    const totalsState = await readKeyedState(sp.storage, sp.ref, totals, { start: 0, end: 127 });
    const keys = new Set(totalsState.flatMap((g) => g.entries.filter((e) => e.state === 'count').map((e) => e.key)));
    expect([...keys].sort()).toEqual(range(0, KEYS));
    // The end-of-input timers are in the savepoint.
    expect(totalsState.flatMap((g) => g.entries).filter((e) => e.state === '__timers').length).toBe(KEYS);

    const windows = op('windows');
    expect(windows.keyedStates.length).toBeGreaterThan(0);
    for (const s of windows.keyedStates) {
      expect(typeof s.name).toBe('string');
      expect(s.valueSerializer.id.length).toBeGreaterThan(0);
      expect(s.valueSerializer.version).toBeGreaterThanOrEqual(1);
    }
    // Windows and their timers were in flight at savepoint time.
    const windowEntries = (await readKeyedState(sp.storage, sp.ref, windows, { start: 0, end: 127 })).flatMap((g) => g.entries);
    expect(windowEntries.some((e) => e.state === '__timers')).toBe(true);
    expect(windowEntries.some((e) => e.state !== '__timers')).toBe(true);

    const source = op('sequence');
    expect(source.keyedStates).toEqual([]);
    expect(source.operatorStates).toEqual([expect.objectContaining({ name: '__source-splits', mode: 'split' })]);
    expect(source.operatorStateHandles.map((h) => h.subtask)).toEqual([0, 1]);
    expect(source.coordinatorState?.serializer).toEqual({ id: 'runnel.datagen.enumerator-state', version: 1 });
    // Each split element names its serializer (checked inside rowsReadBefore) and its position.
    const ser = sequenceSource({ rows: ROWS, rowsPerSecond: 0 }).splitSerializer;
    const splits = (await readOperatorState(sp.storage, sp.ref, source, 2)).flat().flatMap((s) => s.elements) as [string, number, Uint8Array][];
    expect(splits.map(([id, version]) => [id, version])).toEqual([
      [ser.id, ser.version],
      [ser.id, ser.version],
    ]);
    expect(splits.map(([, v, b]) => ser.deserialize(b, v).splitId).sort()).toEqual(['datagen-0', 'datagen-1']);

    const files = op('files');
    expect(files.operatorStates.map((s) => s.name).length).toBeGreaterThan(0);
  });

  it('a savepoint with state of an operator the job no longer has fails to restore, naming the uid and the option', async () => {
    const err = await submitJob(jobs, {
      exportName: 'savepointJob',
      args: args(copyOfOutput(), 2, { totalsUid: 'totals-v2', sumSerializerId: 'test.sum', sumSerializerVersion: 2 }),
      options: { 'state.checkpoints.dir': freshDir('checkpoints'), 'execution.savepoint.path': shared.savepoint },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toContain('uid totals)');
    expect(err!.message).toContain('execution.savepoint.ignore-unclaimed-state');
    expect(err!.message).not.toContain('uid windows');
  });

  it('with execution.savepoint.ignore-unclaimed-state the job starts and the remaining operators keep their state', async () => {
    const out = copyOfOutput();
    const before = await rowsReadBefore(shared.savepoint);
    const { result, client } = await restore(shared.savepoint, out, 2, 'heap', { totalsUid: 'totals-v2', sumSerializerId: 'test.sum', sumSerializerVersion: 2 }, {
      'execution.savepoint.ignore-unclaimed-state': true,
    });
    expect(client.restoredCheckpointId()).toBeDefined();
    // The renamed operator starts empty: its totals cover exactly the rows read after the savepoint.
    const beforeSet = new Set(before);
    expect(totalsOf(result)).toEqual(expectedTotals(range(0, ROWS).filter((s) => !beforeSet.has(s)), KEYS));
    // The windows kept their state and the sources their positions: the window output is exact.
    expect(committedLines(out)).toEqual(ALL_WINDOWS);
  }, TIMEOUT);

  it('an operator with the same uid that is no longer keyed fails the restore, naming the uid and its states', async () => {
    const err = await submitJob(jobs, {
      exportName: 'savepointJob',
      args: args(copyOfOutput(), 2, { totalsKeyed: false }),
      options: { 'state.checkpoints.dir': freshDir('checkpoints'), 'execution.savepoint.path': shared.savepoint },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/uid totals\)/);
    expect(err?.message).toMatch(/no longer keyed/);
    for (const state of ['count', 'sum', 'buckets']) expect(err?.message).toContain(state);
  });

  it('a changed pipeline.max-parallelism fails the restore, naming the uid and both values', async () => {
    const err = await submitJob(jobs, {
      exportName: 'savepointJob',
      args: args(copyOfOutput(), 2, { sumSerializerId: 'test.sum', sumSerializerVersion: 2 }),
      options: { 'state.checkpoints.dir': freshDir('checkpoints'), 'execution.savepoint.path': shared.savepoint, 'pipeline.max-parallelism': 64 },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/uid (totals|windows)\)/);
    expect(err?.message).toMatch(/maxParallelism changed from 128 to 64/);
  });

  it('a damaged state file fails the restore before the job starts, naming the file of the operator', async () => {
    const copy = freshDir('savepoint-copy');
    cpSync(shared.savepoint, copy, { recursive: true });
    const meta = (await FsCheckpointStorage.openSavepoint(copy)).metadata;
    const totals = meta.operators.find((o) => o.uid === 'totals')!;
    const windows = meta.operators.find((o) => o.uid === 'windows')!;
    // Replace the keyed state file of `totals` (subtask 0) by the (valid) one of `windows`.
    writeFileSync(join(copy, totals.keyGroupHandles[0]!.handle.ref), readFileSync(join(copy, windows.keyGroupHandles[0]!.handle.ref)));
    const err = await submitJob(jobs, {
      exportName: 'savepointJob',
      args: args(copyOfOutput(), 2, { sumSerializerId: 'test.sum', sumSerializerVersion: 2 }),
      options: { 'state.checkpoints.dir': freshDir('checkpoints'), 'execution.savepoint.path': copy },
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toContain(totals.keyGroupHandles[0]!.handle.ref);
    expect(err?.message).toMatch(/checksum|size/);
  });

  it('a state file of another operator with matching metadata (checksums pass) fails the restore, naming the uid and the state', async () => {
    const copy = freshDir('savepoint-copy');
    cpSync(shared.savepoint, copy, { recursive: true });
    const metaBytes = readFileSync(join(copy, '_metadata'));
    const meta: CheckpointMetadata = decodeMetadata(metaBytes);
    const totals = meta.operators.find((o) => o.uid === 'totals')!;
    const windows = meta.operators.find((o) => o.uid === 'windows')!;
    // `totals` now points at the keyed files of `windows` (a consistent, verifiable savepoint whose `totals` state
    // cannot be what its descriptors say).
    totals.keyGroupHandles = windows.keyGroupHandles.map((h) => ({ ...h }));
    writeFileSync(join(copy, '_metadata'), encodeMetadata(meta));
    const { result, err } = await submitJob(jobs, {
      exportName: 'savepointJob',
      args: args(copyOfOutput(), 2, { rowsPerSecond: 0, sumSerializerId: 'test.sum', sumSerializerVersion: 2 }),
      options: { 'state.checkpoints.dir': freshDir('checkpoints'), 'execution.savepoint.path': copy, 'restart-strategy.type': 'none' },
    })
      .then((c) => c.getJobExecutionResult())
      .then(
        (r) => ({ result: r, err: undefined }),
        (e: unknown) => ({ result: undefined, err: e as Error }),
      );
    expect(result && totalsOf(result), 'the restore must not succeed with foreign state').toBeUndefined();
    expect(err?.message).toMatch(/uid totals\)|\(totals|'totals'/);
  }, TIMEOUT);
});
