// `runnel run`: submits a job module to the embedded MiniCluster (worker threads), shows progress while it runs,
// and reports how it ended — a summary (text or JSON), the error, a clean cancellation on Ctrl-C/SIGTERM, or a
// stop with a savepoint (`--savepoint-on-stop`) — as the process exit code.
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { submitJob, type JobClient, type JobEvent } from '@runnel/runtime';
import type { RunCommandOptions } from './args.js';
import { CheckpointTally, countRestarts } from './checkpoints.js';
import { describeJobError, type JobErrorReport } from './job-error.js';
import { collectOperators } from './progress.js';
import { ProgressReporter, type ProgressOutput } from './progress-reporter.js';
import { buildSummary, formatSummary, type RunOutcome } from './summary.js';

/**
 * The process facilities the CLI uses; tests pass fakes, `processIo()` the real ones.
 *
 * @public
 */
export interface CliIo {
  readonly stdout: ProgressOutput;
  readonly stderr: ProgressOutput;
  readonly cwd: string;
  /** Subscribes to SIGINT/SIGTERM; returns the unsubscribe function. */
  onSignal(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void;
  /** Ends the process at once (a second Ctrl-C while canceling). */
  exit(code: number): void;
  now(): number;
}

/**
 * The real process: stdout, stderr, signals, exit.
 *
 * @public
 */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    onSignal(handler) {
      const onInt = (): void => handler('SIGINT');
      const onTerm = (): void => handler('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
    exit: (code) => process.exit(code),
    now: Date.now,
  };
}

const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

function errorText(e: unknown, verbose: boolean): string {
  if (!(e instanceof Error)) return String(e);
  const remote = (e as { remoteStack?: string }).remoteStack;
  if (!verbose) return e.message;
  return `${e.message}\n${remote ?? e.stack ?? ''}`.trimEnd();
}

// Option keys that hold paths: resolved against the CLI's working directory (which `io.cwd` may fake), and
// accepted as `file:` URIs as Flink prints them.
const PATH_OPTIONS = ['state.checkpoints.dir', 'state.savepoints.dir', 'execution.savepoint.path'];

function localPath(cwd: string, p: string): string {
  return p.startsWith('file:') ? fileURLToPath(p) : resolve(cwd, p);
}

/**
 * The runtime options of a run: path-valued options made absolute.
 *
 * @internal
 */
export function resolveRunOptions(options: Readonly<Record<string, string | number>>, cwd: string): Record<string, string | number> {
  const out = { ...options };
  for (const k of PATH_OPTIONS) {
    const v = out[k];
    if (typeof v === 'string' && v.trim() !== '') out[k] = localPath(cwd, v.trim());
  }
  return out;
}

/**
 * Where `--savepoint-on-stop` writes: a new `savepoint-<job id prefix>-<random>` directory (Flink's naming) under
 * the given directory or `state.savepoints.dir`, so the same parent serves any number of stops. Undefined when
 * neither is set: the runtime then puts the savepoint into the checkpoint directory.
 *
 * @internal
 */
export function savepointTarget(directory: string | undefined, options: Readonly<Record<string, string | number>>, cwd: string, jobId: string): string | undefined {
  const configured = options['state.savepoints.dir'];
  const parent = directory !== undefined ? localPath(cwd, directory) : typeof configured === 'string' ? configured : undefined;
  if (parent === undefined) return undefined;
  return join(parent, `savepoint-${jobId.replace(/-/g, '').slice(0, 6)}-${randomBytes(6).toString('hex')}`);
}

type Signal = 'SIGINT' | 'SIGTERM';

/**
 * Runs `runnel run` and returns the exit code: 0 finished (also when stopped with a savepoint), 1 failed, 130/143
 * canceled by SIGINT/SIGTERM.
 *
 * @public
 */
export async function runCommand(opts: RunCommandOptions, io: CliIo): Promise<number> {
  const startedAt = io.now();
  // Nothing ran: report the error, and keep the promise of --json (one JSON document on stdout). An error of the
  // user's code (`report`) is shown at the user's frame, with the job's args when it happened building the graph
  // (a missing --arg is the usual cause), and the full stack only with --verbose.
  const failEarly = (e: unknown, report?: JobErrorReport): number => {
    if (opts.json) {
      const error = report?.headline ?? errorText(e, false);
      const summary = buildSummary({ status: 'failed', jobId: undefined, jobName: opts.jobName ?? 'runnel-job', durationMs: io.now() - startedAt, operators: [], error });
      io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    }
    if (report === undefined) {
      io.stderr.write(`error: ${errorText(e, opts.verbose)}\n`);
      return 1;
    }
    const lines = [report.headline, ...report.frames.map((f) => `    ${f}`), ...report.hints.map((h) => `  ${h}`)];
    if (report.phase === 'build') {
      const given = Object.keys(opts.args).length > 0 ? JSON.stringify(opts.args) : 'none (pass them with --arg KEY=VALUE)';
      lines.push(`  the job function's args: ${given}`);
    }
    if (opts.verbose && e instanceof Error && e.stack !== undefined) lines.push(e.stack);
    io.stderr.write(lines.join('\n') + '\n');
    return 1;
  };
  const jobPath = resolve(io.cwd, opts.jobPath);
  if (!existsSync(jobPath) || !statSync(jobPath).isFile()) return failEarly(new Error(`job module not found: ${jobPath}`));
  // Load the module here first, although submitJob loads it too (the second import is the cached module): an error
  // now is certainly one of loading it, which its stack alone would not always tell.
  try {
    await import(pathToFileURL(jobPath).href);
  } catch (e) {
    return failEarly(e, describeJobError(e, 'load', jobPath, io.cwd));
  }
  let options: Record<string, string | number>;
  try {
    options = resolveRunOptions(opts.options, io.cwd);
  } catch (e) {
    return failEarly(e);
  }

  let client: JobClient | undefined;
  let reporter: ProgressReporter | undefined;
  // The first signal with --savepoint-on-stop: stopping with a savepoint.
  let stopSignal: Signal | undefined;
  let stopping: Promise<void> | undefined;
  let savepointPath: string | undefined;
  // The signal that canceled the job (the first one, or the second with --savepoint-on-stop).
  let canceledBy: Signal | undefined;
  const tally = new CheckpointTally();

  const stopWithSavepoint = (c: JobClient): void => {
    const target = savepointTarget(opts.savepointOnStop?.directory, options, io.cwd, c.jobId);
    stopping = c.stopWithSavepoint(target).then(
      (path) => {
        savepointPath = path;
      },
      (e: unknown) => {
        // Canceled meanwhile (a second signal), or the job ended on its own: nothing to add.
        const status = c.getStatus();
        if (canceledBy !== undefined || status === 'finished' || status === 'failed' || status === 'canceled') return;
        // The user asked the job to stop; without a savepoint, it is canceled instead.
        canceledBy = stopSignal;
        reporter?.clear();
        io.stderr.write(`error: stop with savepoint failed: ${errorText(e, false)}; canceling the job\n`);
        void c.cancel();
      },
    );
  };

  const unsubscribe = io.onSignal((signal) => {
    if (opts.savepointOnStop !== undefined && stopSignal === undefined && canceledBy === undefined) {
      stopSignal = signal;
      reporter?.clear();
      io.stderr.write(`${signal}: stopping the job with a savepoint (press Ctrl-C again to cancel it at once)\n`);
      if (client !== undefined) stopWithSavepoint(client);
      return;
    }
    if (canceledBy !== undefined) {
      // A second signal: the user does not want to wait for a clean shutdown.
      reporter?.stop();
      io.stderr.write(`\n${signal} again: exiting without waiting for the job to stop\n`);
      io.exit(SIGNAL_EXIT[signal]);
      return;
    }
    canceledBy = signal;
    reporter?.clear();
    io.stderr.write(`${signal}${stopSignal !== undefined ? ' again' : ''}: canceling the job (press Ctrl-C again to exit at once)\n`);
    void client?.cancel();
  });

  let jobName = opts.jobName ?? 'runnel-job';
  let outcome: RunOutcome = 'finished';
  let failure: unknown;
  let durationMs = 0;
  let collected: ReadonlyMap<string, readonly unknown[]> | undefined;
  let restarts: number | undefined;
  let events: readonly JobEvent[] | undefined;
  try {
    try {
      client = await submitJob(jobPath, {
        exportName: opts.exportName,
        args: opts.args,
        options,
        jobName: opts.jobName,
      });
    } catch (e) {
      // Loading the module, building the graph or starting the workers failed (or was interrupted).
      const signal = canceledBy ?? stopSignal;
      if (signal !== undefined) {
        io.stderr.write(`Job '${jobName}' canceled before it started\n`);
        return SIGNAL_EXIT[signal];
      }
      return failEarly(e, describeJobError(e, 'submit', jobPath, io.cwd));
    }
    const c = client;
    jobName = c.jobName;
    if (canceledBy !== undefined) void c.cancel();
    else if (stopSignal !== undefined) stopWithSavepoint(c);
    // The runtime keeps the latest 100 checkpoints of the current attempt only: count them as they come.
    c.onMetrics(() => tally.observe(c.checkpointHistory()));
    if (!opts.quiet) {
      // With --json, stdout carries only the JSON document.
      reporter = new ProgressReporter(c, opts.json ? io.stderr : io.stdout, {
        startedAt,
        now: () => io.now(),
        checkpoints: tally,
        checkpointing: options['execution.checkpointing.interval'] !== undefined,
      });
      reporter.start();
    }
    try {
      const result = await c.getJobExecutionResult();
      durationMs = result.durationMs;
      collected = result.collected;
      restarts = result.restarts;
      events = result.events;
      tally.observe(result.checkpoints);
    } catch (e) {
      durationMs = io.now() - startedAt;
      outcome = c.getStatus() === 'canceled' || canceledBy !== undefined ? 'canceled' : 'failed';
      failure = e;
      tally.observe(c.checkpointHistory());
    }
    // Settles right after the result (the runtime resolves the savepoint path once the job has stopped). Bounded
    // wait: a savepoint the runtime started just as the job ended could otherwise wait out its timeout.
    if (stopping !== undefined) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([stopping, new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
    }
  } finally {
    reporter?.stop();
    unsubscribe();
  }

  events ??= client.events();
  const summary = buildSummary({
    status: outcome,
    jobId: client.jobId,
    jobName,
    durationMs,
    operators: collectOperators(client.operatorMetrics(), client.metrics()),
    collected,
    ...(outcome === 'failed' ? { error: errorText(failure, false) } : {}),
    restarts: restarts ?? countRestarts(events),
    checkpoints: tally.counts(),
    ...(savepointPath !== undefined ? { savepointPath } : {}),
    events,
  });
  if (opts.json) io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  if (outcome === 'finished') {
    if (!opts.json) io.stdout.write(formatSummary(summary) + '\n');
    if (savepointPath !== undefined) io.stderr.write(`Job '${jobName}' stopped with a savepoint: ${savepointPath}\n`);
    return 0;
  }
  if (outcome === 'canceled') {
    if (!opts.json) io.stdout.write(formatSummary(summary) + '\n');
    io.stderr.write(`Job '${jobName}' canceled\n`);
    return SIGNAL_EXIT[canceledBy ?? stopSignal ?? 'SIGINT'];
  }
  io.stderr.write(`error: ${errorText(failure, opts.verbose)}\n`);
  return 1;
}
