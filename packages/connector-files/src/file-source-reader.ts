// The reader of the file source: reads one split (file) at a time, asynchronously and one chunk ahead, and
// emits records from the chunk already in memory when polled. Decoding happens inside the synchronous `pollNext`
// (not when a chunk arrives) so that the reader's position is always "right after the last decoded line": a
// snapshot between two polls is exact, and a chunk is never decoded into objects that wait in memory. Lines go to
// a `LineDecoder` (JSON by default; a SQL table's format) with their file and line number.
import { open, type FileHandle } from 'node:fs/promises';
import type { InputStatus, ReaderOutput, SourceReader, SourceReaderContext } from '@runnel/api/connector';
import { AvailabilitySignal } from './availability-signal.js';
import type { FileSplit } from './file-split.js';
import { JsonLineDecoder } from './json-line-decoder.js';
import type { LineDecoder, SourceFile } from './line-decoder.js';
import { readLineChunk, type LineChunk } from './line-chunk.js';
import { FileDefaults } from './options.js';

/**
 * Settings of the {@link FileSourceReader}.
 *
 * @public
 */
export interface FileSourceReaderSettings<T = unknown> {
  /** Turns lines into records; default: JSON lines ({@link JsonLineDecoder}). */
  readonly decoder?: LineDecoder<T>;
  /** JSON lines: skip malformed lines (counted in `numRecordsInErrors`) instead of failing. Default false. */
  readonly ignoreParseErrors?: boolean;
  /** Bytes per read; default 1 MiB. Small values are for tests. */
  readonly readChunkSize?: number;
  /** Records emitted per `pollNext` at most; default 1024. */
  readonly maxRecordsPerPoll?: number;
}

interface ActiveSplit<T> {
  readonly split: FileSplit;
  readonly output: ReaderOutput<T>;
  /** Emits a decoded record through `output` and counts it against the poll's budget. */
  readonly emit: (record: T) => void;
  /** The file, with its size and time once stat'ed (for decoders that need them). */
  file: SourceFile;
  handle: FileHandle | undefined;
  /** The chunk being emitted. */
  chunk: LineChunk | undefined;
  /** Next unread byte in `chunk.buf`, always at a line start. */
  pos: number;
  /** Line number at `pos`. */
  line: number;
  /** The chunk read ahead, waiting for `chunk` to be used up. */
  next: LineChunk | undefined;
  /** The last chunk read (the next read continues after it). */
  lastRead: LineChunk | undefined;
  /** The open or read in flight; never rejects. */
  io: Promise<void> | undefined;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

/** Whether a line can be blank: it starts with whitespace or a non-ASCII byte (which may be Unicode whitespace). */
function mayBeBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === CR || byte === 0x0b || byte === 0x0c || byte >= 0x80;
}

function isBlank(text: string): boolean {
  return text.trim().length === 0;
}

/**
 * Reads JSON-lines files split by split.
 *
 * @public
 */
export class FileSourceReader<T = unknown> implements SourceReader<T, FileSplit> {
  private readonly queue: FileSplit[] = [];
  private active: ActiveSplit<T> | undefined;
  private noMoreSplits = false;
  private requestOutstanding = false;
  private failed = false;
  private failure: unknown;
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly closingHandles = new Set<Promise<void>>();
  private readonly signal = new AvailabilitySignal();
  private readonly decoder: LineDecoder<T>;
  private readonly chunkSize: number;
  private readonly maxRecordsPerPoll: number;
  /** Records emitted so far (the emit callbacks count them, so that a poll can stop at its budget). */
  private emitted = 0;

  constructor(
    private readonly context: SourceReaderContext,
    settings: FileSourceReaderSettings<T> = {},
  ) {
    this.decoder = settings.decoder ?? new JsonLineDecoder<T>(settings.ignoreParseErrors ?? false, context.metricGroup.counter('numRecordsInErrors'));
    this.chunkSize = settings.readChunkSize ?? FileDefaults.readChunkSize;
    this.maxRecordsPerPoll = settings.maxRecordsPerPoll ?? FileDefaults.maxRecordsPerPoll;
    if (!(this.chunkSize >= 1) || !(this.maxRecordsPerPoll >= 1)) {
      throw new Error('filesystem source: readChunkSize and maxRecordsPerPoll must be at least 1');
    }
  }

  start(): void {
    if (this.active === undefined && this.queue.length === 0) this.requestSplit();
  }

  addSplits(splits: readonly FileSplit[]): void {
    this.queue.push(...splits);
    this.requestOutstanding = false;
    this.signal.notify();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.requestOutstanding = false;
    this.signal.notify();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.failed) throw this.failure;
    let budget = this.maxRecordsPerPoll;
    for (;;) {
      const a = this.active;
      if (a === undefined) {
        const split = this.queue.shift();
        if (split !== undefined) {
          this.activate(split, output);
          continue;
        }
        if (this.noMoreSplits) return 'end-of-input';
        this.requestSplit();
        return 'nothing-available';
      }
      const chunk = a.chunk;
      if (chunk !== undefined && a.pos < chunk.end) {
        budget = this.emit(a, chunk, budget);
        if (budget === 0) return 'more-available';
      } else if (chunk !== undefined && chunk.final) {
        this.finish(a, output);
      } else if (a.next !== undefined) {
        this.install(a, a.next);
      } else {
        return 'nothing-available'; // the next chunk is being read
      }
    }
  }

  isAvailable(): Promise<void> {
    if (this.failed || this.closed || this.hasWork()) return Promise.resolve();
    return this.signal.promise();
  }

  private hasWork(): boolean {
    const a = this.active;
    if (a === undefined) return this.queue.length > 0 || this.noMoreSplits;
    const chunk = a.chunk;
    return a.next !== undefined || (chunk !== undefined && (a.pos < chunk.end || chunk.final));
  }

  snapshotState(_checkpointId: number): FileSplit[] {
    const result: FileSplit[] = [];
    const a = this.active;
    if (a !== undefined) {
      const chunk = a.chunk;
      result.push(
        chunk === undefined
          ? a.split
          : { splitId: a.split.splitId, path: a.split.path, offset: chunk.fileOffset + a.pos, line: a.line },
      );
    }
    result.push(...this.queue);
    return result;
  }

  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    this.closed = true;
    this.signal.notify();
    const a = this.active;
    this.active = undefined;
    if (a !== undefined) {
      await a.io;
      await a.handle?.close().catch(() => undefined);
    }
    await Promise.all(this.closingHandles);
  }

  private requestSplit(): void {
    if (this.requestOutstanding || this.noMoreSplits || this.closed) return;
    this.requestOutstanding = true;
    this.context.sendSplitRequest();
  }

  private activate(split: FileSplit, output: ReaderOutput<T>): void {
    const splitOutput = output.createOutputForSplit(split.splitId);
    const a: ActiveSplit<T> = {
      split,
      output: splitOutput,
      emit: (record) => {
        splitOutput.collect(record);
        this.emitted++;
      },
      file: { path: split.path },
      handle: undefined,
      chunk: undefined,
      pos: 0,
      line: split.line,
      next: undefined,
      lastRead: undefined,
      io: undefined,
    };
    this.active = a;
    this.fetch(a);
  }

  /** Starts reading the chunk after `a.lastRead` (opening the file first if needed). */
  private fetch(a: ActiveSplit<T>): void {
    const read = async (): Promise<void> => {
      if (a.handle === undefined) {
        a.handle = await open(a.split.path, 'r');
        if (this.decoder.needsFileStats) {
          const s = await a.handle.stat();
          a.file = { path: a.split.path, size: s.size, modificationTime: s.mtimeMs };
        }
      }
      const chunk = await readLineChunk(a.handle, a.lastRead, a.split.offset, this.chunkSize);
      a.lastRead = chunk;
      a.next = chunk;
      // Pipelining: the file is fully read, so ask for the next one while the rest is being emitted.
      if (chunk.final && this.queue.length === 0) this.requestSplit();
    };
    a.io = read().then(
      () => {
        a.io = undefined;
        this.signal.notify();
      },
      (error: unknown) => {
        a.io = undefined;
        if (this.closed) return;
        this.fail(new Error(`filesystem source: cannot read '${a.split.path}': ${String(error)}`, { cause: error }));
      },
    );
  }

  private install(a: ActiveSplit<T>, chunk: LineChunk): void {
    a.chunk = chunk;
    a.next = undefined;
    // A UTF-8 byte order mark is not part of the first line.
    const buf = chunk.buf;
    a.pos = chunk.fileOffset === 0 && buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    if (!chunk.final) this.fetch(a);
  }

  private finish(a: ActiveSplit<T>, output: ReaderOutput<T>): void {
    output.releaseOutputForSplit(a.split.splitId);
    this.active = undefined;
    const handle = a.handle;
    if (handle !== undefined) {
      // Closing a read-only handle cannot lose data; it only has to finish before `close()` resolves.
      const closing: Promise<void> = handle.close().catch(() => undefined);
      this.closingHandles.add(closing);
      void closing.then(() => this.closingHandles.delete(closing));
    }
  }

  /**
   * Decodes lines of `chunk` until `budget` records are emitted or the chunk is used up; returns the budget left.
   * The hot path: no promises here.
   */
  private emit(a: ActiveSplit<T>, chunk: LineChunk, budget: number): number {
    const buf = chunk.buf;
    const end = chunk.end;
    const decoder = this.decoder;
    const stopAt = this.emitted + budget;
    let pos = a.pos;
    let line = a.line;
    while (pos < end && this.emitted < stopAt) {
      const newline = buf.indexOf(NEWLINE, pos);
      let lineEnd: number;
      let next: number;
      if (newline !== -1 && newline < end) {
        lineEnd = newline;
        next = newline + 1;
      } else {
        // Only the final chunk's region ends without a newline: the file's last line.
        lineEnd = end;
        next = end;
      }
      if (lineEnd > pos && buf[lineEnd - 1] === CR) lineEnd--;
      if (lineEnd > pos) {
        const text = buf.toString('utf8', pos, lineEnd);
        if (!(mayBeBlank(buf[pos]!) && isBlank(text))) {
          try {
            decoder.decode(text, a.emit, a.file, line);
          } catch (error) {
            // The position stays at the bad line: the failure is the reader's state from now on.
            a.pos = pos;
            a.line = line;
            this.fail(error);
            throw error;
          }
        }
      }
      pos = next;
      line++;
    }
    a.pos = pos;
    a.line = line;
    return Math.max(0, stopAt - this.emitted);
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = error;
    this.signal.notify();
  }
}
