// Flink's `print` sink: one line per record on stdout (or stderr), prefixed like Flink's PrintSinkOutputWriter:
// `<identifier>:<subtask+1>> ` with an identifier and parallelism > 1, `<identifier>> ` with an identifier only,
// `<subtask+1>> ` with parallelism > 1 only, nothing otherwise. Lines are gathered and written once per
// synchronous batch (a microtask after the first line), so a busy stream costs one write call per batch, not
// per record, while a quiet stream still prints promptly.
import type { Sink, SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api/connector';

/**
 * Where printed text goes.
 *
 * @public
 */
export interface TextWriter {
  write(text: string): void;
}

/**
 * Options of a {@link PrintSink}.
 *
 * @public
 */
export interface PrintSinkOptions<T> {
  /** `print-identifier`: prefix of every line. */
  readonly printIdentifier?: string;
  /** `standard-error`: print to stderr instead of stdout. */
  readonly standardError?: boolean;
  /** Destination (default: `process.stdout` / `process.stderr`); for tests. */
  readonly writer?: TextWriter;
  /** Formats a record (default: strings as is, other values as JSON). */
  readonly format?: (record: T) => string;
}

/** Buffered text beyond which the writer writes without waiting for the end of the batch. */
const MAX_BUFFERED = 1 << 16;

/**
 * Default record formatting: strings as they are, everything else as JSON (bigint as digits).
 *
 * @public
 */
export function formatRecord(record: unknown): string {
  if (typeof record === 'string') return record;
  if (record === undefined) return 'undefined';
  if (typeof record === 'bigint') return record.toString();
  return JSON.stringify(record, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(record);
}

/**
 * The line prefix Flink's print sink uses.
 *
 * @public
 */
export function printPrefix(identifier: string | undefined, subtaskIndex: number, parallelism: number): string {
  const id = identifier ?? '';
  if (parallelism > 1) return id === '' ? `${subtaskIndex + 1}> ` : `${id}:${subtaskIndex + 1}> `;
  return id === '' ? '' : `${id}> `;
}

class PrintSinkWriter<T> implements SinkWriter<T> {
  private buffer = '';
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly prefix: string,
    private readonly writer: TextWriter,
    private readonly format: (record: T) => string,
  ) {}

  write(element: T, _context: SinkRecordContext): void {
    this.buffer += this.prefix + this.format(element) + '\n';
    if (this.buffer.length >= MAX_BUFFERED) {
      this.drain();
    } else if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => {
        this.scheduled = false;
        this.drain();
      });
    }
  }

  flush(_endOfInput: boolean): void {
    this.drain();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.drain();
  }

  private drain(): void {
    if (this.buffer === '') return;
    const text = this.buffer;
    this.buffer = '';
    this.writer.write(text);
  }
}

/**
 * Prints every record as a line.
 *
 * @public
 */
export class PrintSink<T = unknown> implements Sink<T> {
  constructor(private readonly options: PrintSinkOptions<T> = {}) {}

  createWriter(context: SinkWriterContext): SinkWriter<T> {
    const o = this.options;
    const writer: TextWriter = o.writer ?? (o.standardError ? process.stderr : process.stdout);
    const format = o.format ?? (formatRecord as (record: T) => string);
    return new PrintSinkWriter(printPrefix(o.printIdentifier, context.subtaskIndex, context.parallelism), writer, format);
  }
}
