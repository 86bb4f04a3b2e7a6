// Names of state files inside a checkpoint directory. They come from the runtime when writing and from metadata on
// disk when reading, and on disk they may have been tampered with or damaged, so they are checked both ways: a
// name is a single path component that cannot climb out of the checkpoint directory or shadow the storage's own
// files.

const MAX_NAME_BYTES = 255;

/**
 * Directory, under the storage's root, of state files that several checkpoints share (incremental checkpoints):
 * a handle whose name is `shared/<file>` refers to it instead of the checkpoint's own directory.
 *
 * @public
 */
export const SHARED_STATE_DIRECTORY = 'shared';

const SHARED_PREFIX = SHARED_STATE_DIRECTORY + '/';

/**
 * Whether a (valid) state file name refers to the shared directory.
 *
 * @public
 */
export function isSharedStateFile(name: string): boolean {
  return name.startsWith(SHARED_PREFIX);
}

/**
 * Why `name` is not acceptable as a state file name, or `undefined` when it is.
 *
 * Rejected: empty names, names over 255 UTF-8 bytes, path separators (`/`, `\`), `..` anywhere, `.` alone, control
 * characters, and names starting with `_` (reserved for the storage: `_metadata`, `_metadata.tmp`). The one
 * accepted path is `shared/<name>` (see {@link SHARED_STATE_DIRECTORY}), with `<name>` under the same rules.
 *
 * @public
 */
export function stateFileNameProblem(name: string): string | undefined {
  if (typeof name === 'string' && name.startsWith(SHARED_PREFIX)) return componentProblem(name.slice(SHARED_PREFIX.length));
  return componentProblem(name);
}

function componentProblem(name: string): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'is empty';
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) return `is longer than ${MAX_NAME_BYTES} bytes`;
  if (name.includes('/') || name.includes('\\')) return 'contains a path separator';
  if (name.includes('..')) return 'contains ".."';
  if (name === '.') return 'is "."';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return 'contains a control character';
  if (name.startsWith('_')) return 'starts with "_" (reserved for the storage\'s own files)';
  return undefined;
}

/**
 * Builds a safe state file name from parts (operator uid, kind, subtask): characters outside `[A-Za-z0-9-]` are
 * percent-encoded and parts are joined with `.`, so distinct inputs give distinct names and any uid is usable.
 *
 * @example `stateFileName('window-agg', 'keyed', 3)` → `window-agg.keyed.3`
 * @public
 */
export function stateFileName(...parts: (string | number)[]): string {
  const name = parts
    .map((p) => String(p).replace(/[^A-Za-z0-9-]/g, (c) => '%' + [...Buffer.from(c, 'utf8')].map((b) => b.toString(16).padStart(2, '0')).join('%')))
    .join('.');
  const problem = stateFileNameProblem(name);
  if (problem !== undefined) throw new RangeError(`state file name "${name}" ${problem}`);
  return name;
}
