// How the file source turns lines into records. The reader finds the lines (on bytes, chunk by chunk) and hands
// each non-blank one to a decoder with its file and 1-based line number, so that every error can say `file:line`.
// The DataStream source parses JSON (`json-line-decoder.ts`); a SQL table plugs in its format's decoder, which may
// emit several records for one line, or none (a skipped or dead-lettered line).

/**
 * The file a line comes from. `size` and `modificationTime` are filled in only for a decoder that asks for them
 * (`needsFileStats`): they cost a `stat` per file.
 *
 * @public
 */
export interface SourceFile {
  /** The path, as listed (also the split id). */
  readonly path: string;
  /** Bytes, when the reader opened the file. */
  readonly size?: number;
  /** Last modification, epoch milliseconds. */
  readonly modificationTime?: number;
}

/**
 * Decodes the lines of files into records.
 *
 * @public
 */
export interface LineDecoder<T> {
  /** Whether the reader must `stat` each file before its first line (for {@link SourceFile}'s size and time). */
  readonly needsFileStats?: boolean;
  /**
   * Decodes one non-blank line (without its line ending) and emits its records, synchronously. Throwing fails the
   * job; the error should name `file.path` and `line`.
   */
  decode(text: string, emit: (record: T) => void, file: SourceFile, line: number): void;
}
