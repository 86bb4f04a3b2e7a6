// The errors of this package. Restores must be able to tell "this checkpoint is damaged, fall back to an older
// one" (CheckpointCorruptedError) from "the storage is unreachable right now" (any other error, which must not
// cause a silent fallback), so corruption has its own class with a machine-readable `problem`.

/**
 * What is wrong with a corrupted checkpoint file.
 *
 * - `missing`: the file does not exist.
 * - `not-a-file`: the path exists but is not a regular file (e.g. a directory).
 * - `truncated`: shorter than recorded / than its own header says.
 * - `oversized`: longer than recorded (bytes appended).
 * - `checksum-mismatch`: the bytes do not match the recorded checksum.
 * - `malformed`: not in the expected format (bad magic, bad JSON, impossible values, unsafe names).
 * - `unsupported-version`: a format version this build cannot read.
 * - `mismatch`: intact but describes something else (e.g. another checkpoint's metadata).
 *
 * @public
 */
export type CorruptionProblem =
  | 'missing'
  | 'not-a-file'
  | 'truncated'
  | 'oversized'
  | 'checksum-mismatch'
  | 'malformed'
  | 'unsupported-version'
  | 'mismatch';

/**
 * Where a corruption was found; both parts are optional because format decoders see bytes, not files.
 *
 * @public
 */
export interface CorruptionLocation {
  /** The checkpoint, e.g. `chk-5` or a savepoint path. */
  readonly checkpoint?: string;
  /** The file inside the checkpoint, e.g. `_metadata` or `op-a.kg.0`. */
  readonly file?: string;
}

/**
 * A checkpoint (or one of its files) failed verification: it must not be restored.
 *
 * The message names the checkpoint, the file and the problem, e.g.
 * `checkpoint chk-5, file "keyed-0": truncated (size 100 of 4096 bytes)`.
 *
 * @public
 */
export class CheckpointCorruptedError extends Error {
  override readonly name = 'CheckpointCorruptedError';
  readonly problem: CorruptionProblem;
  /** The problem without the location prefix. */
  readonly detail: string;
  readonly checkpoint: string | undefined;
  readonly file: string | undefined;

  constructor(problem: CorruptionProblem, detail: string, where: CorruptionLocation = {}, options?: { cause?: unknown }) {
    super(formatMessage(detail, where), options);
    this.problem = problem;
    this.detail = detail;
    this.checkpoint = where.checkpoint;
    this.file = where.file;
  }

  /** The same error with the location filled in where it was unknown (decoders do not know file names). */
  withLocation(where: CorruptionLocation): CheckpointCorruptedError {
    return new CheckpointCorruptedError(
      this.problem,
      this.detail,
      { checkpoint: this.checkpoint ?? where.checkpoint, file: this.file ?? where.file },
      { cause: this.cause },
    );
  }
}

function formatMessage(detail: string, where: CorruptionLocation): string {
  const parts: string[] = [];
  if (where.checkpoint !== undefined) parts.push(`checkpoint ${where.checkpoint}`);
  if (where.file !== undefined) parts.push(`file "${where.file}"`);
  return parts.length === 0 ? detail : `${parts.join(', ')}: ${detail}`;
}

/**
 * Every completed checkpoint failed verification. `failures` lists them newest first.
 *
 * @public
 */
export class NoIntactCheckpointError extends Error {
  override readonly name = 'NoIntactCheckpointError';
  constructor(
    readonly location: string,
    readonly failures: readonly { readonly ref: string; readonly error: CheckpointCorruptedError }[],
  ) {
    super(`no intact checkpoint in ${location}: ${failures.map((f) => `${f.ref}: ${f.error.file !== undefined ? `file "${f.error.file}": ` : ''}${f.error.detail}`).join('; ')}`);
  }
}
