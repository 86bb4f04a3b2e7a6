// The split of the file source: one file, with the position of the next line to read. Positions are byte offsets
// (not character or line counts) so that a restore seeks directly instead of re-scanning the file; the line
// number travels along only to keep error messages (`file:line`) right after a restore. Splits and enumerator
// state are persisted as `@runnel/codec`'s JSON (readable: a savepoint can be inspected by hand; splits are tiny, so
// speed does not matter) under their own ids, validated when read so that a corrupt or foreign payload fails loudly
// at restore.
import type { SourceSplit } from '@runnel/api/connector';
import type { VersionedSerializer } from '@runnel/api';
import { jsonVersionedSerializer } from '@runnel/codec';

/**
 * One file to read, with the position of the next unread line.
 *
 * @public
 */
export interface FileSplit extends SourceSplit {
  /** The file's path; also the split id, which makes a file's identity stable across directory re-listings. */
  readonly path: string;
  /** Byte offset of the next line to read; always at the start of a line. */
  readonly offset: number;
  /** 1-based line number of the line at `offset`. */
  readonly line: number;
}

/**
 * State of the file split enumerator.
 *
 * @public
 */
export interface FileEnumeratorState {
  /** Discovered splits that are not assigned to a reader yet, in assignment order. */
  readonly pendingSplits: readonly FileSplit[];
  /**
   * Paths of every file discovered so far (assigned or pending). A continuous source never reads a path twice;
   * the set grows with the number of files seen.
   */
  readonly discoveredPaths: readonly string[];
  /** Whether the first listing completed: a restored bounded source then does not list again. */
  readonly initialDiscoveryDone: boolean;
}

/**
 * A split that reads `path` from its beginning.
 *
 * @public
 */
export function fileSplitOf(path: string): FileSplit {
  return { splitId: path, path, offset: 0, line: 1 };
}

function fail(id: string, what: string): never {
  throw new Error(`${id}: invalid payload: ${what}`);
}

function validateSplit(value: unknown, id: string): FileSplit {
  const v = value as Partial<FileSplit> | null;
  if (typeof v !== 'object' || v === null) fail(id, 'not an object');
  if (typeof v.splitId !== 'string' || typeof v.path !== 'string') fail(id, 'splitId and path must be strings');
  if (!Number.isSafeInteger(v.offset) || (v.offset as number) < 0) fail(id, 'offset must be a non-negative integer');
  if (!Number.isSafeInteger(v.line) || (v.line as number) < 1) fail(id, 'line must be a positive integer');
  return { splitId: v.splitId, path: v.path, offset: v.offset as number, line: v.line as number };
}

const SPLIT_ID = 'runnel.files.split';
const STATE_ID = 'runnel.files.enumerator-state';

/**
 * Serializer of {@link FileSplit} (`runnel.files.split`, version 1).
 *
 * @public
 */
export const fileSplitSerializer: VersionedSerializer<FileSplit> = jsonVersionedSerializer(SPLIT_ID, 1, (v) =>
  validateSplit(v, SPLIT_ID),
);

/**
 * Serializer of {@link FileEnumeratorState} (`runnel.files.enumerator-state`, version 1).
 *
 * @public
 */
export const fileEnumeratorStateSerializer: VersionedSerializer<FileEnumeratorState> = jsonVersionedSerializer(
  STATE_ID,
  1,
  (value) => {
    const v = value as Partial<FileEnumeratorState> | null;
    if (typeof v !== 'object' || v === null) fail(STATE_ID, 'not an object');
    if (!Array.isArray(v.pendingSplits) || !Array.isArray(v.discoveredPaths)) fail(STATE_ID, 'missing arrays');
    if (!v.discoveredPaths.every((p) => typeof p === 'string')) fail(STATE_ID, 'discoveredPaths must be strings');
    if (typeof v.initialDiscoveryDone !== 'boolean') fail(STATE_ID, 'initialDiscoveryDone must be a boolean');
    return {
      pendingSplits: v.pendingSplits.map((s) => validateSplit(s, STATE_ID)),
      discoveredPaths: v.discoveredPaths.slice(),
      initialDiscoveryDone: v.initialDiscoveryDone,
    };
  },
);
