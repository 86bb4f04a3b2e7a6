// Names of the sink's part files and the restore-time cleanup of a directory. A part file lives under a hidden
// name while it is in progress and while it is pending (closed, waiting for its checkpoint to complete):
// `.<prefix>-<subtask>-<epoch>-<n><suffix>.inprogress`; the committer renames it to `<prefix>-<subtask>-<cp>-<n><suffix>`.
// The suffix is `.jsonl` for the DataStream sink and `.<format>` for a SQL table's.
//
// - `n` is a per-subtask-index counter, unique in the directory: a writer starts above every file of its index it
//   finds, so names never clash with output of earlier jobs or of abandoned (restored-over) runs.
// - `epoch` is the lowest checkpoint id the file can be committed with: 0 for a fresh writer, `c + 1` after the
//   barrier of checkpoint `c`, `N + 1` after a restore from `N`. Hence, on a restore from checkpoint `N`, a hidden
//   file with `epoch <= N` was opened before barrier `N`, was closed at a barrier `<= N`, and is in a restored
//   committable (or already committed); a hidden file with `epoch > N` holds records after checkpoint `N` that the
//   job replays: it is a stray and is deleted. The decision needs only the file name and `N`, so it does not
//   matter how the runtime redistributes committables and writer states when rescaling.
// - Ownership: each hidden file is cleaned by exactly one subtask of the restored job: the subtask whose index is
//   in its name, and subtask 0 for indices at or above the new parallelism. Only that subtask creates files of
//   an index below the parallelism, and it cleans before it creates, so cleanup never races with new files.
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The checkpoint id the runtime uses for the commit at end of input (Flink's final checkpoint).
 *
 * @internal
 */
export const END_OF_INPUT_CHECKPOINT = Number.MAX_SAFE_INTEGER;

/** How the end-of-input checkpoint appears in final names: readable instead of 9007199254740991. */
const END_TAG = 'end';

/**
 * The suffix of the DataStream sink's part files (JSON lines).
 *
 * @internal
 */
export const DEFAULT_PART_SUFFIX = '.jsonl';

/**
 * The hidden name of an in-progress or pending part file.
 *
 * @internal
 */
export function hiddenPartName(prefix: string, subtask: number, epoch: number, counter: number, suffix = DEFAULT_PART_SUFFIX): string {
  return `.${prefix}-${subtask}-${epoch}-${counter}${suffix}.inprogress`;
}

/**
 * The final (committed, visible) name of a part file.
 *
 * @internal
 */
export function finalPartName(prefix: string, subtask: number, checkpointId: number, counter: number, suffix = DEFAULT_PART_SUFFIX): string {
  const cp = checkpointId === END_OF_INPUT_CHECKPOINT ? END_TAG : String(checkpointId);
  return `${prefix}-${subtask}-${cp}-${counter}${suffix}`;
}

/**
 * What a file name says about a part file of `prefix`.
 *
 * @internal
 */
export type ParsedPartName =
  | { readonly hidden: true; readonly subtask: number; readonly epoch: number; readonly counter: number }
  | { readonly hidden: false; readonly subtask: number; readonly checkpointId: number; readonly counter: number };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Parses a part file name, or returns `undefined` when `name` is not a part file of `prefix`.
 *
 * @internal
 */
export function parsePartName(prefix: string, name: string, suffix = DEFAULT_PART_SUFFIX): ParsedPartName | undefined {
  const p = escapeRegExp(prefix);
  const x = escapeRegExp(suffix);
  // Exactly three numeric segments after the prefix, so that prefix `a` never claims the files of prefix `a-1`.
  const hidden = new RegExp(`^\\.${p}-(\\d+)-(\\d+)-(\\d+)${x}\\.inprogress$`).exec(name);
  if (hidden !== null) {
    return { hidden: true, subtask: Number(hidden[1]), epoch: Number(hidden[2]), counter: Number(hidden[3]) };
  }
  const final = new RegExp(`^${p}-(\\d+)-(\\d+|${END_TAG})-(\\d+)${x}$`).exec(name);
  if (final === null) return undefined;
  const checkpointId = final[2] === END_TAG ? END_OF_INPUT_CHECKPOINT : Number(final[2]);
  return { hidden: false, subtask: Number(final[1]), checkpointId, counter: Number(final[3]) };
}

/**
 * Result of {@link prepareSubtaskFiles}.
 *
 * @internal
 */
export interface SubtaskFiles {
  /** The first counter above every part file of the subtask's index in the directory. */
  readonly nextCounter: number;
  /** Names of the stray files that were deleted. */
  readonly removed: readonly string[];
}

/**
 * Scans `dir` for a starting writer of `subtask`: finds its first free counter and, when `strayEpochAbove` is
 * given (a restore from that checkpoint, or -1 for a restart without checkpoint), deletes the hidden part files
 * this subtask owns whose epoch is above it.
 *
 * @internal
 */
export async function prepareSubtaskFiles(
  dir: string,
  prefix: string,
  subtask: number,
  parallelism: number,
  strayEpochAbove: number | undefined,
  suffix = DEFAULT_PART_SUFFIX,
): Promise<SubtaskFiles> {
  let maxCounter = -1;
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const part = parsePartName(prefix, name, suffix);
    if (part === undefined) continue;
    if (part.subtask === subtask) maxCounter = Math.max(maxCounter, part.counter);
    const owned = part.subtask === subtask || (subtask === 0 && part.subtask >= parallelism);
    if (strayEpochAbove !== undefined && part.hidden && owned && part.epoch > strayEpochAbove) {
      await unlink(join(dir, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      removed.push(name);
    }
  }
  return { nextCounter: maxCounter + 1, removed };
}
