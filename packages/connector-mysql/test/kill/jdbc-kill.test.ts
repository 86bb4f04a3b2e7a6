// The exactly-once proof of the jdbc sink under SIGKILL, against a real MariaDB 10.11. A SQL job child
// (jdbc-kill-job.ts: a rate-limited datagen sequence -> a retracting aggregation `totals` (count and sum per key) and a nested,
// deleting one `hist` (keys per count) -> two exactly-once jdbc tables, parallelism 2, checkpoints every 150 ms,
// restore from the latest checkpoint) is killed with SIGKILL 5 times at random moments and restarted each time; the
// final run reads to the end. Kills 1, 3 and 5 land after the run's first checkpoint once the committed progress
// (SUM(c) in `totals` against the input's size) reaches a random target, plus a random delay; kills 2 and 4 anywhere
// (also before the first checkpoint). Then, against an oracle computed from the input in the test:
//  - both MySQL tables equal the oracle exactly;
//  - no batch was applied twice: triggers audit every write of `totals` (each row's `version` counts its updates),
//    and each key's counts were written strictly increasing — a replayed batch would write a count again;
//  - the fence table holds each (table, subtask, checkpoint) once, and stays small: one row per writer (layout 2),
//    each restored run deleting its predecessors' — at the end at most the last run's 2 tables x 2 subtasks, not a
//    row per checkpoint;
//  - at least 3 of the 5 restarts restored from a checkpoint.
// The seed is logged (RUNNEL_KILL_SEED reproduces the kill moments); RUNNEL_TEST_FULL=1 runs a bigger input.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { jdbcUrl } from '../support/mysql-fixtures.js';

const CHILD = new URL('./jdbc-kill-job.ts', import.meta.url).pathname;
const PACKAGE = new URL('../..', import.meta.url).pathname;
const TSX = createRequire(import.meta.url).resolve('tsx');
const FULL = process.env['RUNNEL_TEST_FULL'] === '1';
const N = FULL ? 800_000 : 320_000;
const KEYS = FULL ? 20_000 : 5_000;
// Rows per second over both source subtasks: an unthrottled run reads the whole input in about a second, so a
// restored run could finish between two progress polls; at this rate a run needs at least N / RATE seconds.
const RATE = FULL ? 100_000 : 50_000;
const KILLS = 5;

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Event `i` of the sequence, as the child's SQL view computes it (exact in doubles: i * i < 2^53). Skewed keys. */
function event(i: number): { k: string; v: number } {
  return { k: `k${(i * i + Math.floor(i / 3)) % KEYS}`, v: (i * 131 + Math.floor(i / 7)) % 1000 };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Run {
  readonly proc: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>;
  readonly started: Promise<number | null>;
  readonly checkpointed: Promise<void>;
}

function runChild(args: object): Run {
  const proc = spawn(process.execPath, ['--import', TSX, '--conditions=@runnel/source', CHILD, JSON.stringify(args)], { cwd: PACKAGE, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let resolveStarted!: (id: number | null) => void;
  const started = new Promise<number | null>((r) => (resolveStarted = r));
  let resolveCheckpointed!: () => void;
  const checkpointed = new Promise<void>((r) => (resolveCheckpointed = r));
  proc.stdout!.on('data', (d) => {
    out += String(d);
    const m = /\{"restored":(null|\d+)\}/.exec(out);
    if (m) resolveStarted(m[1] === 'null' ? null : Number(m[1]));
    if (out.includes('{"checkpoint":')) resolveCheckpointed();
    out = out.slice(out.lastIndexOf('\n') + 1);
  });
  proc.stderr!.on('data', (d) => (err += String(d)));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>((resolve) =>
    proc.on('exit', (code, signal) => {
      resolveStarted(null);
      resolveCheckpointed();
      resolve({ code, signal, err });
    }),
  );
  return { proc, done, started, checkpointed };
}

describe('jdbc sink exactly-once under SIGKILL (retracting SQL aggregations into MariaDB)', () => {
  let db: MariaDb;
  let root: string;
  const live = new Set<ChildProcess>();

  beforeAll(async () => {
    db = await startMariaDb({ binlog: false });
    root = mkdtempSync(join(tmpdir(), 'runnel-jdbc-kill-'));
    await db.query(`
      CREATE DATABASE k;
      CREATE TABLE k.totals (k VARCHAR(20) PRIMARY KEY, c BIGINT NOT NULL, s BIGINT NOT NULL, version INT NOT NULL DEFAULT 0);
      CREATE TABLE k.hist (c BIGINT PRIMARY KEY, n BIGINT NOT NULL);
      CREATE TABLE k.audit (id BIGINT AUTO_INCREMENT PRIMARY KEY, k VARCHAR(20) NOT NULL, c BIGINT NOT NULL);
      CREATE TRIGGER k.totals_version BEFORE UPDATE ON k.totals FOR EACH ROW SET NEW.version = OLD.version + 1;
      CREATE TRIGGER k.totals_insert AFTER INSERT ON k.totals FOR EACH ROW INSERT INTO k.audit (k, c) VALUES (NEW.k, NEW.c);
      CREATE TRIGGER k.totals_update AFTER UPDATE ON k.totals FOR EACH ROW INSERT INTO k.audit (k, c) VALUES (NEW.k, NEW.c);`);
  }, 180_000);

  afterAll(async () => {
    for (const p of live) if (p.exitCode === null) p.kill('SIGKILL');
    await db?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(`${N} events, killed ${KILLS} times: both tables equal the oracle, no batch applied twice`, async () => {
    const seed = Number(process.env['RUNNEL_KILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`jdbc kill test: seed ${seed} (reproduce with RUNNEL_KILL_SEED=${seed})`);
    const random = rng(seed);
    const args = { rows: N, keys: KEYS, rate: RATE, url: jdbcUrl(db, 'k'), checkpoints: join(root, 'checkpoints') };
    const progress = async (): Promise<number> => Number((await db.query<{ n: string | null }>('SELECT SUM(c) AS n FROM k.totals'))[0]!.n ?? 0) / N;
    const t0 = Date.now();
    let restores = 0;
    const log: { kill: number; restoredFrom: number | null; progress: number; afterMs: number }[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const run = runChild(args);
      live.add(run.proc);
      const restored = await run.started;
      if (restored !== null) restores++;
      const startedAt = Date.now();
      const target = 0.05 + (0.55 * (kill + random())) / KILLS;
      let finished = false;
      void run.done.then(() => (finished = true));
      if (kill % 2 === 0) {
        // After this run's first checkpoint, at the target progress; but never so late that the input runs out (on a
        // loaded machine a restored run's first checkpoint can come after most of the input was read).
        let checkpointed = false;
        void run.checkpointed.then(() => (checkpointed = true));
        const latest = Math.min(0.9, target + 0.2);
        for (;;) {
          const p = await progress();
          if (finished || p >= latest || (checkpointed && p >= target)) break;
          await sleep(30);
        }
        if (checkpointed) await sleep(Math.floor(random() * 300));
      } else {
        const at = Date.now() + Math.floor(random() * 1500);
        while (!finished && Date.now() < at && (await progress()) < target) await sleep(30);
      }
      const p = await progress();
      run.proc.kill('SIGKILL');
      const r = await run.done;
      live.delete(run.proc);
      if (r.code === 0) throw new Error(`seed ${seed}: the job finished before kill ${kill + 1} (progress ${p.toFixed(2)}); make the input longer`);
      expect(r.signal, `seed ${seed}: the child failed on its own before kill ${kill + 1}: ${r.err}`).toBe('SIGKILL');
      log.push({ kill: kill + 1, restoredFrom: restored, progress: Number(p.toFixed(3)), afterMs: Date.now() - startedAt });
    }
    const final = runChild(args);
    live.add(final.proc);
    if ((await final.started) !== null) restores++;
    const r = await final.done;
    live.delete(final.proc);
    expect(r.code, `seed ${seed}: the final run failed: ${r.err}`).toBe(0);
    console.log(`jdbc kill test: ${Date.now() - t0} ms, restores ${restores}, kills ${JSON.stringify(log)}`);

    // The oracle, computed from the input without Runnel.
    const totals = new Map<string, { c: number; s: number }>();
    for (let i = 0; i < N; i++) {
      const e = event(i);
      const t = totals.get(e.k) ?? { c: 0, s: 0 };
      t.c++;
      t.s += e.v;
      totals.set(e.k, t);
    }
    const hist = new Map<number, number>();
    for (const t of totals.values()) hist.set(t.c, (hist.get(t.c) ?? 0) + 1);

    const gotTotals = await db.query<{ k: string; c: number; s: number }>('SELECT k, c, s FROM k.totals');
    expect(gotTotals.length).toBe(totals.size);
    expect(new Map(gotTotals.map((x) => [x.k, { c: Number(x.c), s: Number(x.s) }]))).toEqual(totals);
    const gotHist = await db.query<{ c: number; n: number }>('SELECT c, n FROM k.hist');
    expect(new Map(gotHist.map((x) => [Number(x.c), Number(x.n)]))).toEqual(hist);

    // No batch applied twice: each key's counts were written strictly increasing, one audit row per write.
    const audit = await db.query<{ k: string; c: number }>('SELECT k, c FROM k.audit ORDER BY id');
    const lastC = new Map<string, number>();
    const writes = new Map<string, number>();
    let repeated = 0;
    for (const a of audit) {
      const prev = lastC.get(a.k);
      if (prev !== undefined && Number(a.c) <= prev) repeated++;
      lastC.set(a.k, Number(a.c));
      writes.set(a.k, (writes.get(a.k) ?? 0) + 1);
    }
    expect({ seed, repeated }).toEqual({ seed, repeated: 0 });
    const versions = await db.query<{ k: string; version: number }>('SELECT k, version FROM k.totals');
    expect(versions.filter((v) => writes.get(v.k) !== Number(v.version) + 1)).toEqual([]);
    const fence = await db.query<{ sink_table: string; subtask: number; checkpoint_id: string; n: number }>(
      'SELECT sink_table, subtask, checkpoint_id, COUNT(*) AS n FROM k.runnel_sink_fence GROUP BY sink_table, subtask, checkpoint_id HAVING COUNT(*) > 1',
    );
    expect(fence).toEqual([]);
    const writers = await db.query<{ n: number; cp: string }>('SELECT COUNT(*) AS n, MAX(checkpoint_id) AS cp FROM k.runnel_sink_fence');
    const fenceRows = Number(writers[0]!.n);
    console.log(`jdbc kill test: ${audit.length} audited writes of ${totals.size} keys, ${fenceRows} rows in the fence table (last checkpoint ${writers[0]!.cp})`);
    if (fenceRows > 4) console.log(JSON.stringify(await db.query('SELECT writer_id, sink_table, subtask, checkpoint_id, committed_at FROM k.runnel_sink_fence ORDER BY committed_at')));
    expect(fenceRows, `seed ${seed}: the fence table holds ${fenceRows} rows`).toBeLessThanOrEqual(4);
    expect(log).toHaveLength(KILLS);
    expect(restores, `seed ${seed}: only ${restores} of ${KILLS} restarts restored from a checkpoint`).toBeGreaterThanOrEqual(3);
  }, 300_000);
});
