// Command-line parsing for `runnel`, on node:util's parseArgs (no CLI framework: one dependency less, and the
// command set is small). Pure: turns argv into a command description or throws a UsageError.
import { parseArgs } from 'node:util';
import { ConfigurationError, parseDuration } from '@runnel/api/config';
import { configFromOptions } from '@runnel/runtime';
import type { NewCommandOptions } from './new-command.js';
import type { SqlCommandOptions } from './sql-command.js';

/**
 * Options of `runnel run`.
 *
 * @public
 */
export interface RunCommandOptions {
  /** The job module (a .ts, .mts, .js or .mjs file), as given on the command line. */
  readonly jobPath: string;
  /** The export that holds the job function (default: the default export). */
  readonly exportName: string | undefined;
  /** Overrides the job's name. */
  readonly jobName: string | undefined;
  /** The job function's `args` object (from `--arg key=value`). */
  readonly args: Readonly<Record<string, string | number | boolean>>;
  /** Flink-style runtime options (from `-D key=value` and `--parallelism`). */
  readonly options: Readonly<Record<string, string | number>>;
  readonly quiet: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  /** `--savepoint-on-stop [dir]`: on SIGINT/SIGTERM, stop with a savepoint instead of canceling. */
  readonly savepointOnStop: SavepointOnStop | undefined;
}

/**
 * What `--savepoint-on-stop` asked for.
 *
 * @public
 */
export interface SavepointOnStop {
  /**
   * The parent directory of the savepoint (as given; relative paths resolve against the working directory);
   * undefined: `state.savepoints.dir`, else the checkpoint directory.
   */
  readonly directory: string | undefined;
}

/**
 * A parsed command line.
 *
 * @public
 */
export type Command =
  | { readonly kind: 'help'; readonly topic: HelpTopic | undefined }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly run: RunCommandOptions }
  | { readonly kind: 'new'; readonly new: NewCommandOptions }
  | { readonly kind: 'sql'; readonly sql: SqlCommandOptions };

/**
 * A command with its own help (`runnel <command> --help`).
 *
 * @public
 */
export type HelpTopic = 'run' | 'new' | 'sql';

/**
 * A command line that cannot be understood; the CLI prints the message and a usage hint and exits with 2.
 *
 * @public
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help fits the error. */
    readonly topic: HelpTopic | undefined = undefined,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

// Plain decimal numbers only: "0x10", "1e3", "007" or "" stay strings, because an id or a zip code that happens to
// look numeric must not change its value.
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * The value of an `--arg`: decimal numbers become numbers, `true`/`false` booleans, anything else stays a string.
 *
 * @public
 */
export function parseArgValue(text: string): string | number | boolean {
  if (NUMBER.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n) || !Number.isInteger(n)) return n;
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}

/**
 * Splits `key=value` at the first `=`; the key must be non-empty.
 *
 * @public
 */
export function parseKeyValue(text: string, flag: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag} expects key=value, got '${text}'`, 'run');
  return [text.slice(0, eq).trim(), text.slice(eq + 1)];
}

/** The state backends `--state-backend` accepts (`state.backend.type`). */
const STATE_BACKENDS = ['heap', 'level'];

/**
 * Checks a flag's duration in the runtime's grammar (Flink's: `200ms`, `10 s`, `1min`, `1h`; a plain number is
 * milliseconds) and returns it trimmed; a typo is a usage error (exit 2) rather than a failed run.
 */
function checkDuration(text: string, flag: string): string {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch {
    ms = Number.NaN;
  }
  if (!(ms > 0)) throw new UsageError(`${flag} expects a positive duration like '200ms', '10s' or '1min', got '${text}'`, 'run');
  return text.trim();
}

/**
 * Checks the runtime options of a run (from `-D` and the flags) against the runtime's declarations, so that an
 * unknown key or a bad value is a usage error with the closest valid key, before anything is loaded. The
 * `state.backend.level.*` options belong to the backend, which checks them when the job starts.
 */
function checkRuntimeOptions(options: Readonly<Record<string, string | number>>): void {
  try {
    configFromOptions(options);
  } catch (e) {
    if (e instanceof ConfigurationError) throw new UsageError(e.message, 'run');
    throw e;
  }
}

const SAVEPOINT_ON_STOP = '--savepoint-on-stop';

/**
 * `--savepoint-on-stop` takes an optional directory, which node's parseArgs cannot express: rewrite it to the
 * `--savepoint-on-stop=<dir>` form first. As in Flink's CLI (commons-cli optional arguments), the next token is
 * the directory unless it starts with `-`. Remembers whether the value came from a separate token: if that leaves
 * no job module (`runnel run --savepoint-on-stop job.ts`), the token was the job module after all.
 */
function rewriteOptionalValue(argv: readonly string[]): { args: string[]; separate: string | undefined } {
  const args: string[] = [];
  let separate: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      args.push(...argv.slice(i));
      break;
    }
    if (a !== SAVEPOINT_ON_STOP) {
      args.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('-')) {
      args.push(`${SAVEPOINT_ON_STOP}=${next}`);
      separate = next;
      i++;
    } else {
      args.push(`${SAVEPOINT_ON_STOP}=`);
      separate = undefined;
    }
  }
  return { args, separate };
}

/** What each option of `run` that takes a value needs, for messages that say how to fix a missing value. */
const VALUE_NEEDS: Readonly<Record<string, { readonly flags: readonly string[]; readonly needs: string }>> = {
  parallelism: { flags: ['-p', '--parallelism'], needs: 'a positive integer, e.g. --parallelism 4' },
  export: { flags: ['-e', '--export'], needs: 'an export name, e.g. --export myJob' },
  name: { flags: ['-n', '--name'], needs: "a job name, e.g. --name 'word count'" },
  arg: { flags: ['-a', '--arg'], needs: 'KEY=VALUE, e.g. --arg n=1000' },
  define: { flags: ['-D', '--define'], needs: 'KEY=VALUE, e.g. -D pipeline.auto-watermark-interval=50ms' },
  'from-savepoint': {
    flags: ['-s', '--from-savepoint', '--fromSavepoint'],
    needs: 'a savepoint directory, e.g. --from-savepoint ./savepoints/savepoint-3f09a1-77b2c0d41e9a (the path --savepoint-on-stop printed)',
  },
  'checkpoint-interval': { flags: ['--checkpoint-interval'], needs: 'a duration, e.g. --checkpoint-interval 10s' },
  'checkpoint-dir': { flags: ['--checkpoint-dir'], needs: 'a checkpoint directory, e.g. --checkpoint-dir ./chk' },
  'state-backend': { flags: ['--state-backend'], needs: 'heap or level, e.g. --state-backend level' },
};

/** `<flag> needs <what>`: the message for an option whose value is missing or empty. */
function needsValue(flag: string, detail: string): UsageError {
  const entry = Object.values(VALUE_NEEDS).find((e) => e.flags.includes(flag));
  return new UsageError(`${flag} needs ${entry?.needs ?? 'a value'} (${detail})`, 'run');
}

/**
 * Finds options whose value is missing before parseArgs does: parseArgs calls a following option "ambiguous"
 * (`--from-savepoint --resume`, which is what `--from-savepoint $DIR` becomes when the variable is empty) and a
 * missing last value "argument missing", neither of which says what the option needs.
 */
function checkValuesPresent(args: readonly string[]): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return;
    if (!Object.values(VALUE_NEEDS).some((e) => e.flags.includes(a))) continue;
    const next = args[i + 1];
    if (next === undefined) throw needsValue(a, 'it is the last word of the command line');
    // A lone '-' is a value (stdin, by convention); anything else starting with '-' is the next option.
    if (next.startsWith('-') && next !== '-') {
      throw needsValue(a, `got the option '${next}' instead: is a variable empty? A value starting with '-' is written ${a.startsWith('--') ? `${a}=-value` : `${a}-value`}`);
    }
    i++;
  }
}

function parseRun(argv: readonly string[]): Command {
  const rewritten = rewriteOptionalValue(argv);
  checkValuesPresent(rewritten.args);
  let parsed;
  try {
    parsed = parseArgs({
      args: rewritten.args,
      allowPositionals: true,
      strict: true,
      options: {
        parallelism: { type: 'string', short: 'p' },
        export: { type: 'string', short: 'e' },
        name: { type: 'string', short: 'n' },
        arg: { type: 'string', short: 'a', multiple: true },
        define: { type: 'string', short: 'D', multiple: true },
        quiet: { type: 'boolean', short: 'q' },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        'from-savepoint': { type: 'string', short: 's' },
        // Flink's own spellings (`flink run --fromSavepoint <path> --allowNonRestoredState`), so that commands
        // carry over.
        fromSavepoint: { type: 'string' },
        'allow-non-restored-state': { type: 'boolean' },
        allowNonRestoredState: { type: 'boolean' },
        'checkpoint-interval': { type: 'string' },
        'checkpoint-dir': { type: 'string' },
        resume: { type: 'boolean' },
        'state-backend': { type: 'string' },
        'savepoint-on-stop': { type: 'string' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'run');
  }
  const { values } = parsed;
  let positionals = parsed.positionals;
  let savepointOnStop: SavepointOnStop | undefined;
  if (values['savepoint-on-stop'] !== undefined) {
    let dir: string | undefined = values['savepoint-on-stop'];
    if (positionals.length === 0 && rewritten.separate !== undefined && dir === rewritten.separate) {
      positionals = [dir];
      dir = undefined;
    }
    savepointOnStop = { directory: dir === undefined || dir.trim() === '' ? undefined : dir };
  }
  if (values.help) return { kind: 'help', topic: 'run' };
  if (positionals.length === 0) throw new UsageError('missing the job module: runnel run <job.ts|job.js>', 'run');
  if (positionals.length > 1) throw new UsageError(`expected one job module, got: ${positionals.join(' ')}`, 'run');

  const options: Record<string, string | number> = {};
  for (const d of values.define ?? []) {
    const [k, v] = parseKeyValue(d, '-D');
    options[k] = v.trim();
  }
  if (values.parallelism !== undefined) {
    const p = values.parallelism.trim();
    if (!/^[1-9]\d*$/.test(p)) throw new UsageError(`--parallelism expects a positive integer, got '${values.parallelism}'`, 'run');
    // The explicit flag wins over a -D parallelism.default given in the same command.
    options['parallelism.default'] = Number(p);
  }
  const args: Record<string, string | number | boolean> = {};
  for (const a of values.arg ?? []) {
    const [k, v] = parseKeyValue(a, '--arg');
    args[k] = parseArgValue(v);
  }
  if (values.export !== undefined && values.export.trim() === '') throw needsValue('--export', 'got an empty value');
  applyStateOptions(values, options);
  checkRuntimeOptions(options);
  return {
    kind: 'run',
    run: {
      jobPath: positionals[0]!,
      exportName: values.export,
      jobName: values.name,
      args,
      options,
      quiet: values.quiet ?? false,
      json: values.json ?? false,
      verbose: values.verbose ?? false,
      savepointOnStop,
    },
  };
}

/** The checkpoint, savepoint and state-backend flags of `run`, as parsed by parseArgs. */
interface StateFlags {
  readonly 'from-savepoint'?: string;
  readonly fromSavepoint?: string;
  readonly 'allow-non-restored-state'?: boolean;
  readonly allowNonRestoredState?: boolean;
  readonly 'checkpoint-interval'?: string;
  readonly 'checkpoint-dir'?: string;
  readonly resume?: boolean;
  readonly 'state-backend'?: string;
}

/** Maps the state flags to their option keys; like `--parallelism`, an explicit flag wins over the same `-D`. */
function applyStateOptions(values: StateFlags, options: Record<string, string | number>): void {
  const nonEmpty = (v: string | undefined, flag: string): string | undefined => {
    if (v === undefined) return undefined;
    if (v.trim() === '') throw needsValue(flag, 'got an empty value');
    return v;
  };
  const a = nonEmpty(values['from-savepoint'], '--from-savepoint');
  const b = nonEmpty(values.fromSavepoint, '--fromSavepoint');
  if (a !== undefined && b !== undefined && a !== b) throw new UsageError('--from-savepoint is given twice with different paths', 'run');
  const savepoint = a ?? b;
  if (savepoint !== undefined) options['execution.savepoint.path'] = savepoint;
  if (values['allow-non-restored-state'] || values.allowNonRestoredState) options['execution.savepoint.ignore-unclaimed-state'] = 'true';
  if (values['checkpoint-interval'] !== undefined) {
    options['execution.checkpointing.interval'] = checkDuration(values['checkpoint-interval'], '--checkpoint-interval');
  }
  const dir = nonEmpty(values['checkpoint-dir'], '--checkpoint-dir');
  if (dir !== undefined) options['state.checkpoints.dir'] = dir;
  if (values['state-backend'] !== undefined) {
    const backend = values['state-backend'].trim();
    if (!STATE_BACKENDS.includes(backend)) {
      throw new UsageError(`--state-backend expects one of ${STATE_BACKENDS.join(', ')}, got '${values['state-backend']}'`, 'run');
    }
    options['state.backend.type'] = backend;
  }
  if (values.resume) {
    // Resuming means "the newest checkpoint in the checkpoint directory": without one there is nothing to find.
    if (options['state.checkpoints.dir'] === undefined) {
      throw new UsageError('--resume needs a checkpoint directory (--checkpoint-dir <dir> or -D state.checkpoints.dir=<dir>)', 'run');
    }
    // Two sources of state would be ambiguous (the runtime would silently prefer the savepoint).
    if (options['execution.savepoint.path'] !== undefined) throw new UsageError('--resume and --from-savepoint exclude each other', 'run');
    options['execution.restore-from-latest-checkpoint'] = 'true';
  }
}

function parseSql(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: false,
      strict: true,
      options: {
        file: { type: 'string', short: 'f' },
        init: { type: 'string', short: 'i' },
        define: { type: 'string', short: 'D', multiple: true },
        parallelism: { type: 'string', short: 'p' },
        verbose: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'sql');
  }
  const { values } = parsed;
  if (values.help) return { kind: 'help', topic: 'sql' };
  const options: Record<string, string | number> = {};
  for (const d of values.define ?? []) {
    const eq = d.indexOf('=');
    if (eq <= 0) throw new UsageError(`-D needs key=value, got '${d}'`, 'sql');
    options[d.slice(0, eq).trim()] = d.slice(eq + 1).trim();
  }
  if (values.parallelism !== undefined) {
    if (!/^[1-9]\d*$/.test(values.parallelism)) throw new UsageError(`--parallelism needs a positive integer, got '${values.parallelism}'`, 'sql');
    options['parallelism.default'] = values.parallelism;
  }
  if (values.file !== undefined && values.file.trim() === '') throw new UsageError('-f needs a script file', 'sql');
  return { kind: 'sql', sql: { file: values.file, init: values.init, options, verbose: values.verbose ?? false } };
}

function parseNew(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { name: { type: 'string', short: 'n' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'new');
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help', topic: 'new' };
  if (positionals.length === 0) throw new UsageError('missing the project directory: runnel new <dir>', 'new');
  if (positionals.length > 1) throw new UsageError(`expected one project directory, got: ${positionals.join(' ')}`, 'new');
  if (positionals[0]!.trim() === '') throw new UsageError('the project directory is empty: runnel new <dir>', 'new');
  if (values.name !== undefined && values.name.trim() === '') throw new UsageError('--name needs a package name, e.g. --name my-job (got an empty value)', 'new');
  return { kind: 'new', new: { directory: positionals[0]!, name: values.name?.trim() } };
}

/**
 * Parses the arguments after `runnel` (i.e. `process.argv.slice(2)`).
 *
 * @public
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { kind: 'help', topic: undefined };
  if (first === '--version' || first === '-v' || first === '-V') return { kind: 'version' };
  if (first === 'help') {
    if (rest[0] === undefined) return { kind: 'help', topic: undefined };
    if (rest[0] === 'run' || rest[0] === 'new' || rest[0] === 'sql') return { kind: 'help', topic: rest[0] };
    throw new UsageError(`unknown command '${rest[0]}'`);
  }
  if (first === 'run') return parseRun(rest);
  if (first === 'new') return parseNew(rest);
  if (first === 'sql') return parseSql(rest);
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`);
  throw new UsageError(`unknown command '${first}'`);
}
