// Command-line parsing for `runnel`, on node:util's parseArgs (no CLI framework: one dependency less, and the
// command set is small). Pure: turns argv into a command description or throws a UsageError.
import { parseArgs } from 'node:util';

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
}

/**
 * A parsed command line.
 *
 * @public
 */
export type Command =
  | { readonly kind: 'help'; readonly topic: 'run' | undefined }
  | { readonly kind: 'version' }
  | { readonly kind: 'run'; readonly run: RunCommandOptions };

/**
 * A command line that cannot be understood; the CLI prints the message and a usage hint and exits with 2.
 *
 * @public
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help fits the error. */
    readonly topic: 'run' | undefined = undefined,
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

function parseRun(argv: readonly string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
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
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message, 'run');
  }
  const { values, positionals } = parsed;
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
  if (values.export !== undefined && values.export.trim() === '') throw new UsageError('--export expects an export name', 'run');
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
    },
  };
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
    if (rest[0] === 'run') return { kind: 'help', topic: 'run' };
    throw new UsageError(`unknown command '${rest[0]}'`);
  }
  if (first === 'run') return parseRun(rest);
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'`);
  throw new UsageError(`unknown command '${first}'`);
}
