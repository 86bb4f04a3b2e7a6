// Errors raised by the user's own code before a job runs — while its module loads, while the job function builds
// the graph, or while the job starts — reported at the user's frame (`file:line:col`) instead of as a bare message
// ("Cannot read properties of undefined") or a long stack through the runtime. The frame is found in the error's
// stack: the first frame that is neither node's, nor a dependency's (node_modules), nor Runnel's own code.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * One frame of a V8 stack trace.
 *
 * @public
 */
export interface StackFrame {
  /** The function (`submitJob`, `new FileSource`, `<anonymous>`), or undefined for a bare location. */
  readonly fn: string | undefined;
  /** A file path, a `file:` URL, or a non-file location such as `node:internal/...`. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Where the user's code failed.
 *
 * @public
 */
export type JobErrorPhase = 'load' | 'build' | 'start';

/**
 * An error of the user's job code, located and phrased for the command line.
 *
 * @public
 */
export interface JobErrorReport {
  readonly phase: JobErrorPhase;
  /** `error while building the job graph in src/job.ts:9:17: TypeError: Cannot read ...`. */
  readonly headline: string;
  /** Further user frames (innermost first), as `at fn (file:line:col)`, when the error passed several. */
  readonly frames: readonly string[];
  /** What to do about a module that cannot load where it is (no Runnel packages, not an ES module). */
  readonly hints: readonly string[];
}

// `at fn (location)`, `at async fn (location)`, `at location`; the location ends in `:line:column`.
const FRAME = /^\s*at (?:async )?(?:(.+?) \((.+):(\d+):(\d+)\)|(.+):(\d+):(\d+))$/;

/**
 * Parses the frames of a V8 stack trace (lines that are not frames, such as the message, are skipped).
 *
 * @public
 */
export function parseStack(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (m === null) continue;
    if (m[2] !== undefined) frames.push({ fn: m[1], file: m[2], line: Number(m[3]), column: Number(m[4]) });
    else frames.push({ fn: undefined, file: m[5]!, line: Number(m[6]), column: Number(m[7]) });
  }
  return frames;
}

/** A frame's file as a path, or undefined when it is not a file (node internals, `<anonymous>`, eval). */
function framePath(file: string): string | undefined {
  if (file.startsWith('file:')) {
    try {
      return fileURLToPath(file);
    } catch {
      return undefined;
    }
  }
  return isAbsolute(file) ? file : undefined;
}

/** The CLI's own directory: its frames (run-command, main) sit below every job error and are not the user's. */
const CLI_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI_CODE = ['src', 'bin', 'dist'].map((d) => join(CLI_ROOT, d) + sep);

/** The nearest package.json above a file (its path and package name), cached per directory. */
class PackageLookup {
  private readonly byDir = new Map<string, { path: string; name: string | undefined } | undefined>();

  of(file: string): { path: string; name: string | undefined } | undefined {
    return this.dirLookup(dirname(file));
  }

  private dirLookup(dir: string): { path: string; name: string | undefined } | undefined {
    if (this.byDir.has(dir)) return this.byDir.get(dir);
    let found: { path: string; name: string | undefined } | undefined;
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      let name: string | undefined;
      try {
        name = (JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name;
      } catch {
        name = undefined;
      }
      found = { path: pj, name };
    } else {
      const parent = dirname(dir);
      found = parent === dir ? undefined : this.dirLookup(parent);
    }
    this.byDir.set(dir, found);
    return found;
  }
}

/**
 * Tells the user's frames from node's, dependencies' and Runnel's: a frame is the user's when its file is a real
 * file outside every `node_modules` and outside the CLI, and its package is not a Runnel package — unless it is
 * the job module's own package (a job kept inside this repository, such as the examples, is user code).
 *
 * @internal
 */
export function userFrameTest(jobPath: string): (frame: StackFrame) => boolean {
  const packages = new PackageLookup();
  const jobPackage = packages.of(jobPath)?.path;
  return (frame) => {
    const path = framePath(frame.file);
    if (path === undefined) return false;
    if (path === jobPath) return true;
    if (path.split(sep).includes('node_modules')) return false;
    if (CLI_CODE.some((d) => path.startsWith(d))) return false;
    const pkg = packages.of(path);
    return pkg === undefined || pkg.path === jobPath || pkg.path === jobPackage || !(pkg.name ?? '').startsWith('@runnel/');
  };
}

/** The path as the user would type it: relative to the working directory when inside it. */
function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function errorName(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  return e.name && e.name !== 'Error' ? `${e.name}: ${e.message}` : e.message;
}

// tsx compiles TypeScript with esbuild and rethrows its failure as `TransformError: Transform failed with N error(s):`
// followed by esbuild's lines `<file>:<line>:<column>: ERROR: <text>` (column 0-based).
const TRANSFORM_ERROR = /^Transform failed with \d+ errors?:\n(.+?):(\d+):(\d+): ERROR: (.+)$/m;

/** The first error of a failed TypeScript transform (a syntax error), when `e` is one. */
function transformError(e: unknown): { file: string; line: number; column: number; text: string } | undefined {
  if (!(e instanceof Error)) return undefined;
  const m = TRANSFORM_ERROR.exec(e.message);
  const file = m ? framePath(m[1]!) : undefined;
  return file === undefined ? undefined : { file, line: Number(m![2]), column: Number(m![3]), text: `syntax error: ${m![4]}` };
}

// Node decorates errors raised while linking a module (a missing export) with `<file>:<line>` as the first line of
// the stack, followed by the source line and a caret; the frames are node's own.
const DECORATED_LOCATION = /^((?:file:\/\/)?\/.+|[A-Za-z]:\\.+):(\d+)\n/;

/**
 * Locates an error raised by the user's code while a job module was loaded (`phase` `load`) or while
 * `submitJob` loaded, built and started it (`submit`), and phrases it. In `submit`, the job function is the frame
 * that `submitJob` called, so an error whose user frames end right above `submitJob` happened while building the
 * graph; other user frames under `submitJob` ran while the job started (a source's enumerator, say). Returns
 * undefined when no user code is involved: then the error's own message says where it came from.
 *
 * @public
 */
export function describeJobError(error: unknown, phase: 'load' | 'submit', jobPath: string, cwd: string): JobErrorReport | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frames = parseStack(stack);
  const isUser = userFrameTest(jobPath);
  const first = frames.findIndex(isUser);
  const at = (f: StackFrame): string => `${displayPath(framePath(f.file)!, cwd)}:${f.line}:${f.column}`;
  let location: string | undefined = first >= 0 ? at(frames[first]!) : undefined;
  let message = errorName(error);
  const syntax = transformError(error);
  if (syntax !== undefined) {
    location = `${displayPath(syntax.file, cwd)}:${syntax.line}:${syntax.column + 1}`;
    message = syntax.text;
  }
  if (location === undefined) {
    const decorated = DECORATED_LOCATION.exec(stack);
    const path = decorated ? framePath(decorated[1]!) : undefined;
    if (path !== undefined) location = `${displayPath(path, cwd)}:${decorated![2]}`;
  }
  let reportPhase: JobErrorPhase;
  if (phase === 'load') {
    reportPhase = 'load';
    location ??= displayPath(jobPath, cwd);
  } else {
    if (first < 0) return undefined;
    const built = frames.some((f, i) => i > 0 && f.fn === 'submitJob' && isUser(frames[i - 1]!));
    reportPhase = built ? 'build' : 'start';
  }
  const what = { load: 'loading the job module', build: 'building the job graph', start: 'starting the job' }[reportPhase];
  // The user's frames below the first one, while they stay the user's: a helper's caller, the job function.
  const more: string[] = [];
  if (first >= 0) {
    for (let i = first; i < frames.length && isUser(frames[i]!) && more.length < 8; i++) more.push(`at ${frames[i]!.fn ?? '<anonymous>'} (${at(frames[i]!)})`);
  }
  const hints = reportPhase === 'load' ? loadHints(error, jobPath, cwd) : [];
  return { phase: reportPhase, headline: `error while ${what} in ${location}: ${message}`, frames: more.length > 1 ? more : [], hints };
}

/**
 * Hints for the two ways a job file outside a project fails to load: the Runnel packages are not installed where
 * node looks for them, or the file is loaded as CommonJS (no `"type": "module"`), which tsx reports as a
 * `require()` cycle of an ES module.
 */
function loadHints(error: unknown, jobPath: string, cwd: string): string[] {
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : '';
  const project = "create a project with 'runnel new <dir>', run 'npm install' in it and put the job into its src/";
  const missing = /Cannot find package '(@runnel\/[^']+)'/.exec(message);
  if (code === 'ERR_MODULE_NOT_FOUND' && missing !== null) {
    return [`hint: ${missing[1]} is not installed where ${displayPath(jobPath, cwd)} can import it (node_modules of its directory or above): ${project}`];
  }
  if (code === 'ERR_REQUIRE_CYCLE_MODULE' || code === 'ERR_REQUIRE_ESM' || /Cannot require\(\) ES Module/.test(message)) {
    const pkg = new PackageLookup().of(jobPath)?.path;
    const where = pkg === undefined ? 'no package.json above it says' : `${displayPath(pkg, cwd)} does not say`;
    return [`hint: ${displayPath(jobPath, cwd)} is loaded as CommonJS because ${where} "type": "module"; ${project} (or add "type": "module" to a package.json)`];
  }
  return [];
}
