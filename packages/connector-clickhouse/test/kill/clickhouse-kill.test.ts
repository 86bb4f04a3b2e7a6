// The ClickHouse sink's exactly-once proof under SIGKILL, against a real ClickHouse 18.16 started by the test. The
// test writes N numbered JSON events into a directory, a file at a time at a steady pace (each file written under a
// hidden name, then renamed in), while a SQL job child (clickhouse-kill-job.ts: the continuous filesystem source ->
// the events into an append-only exactly-once table, and a retracting GROUP BY per app into a `replacing` one;
// parallelism 2, checkpoints every 150 ms, `execution.restore-from-latest-checkpoint`) is killed with SIGKILL 5
// times at random moments and restarted each time with the same checkpoint directory. Kills 1, 3 and 5 land after
// the run's first checkpoint plus a random delay, kills 2 and 4 anywhere (also before it). The final run goes on
// until every file is written and the documented queries equal the oracle, keeps running for a few more checkpoints
// (anything still to commit would be committed), and is then killed too. Then the documented queries —
// `SELECT count(), uniqExact(id), sum(amount) FROM kill_events FINAL` and
// `SELECT app, cnt, total FROM kill_totals FINAL WHERE _is_deleted = 0` — equal the oracle computed here without
// Runnel (no lost row, no double-counted row), and at least 3 restarts restored from a checkpoint. The raw row counts
// (without FINAL) are logged: they exceed the oracle's when restores re-committed or replays rewrote rows. The seed is
// logged (RUNNEL_KILL_SEED reproduces the kill moments). RUNNEL_TEST_FULL=1: 4x the events and 8 kills.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseAvailable, startClickHouse, type ClickHouseServer } from '../support/clickhouse-server.js';
import { centsText, eventLines, rng, seedEvents, type SeedEvent } from '../support/seeds-metric.js';

const JOB = fileURLToPath(new URL('./clickhouse-kill-job.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');
const FULL = process.env['RUNNEL_TEST_FULL'] === '1';
const N = FULL ? 80_000 : 20_000;
const FILES = FULL ? 120 : 40;
/** A file every this many ms: the files are written over about FILES * PACE ms, through the kills. */
const PACE = 800;
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
}

const children = new Set<ChildProcess>();

function startJob(eventsDir: string, url: string, checkpoints: string): Run {
  const child = spawn(process.execPath, ['--import', TSX, '--conditions=@runnel/source', JOB, eventsDir, url, checkpoints], {
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
  return { child, result, started, checkpointed, checkpoints: () => count };
}

interface Observed {
  readonly events: string;
  readonly totals: string[];
  readonly raw: { events: number; totals: number };
}

async function observe(ch: ClickHouseServer): Promise<Observed> {
  const [e] = await ch.rows<{ n: string; u: string; s: string }>('SELECT count() AS n, uniqExact(id) AS u, toString(sum(amount)) AS s FROM kill_events FINAL');
  const totals = (await ch.rows<{ r: string }>(`SELECT concat(app, '|', toString(cnt), '|', toString(toInt64(total * 100))) AS r FROM kill_totals FINAL WHERE _is_deleted = 0 ORDER BY r`)).map((x) => x.r);
  const [raw] = await ch.rows<{ e: string; t: string }>('SELECT (SELECT count() FROM kill_events) AS e, (SELECT count() FROM kill_totals) AS t');
  return { events: `${e!.n}|${e!.u}|${e!.s}`, totals, raw: { events: Number(raw!.e), totals: Number(raw!.t) } };
}

/** The oracle: the documented queries' answers computed from the events. */
function expected(events: readonly SeedEvent[]): Omit<Observed, 'raw'> {
  const sum = events.reduce((a, e) => a + BigInt(e.cents), 0n);
  const totals = new Map<string, [number, bigint]>();
  for (const e of events) {
    const [n, s] = totals.get(e.app) ?? [0, 0n];
    totals.set(e.app, [n + 1, s + BigInt(e.cents)]);
  }
  // 18.16 prints a Decimal(18, 2) with its two decimals; totals in cents.
  return { events: `${events.length}|${events.length}|${centsText(sum)}`, totals: [...totals].map(([app, [n, s]]) => `${app}|${n}|${s}`).sort() };
}

const run = clickhouseAvailable() ? describe : describe.skip;

run('clickhouse exactly-once sink under SIGKILL (ClickHouse 18.16)', () => {
  let ch: ClickHouseServer;
  let root: string;

  beforeAll(async () => {
    ch = await startClickHouse();
    root = mkdtempSync(join(tmpdir(), 'runnel-ch-kill-'));
    await ch.query(`CREATE TABLE kill_events (id UInt64, app String, amount Decimal(18, 2), ts DateTime('UTC')) ENGINE = ReplacingMergeTree ORDER BY id`);
    await ch.query(`CREATE TABLE kill_totals (app String, cnt UInt64, total Decimal(18, 2), _version UInt64, _is_deleted UInt8) ENGINE = ReplacingMergeTree(_version) ORDER BY app`);
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await ch?.destroy();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(`${N} events written while the job is killed ${KILLS} times: the documented queries equal the oracle`, async () => {
    const seed = Number(process.env['RUNNEL_KILL_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`clickhouse kill test: seed ${seed} (reproduce with RUNNEL_KILL_SEED=${seed})`);
    const random = rng(seed);
    const events = seedEvents(N, 11);
    const oracle = expected(events);
    const eventsDir = join(root, 'events');
    const checkpoints = join(root, 'checkpoints');
    mkdirSync(eventsDir);
    const t0 = Date.now();

    // The producer: a file every PACE ms, written hidden and renamed in (a listed file is complete).
    let written = 0;
    const per = Math.ceil(N / FILES);
    const producer = (async () => {
      for (let f = 0; f < FILES; f++) {
        const tmp = join(eventsDir, `.events-${String(f).padStart(4, '0')}.tmp`);
        writeFileSync(tmp, eventLines(events.slice(f * per, (f + 1) * per)));
        renameSync(tmp, join(eventsDir, `events-${String(f).padStart(4, '0')}.json`));
        written = f + 1;
        await sleep(PACE);
      }
    })();

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

    const log: { kill: number; restoredFrom: number | null; afterMs: number; checkpoints: number; files: number }[] = [];
    let restores = 0;
    for (let kill = 1; kill <= KILLS; kill++) {
      const r = startJob(eventsDir, ch.url, checkpoints);
      progress(`run ${kill}: starting (files written ${written})`);
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
      log.push({ kill, restoredFrom: restored, afterMs: Date.now() - startedAt, checkpoints: r.checkpoints(), files: written });
    }
    const filesDuringKills = written;

    // The final run: on until every file is written and the documented queries equal the oracle.
    const final = startJob(eventsDir, ch.url, checkpoints);
    const restoredFinal = await started(final, 'the final run');
    if (restoredFinal !== null) restores++;
    const ended = final.result.then(() => failed(final, 'in the final run'));
    ended.catch(() => undefined);
    await Promise.race([stallGuard(final, final.checkpointed, 'the final run'), ended]);
    const deadline = Date.now() + (FULL ? 240_000 : 90_000);
    let seen: Observed | undefined;
    for (;;) {
      await Promise.race([sleep(300), ended]);
      if (written < FILES) continue;
      seen = await observe(ch);
      progress(`final run: ${final.checkpoints()} checkpoints, events ${seen.events} (oracle ${oracle.events}), totals ${seen.totals.length}`);
      if (seen.events === oracle.events && JSON.stringify(seen.totals) === JSON.stringify(oracle.totals)) break;
      if (Date.now() > deadline) break;
    }
    await producer;
    const settle = final.checkpoints() + 3;
    while (final.checkpoints() < settle && Date.now() < deadline + 10_000) await Promise.race([sleep(50), ended]);
    final.child.kill('SIGKILL');
    await final.result;

    const after = await observe(ch);
    console.log(
      `clickhouse kill test: ${N} events in ${FILES} files, ${KILLS} kills + the final run, restores ${restores}, ${Date.now() - t0} ms, ` +
        `files written during the kills ${filesDuringKills} of ${FILES}, raw rows (without FINAL) events ${after.raw.events} / totals ${after.raw.totals}, kills ${JSON.stringify(log)}`,
    );
    expect({ seed, events: after.events, totals: after.totals }).toEqual({ seed, ...oracle });
    expect(log).toHaveLength(KILLS);
    expect(restores, `seed ${seed}: only ${restores} of ${KILLS} restarts restored from a checkpoint`).toBeGreaterThanOrEqual(3);
  }, FULL ? 900_000 : 400_000);
});
