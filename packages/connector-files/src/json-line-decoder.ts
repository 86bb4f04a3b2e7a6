// The file source's own format: one JSON value per line, parsed with `JSON.parse` into the record. A malformed line
// fails the job with `path:line: malformed JSON line (reason): <the first 80 characters>`, or, with
// `json.ignore-parse-errors`, is skipped and counted (the reader's `numRecordsInErrors`).
import type { Counter } from '@runnel/api';
import type { LineDecoder, SourceFile } from './line-decoder.js';

const PREVIEW_CHARS = 80;

/**
 * Parses JSON lines.
 *
 * @public
 */
export class JsonLineDecoder<T = unknown> implements LineDecoder<T> {
  constructor(
    /** Skip malformed lines instead of failing. */
    private readonly ignoreParseErrors: boolean,
    /** Counts skipped lines. */
    private readonly errors: Counter,
  ) {}

  decode(text: string, emit: (record: T) => void, file: SourceFile, line: number): void {
    let record: T;
    try {
      record = JSON.parse(text) as T;
    } catch (error) {
      if (this.ignoreParseErrors) {
        this.errors.inc();
        return;
      }
      const shown = text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`${file.path}:${line}: malformed JSON line (${reason}): ${shown}`, { cause: error });
    }
    emit(record);
  }
}
