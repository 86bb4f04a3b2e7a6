// `runnel sql`: Flink's SQL client for Runnel. With `-f script.sql` it runs the script's statements in order and
// exits non-zero at the first failing one; without, it reads statements interactively (multi-line until `;`, with
// history). DDL and SET take effect at once; an INSERT runs until its sources end (a progress line shows records/s
// and checkpoints) or Ctrl-C, which stops it with a savepoint when `state.savepoints.dir` is set; a SELECT shows
// its result in `sql-client.execution.result-mode`: `tableau` (rows with their change kind as they come),
// `changelog` (the same, compact) or `table` (the current result: redrawn in place on a terminal, printed at the end
// otherwise). Ctrl-C during a query cancels the query, not the client.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LogicalType, Row } from '@runnel/api/table';
import type { JobClient } from '@runnel/runtime';
import { MaterializedResult, SqlSession, TableauPrinter, type ParsedStatement, type StatementResult } from '@runnel/sql';
import type { CliIo } from './run-command.js';
import { resolveRunOptions, savepointTarget } from './run-command.js';
import { ProgressReporter } from './progress-reporter.js';
import { CheckpointTally } from './checkpoints.js';
import { sqlErrorText } from './sql-errors.js';
import { interactiveSql } from './sql-interactive.js';

/**
 * Options of `runnel sql`.
 *
 * @public
 */
export interface SqlCommandOptions {
  /** `-f`: the script to run; interactive when undefined. */
  readonly file: string | undefined;
  /** `-i`: a script run first (DDL, SET), also in interactive mode. */
  readonly init: string | undefined;
  /** Session options (`-D key=value`, `-p`). */
  readonly options: Readonly<Record<string, string | number>>;
  readonly verbose: boolean;
}

/** How a statement's result is shown; returns false when the statement failed. @internal */
export class SqlResultPrinter {
  constructor(
    private readonly session: SqlSession,
    private readonly io: CliIo,
    private readonly interactive: boolean,
  ) {}

  private config(key: string, dflt: string): string {
    return this.session.getConfig()[key] ?? dflt;
  }

  /** Prints a result; waits for jobs. `onCancel` registers the Ctrl-C handler of a running query. */
  async print(result: StatementResult, registerCancel: (cancel: (() => void) | undefined) => void): Promise<boolean> {
    const out = (s: string): void => void this.io.stdout.write(s + '\n');
    switch (result.kind) {
      case 'message':
        out(result.text);
        return true;
      case 'text':
        out(result.text);
        return true;
      case 'table': {
        if (result.rows.length === 0) {
          out('Empty set');
          return true;
        }
        const widths = result.columns.map((c, i) => Math.max(c.length, ...result.rows.map((r) => r[i]!.length)));
        const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
        const cells = (vs: readonly string[]): string => `|${vs.map((v, i) => ` ${v.padEnd(widths[i]!)} `).join('|')}|`;
        out([line, cells(result.columns), line, ...result.rows.map(cells), line, `${result.rows.length} row${result.rows.length === 1 ? '' : 's'} in set`].join('\n'));
        return true;
      }
      case 'job':
        return result.columns ? this.select(result.client, result.columns, registerCancel) : this.insert(result.client, result.jobName, registerCancel);
    }
  }

  private async insert(client: JobClient, jobName: string, registerCancel: (cancel: (() => void) | undefined) => void): Promise<boolean> {
    const io = this.io;
    io.stdout.write(`[INFO] Submitting SQL update statement to the cluster...\n[INFO] SQL update statement has been successfully submitted to the cluster:\nJob ID: ${client.jobId}\n`);
    const tally = new CheckpointTally();
    client.onMetrics(() => tally.observe(client.checkpointHistory()));
    const options = this.session.runtimeOptions();
    const reporter = new ProgressReporter(client, io.stderr, { startedAt: io.now(), now: () => io.now(), checkpoints: tally, checkpointing: options['execution.checkpointing.interval'] !== undefined });
    reporter.start();
    let stopping: Promise<string | void> | undefined;
    registerCancel(() => {
      reporter.clear();
      const dir = options['state.savepoints.dir'];
      if (dir !== undefined && stopping === undefined) {
        io.stderr.write(`Stopping job '${jobName}' with a savepoint (Ctrl-C again cancels it)\n`);
        stopping = client.stopWithSavepoint(savepointTarget(undefined, options, io.cwd, client.jobId)).then(
          (path) => void io.stderr.write(`[INFO] Job '${jobName}' stopped with a savepoint: ${path}\n`),
          (e: unknown) => void io.stderr.write(`[ERROR] stop with savepoint failed: ${e instanceof Error ? e.message : String(e)}\n`),
        );
      } else {
        io.stderr.write(`Canceling job '${jobName}'\n`);
        void client.cancel();
      }
    });
    try {
      const r = await client.getJobExecutionResult();
      await stopping;
      reporter.stop();
      io.stdout.write(`[INFO] Job '${jobName}' finished in ${(r.durationMs / 1000).toFixed(1)} s\n`);
      return true;
    } catch (e) {
      reporter.stop();
      await stopping;
      if (client.getStatus() === 'canceled') {
        io.stdout.write(`[INFO] Job '${jobName}' canceled\n`);
        return true;
      }
      io.stderr.write(sqlErrorText(e, false) + '\n');
      return false;
    } finally {
      registerCancel(undefined);
    }
  }

  private async select(client: JobClient, columns: readonly { name: string; type: LogicalType }[], registerCancel: (cancel: (() => void) | undefined) => void): Promise<boolean> {
    const mode = this.config('sql-client.execution.result-mode', this.interactive ? 'table' : 'tableau').toLowerCase();
    const zone = this.session.functionContext().localTimeZone;
    const maxWidth = Number(this.config('sql-client.display.max-column-width', '30'));
    const write = (s: string): void => void this.io.stdout.write(s + '\n');
    const live = mode === 'table' && this.interactive && (this.io.stdout as { isTTY?: boolean }).isTTY === true;
    const result = new MaterializedResult();
    const printer = mode === 'table' ? undefined : new TableauPrinter(columns, write, { maxColumnWidth: maxWidth, timeZone: zone });
    printer?.header();
    let seen = 0;
    let drawnLines = 0;
    const redraw = (): void => {
      const lines: string[] = [];
      const p = new TableauPrinter(columns, (l) => lines.push(l), { maxColumnWidth: maxWidth, timeZone: zone, op: false });
      p.header();
      for (const fields of result.current()) p.row({ kind: 0, fields });
      p.footer();
      if (drawnLines > 0) this.io.stdout.write(`\u001b[${drawnLines}A\u001b[J`);
      this.io.stdout.write(lines.join('\n') + '\n');
      drawnLines = lines.length;
    };
    const drain = (): void => {
      const rows = client.collected('sql-select') as Row[];
      for (; seen < rows.length; seen++) {
        const r = rows[seen]!;
        if (printer) printer.row(r);
        else result.apply(r);
      }
      if (live) redraw();
    };
    const timer = setInterval(drain, live ? 500 : 100);
    let canceled = false;
    registerCancel(() => {
      canceled = true;
      void client.cancel();
    });
    try {
      await client.getJobExecutionResult();
      return true;
    } catch (e) {
      if (canceled || client.getStatus() === 'canceled') return true;
      clearInterval(timer);
      drain();
      this.io.stderr.write(sqlErrorText(e, false) + '\n');
      return false;
    } finally {
      clearInterval(timer);
      registerCancel(undefined);
      drain();
      if (printer) printer.footer();
      else if (!live) {
        const p = new TableauPrinter(columns, write, { maxColumnWidth: maxWidth, timeZone: zone, op: false });
        p.header();
        for (const fields of result.current()) p.row({ kind: 0, fields });
        p.footer();
      }
      if (canceled) write('[INFO] Query canceled');
    }
  }
}

/**
 * Runs `runnel sql` and returns the exit code.
 *
 * @public
 */
export async function sqlCommand(opts: SqlCommandOptions, io: CliIo): Promise<number> {
  let config: Record<string, string>;
  try {
    config = Object.fromEntries(Object.entries(resolveRunOptions(opts.options, io.cwd)).map(([k, v]) => [k, String(v)]));
  } catch (e) {
    io.stderr.write(sqlErrorText(e, opts.verbose) + '\n');
    return 1;
  }
  const scriptPath = opts.file === undefined ? undefined : resolve(io.cwd, opts.file);
  const session = new SqlSession({ config, pluginSearchPath: [pathToFileURL(resolve(scriptPath ? dirname(scriptPath) : io.cwd, 'script.sql')).href] });
  let cancel: (() => void) | undefined;
  const unsubscribe = io.onSignal(() => {
    if (cancel) cancel();
    else if (opts.file !== undefined) io.exit(130);
  });
  const printer = new SqlResultPrinter(session, io, opts.file === undefined);
  const run = async (text: string, source: string): Promise<boolean> => {
    let statements: ParsedStatement[];
    try {
      statements = SqlSession.parse(text);
    } catch (e) {
      io.stderr.write(sqlErrorText(e, opts.verbose, source) + '\n');
      return false;
    }
    for (const s of statements) {
      try {
        const r = await session.execute(s);
        if (!(await printer.print(r, (c) => (cancel = c)))) return false;
      } catch (e) {
        io.stderr.write(sqlErrorText(e, opts.verbose, source, s.pos) + '\n');
        return false;
      }
    }
    return true;
  };
  try {
    if (opts.init !== undefined) {
      const p = resolve(io.cwd, opts.init);
      if (!(await run(readText(p, io), p))) return 1;
    }
    if (scriptPath !== undefined) return (await run(readText(scriptPath, io), scriptPath)) ? 0 : 1;
    return await interactiveSql(io, (text) => run(text, 'input'), () => {
      if (!cancel) return false;
      cancel();
      return true;
    });
  } catch (e) {
    io.stderr.write(sqlErrorText(e, opts.verbose) + '\n');
    return 1;
  } finally {
    unsubscribe();
  }
}

function readText(path: string, io: CliIo): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    io.stderr.write(`[ERROR] Could not read ${path}: ${(e as Error).message}\n`);
    throw e;
  }
}
