// Runs one scenario: writes its input, computes the reference without Runnel, then runs the job in child
// processes, taking the scenario's actions (SIGKILL, cancel, stop-with-savepoint, drain, kill after the final
// checkpoint, CPU contention), restoring after each one (from the newest checkpoint, or from the savepoint at
// another parallelism or backend) until a run completes. It checks that every run restored from the state it
// should have, that every run ended within a bound (liveness), and that the committed output equals the reference:
// nothing lost, nothing duplicated, nothing late.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FsCheckpointStorage } from '@runnel/checkpoint';
import { writeInput } from './events.js';
import { canonical, referenceOutput } from './reference.js';
import { eventCount, scenarioOf, type Action, type JobSpec, type Scenario } from './scenario.js';
import type { FromChild, ToChild } from './child.js';
import { consumedEvents } from './drained-prefix.js';

const CHILD = new URL('./child.ts', import.meta.url).pathname;

/** What one scenario did and found. */
export interface ScenarioResult {
  readonly seed: number;
  readonly name?: string;
  readonly ok: boolean;
  /** What went wrong (wrong output, a hang, a failed run, a wrong restore). */
  readonly problem?: string;
  readonly kind?: 'wrong-result' | 'hang' | 'failure' | 'wrong-restore';
  readonly pipeline: string;
  readonly runs: number;
  /** Runs that restored from a checkpoint or savepoint. */
  readonly restores: number;
  readonly kills: number;
  readonly savepoints: number;
  readonly durationMs: number;
  /** The scenario's directory (kept on failure). */
  readonly dir: string;
}

/** Lines of the committed (non-hidden) files of a file sink directory. */
export function committedLines(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const lines: string[] = [];
  for (const f of readdirSync(dir)) {
    if (f.startsWith('.')) continue; // in-progress and pending files are not output
    for (const l of readFileSync(join(dir, f), 'utf8').split('\n')) if (l) lines.push(l);
  }
  return lines;
}

/** Compares committed rows with the reference: missing, duplicated and unexpected rows. */
export function compare(got: string[], expected: string[]): { missing: number; duplicated: number; unexpected: number; sample: string[] } {
  const want = new Map<string, number>();
  for (const l of expected) want.set(l, (want.get(l) ?? 0) + 1);
  const have = new Map<string, number>();
  for (const l of got) have.set(l, (have.get(l) ?? 0) + 1);
  let missing = 0;
  let duplicated = 0;
  let unexpected = 0;
  const sample: string[] = [];
  for (const [l, n] of want) {
    const h = have.get(l) ?? 0;
    if (h < n) {
      missing += n - h;
      if (sample.length < 3) sample.push(`missing ${l}`);
    } else if (h > n) {
      duplicated += h - n;
      if (sample.length < 3) sample.push(`duplicated ${l}`);
    }
  }
  for (const [l, h] of have) {
    if (!want.has(l)) {
      unexpected += h;
      if (sample.length < 6) sample.push(`unexpected ${l}`);
    }
  }
  return { missing, duplicated, unexpected, sample };
}

interface RunOutcome {
  ms: number;
  actedAtMs?: number;
  actedAtRecords?: number;
  messages: FromChild[];
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stderr: string;
}

/** A CPU-bound process beside the job; it ends by itself if the driver dies (its parent becomes init). */
function startContention(): ChildProcess {
  const burn = 'const parent = process.ppid; for (;;) { const t = Date.now(); while (Date.now() - t < 100); if (process.ppid !== parent) process.exit(0); }';
  return spawn(process.execPath, ['-e', burn], { stdio: 'ignore' });
}

/** The newest completed checkpoint or savepoint in the checkpoint directory with an id above `floor`. */
async function newestCompleted(dir: string, floor: number): Promise<number | undefined> {
  if (!existsSync(dir)) return undefined;
  const storage = new FsCheckpointStorage({ directory: dir });
  const ids = (await storage.listCompleted()).map((r) => r.checkpointId).filter((id) => id > floor);
  return ids.length > 0 ? Math.max(...ids) : undefined;
}

async function highestId(dir: string): Promise<number> {
  return (await newestCompleted(dir, -1)) ?? -1;
}

/** Runs the scenario of `seed` under `root`. */
export function runScenario(seed: number, root: string, log: (line: string) => void = () => {}): Promise<ScenarioResult> {
  return runScenarioOf(scenarioOf(seed), root, log);
}

/** Runs a scenario (generated from a seed, or written out, like the issue's scenarios) under `root`. */
export async function runScenarioOf(sc: Scenario, root: string, log: (line: string) => void = () => {}): Promise<ScenarioResult> {
  const seed = sc.seed;
  const t0 = Date.now();
  const dir = mkdtempSync(join(root, `seed-${seed}-`));
  const spec: JobSpec & { readChunkSize?: number } = {
    ...sc.job,
    inputDir: join(dir, 'in'),
    out: join(dir, 'out'),
    lateOut: join(dir, 'late'),
    ...(sc.readChunkSize !== undefined ? { readChunkSize: sc.readChunkSize } : seed % 3 === 0 ? { readChunkSize: 16 * 1024 } : {}),
  };
  const checkpoints = join(dir, 'checkpoints');
  const savepoints = join(dir, 'savepoints');
  writeInput(sc.job.input, spec.inputDir);
  const reference = referenceOutput(spec);

  let parallelism = sc.settings.parallelism;
  let backend = sc.settings.backend;
  /** What the next run must restore from: undefined (nothing), or a checkpoint's or savepoint's id. */
  let restorePoint: { id: number } | undefined;
  /** A savepoint the next run is started from explicitly; later runs resume (`--resume`) instead. */
  let startFromSavepoint: string | undefined;
  let runs = 0;
  let restores = 0;
  let kills = 0;
  let savepointsTaken = 0;
  const result = (ok: boolean, kind?: ScenarioResult['kind'], problem?: string): ScenarioResult => {
    if (ok) rmSync(dir, { recursive: true, force: true });
    return { seed, ...(sc.name ? { name: sc.name } : {}), ok, kind, problem, pipeline: sc.job.pipeline, runs, restores, kills, savepoints: savepointsTaken, durationMs: Date.now() - t0, dir };
  };
  const where = (a: Action, i: number): string =>
    `run ${runs} (action ${i + 1}/${sc.actions.length}: ${a.kind}${a.afterMs ? ` after ${a.afterMs} ms` : ''}, p=${parallelism}, ${backend})`;

  for (let i = 0; i < sc.actions.length; i++) {
    const action = sc.actions[i]!;
    const options: Record<string, unknown> = {
      'parallelism.default': parallelism,
      'state.backend.type': backend,
      'execution.checkpointing.interval': `${sc.settings.checkpointIntervalMs} ms`,
      'state.checkpoints.dir': checkpoints,
      'state.checkpoints.num-retained': sc.settings.retained,
      'execution.checkpointing.incremental': sc.settings.incremental,
      'execution.checkpointing.incremental.max-chain-length': sc.settings.maxChainLength,
      'pipeline.auto-watermark-interval': `${sc.settings.autoWatermarkIntervalMs} ms`,
      // Nothing fails inside a run unless Runnel has a bug: a restart would hide it.
      'restart-strategy.type': 'none',
      'metrics.reporter.interval': '50 ms',
      'execution.buffer-max-records': sc.settings.bufferMaxRecords,
    };
    // After a savepoint the next run starts from it; every other run resumes the directory's lineage, which must
    // pick the newest checkpoint of the current run — or the savepoint again if that run took none.
    if (startFromSavepoint !== undefined) options['execution.savepoint.path'] = startFromSavepoint;
    else if (runs > 0) options['execution.restore-from-latest-checkpoint'] = true;
    startFromSavepoint = undefined;
    const floor = await highestId(checkpoints);
    const flags = { holdAtEnd: action.kind === 'kill-after-end' };
    runs++;
    const outcome = await runChild(spec, options, flags, action, join(savepoints, `sp-${i}`), sc);
    const where_ = where(action, i);
    if (outcome.timedOut) {
      const d = outcome.messages.find((m): m is Extract<FromChild, { t: 'diagnosis' }> => m.t === 'diagnosis');
      return result(false, 'hang', `${where_}: no end within ${timeoutOf(sc, action)} ms; ${d ? `the job:\n${d.text}` : 'no diagnosis'}; stderr: ${tail(outcome.stderr)}`);
    }
    const started = outcome.messages.find((m): m is Extract<FromChild, { t: 'started' }> => m.t === 'started');
    const failed = outcome.messages.find((m): m is Extract<FromChild, { t: 'failed' }> => m.t === 'failed');
    const finished = outcome.messages.find((m): m is Extract<FromChild, { t: 'finished' }> => m.t === 'finished');
    const savepoint = outcome.messages.find((m): m is Extract<FromChild, { t: 'savepoint' }> => m.t === 'savepoint');
    const killed = outcome.signal === 'SIGKILL';
    if (failed && !((action.kind === 'savepoint' || action.kind === 'drain') && finished)) return result(false, 'failure', `${where_}: ${failed.error}; stderr: ${tail(outcome.stderr)}`);
    if (!killed && !started) return result(false, 'failure', `${where_}: exited with ${outcome.code} before it started; stderr: ${tail(outcome.stderr)}`);
    if (started) {
      const expected = restorePoint?.id ?? null;
      if (started.restoredCheckpointId !== expected) {
        return result(false, 'wrong-restore', `${where_}: restored from ${started.restoredCheckpointId ?? 'nothing'}, expected ${expected ?? 'nothing'}`);
      }
      if (expected !== null) restores++;
    }
    if (finished && finished.restarts !== 0) return result(false, 'failure', `${where_}: the job restarted ${finished.restarts} times inside the run`);
    if (finished && finished.lateDropped !== 0) return result(false, 'wrong-result', `${where_}: ${finished.lateDropped} late records dropped`);
    const newest = await newestCompleted(checkpoints, floor);
    if (killed) kills++;
    if (process.env.RUNNEL_CAMPAIGN_VERBOSE) {
      log(
        `  seed ${seed} ${where_}: exit ${outcome.code ?? outcome.signal} after ${outcome.ms} ms, acted at ${outcome.actedAtMs ?? '-'} ms ` +
          `(records ${outcome.actedAtRecords ?? '-'}), restored ${started?.restoredCheckpointId ?? '-'}, newest checkpoint ${newest ?? '-'}` +
          `${finished ? `, finished (${finished.checkpoints} checkpoints)` : ''}`,
      );
    }
    if (action.kind === 'drain' && savepoint) {
      savepointsTaken++;
      // A drained stop fires every window on what was read before the savepoint: compare with those records.
      return verify(await consumedEvents(spec, savepoint.path, sc.settings.parallelism), action, i);
    }
    if (finished && !killed && (action.kind !== 'savepoint' || !savepoint)) {
      // The job completed (the action came too late, or there was none): the scenario is over.
      return verify(undefined, action, i);
    }
    if (action.kind === 'savepoint') {
      if (!savepoint) return result(false, 'failure', `${where_}: no savepoint and no completion (exit ${outcome.code}); stderr: ${tail(outcome.stderr)}`);
      savepointsTaken++;
      const sp = await FsCheckpointStorage.openSavepoint(savepoint.path);
      restorePoint = { id: sp.metadata.checkpointId };
      startFromSavepoint = savepoint.path;
      parallelism = action.nextParallelism ?? parallelism;
      backend = action.nextBackend ?? backend;
      continue;
    }
    if (!killed && !(action.kind === 'cancel' && outcome.code === 3)) {
      return result(false, 'failure', `${where_}: unexpected end (exit ${outcome.code}, signal ${outcome.signal}); stderr: ${tail(outcome.stderr)}`);
    }
    // Killed or canceled: the next run resumes from the newest checkpoint this lineage completed, if any.
    if (newest !== undefined) restorePoint = { id: newest };
    parallelism = action.nextParallelism ?? parallelism;
  }
  return result(false, 'failure', 'the scenario ran out of actions without completing');

  function verify(consumed: Parameters<typeof referenceOutput>[1] | undefined, action: Action, i: number): ScenarioResult {
    const expected = consumed === undefined ? reference : referenceOutput(spec, consumed);
    const got = committedLines(spec.out).map((l) => canonical(JSON.parse(l)));
    const late = committedLines(spec.lateOut);
    const c = compare(got, expected);
    if (c.missing > 0 || c.duplicated > 0 || c.unexpected > 0 || late.length > 0) {
      return result(
        false,
        'wrong-result',
        `${where(action, i)}: ${expected.length} expected rows, ${got.length} committed: ${c.missing} missing, ${c.duplicated} duplicated, ` +
          `${c.unexpected} unexpected, ${late.length} late records; ${c.sample.join('; ')}`,
      );
    }
    if (sc.minRestores !== undefined && restores < sc.minRestores) {
      return result(false, 'wrong-restore', `${where(action, i)}: only ${restores} runs restored (at least ${sc.minRestores} expected): the scenario did not exercise restores`);
    }
    log(`${sc.name ?? `seed ${seed}`}: ok (${sc.job.pipeline}, ${runs} runs, ${restores} restores, ${kills} kills, ${savepointsTaken} savepoints, ${expected.length} rows)`);
    return result(true);
  }
}

function tail(s: string): string {
  const t = s.trim();
  return t.length > 600 ? `…${t.slice(-600)}` : t || '(empty)';
}

/** The liveness bound of one run. */
function timeoutOf(sc: Scenario, action: Action): number {
  return Math.max(60_000, 8 * sc.estimatedMs) + (action.contention ? 30_000 : 0) + action.afterMs;
}

function runChild(spec: JobSpec, options: Record<string, unknown>, flags: object, action: Action, savepointDir: string, sc: Scenario): Promise<RunOutcome> {
  const total = eventCount(sc.job.input);
  return new Promise((resolve) => {
    const proc = fork(CHILD, [JSON.stringify(spec), JSON.stringify(options), JSON.stringify(flags)], {
      execArgv: ['--import', 'tsx', '--conditions=@runnel/source'],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const contention = action.contention ? startContention() : undefined;
    const messages: FromChild[] = [];
    let stderr = '';
    let timedOut = false;
    proc.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
    });
    const send = (m: ToChild): void => {
      if (proc.connected) proc.send(m);
    };
    const timers: ReturnType<typeof setTimeout>[] = [];
    let acted = false;
    const startedAt = Date.now();
    let actedAtMs: number | undefined;
    let lastRecords = 0;
    const act = (): void => {
      if (acted) return;
      acted = true;
      actedAtMs = Date.now() - startedAt;
      if (action.kind === 'kill') proc.kill('SIGKILL');
      else if (action.kind === 'cancel') send({ t: 'cancel' });
      else if (action.kind === 'savepoint') send({ t: 'stop', dir: savepointDir, drain: false });
      else if (action.kind === 'drain') send({ t: 'stop', dir: savepointDir, drain: true });
    };
    const timed = action.kind !== 'complete' && action.kind !== 'kill-after-end';
    proc.on('message', (m: FromChild) => {
      if (m.t === 'progress') {
        lastRecords = m.records;
        if (timed && action.fraction !== undefined && m.records >= action.fraction * total) act();
        return;
      }
      messages.push(m);
      // Actions are timed from the moment the job runs (restores included), not from process start.
      if (m.t === 'started' && timed) timers.push(setTimeout(act, action.afterMs));
      if (m.t === 'finished' && action.kind === 'kill-after-end') proc.kill('SIGKILL');
    });
    timers.push(
      setTimeout(() => {
        timedOut = true;
        // Ask the hung job what it looks like before it goes.
        send({ t: 'diagnose' });
        setTimeout(() => proc.kill('SIGKILL'), 3000);
      }, timeoutOf(sc, action)),
    );
    proc.on('exit', (code, signal) => {
      for (const t of timers) clearTimeout(t);
      contention?.kill('SIGKILL');
      resolve({ ms: Date.now() - startedAt, actedAtMs, actedAtRecords: actedAtMs === undefined ? undefined : lastRecords, messages, code, signal, timedOut, stderr });
    });
  });
}
