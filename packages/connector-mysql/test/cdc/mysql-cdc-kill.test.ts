// The mysql-cdc source's exactly-once proof under SIGKILL, end to end: a SQL job child (mysql-cdc-kill-job.ts: three
// mysql-cdc tables -> the jdbc upsert sink into another database, parallelism 2, checkpoints every 300 ms, restore
// from the latest checkpoint) is killed with SIGKILL 5 times — twice while it snapshots (soon after a checkpoint that
// holds part of a chunk), three times at random moments while it follows the binlog — and restarted each time, while
// a writer inserts, updates and deletes on the source tables. After the writer stops, a final run catches up: the
// target tables must equal the source tables exactly. The source's chunk log proves that no chunk is re-read from its start: for every restore
// from checkpoint R, each chunk whose progress R recorded is next read from exactly that key (resumed), and
// finished chunks are not read again. At least 4 runs restore from a checkpoint. RUNNEL_KILL_SEED reproduces.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { createSourceTables, oracle, rng, startWriter } from './cdc-fixtures.js';

const JOB = fileURLToPath(new URL('./mysql-cdc-kill-job.ts', import.meta.url));
const FULL = process.env['RUNNEL_TEST_FULL'] === '1';
const ROWS = FULL ? 200_000 : 40_000;
const KILLS = FULL ? 8 : 5;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Run {
  readonly child: ChildProcess;
  readonly started: Promise<number | null>;
  readonly checkpointed: Promise<void>;
  readonly checkpoints: number[];
  readonly ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

interface LogEntry {
  readonly type: 'read' | 'progress' | 'finished';
  readonly pid: number;
  readonly splitId: string;
  readonly from?: string | null;
  readonly resumed?: boolean;
  readonly checkpointId?: number;
  readonly hi?: string | null;
}

// It ran opt-in for a while: some runs ended with the target behind the source (a block of recent inserts missing,
// recent deletes not applied). That was lag, not loss: the writer's range updates touched 13 000 rows on average
// (80 000 changelog records a statement), the final run could not follow that binlog to the end within its
// deadline, and the test read the lag as lost changes. The writer's ranges are bounded now (cdc-fixtures.ts) and a
// target still moving at the deadline is reported as such.
describe('mysql-cdc -> jdbc upsert sink under SIGKILL', () => {
  let db: MariaDb;
  let root: string;
  const children = new Set<ChildProcess>();
  beforeAll(async () => {
    db = await startMariaDb({ bufferPool: '256M' });
    root = mkdtempSync(join(tmpdir(), 'runnel-mysql-cdc-kill-'));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await db?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(`${KILLS} kills during the snapshot and the binlog phase: target equals source, chunks resume`, { timeout: FULL ? 900_000 : 420_000 }, async () => {
    const seed = Number(process.env['RUNNEL_KILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`mysql-cdc kill test: seed ${seed} (reproduce with RUNNEL_KILL_SEED=${seed})`);
    const random = rng(seed);
    await createSourceTables(db, 'src', ROWS);
    await db.query('CREATE DATABASE tgt; CREATE TABLE tgt.orders LIKE src.orders; CREATE TABLE tgt.items LIKE src.items; CREATE TABLE tgt.tags LIKE src.tags;');
    const checkpoints = join(root, 'checkpoints');
    const chunkLog = join(root, 'chunks.jsonl');

    const startJob = (): Run => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@runnel/source', JOB, String(db.port), 'src', 'tgt', checkpoints], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, RUNNEL_MYSQL_CDC_CHUNK_LOG: chunkLog, RUNNEL_KILL_JOB_DEBUG: '1' },
      });
      children.add(child);
      let resolveStarted!: (id: number | null) => void;
      const started = new Promise<number | null>((r) => (resolveStarted = r));
      let resolveCheckpointed!: () => void;
      const checkpointed = new Promise<void>((r) => (resolveCheckpointed = r));
      const cps: number[] = [];
      let rest = '';
      let stderr = '';
      child.stdout!.on('data', (d: Buffer) => {
        rest += d.toString('utf8');
        const lines = rest.split('\n');
        rest = lines.pop()!;
        for (const l of lines) {
          const m = /^\{"restored":(null|\d+)\}$/.exec(l);
          if (m) resolveStarted(m[1] === 'null' ? null : Number(m[1]));
          const c = /^\{"checkpoint":(\d+)\}$/.exec(l);
          if (c) {
            cps.push(Number(c[1]));
            resolveCheckpointed();
          }
        }
      });
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
        child.on('exit', (code, signal) => {
          resolveStarted(null);
          resolveCheckpointed();
          resolve({ code, signal, stderr });
        }),
      );
      return { child, started, checkpointed, checkpoints: cps, ended };
    };
    const failed = async (run: Run, what: string): Promise<never> => {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      const r = await run.ended;
      throw new Error(`seed ${seed}: the job ended on its own ${what} (${r.code ?? r.signal}):\n${r.stderr.slice(-4000)}`);
    };
    /** Whether the newest completed checkpoint of a run holds part of a chunk (a 'progress' line in the chunk log). */
    const chunkHeldAtNewestCheckpoint = (pid: number, checkpoints: readonly number[]): boolean => {
      if (checkpoints.length === 0 || !existsSync(chunkLog)) return false;
      const newest = Math.max(...checkpoints);
      return readFileSync(chunkLog, 'utf8')
        .split('\n')
        .some((l) => {
          if (!l.includes('"progress"')) return false;
          try {
            const e = JSON.parse(l) as LogEntry;
            return e.pid === pid && e.checkpointId === newest;
          } catch {
            return false; // a line being written
          }
        });
    };
    const targetRows = async (): Promise<number> => {
      const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM tgt.orders');
      return Number(rows[0]!.n);
    };

    const writer = startWriter(db, 'src', seed, ROWS, 5);
    const runs: { pid: number; restoredFrom: number | null; checkpoints: number[]; phase: string; afterMs: number }[] = [];
    // Fresh starts after a first run whose snapshot ended before any completed checkpoint held part of a chunk.
    let freshStarts = 0;
    try {
      for (let kill = 1; kill <= KILLS; kill++) {
        const run = startJob();
        let snapshotMissed = false;
        const restored = await Promise.race([run.started, sleep(120_000).then(() => failed(run, `: not started in 120 s before kill ${kill}`))]);
        const startedAt = Date.now();
        const inSnapshot = kill <= 2;
        let wait: Promise<void>;
        if (inSnapshot) {
          // During the snapshot: soon after the newest completed checkpoint of this run recorded part of a chunk, so
          // that the restore has a chunk to resume after its recorded key (what the chunk log check below verifies;
          // a kill at a random moment often found none: chunks are emitted fast, and a checkpoint taken before a
          // chunk's first row records nothing; a cap of 400 ms still missed in 2 runs of about 12, so there is no cap
          // but 20 s, after which the snapshot of this run is over and the kill lands in the binlog phase).
          wait = (async () => {
            await run.checkpointed;
            const pid = run.child.pid!;
            const latest = Date.now() + 20_000;
            let lookedAt = 0;
            while (!chunkHeldAtNewestCheckpoint(pid, run.checkpoints) && Date.now() < latest) {
              // The first run's snapshot can be over before any of its completed checkpoints held part of a chunk
              // (2 of 29 runs on 2026-12-03): then no later run can be killed during the snapshot, so the test
              // starts over from an empty target (below) instead of failing its "kills during the snapshot" check.
              if (kill === 1 && Date.now() - lookedAt > 250) {
                lookedAt = Date.now();
                if ((await targetRows()) >= ROWS * 0.95) {
                  snapshotMissed = !chunkHeldAtNewestCheckpoint(pid, run.checkpoints);
                  if (snapshotMissed) return;
                }
              }
              await sleep(10);
            }
            await sleep(Math.floor(random() * 30));
          })();
        } else {
          // The binlog phase: the snapshot is in the target (the writer keeps going), then a random moment.
          wait = (async () => {
            await run.checkpointed;
            while ((await targetRows()) < ROWS * 0.95) {
              await sleep(100);
              if (Date.now() - startedAt > 60_000) return failed(run, `: kill ${kill}: the snapshot did not reach the target in 60 s (${await targetRows()} rows), checkpoints ${JSON.stringify(run.checkpoints)}`);
            }
            await sleep(200 + Math.floor(random() * 2_000));
          })();
        }
        let waited = false;
        await Promise.race([wait.finally(() => (waited = true)), run.ended.then(() => (waited ? undefined : failed(run, `before kill ${kill}`)))]);
        if (snapshotMissed && freshStarts < 3) {
          freshStarts++;
          run.child.kill('SIGKILL');
          await run.ended;
          await db.query('TRUNCATE tgt.orders; TRUNCATE tgt.items; TRUNCATE tgt.tags; DROP TABLE IF EXISTS tgt.runnel_sink_fence;');
          rmSync(checkpoints, { recursive: true, force: true });
          rmSync(chunkLog, { force: true });
          console.log(`seed ${seed}: the first run's snapshot ended before a checkpoint held part of a chunk; fresh start ${freshStarts}`);
          kill--;
          continue;
        }
        const phase = (await targetRows()) < ROWS * 0.95 ? 'snapshot' : 'binlog';
        run.child.kill('SIGKILL');
        const r = await run.ended;
        expect(r.signal, `seed ${seed}: kill ${kill}: ${r.stderr.slice(-2000)}`).toBe('SIGKILL');
        runs.push({ pid: run.child.pid!, restoredFrom: restored, checkpoints: [...run.checkpoints], phase, afterMs: Date.now() - startedAt });
        console.log(`seed ${seed}: kill ${kill} (${phase}) after ${Date.now() - startedAt} ms, restored from ${restored}, ${run.checkpoints.length} checkpoints, target orders ${await targetRows()}`);
      }
      const stats = await writer.stop();
      // The final run catches up until the target equals the source.
      const final = startJob();
      const restoredFinal = await final.started;
      const ended = final.ended.then(() => failed(final, 'in the final run'));
      ended.catch(() => undefined);
      const c = await db.connect();
      let diff: string | undefined;
      try {
        const expected = await oracle(c, 'src');
        const catchUpFrom = Date.now();
        const deadline = catchUpFrom + (FULL ? 300_000 : 120_000);
        // How many rows differ, and when that last changed: a target still moving at the deadline lags (the job is
        // too slow for the load), which the message says, instead of reading as lost changes.
        let differing = -1;
        let movedAt = Date.now();
        for (;;) {
          await Promise.race([sleep(500), ended]);
          const actual = await oracle(c, 'tgt');
          const diffs: string[] = [];
          let n = 0;
          for (const [t, rows] of expected) {
            const a = actual.get(t)!;
            const missing = [...rows.keys()].filter((k) => !a.has(k));
            const extra = [...a.keys()].filter((k) => !rows.has(k));
            const changed = [...rows.keys()].filter((k) => a.has(k) && a.get(k) !== rows.get(k));
            n += missing.length + extra.length + changed.length;
            if (missing.length + extra.length + changed.length > 0) {
              diffs.push(`${t}: ${a.size} rows, expected ${rows.size}; missing ${missing.slice(0, 12).join(',')}; extra ${extra.slice(0, 12).join(',')}; different ${changed.slice(0, 12).join(',')}`);
            }
          }
          diff = diffs.length > 0 ? diffs.join(' | ') : undefined;
          if (n !== differing) {
            differing = n;
            movedAt = Date.now();
          }
          if (diff === undefined || Date.now() > deadline) break;
        }
        console.log(`seed ${seed}: the final run ${diff === undefined ? 'caught up' : 'stopped waiting'} after ${Date.now() - catchUpFrom} ms`);
        if (diff !== undefined && Date.now() - movedAt < 10_000) diff = `still catching up at the deadline (${differing} rows differ, changed ${Date.now() - movedAt} ms ago): ${diff}`;
      } finally {
        await c.end();
      }
      final.child.kill('SIGKILL');
      await final.ended;
      if (process.env['RUNNEL_KILL_KEEP_LOG'] && existsSync(chunkLog)) copyFileSync(chunkLog, process.env['RUNNEL_KILL_KEEP_LOG']);
      runs.push({ pid: final.child.pid!, restoredFrom: restoredFinal, checkpoints: [...final.checkpoints], phase: 'final', afterMs: 0 });
      console.log(JSON.stringify(runs.map((r) => ({ pid: r.pid, restoredFrom: r.restoredFrom, cps: r.checkpoints }))));
      console.log(`seed ${seed}: writer ${stats.transactions} transactions; runs ${JSON.stringify(runs.map((r) => ({ restoredFrom: r.restoredFrom, phase: r.phase, checkpoints: r.checkpoints.length, afterMs: r.afterMs })))}`);
      expect(diff, `seed ${seed}`).toBeUndefined();

      // Restores really happened, in both phases.
      const restores = runs.filter((r) => r.restoredFrom !== null).length;
      expect(restores, `seed ${seed}: restores`).toBeGreaterThanOrEqual(4);
      expect(runs.filter((r) => r.phase === 'snapshot').length, `seed ${seed}: kills during the snapshot`).toBeGreaterThanOrEqual(1);
      expect(runs.filter((r) => r.phase === 'binlog').length, `seed ${seed}: kills during the binlog phase`).toBeGreaterThanOrEqual(2);

      // No chunk re-read from its start: after a restore from R, a chunk with progress in R resumes at that key.
      const log: LogEntry[] = existsSync(chunkLog) ? readFileSync(chunkLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEntry) : [];
      let verified = 0;
      for (let i = 1; i < runs.length; i++) {
        const R = runs[i]!.restoredFrom;
        if (R === null) continue;
        // The run that completed checkpoint R wrote its progress.
        const writerRun = runs.slice(0, i).reverse().find((r) => r.checkpoints.includes(R));
        if (writerRun === undefined) continue;
        const progress = log.filter((e) => e.type === 'progress' && e.pid === writerRun.pid && e.checkpointId === R);
        const reads = log.filter((e) => e.type === 'read' && e.pid === runs[i]!.pid);
        for (const p of progress) {
          const next = reads.find((e) => e.splitId === p.splitId);
          if (next === undefined) continue; // the run was killed before it got to the chunk
          expect(next, `seed ${seed}: chunk ${p.splitId} after a restore from checkpoint ${R}`).toMatchObject({ resumed: true, from: p.hi });
          verified++;
        }
      }
      const reads = log.filter((e) => e.type === 'read').length;
      const chunks = new Set(log.filter((e) => e.type === 'read').map((e) => e.splitId)).size;
      console.log(`seed ${seed}: ${chunks} chunks, ${reads} chunk reads, ${verified} resumes verified after restores`);
      expect(verified, `seed ${seed}: resumed chunks checked`).toBeGreaterThanOrEqual(1);
    } finally {
      await writer.stop().catch(() => undefined);
    }
  });
});
