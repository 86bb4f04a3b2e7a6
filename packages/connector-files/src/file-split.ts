// The split of the file source: one file, with the position of the next line to read. Positions are byte offsets
// (not character or line counts) so that a restore seeks directly instead of re-scanning the file; the line
// number travels along only to keep error messages (`file:line`) right after a restore.
import type { SourceSplit } from '@runnel/api/connector';

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
