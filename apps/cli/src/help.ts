// Help texts and the version: kept apart from the command logic so that `--help` output is easy to review.
import { readFileSync } from 'node:fs';

/**
 * The CLI's version, read from its package.json (the same relative location from `src/` and `dist/`).
 *
 * @public
 */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/**
 * `runnel --help`.
 *
 * @public
 */
export const MAIN_HELP = `Usage: runnel <command> [options]

Runnel runs stream-processing jobs written in TypeScript or JavaScript.

Commands:
  new <dir>             create a job project (package.json, a word-count job, a test, a README)
  run <job.ts|job.js>   run a job module on worker threads until it ends
  sql [-f script.sql]   the SQL client: run a Flink SQL script, or type statements interactively
  help [command]        show help for a command

Options:
  -h, --help            show this help
  -v, --version         print the version

Start with:  runnel new my-job && cd my-job && npm install && npx runnel run src/word-count.ts -p 2
Run 'runnel run --help' for the options of 'run', 'runnel new --help' for 'new'.
`;

/**
 * `runnel new --help`.
 *
 * @public
 */
export const NEW_HELP = `Usage: runnel new <dir> [options]

Creates a job project in <dir> (which must not exist, or be empty), like Flink's quickstart:
  package.json            "type": "module"; depends on @runnel/runtime, @runnel/cli and @runnel/testing; 'npm start', 'npm test'
  tsconfig.json
  src/word-count.ts       a windowed word count (the job)
  test/word-count.spec.ts a test of its pipeline with env.execute() and a collect sink (node --test)
  test/word-count-window.spec.ts  a test of its window with @runnel/testing's operator harness
  README.md               the commands, and where the Runnel packages come from
  .gitignore

While Runnel is not published, a 'runnel' run from a Runnel repository links the project to that repository's
packages ("file:" dependencies): 'npm install' downloads nothing. Elsewhere the project depends on this CLI's
version from the npm registry.

Then:
  cd <dir>
  npm install
  npx runnel run src/word-count.ts -p 2
  npm test

Options:
  -n, --name NAME   the package name (default: the directory's name)
  -h, --help        show this help
`;

/**
 * `runnel run --help`.
 *
 * @public
 */
export const RUN_HELP = `Usage: runnel run <job.ts|job.js> [options]

Runs the job function exported by a module on worker threads (the embedded MiniCluster) and waits until it ends.
A job module exports '(env, args) => void' as its default export (or a named one, with --export).

Options:
  -p, --parallelism N      default parallelism of the job's operators (option parallelism.default)
  -e, --export NAME        the export that holds the job function (default: the default export)
  -n, --name NAME          the job's name (default: the name the job sets, or 'runnel-job')
  -a, --arg KEY=VALUE      an entry of the job's args object; repeatable; decimal numbers and true/false
                           are converted, everything else stays a string
  -D, --define KEY=VALUE   a runtime option with its Flink key; repeatable, e.g.
                             -D pipeline.auto-watermark-interval=50ms
                             -D taskmanager.network.buffers-per-channel=4
                             -D metrics.reporter.interval=500ms
                           checked before the job starts; every option: docs/options.md
  -q, --quiet              no live progress line
      --json               print the final summary as JSON on stdout (progress goes to stderr)
      --verbose            on failure, also print the remote stack trace
  -h, --help               show this help

Checkpoints and savepoints (relative paths resolve against the working directory):
      --checkpoint-interval T
                           take a checkpoint every T, e.g. 200ms, 10s, 1min
                           (execution.checkpointing.interval; needs a checkpoint directory)
      --checkpoint-dir DIR where checkpoints go (state.checkpoints.dir)
      --resume             start from the newest intact checkpoint in the checkpoint directory
                           (execution.restore-from-latest-checkpoint; needs --checkpoint-dir)
  -s, --from-savepoint PATH
                           start from a savepoint or retained checkpoint (execution.savepoint.path);
                           Flink's --fromSavepoint is accepted too
      --allow-non-restored-state
                           skip savepoint state of operators the job no longer has
                           (execution.savepoint.ignore-unclaimed-state; also --allowNonRestoredState)
      --state-backend heap|level
                           where keyed state lives (state.backend.type); level needs @runnel/state-level
      --savepoint-on-stop [DIR]
                           on Ctrl-C/SIGTERM, stop the job with a savepoint under DIR (default:
                           state.savepoints.dir, else the checkpoint directory) instead of canceling it,
                           print its path and exit with 0; a second Ctrl-C cancels at once

Exit codes: 0 finished (also when stopped with a savepoint), 1 failed, 2 bad command line, 130 canceled with
Ctrl-C (143 with SIGTERM).
`;

/**
 * `runnel sql --help`.
 *
 * @public
 */
export const SQL_HELP = `Usage: runnel sql [-f script.sql] [options]

Runs Flink SQL: CREATE TABLE / VIEW, SET, INSERT INTO, SELECT, EXPLAIN, SHOW, DESCRIBE, EXECUTE STATEMENT SET.
Without -f, reads statements interactively (end each with ;). An INSERT runs until its sources end or Ctrl-C
(which stops it with a savepoint when state.savepoints.dir is set); a SELECT shows its result in
sql-client.execution.result-mode (table, changelog or tableau; tableau in scripts).

Options:
  -f, --file <script.sql>   run the script's statements in order; exit 1 at the first that fails
  -i, --init <init.sql>     run this script first (DDL, SET), then the script or the prompt
  -D <key>=<value>          a session option, as SET does (repeatable): parallelism.default,
                            execution.checkpointing.interval, state.checkpoints.dir, table.local-time-zone, ...
  -p, --parallelism <n>     the same as -D parallelism.default=<n>
      --verbose             stack traces with errors
  -h, --help                show this help

Example:
  runnel sql -f examples/app-metrics/metrics.sql
`;
