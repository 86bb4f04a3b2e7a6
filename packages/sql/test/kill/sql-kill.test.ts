// The exactly-once proof of the SQL layer: one SQL job with two INSERTs in a statement set — a retracting group
// aggregation whose changelog goes to a filesystem sink as Debezium events, a TUMBLE window aggregation and a
// SESSION window aggregation (of sparse rows, so sessions open and merge across checkpoints) into filesystem sinks as
// JSON lines — reading a directory of time-partitioned, locally shuffled JSON-lines files at
// parallelism 2, with checkpoints every 150 ms. The job runs in a child process (`run-sql-job.ts`) that is killed
// with SIGKILL 5 times at random moments and restarted each time with `execution.restore-from-latest-checkpoint`;
// after the final run the committed output must equal an uninterrupted run's and a direct computation from the
// input: the changelog replayed (c adds a row, d removes it) gives the final table, with exactly the number of
// events the input implies (with mini-batch: at most that many, folded), and the window and session rows are the same
// multisets.
// On the heap and on the LevelDB state backend, and on LevelDB with mini-batch group aggregation (bundles flushed
// before every barrier). Kills 1, 3 and 5 land after the run's first checkpoint, kills 2 and 4 anywhere (also before
// it); at least 3 of the 5 restarts must restore from a checkpoint. The file source has no rate limit, so kill moments are placed
// by the job's progress — its watermark within the input's event time (reported by the child), or the committed
// changelog's size against the uninterrupted run's, whichever is further — plus a random delay: on a loaded machine
// the job runs slower and the kills wait for it, and no run can reach the end before its kill. The seed is logged
// (RUNNEL_KILL_SEED reproduces it).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng } from '../support/sql-harness.js';

const CHILD = new URL('./run-sql-job.ts', import.meta.url).pathname;
const SQL_PACKAGE = new URL('../..', import.meta.url).pathname;
const TSX = createRequire(import.meta.url).resolve('tsx');

// ---- the input: FILES files, file i holding the i-th slice of event time, each row up to JITTER_MS early ----

const FILES = 8;
const PER_FILE = 100_000;
const KEYS = 40;
const STEP_MS = 10;
/** Rows are shuffled within this bound, below the watermark delay (5 s): no row is late. */
const JITTER_MS = 2_000;
const WINDOW_MS = 10_000;
/** Rows of the group aggregation: a tenth, so that its changelog (two events per row) stays small. */
const AGG_FILTER = 100;
const BASE = Date.UTC(2024, 0, 1);
/** The event time the input spans. */
const SPAN_MS = FILES * PER_FILE * STEP_MS;
/** Rows of the session aggregation: v < SESSION_FILTER, about one per key every 200 s of event time. */
const SESSION_FILTER = 2;
const SESSION_GAP_MS = 60_000;

interface Event {
  readonly k: string;
  readonly v: number;
  readonly t: number;
}

function event(i: number, j: number): Event {
  const h = Math.imul((i + 1) * 1_000_003 + j, 0x9e3779b1) >>> 0;
  return { k: `k${h % KEYS}`, v: (h >>> 8) % 1000, t: BASE + (i * PER_FILE + j) * STEP_MS - (h % (JITTER_MS + 1)) };
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** A TIMESTAMP(3) as the json format reads it (`SQL` standard), for a UTC instant. */
function sqlTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

function writeInput(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const lines: string[] = [];
    for (let j = 0; j < PER_FILE; j++) {
      const e = event(i, j);
      lines.push(`{"k":"${e.k}","v":${e.v},"ts":"${sqlTimestamp(e.t)}"}`);
    }
    writeFileSync(join(dir, `events-${pad(i)}.json`), lines.join('\n') + '\n');
  }
}

// ---- what the job must produce, computed from the input ----

interface Expected {
  /** The final table of the group aggregation: key → `count|sum`. */
  readonly table: Map<string, string>;
  /** Debezium events of its changelog: per key one `c` for the first row, then a `d` and a `c` per further row. */
  readonly events: number;
  /** The window rows as `key|window start|count|sum`, sorted. */
  readonly windows: string[];
  /** The session rows as `key|session start|session end|count|sum`, sorted. */
  readonly sessions: string[];
}

function expected(): Expected {
  const groups = new Map<string, { c: number; s: number }>();
  const windows = new Map<string, { c: number; s: number }>();
  const sparse = new Map<string, Event[]>();
  for (let i = 0; i < FILES; i++) {
    for (let j = 0; j < PER_FILE; j++) {
      const e = event(i, j);
      if (e.v < AGG_FILTER) {
        const g = groups.get(e.k) ?? { c: 0, s: 0 };
        g.c++;
        g.s += e.v;
        groups.set(e.k, g);
      }
      const id = `${e.k}|${Math.floor(e.t / WINDOW_MS) * WINDOW_MS}`;
      const w = windows.get(id) ?? { c: 0, s: 0 };
      w.c++;
      w.s += e.v;
      windows.set(id, w);
      if (e.v < SESSION_FILTER) (sparse.get(e.k) ?? sparse.set(e.k, []).get(e.k)!).push(e);
    }
  }
  // Sessions: a key's rows in time order, a new session where a row comes more than the gap after the previous one.
  const sessions: string[] = [];
  for (const [k, rows] of sparse) {
    rows.sort((a, b) => a.t - b.t);
    let start = rows[0]!.t;
    let last = start;
    let c = 0;
    let sum = 0;
    for (const e of rows) {
      if (e.t > last + SESSION_GAP_MS) {
        sessions.push(`${k}|${start}|${last + SESSION_GAP_MS}|${c}|${sum}`);
        start = e.t;
        c = 0;
        sum = 0;
      }
      last = e.t;
      c++;
      sum += e.v;
    }
    sessions.push(`${k}|${start}|${last + SESSION_GAP_MS}|${c}|${sum}`);
  }
  let events = 0;
  for (const g of groups.values()) events += 2 * g.c - 1;
  return {
    table: new Map([...groups].map(([k, g]) => [k, `${g.c}|${g.s}`])),
    events,
    windows: [...windows].map(([id, w]) => `${id}|${w.c}|${w.s}`).sort(),
    sessions: sessions.sort(),
  };
}

// ---- the job ----

function script(input: string, out: string): string {
  return `
CREATE TABLE events (k STRING, v BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND)
  WITH ('connector' = 'filesystem', 'path' = '${input}', 'format' = 'json');
CREATE TABLE totals (k STRING, c BIGINT, s BIGINT)
  WITH ('connector' = 'filesystem', 'path' = '${join(out, 'totals')}', 'format' = 'debezium-json');
CREATE TABLE windows (k STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), c BIGINT, s BIGINT)
  WITH ('connector' = 'filesystem', 'path' = '${join(out, 'windows')}', 'format' = 'json');
CREATE TABLE sessions (k STRING, session_start TIMESTAMP(3), session_end TIMESTAMP(3), c BIGINT, s BIGINT)
  WITH ('connector' = 'filesystem', 'path' = '${join(out, 'sessions')}', 'format' = 'json');
EXECUTE STATEMENT SET BEGIN
  INSERT INTO totals SELECT k, COUNT(*), SUM(v) FROM events WHERE v < ${AGG_FILTER} GROUP BY k;
  INSERT INTO windows
    SELECT k, window_start, window_end, COUNT(*), SUM(v)
    FROM TABLE(TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '10' SECOND))
    GROUP BY k, window_start, window_end;
  INSERT INTO sessions
    SELECT k, SESSION_START(ts, INTERVAL '${SESSION_GAP_MS / 1000}' SECOND), SESSION_END(ts, INTERVAL '${SESSION_GAP_MS / 1000}' SECOND), COUNT(*), SUM(v)
    FROM events WHERE v < ${SESSION_FILTER}
    GROUP BY k, SESSION(ts, INTERVAL '${SESSION_GAP_MS / 1000}' SECOND);
END;`;
}

/**
 * Mini-batch group aggregation (its bundles flushed every 100 ms, every 500 rows and before each barrier): the bundle
 * must never be lost or replayed into a checkpoint twice. Its changelog is shorter (a key's changes within a bundle
 * are folded), so only its replayed table is compared.
 */
const MINI_BATCH = { 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.allow-latency': '100 ms', 'table.exec.mini-batch.size': '500' };

function config(checkpoints: string, backend: 'heap' | 'level', miniBatch = false): Record<string, string> {
  return {
    ...(miniBatch ? MINI_BATCH : {}),
    'parallelism.default': '2',
    'execution.checkpointing.interval': '150 ms',
    'state.checkpoints.dir': checkpoints,
    'execution.restore-from-latest-checkpoint': 'true',
    'state.backend.type': backend,
    // The child reports completed checkpoints from the metrics callback: often enough to place kills after one.
    'metrics.reporter.interval': '100 ms',
    // TIMESTAMP values are local date-times; the zone only matters for TIMESTAMP_LTZ, fixed for reproducibility.
    'table.local-time-zone': 'UTC',
  };
}

interface ChildRun {
  readonly proc: ChildProcess;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }>;
  /** Settles with the checkpoint the run restored from (null: a fresh start) once the job runs. */
  readonly started: Promise<number | null>;
  /** Settles when the run completed its first checkpoint (or ended). */
  readonly checkpointed: Promise<void>;
  /** The latest watermark the run reported (-Infinity: none yet). */
  watermark(): number;
}

function runChild(sql: string, conf: Record<string, string>): ChildRun {
  const proc = spawn(process.execPath, ['--import', TSX, '--conditions=@runnel/source', CHILD, JSON.stringify({ script: sql, config: conf })], {
    cwd: SQL_PACKAGE,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let watermark = -Infinity;
  let resolveStarted!: (id: number | null) => void;
  const started = new Promise<number | null>((r) => (resolveStarted = r));
  let resolveCheckpointed!: () => void;
  const checkpointed = new Promise<void>((r) => (resolveCheckpointed = r));
  proc.stdout!.on('data', (d) => {
    out += String(d);
    const m = /\{"restored":(null|\d+)\}/.exec(out);
    if (m) resolveStarted(m[1] === 'null' ? null : Number(m[1]));
    if (out.includes('{"checkpoint":')) resolveCheckpointed();
    for (const w of out.matchAll(/\{"watermark":(-?\d+)\}/g)) watermark = Math.max(watermark, Number(w[1]));
    // Keep only the unfinished last line: the output of a long run is not kept whole.
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
  return { proc, done, started, checkpointed, watermark: () => watermark };
}

/** The lines of the committed (visible) part files of a sink directory. */
function committedLines(dir: string): string[] {
  const lines: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return lines;
  }
  for (const f of names) {
    if (f.startsWith('.')) continue; // in-progress and pending files are not output
    for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) if (l) lines.push(l);
  }
  return lines;
}

/** Bytes of the committed part files of a sink directory: the job's progress, read cheaply while it runs. */
function committedBytes(dir: string): number {
  let n = 0;
  try {
    for (const f of readdirSync(dir)) if (!f.startsWith('.')) n += statSync(join(dir, f)).size;
  } catch {
    // not created yet
  }
  return n;
}

interface Totals {
  readonly table: Map<string, string>;
  readonly events: number;
  /** Rows removed more often than added (a d without its c): 0 for a consistent changelog. */
  readonly negative: number;
  /** Keys with more than one live row: 0 for a consistent changelog. */
  readonly ambiguous: number;
}

/**
 * Replays a Debezium changelog: each `c` adds its `after` row, each `d` removes its `before` row. Counting rows
 * makes the replay independent of the order of the part files (each key's rows are distinct: its count grows).
 */
function replay(lines: readonly string[]): Totals {
  const counts = new Map<string, number>();
  for (const l of lines) {
    const e = JSON.parse(l) as { before: { k: string; c: number; s: number } | null; after: { k: string; c: number; s: number } | null; op: string };
    const r = e.op === 'c' ? e.after! : e.before!;
    const id = `${r.k}|${r.c}|${r.s}`;
    counts.set(id, (counts.get(id) ?? 0) + (e.op === 'c' ? 1 : e.op === 'd' ? -1 : Number.NaN));
  }
  const table = new Map<string, string>();
  let negative = 0;
  let ambiguous = 0;
  for (const [id, n] of counts) {
    if (n < 0 || Number.isNaN(n)) negative++;
    if (n <= 0) continue;
    const [k, c, s] = id.split('|');
    if (n > 1 || table.has(k!)) ambiguous++;
    table.set(k!, `${c}|${s}`);
  }
  return { table, events: lines.length, negative, ambiguous };
}

/** Window rows as `key|window start|count|sum`, sorted. */
function windowRows(lines: readonly string[]): string[] {
  return lines
    .map((l) => {
      const w = JSON.parse(l) as { k: string; window_start: string; window_end: string; c: number; s: number };
      const start = Date.parse(`${w.window_start.replace(' ', 'T')}Z`);
      if (Date.parse(`${w.window_end.replace(' ', 'T')}Z`) !== start + WINDOW_MS) throw new Error(`bad window: ${l}`);
      return `${w.k}|${start}|${w.c}|${w.s}`;
    })
    .sort();
}

/** Session rows as `key|session start|session end|count|sum`, sorted. */
function sessionRows(lines: readonly string[]): string[] {
  return lines
    .map((l) => {
      const w = JSON.parse(l) as { k: string; session_start: string; session_end: string; c: number; s: number };
      return `${w.k}|${Date.parse(`${w.session_start.replace(' ', 'T')}Z`)}|${Date.parse(`${w.session_end.replace(' ', 'T')}Z`)}|${w.c}|${w.s}`;
    })
    .sort();
}

interface Outcome {
  readonly totals: Totals;
  readonly windows: string[];
  readonly sessions: string[];
  readonly totalsBytes: number;
  readonly ms: number;
}

function outcome(out: string, ms: number): Outcome {
  return {
    totals: replay(committedLines(join(out, 'totals'))),
    windows: windowRows(committedLines(join(out, 'windows'))),
    sessions: sessionRows(committedLines(join(out, 'sessions'))),
    totalsBytes: committedBytes(join(out, 'totals')),
    ms,
  };
}

/** An uninterrupted run. */
async function uninterrupted(sql: string, checkpoints: string, out: string): Promise<Outcome> {
  const t0 = Date.now();
  const run = runChild(sql, config(checkpoints, 'heap'));
  const r = await run.done;
  expect(r.code, `uninterrupted run failed: ${r.err}`).toBe(0);
  return outcome(out, Date.now() - t0);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when `progress()` reaches `target` (polled), or never. */
async function progressReaches(progress: () => number, target: number, stop: { stopped: boolean }): Promise<void> {
  while (!stop.stopped && progress() < target) await sleep(25);
}

interface KillLog {
  readonly kill: number;
  /** The checkpoint the killed run had restored from (null: it started fresh). */
  readonly restoredFrom: number | null;
  /** Milliseconds from the run's job start to the kill. */
  readonly afterMs: number;
  /** The job's progress when it was killed (fraction of the input). */
  readonly progress: number;
}

/** Runs the job killed 5 times and resumed until it finishes; returns its output and what happened. */
async function killedRun(sql: string, checkpoints: string, out: string, backend: 'heap' | 'level', seed: number, referenceBytes: number, miniBatch = false) {
  const random = rng(seed);
  const committed = (): number => committedBytes(join(out, 'totals')) / referenceBytes;
  const log: KillLog[] = [];
  const t0 = Date.now();
  let restores = 0;
  for (let kill = 0; kill < 5; kill++) {
    const run = runChild(sql, config(checkpoints, backend, miniBatch));
    const progress = (): number => Math.max(committed(), (run.watermark() - BASE) / SPAN_MS);
    const restored = await run.started;
    if (restored !== null) restores++;
    const startedAt = Date.now();
    // Where this kill may land at the latest, as a fraction of the whole job: spread over 5%..60%, so that no run can
    // reach the end however fast the machine is (the watermark lags the reading by up to a file, a tenth).
    const target = 0.05 + (0.55 * (kill + random())) / 5;
    const stop = { stopped: false };
    const finished = run.done.then(() => 'finished' as const);
    let reason: 'finished' | 'due';
    if (kill % 2 === 0) {
      // Kills 1, 3, 5: after this run's first checkpoint, once the job got to its target, plus a random moment. A first
      // checkpoint that is late (a loaded machine: CI once saw a run read to the end of its input before it) does not
      // let the run finish: past target + 0.25 of the job it is killed at once, before that checkpoint.
      const late = Math.min(0.85, target + 0.25);
      const first = await Promise.race([finished, run.checkpointed.then(() => 'checkpointed' as const), progressReaches(progress, late, stop).then(() => 'late' as const)]);
      if (first === 'checkpointed') {
        reason = await Promise.race([finished, progressReaches(progress, target, stop).then(() => 'due' as const)]);
        if (reason === 'due') await sleep(Math.floor(random() * 250));
      } else {
        reason = first === 'late' ? 'due' : first;
      }
    } else {
      // Kills 2 and 4: anywhere from the job's start (before its first checkpoint too), but not beyond the target.
      const at = Math.floor(random() * 1200);
      reason = await Promise.race([finished, sleep(at).then(() => 'due' as const), progressReaches(progress, target, stop).then(() => 'due' as const)]);
    }
    stop.stopped = true;
    const p = progress();
    const afterMs = Date.now() - startedAt;
    run.proc.kill('SIGKILL');
    const r = await run.done;
    if (r.code === 0) throw new Error(`seed ${seed}: the job finished before kill ${kill + 1} (progress ${p.toFixed(2)}); make the input longer`);
    expect(r.signal, `seed ${seed}: the child failed on its own before kill ${kill + 1}: ${r.err}`).toBe('SIGKILL');
    log.push({ kill: kill + 1, restoredFrom: restored, afterMs, progress: Number(p.toFixed(3)) });
  }
  const final = runChild(sql, config(checkpoints, backend, miniBatch));
  const restoredFinal = await final.started;
  if (restoredFinal !== null) restores++;
  const r = await final.done;
  expect(r.code, `seed ${seed}: the final run failed: ${r.err}`).toBe(0);
  return { outcome: outcome(out, Date.now() - t0), restores, log, restoredFinal };
}

describe('SQL job under SIGKILL (exactly-once filesystem sinks, retracting, window and session aggregations)', () => {
  let root: string;
  let input: string;
  let want: Expected;
  let reference: Outcome;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'runnel-sql-kill-'));
    input = join(root, 'in');
    writeInput(input);
    want = expected();
    const out = join(root, 'uninterrupted');
    reference = await uninterrupted(script(input, out), join(root, 'uninterrupted-checkpoints'), out);
  }, 120_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('the uninterrupted run equals the direct computation from the input', () => {
    const sum = want.windows.reduce((n, w) => n + Number(w.split('|')[2]), 0);
    expect(sum).toBe(FILES * PER_FILE);
    expect(reference.totals.negative).toBe(0);
    expect(reference.totals.ambiguous).toBe(0);
    expect(reference.totals.events).toBe(want.events);
    expect(reference.totals.table).toEqual(want.table);
    expect(reference.windows).toEqual(want.windows);
    expect(reference.sessions).toEqual(want.sessions);
    // Sessions of several rows and single-row ones both occur.
    expect(want.sessions.some((r) => Number(r.split('|')[3]) > 1) && want.sessions.some((r) => r.split('|')[3] === '1')).toBe(true);
    console.log(`sql kill test: uninterrupted run ${reference.ms} ms, ${want.events} changelog events, ${want.windows.length} window rows, ${want.sessions.length} sessions`);
  });

  for (const [backend, miniBatch] of [['heap', false], ['level', false], ['level', true]] as const) {
    const name = `${backend} state${miniBatch ? ', mini-batch' : ''}`;
    it(`killed 5 times and resumed from checkpoints, ${name}: committed output equals the uninterrupted run`, async () => {
      const seed = Number(process.env.RUNNEL_KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
      console.log(`sql kill test (${name}): seed ${seed} (reproduce with RUNNEL_KILL_SEED=${seed})`);
      const out = join(root, `killed-${backend}${miniBatch ? '-mini-batch' : ''}`);
      const { outcome: got, restores, log } = await killedRun(script(input, out), join(root, `checkpoints-${backend}${miniBatch ? '-mini-batch' : ''}`), out, backend, seed, reference.totalsBytes, miniBatch);
      console.log(`sql kill test (${name}): ${got.ms} ms, restores ${restores}, changelog events ${got.totals.events}, kills ${JSON.stringify(log)}`);
      // The changelog: consistent, exactly the events the input implies (none lost, none repeated; with mini-batch
      // fewer, folded), and replayed it gives the uninterrupted run's final table, which is the direct computation's.
      expect({ seed, negative: got.totals.negative, ambiguous: got.totals.ambiguous, events: miniBatch ? got.totals.events <= want.events : got.totals.events }).toEqual({
        seed,
        negative: 0,
        ambiguous: 0,
        events: miniBatch ? true : want.events,
      });
      expect(got.totals.table).toEqual(reference.totals.table);
      expect(got.totals.table).toEqual(want.table);
      // The window rows: the same multiset as the uninterrupted run's.
      expect({ seed, rows: got.windows.length, duplicated: got.windows.length - new Set(got.windows).size }).toEqual({ seed, rows: want.windows.length, duplicated: 0 });
      expect(got.windows).toEqual(reference.windows);
      // The session rows (open across the kills, restored with their timers): the uninterrupted run's, once each.
      expect({ seed, rows: got.sessions.length, duplicated: got.sessions.length - new Set(got.sessions).size }).toEqual({ seed, rows: want.sessions.length, duplicated: 0 });
      expect(got.sessions).toEqual(want.sessions);
      expect(log).toHaveLength(5);
      // The restarts really restored: a kill before a run's first checkpoint may leave nothing newer to restore.
      expect(restores, `seed ${seed}: only ${restores} of 5 restarts restored from a checkpoint`).toBeGreaterThanOrEqual(3);
    }, 180_000);
  }
});
