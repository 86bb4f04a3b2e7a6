// `runnel run`: submits a job module to the embedded MiniCluster (worker threads), shows progress while it runs,
// and reports how it ended — a summary (text or JSON), the error, or a clean cancellation on Ctrl-C/SIGTERM —
// as the process exit code.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { submitJob, type JobClient } from '@runnel/runtime';
import type { RunCommandOptions } from './args.js';
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

/**
 * Runs `runnel run` and returns the exit code: 0 finished, 1 failed, 130/143 canceled by SIGINT/SIGTERM.
 *
 * @public
 */
export async function runCommand(opts: RunCommandOptions, io: CliIo): Promise<number> {
  const startedAt = io.now();
  // Nothing ran: report the error, and keep the promise of --json (one JSON document on stdout).
  const failEarly = (e: unknown): number => {
    if (opts.json) {
      const summary = buildSummary({ status: 'failed', jobId: undefined, jobName: opts.jobName ?? 'runnel-job', durationMs: io.now() - startedAt, operators: [], error: errorText(e, false) });
      io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
    }
    io.stderr.write(`error: ${errorText(e, opts.verbose)}\n`);
    return 1;
  };
  const jobPath = resolve(io.cwd, opts.jobPath);
  if (!existsSync(jobPath) || !statSync(jobPath).isFile()) return failEarly(new Error(`job module not found: ${jobPath}`));

  let client: JobClient | undefined;
  let canceledBy: 'SIGINT' | 'SIGTERM' | undefined;
  let reporter: ProgressReporter | undefined;
  const unsubscribe = io.onSignal((signal) => {
    if (canceledBy !== undefined) {
      // A second signal: the user does not want to wait for a clean shutdown.
      reporter?.stop();
      io.stderr.write(`\n${signal} again: exiting without waiting for the job to stop\n`);
      io.exit(SIGNAL_EXIT[signal]);
      return;
    }
    canceledBy = signal;
    reporter?.clear();
    io.stderr.write(`${signal}: canceling the job (press Ctrl-C again to exit at once)\n`);
    void client?.cancel();
  });

  let jobName = opts.jobName ?? 'runnel-job';
  let outcome: RunOutcome = 'finished';
  let failure: unknown;
  let durationMs = 0;
  let collected: ReadonlyMap<string, readonly unknown[]> | undefined;
  try {
    try {
      client = await submitJob(jobPath, {
        exportName: opts.exportName,
        args: opts.args,
        options: opts.options,
        jobName: opts.jobName,
      });
    } catch (e) {
      // Loading the module, building the graph or starting the workers failed (or was interrupted).
      if (canceledBy !== undefined) {
        io.stderr.write(`Job '${jobName}' canceled before it started\n`);
        return SIGNAL_EXIT[canceledBy];
      }
      return failEarly(e);
    }
    jobName = client.jobName;
    if (canceledBy !== undefined) void client.cancel();
    if (!opts.quiet) {
      // With --json, stdout carries only the JSON document.
      reporter = new ProgressReporter(client, opts.json ? io.stderr : io.stdout, { startedAt, now: () => io.now() });
      reporter.start();
    }
    try {
      const result = await client.getJobExecutionResult();
      durationMs = result.durationMs;
      collected = result.collected;
    } catch (e) {
      durationMs = io.now() - startedAt;
      outcome = client.getStatus() === 'canceled' || canceledBy !== undefined ? 'canceled' : 'failed';
      failure = e;
    }
  } finally {
    reporter?.stop();
    unsubscribe();
  }

  const summary = buildSummary({
    status: outcome,
    jobId: client.jobId,
    jobName,
    durationMs,
    operators: collectOperators(client.operatorMetrics(), client.metrics()),
    collected,
    ...(outcome === 'failed' ? { error: errorText(failure, false) } : {}),
  });
  if (opts.json) io.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  if (outcome === 'finished') {
    if (!opts.json) io.stdout.write(formatSummary(summary) + '\n');
    return 0;
  }
  if (outcome === 'canceled') {
    if (!opts.json) io.stdout.write(formatSummary(summary) + '\n');
    io.stderr.write(`Job '${jobName}' canceled\n`);
    return SIGNAL_EXIT[canceledBy ?? 'SIGINT'];
  }
  io.stderr.write(`error: ${errorText(failure, opts.verbose)}\n`);
  return 1;
}
