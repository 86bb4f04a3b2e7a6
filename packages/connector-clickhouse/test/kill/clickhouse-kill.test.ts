// The ClickHouse sink's exactly-once proof under SIGKILL, against a real ClickHouse 18.16 started by the test. A SQL
// job child (clickhouse-kill-job.ts: N numbered events generated at a steady rate by a `datagen` sequence, whose
// position is checkpointed -> the events into an append-only exactly-once table, and a retracting GROUP BY per app into
// a `replacing` one; parallelism 2 throughout (two source subtasks; the sinks take the rows as the operators before
// them hand them on, keyed for the GROUP BY), checkpoints every 150 ms, `execution.restore-from-latest-checkpoint`) is
// killed with SIGKILL 5 times at random moments and restarted each time with the same checkpoint directory. Kills 1, 3
// and 5 land after the run's first checkpoint plus a random delay, kills 2 and 4 anywhere (also before it). The final
// run generates the rest and ends (its last rows committed with the final checkpoint). Then the documented queries —
// `SELECT count(), uniqExact(id), sum(amount) FROM kill_events FINAL` and `SELECT app, cnt, total FROM kill_totals
// FINAL WHERE _is_deleted = 0` — equal the oracle computed here without Runnel (no lost row, no double-counted row), no
// delete row was written to `kill_totals` (every -U of the GROUP BY is followed by its +U in its sink subtask and
// dropped; with one source subtask and 'sink.parallelism' = '2' they were dealt out round-robin and the deletes won:
// see the README), and at least 3 restarts restored from a checkpoint. The raw row counts (without FINAL) are logged.
// The seed is logged (RUNNEL_KILL_SEED reproduces the kill moments). RUNNEL_TEST_FULL=1: 4x the events and 8 kills. (A
// continuous filesystem source was the first choice; after a restore it sometimes finished a task, and no checkpoint
// followed: see the package README.)
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseAvailable, startClickHouse, type ClickHouseServer } from '../support/clickhouse-server.js';
import { rng } from '../support/seeds-metric.js';

const JOB = fileURLToPath(new URL('./clickhouse-kill-job.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const FULL = process.env['RUNNEL_TEST_FULL'] === '1';
const N = FULL ? 60_000 : 15_000;
/** Events a second (over both source subtasks): the events take N / RATE seconds, through the kills. */
const RATE = 500;
/** How long a child may take to start its job (a loaded CI machine transpiles the sources slowly). */
const START_TIMEOUT_MS = 120_000;
/** How long a running job may go without completing a checkpoint before the run counts as stalled. */
const STALL_MS = 60_000;
const KILLS = FULL ? 8 : 5;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Progress lines to a file named by RUNNEL_KILL_PROGRESS (for watching a slow run), else nothing. */
const progress = (line: string): void => {
  const file = process.env['RUNNEL_KILL_PROGRESS'];
  if (file) appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
};

interface Run {
  readonly child: ChildProcess;
  readonly result: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  readonly started: Promise<number | null>;
  readonly checkpointed: Promise<void>;
  checkpoints(): number;
  finished(): boolean;
}

const children = new Set<ChildProcess>();

function startJob(url: string, checkpoints: string): Run {
  const child = spawn(process.execPath, ['--import', TSX, '--conditions=@runnel/source', JOB, String(N), String(RATE), url, checkpoints], {
    cwd: PACKAGE_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    // The child reports what is pending when no checkpoint completes for 8 s (on stderr, shown if a run stalls).
    env: { ...process.env, RUNNEL_KILL_WATCHDOG: '1' },
  });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString('utf8')).slice(-20_000);
  });
  let resolveStarted!: (id: number | null) => void;
  const started = new Promise<number | null>((r) => (resolveStarted = r));
  let resolveCheckpointed!: () => void;
  const checkpointed = new Promise<void>((r) => (resolveCheckpointed = r));
  let count = 0;
  let finished = false;
  let rest = '';
  child.stdout!.on('data', (d: Buffer) => {
    rest += d.toString('utf8');
    const lines = rest.split('\n');
    rest = lines.pop()!;
    for (const l of lines) {
      const m = /^\{"restored":(null|\d+)\}$/.exec(l);
      if (m) resolveStarted(m[1] === 'null' ? null : Number(m[1]));
      if (l.startsWith('{"checkpoint":')) {
        count++;
        resolveCheckpointed();
      }
      if (l.startsWith('{"finished":')) finished = true;
    }
  });
  const result = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolveStarted(null);
      resolveCheckpointed();
      resolve({ code, signal, stderr });
    });
  });
  return { child, result, started, checkpointed, checkpoints: () => count, finished: () => finished };
}

interface Observed {
  readonly events: string;
  readonly totals: string[];
  readonly raw: { events: number; totals: number };
  /** Delete rows in the `replacing` table: none, as every -U of the GROUP BY is followed by its +U in its subtask. */
  readonly deletes: number;
}

async function observe(ch: ClickHouseServer): Promise<Observed> {
  const [e] = await ch.rows<{ n: string; u: string; s: string }>('SELECT count() AS n, uniqExact(id) AS u, toString(toInt64(sum(amount))) AS s FROM kill_events FINAL');
  const totals = (await ch.rows<{ r: string }>(`SELECT concat(app, '|', toString(cnt), '|', toString(toInt64(total * 100))) AS r FROM kill_totals FINAL WHERE _is_deleted = 0 ORDER BY r`)).map((x) => x.r);
  const [raw] = await ch.rows<{ e: string; t: string; d: string }>(
    'SELECT (SELECT count() FROM kill_events) AS e, (SELECT count() FROM kill_totals) AS t, (SELECT count() FROM kill_totals WHERE _is_deleted = 1) AS d',
  );
  return { events: `${e!.n}|${e!.u}|${e!.s}`, totals, raw: { events: Number(raw!.e), totals: Number(raw!.t) }, deletes: Number(raw!.d) };
}

/** The oracle: the documented queries' answers computed from the events (id i: app `app<i mod 5>`, amount i * 7919 mod 100 000). */
function expected(): Omit<Observed, 'raw' | 'deletes'> {
  let sum = 0n;
  const totals = new Map<string, [number, bigint]>();
  for (let i = 0; i < N; i++) {
    const app = `app${i % 5}`;
    const amount = BigInt((i * 7919) % 100_000);
    sum += amount;
    const [n, s] = totals.get(app) ?? [0, 0n];
    totals.set(app, [n + 1, s + amount]);
  }
  return { events: `${N}|${N}|${sum}`, totals: [...totals].map(([app, [n, s]]) => `${app}|${n}|${s * 100n}`).sort() };
}

const run = clickhouseAvailable() ? describe : describe.skip;

run('clickhouse exactly-once sink under SIGKILL (ClickHouse 18.16)', () => {
  let ch: ClickHouseServer;
  let root: string;

  beforeAll(async () => {
    ch = await startClickHouse();
    root = mkdtempSync(join(tmpdir(), 'runnel-ch-kill-'));
    await ch.query(`CREATE TABLE kill_events (id UInt64, app String, amount Decimal(18, 2)) ENGINE = ReplacingMergeTree ORDER BY id`);
    await ch.query(`CREATE TABLE kill_totals (app String, cnt UInt64, total Decimal(18, 2), _version UInt64, _is_deleted UInt8) ENGINE = ReplacingMergeTree(_version) ORDER BY app`);
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await ch?.destroy();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(`${N} events generated while the job is killed ${KILLS} times: the documented queries equal the oracle`, async () => {
    const seed = Number(process.env['RUNNEL_KILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`clickhouse kill test: seed ${seed} (reproduce with RUNNEL_KILL_SEED=${seed})`);
    const random = rng(seed);
    const oracle = expected();
    const checkpoints = join(root, 'checkpoints');
    const t0 = Date.now();

    const started = async (r: Run, what: string): Promise<number | null> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          r.child.kill('SIGKILL');
          reject(new Error(`seed ${seed}: ${what} did not start its job within ${START_TIMEOUT_MS} ms; kills so far ${JSON.stringify(log)}`));
        }, START_TIMEOUT_MS);
      });
      try {
        return await Promise.race([r.started, timeout]);
      } finally {
        clearTimeout(timer);
      }
    };
    /** `p`, or a failure with the child's stderr when the run completes no checkpoint for STALL_MS. */
    const stallGuard = async (r: Run, p: Promise<void>, what: string): Promise<void> => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          r.child.kill('SIGKILL');
          void r.result.then((x) => reject(new Error(`seed ${seed}: ${what} completed no checkpoint within ${STALL_MS} ms (kills so far ${JSON.stringify(log)}):\n${x.stderr.slice(-4000)}`)));
        }, STALL_MS);
      });
      try {
        await Promise.race([p, stalled]);
      } finally {
        clearTimeout(timer);
      }
    };
    const failed = async (r: Run, what: string): Promise<never> => {
      const x = await r.result;
      throw new Error(`seed ${seed}: the job ended on its own ${what} (${x.code ?? x.signal}):\n${x.stderr.slice(-4000)}\n--- server log:\n${ch.log()}`);
    };

    const log: { kill: number; restoredFrom: number | null; afterMs: number; checkpoints: number; rows: number }[] = [];
    let restores = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      const r = startJob(ch.url, checkpoints);
      progress(`run ${kill}: starting`);
      const restored = await started(r, `run ${kill}`);
      progress(`run ${kill}: restored from ${restored}`);
      if (restored !== null) restores++;
      const startedAt = Date.now();
      const wait = kill % 2 === 1 ? stallGuard(r, r.checkpointed, `run ${kill}`).then(() => sleep(Math.floor(random() * 2_500))) : sleep(Math.floor(random() * 1_200));
      await Promise.race([wait, r.result.then(() => failed(r, `before kill ${kill}`))]);
      r.child.kill('SIGKILL');
      const x = await r.result;
      expect(x.signal, `seed ${seed}: kill ${kill}: ${x.stderr.slice(-2000)}`).toBe('SIGKILL');
      progress(`run ${kill}: killed after ${r.checkpoints()} checkpoints`);
      const [committed] = await ch.rows<{ n: string }>('SELECT count() AS n FROM kill_events FINAL');
      log.push({ kill, restoredFrom: restored, afterMs: Date.now() - startedAt, checkpoints: r.checkpoints(), rows: Number(committed!.n) });
    }

    // The final run: generates the rest, and ends.
    const final = startJob(ch.url, checkpoints);
    const restoredFinal = await started(final, 'the final run');
    if (restoredFinal !== null) restores++;
    await stallGuard(final, Promise.race([final.checkpointed, final.result.then(() => undefined)]), 'the final run');
    const deadline = setTimeout(() => final.child.kill('SIGKILL'), (FULL ? 400 : 150) * 1_000);
    const x = await final.result;
    clearTimeout(deadline);
    if (x.code !== 0 || !final.finished()) throw new Error(`seed ${seed}: the final run did not finish (${x.code ?? x.signal}):\n${x.stderr.slice(-4000)}`);
    const after = await observe(ch);
    console.log(
      `clickhouse kill test: ${N} events at ${RATE}/s, ${KILLS} kills + the final run, restores ${restores}, ${Date.now() - t0} ms, ` +
        `raw rows (without FINAL) events ${after.raw.events} / totals ${after.raw.totals} (${after.deletes} deletes), kills ${JSON.stringify(log)}`,
    );
    expect({ seed, events: after.events, totals: after.totals }).toEqual({ seed, ...oracle });
    expect(after.deletes, `seed ${seed}: delete rows in kill_totals (a -U and its +U on different sink subtasks?)`).toBe(0);
    expect(log).toHaveLength(KILLS);
    expect(restores, `seed ${seed}: only ${restores} of ${KILLS} restarts restored from a checkpoint`).toBeGreaterThanOrEqual(3);
  }, FULL ? 900_000 : 400_000);
});
