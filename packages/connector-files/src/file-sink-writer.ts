// The writer of the exactly-once file sink. `write` is synchronous and cheap: it encodes the record (JSON by
// default, a table format's encoder for SQL tables), decides rolling on the logical file size and appends the line
// to an in-memory batch. Batches go to the file system
// through one serial promise chain (one promise per batch, not per record), which keeps appends, rolls, closes and
// the restore-time cleanup in order without locks. The bytes not yet written bound memory: above
// `maxBufferedBytes` `isAvailable` returns a promise.
//
// Part files go in-progress → pending → committed (Flink's FileSink): records are appended to a hidden in-progress
// file; rolling or a checkpoint barrier (`prepareCommit`) syncs and closes it, and it becomes pending under the
// same hidden name; `prepareCommit` hands the pending files to the checkpoint as committables; the
// {@link FileCommitter} renames them once the checkpoint completes. The writer never publishes anything itself,
// so a failure at any point leaves only hidden files, which the restored writers delete (see `part-files.ts`).
// Optionally a part file also rolls when it has been open for `rolloverIntervalMs`, checked on a timer every
// `rolloverCheckIntervalMs` (Flink's `sink.rolling-policy.rollover-interval` and `.check-interval`); a roll only
// moves a file to pending, so it never publishes anything early either.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import { AvailabilitySignal } from './availability-signal.js';
import type { FileSinkCommittable, FileSinkWriterState } from './file-sink-state.js';
import { FileDefaults } from './options.js';
import { DEFAULT_PART_SUFFIX, END_OF_INPUT_CHECKPOINT, finalPartName, hiddenPartName, prepareSubtaskFiles } from './part-files.js';
import { syncDirectory } from './sync-directory.js';

/**
 * Settings of a {@link FileSinkWriter}.
 *
 * @public
 */
export interface FileSinkWriterSettings<T = unknown> {
  /** The directory part files are written to; created if missing. */
  readonly path: string;
  /** `sink.rolling-policy.file-size` in bytes; default 128 MiB. */
  readonly rollingFileSize?: number;
  /** `file-name.prefix`; default `part`. */
  readonly fileNamePrefix?: string;
  /** Buffered bytes after which a batch is handed to the file system; default 256 KiB. */
  readonly writeBatchSize?: number;
  /** Bytes not yet written above which `isAvailable` reports back-pressure; default 4 MiB. */
  readonly maxBufferedBytes?: number;
  /**
   * Turns a record into its line (without the newline; one trailing newline is dropped). Default: `JSON.stringify`.
   * Bytes are written as they are.
   */
  readonly encode?: (record: T) => string | Uint8Array;
  /** The file name suffix of part files; default `.jsonl`. */
  readonly partSuffix?: string;
  /** `sink.rolling-policy.rollover-interval` in ms: roll a part file open this long. Default: no time-based rolling. */
  readonly rolloverIntervalMs?: number;
  /** `sink.rolling-policy.check-interval` in ms: how often the rollover interval is checked; default 1 min. */
  readonly rolloverCheckIntervalMs?: number;
}

/** The default encoding: one `JSON.stringify` per record (a record JSON cannot represent throws). */
function jsonLine(record: unknown): string {
  const json = JSON.stringify(record) as string | undefined;
  if (json === undefined) throw new TypeError(`filesystem sink: record is not JSON-serializable: ${String(record)}`);
  return json;
}

/** An encoded message as a line: without one trailing newline (the writer adds its own), bytes as a Buffer. */
function lineOf(message: string | Uint8Array): string | Buffer {
  if (typeof message === 'string') {
    return message.endsWith('\n') ? message.slice(0, message.endsWith('\r\n') ? -2 : -1) : message;
  }
  let end = message.length;
  if (end > 0 && message[end - 1] === 0x0a) end -= end > 1 && message[end - 2] === 0x0d ? 2 : 1;
  return Buffer.from(message.buffer, message.byteOffset, end);
}

const NEWLINE = Buffer.from('\n');

/** A batch with bytes in it: the lines, each followed by a newline, as one buffer of `length` bytes. */
function joinBytes(lines: readonly (string | Buffer)[], length: number): Buffer {
  const parts: Buffer[] = [];
  for (const l of lines) parts.push(typeof l === 'string' ? Buffer.from(l, 'utf8') : l, NEWLINE);
  return Buffer.concat(parts, length);
}

interface OpenPart {
  readonly seq: number;
  readonly handle: FileHandle;
  readonly name: string;
  readonly counter: number;
  /** Bytes appended so far. */
  size: number;
  /** Written since the last sync. */
  dirty: boolean;
}

interface PendingPart {
  readonly name: string;
  readonly counter: number;
  readonly size: number;
}

/**
 * Writes records as JSON lines into hidden part files and pre-commits them at checkpoint barriers.
 *
 * @public
 */
export class FileSinkWriter<T = unknown> implements SinkWriter<T, FileSinkCommittable, FileSinkWriterState> {
  private readonly dir: string;
  private readonly prefix: string;
  private readonly subtask: number;
  private readonly rollingFileSize: number;
  private readonly writeBatchSize: number;
  private readonly maxBufferedBytes: number;
  /** The restored counter of this subtask's index, if its state came back to this writer. */
  private readonly restoredNextCounter: number;
  private readonly encode: (record: T) => string | Uint8Array;
  private readonly suffix: string;
  private readonly rolloverIntervalMs: number | undefined;
  private readonly rolloverTimer: ReturnType<typeof setInterval> | undefined;

  // Caller side (synchronous).
  /** Encoded lines of the current batch, without newlines. */
  private lines: (string | Buffer)[] = [];
  /** Whether `lines` holds bytes (then the batch is concatenated as bytes, not joined as text). */
  private linesHaveBytes = false;
  /** Bytes in `lines`. */
  private pendingBytes = 0;
  /** Bytes in `lines` plus bytes handed to the chain and not yet written. */
  private bufferedBytes = 0;
  /** Logical size of the current part file, including what is not written yet. */
  private fileBytes = 0;
  /** Sequence number of the current part file (relative to `baseCounter`), -1 when none is open. */
  private fileSeq = -1;
  private nextSeq = 0;
  /** Epoch of files opened from now on: the lowest checkpoint id they can be committed with. */
  private epoch: number;
  /** Epoch of the current part file. */
  private fileEpoch = 0;
  /** When the current part file was started (`Date.now()`), for time-based rolling. */
  private fileStartedAt = 0;

  // I/O side (inside the chain).
  private chain: Promise<void>;
  private baseCounter = 0;
  private part: OpenPart | undefined;
  /** Closed (synced) part files not yet handed out by `prepareCommit`. */
  private pending: PendingPart[] = [];

  private failed = false;
  private failure: unknown;
  private closing: Promise<void> | undefined;
  private readonly signal = new AvailabilitySignal();

  /**
   * @param restoredState - the writer states the runtime assigned to this subtask after a restore (any subset
   *   of the previous subtasks' states; cleanup does not depend on which)
   */
  constructor(context: SinkWriterContext, settings: FileSinkWriterSettings<T>, restoredState?: readonly FileSinkWriterState[]) {
    this.dir = settings.path;
    this.prefix = settings.fileNamePrefix ?? FileDefaults.fileNamePrefix;
    if (this.prefix.length === 0 || /[/\\]/.test(this.prefix)) {
      throw new Error(`filesystem sink: invalid file name prefix '${this.prefix}'`);
    }
    this.subtask = context.subtaskIndex;
    this.rollingFileSize = settings.rollingFileSize ?? FileDefaults.rollingFileSize;
    this.maxBufferedBytes = settings.maxBufferedBytes ?? FileDefaults.maxBufferedBytes;
    // A batch never exceeds the bound, so "above the bound" always means bytes are in flight and a write
    // completion will wake the waiters.
    this.writeBatchSize = Math.min(settings.writeBatchSize ?? FileDefaults.writeBatchSize, this.maxBufferedBytes);
    if (!(this.rollingFileSize >= 1) || !(this.writeBatchSize >= 1)) {
      throw new Error('filesystem sink: rolling file size, write batch size and buffer bound must be at least 1');
    }
    this.encode = settings.encode ?? jsonLine;
    this.suffix = settings.partSuffix ?? DEFAULT_PART_SUFFIX;
    if (!/^[\w.-]*$/.test(this.suffix)) throw new Error(`filesystem sink: invalid part file suffix '${this.suffix}'`);
    this.rolloverIntervalMs = settings.rolloverIntervalMs;
    const checkEvery = settings.rolloverCheckIntervalMs ?? 60_000;
    if (this.rolloverIntervalMs !== undefined && (!(this.rolloverIntervalMs > 0) || !(checkEvery > 0))) {
      throw new Error('filesystem sink: rollover and check intervals must be positive');
    }
    // The timer must not keep a finished process alive; `close` stops it.
    this.rolloverTimer = this.rolloverIntervalMs === undefined ? undefined : setInterval(() => this.rollIfOld(), checkEvery);
    this.rolloverTimer?.unref();

    let restoredCheckpointId = context.restoredCheckpointId;
    let restoredNextCounter = 0;
    for (const s of restoredState ?? []) {
      // The context is authoritative; the state's checkpoint id only stands in if a runtime omits it.
      // (The final checkpoint's state carries the end-of-input id, which says nothing about epochs.)
      if (context.restoredCheckpointId === undefined && s.checkpointId !== END_OF_INPUT_CHECKPOINT) {
        restoredCheckpointId = Math.max(restoredCheckpointId ?? 0, s.checkpointId);
      }
      if (s.subtask === this.subtask) restoredNextCounter = Math.max(restoredNextCounter, s.nextCounter);
    }
    this.restoredNextCounter = restoredNextCounter;
    this.epoch = restoredCheckpointId === undefined ? 0 : restoredCheckpointId + 1;
    // After a restore from N, hidden files of epoch > N are strays. A restart without checkpoint replays all
    // input, so every hidden file of an earlier attempt is a stray. A first run touches nothing it did not write.
    const strayEpochAbove =
      restoredCheckpointId !== undefined ? restoredCheckpointId : context.attemptNumber > 0 ? -1 : undefined;

    const { dir, prefix, subtask, suffix } = this;
    const parallelism = context.parallelism;
    this.chain = (async () => {
      await mkdir(dir, { recursive: true });
      const files = await prepareSubtaskFiles(dir, prefix, subtask, parallelism, strayEpochAbove, suffix);
      this.baseCounter = Math.max(files.nextCounter, restoredNextCounter);
      if (files.removed.length > 0) await syncDirectory(dir);
    })().catch((error: unknown) => this.fail(error));
  }

  write(element: T, _context?: SinkRecordContext): void {
    if (this.failed) throw this.failure;
    if (this.closing !== undefined) throw new Error('filesystem sink: write after close');
    const line = lineOf(this.encode(element));
    const bytes = (typeof line === 'string' ? Buffer.byteLength(line) : line.length) + 1; // + the newline added when the batch is joined
    if (this.fileSeq < 0) {
      this.startFile();
    } else if (this.fileBytes > 0 && this.fileBytes + bytes > this.rollingFileSize) {
      // Roll before the record that would cross the limit: files stay within it unless one record is larger.
      this.finishCurrentFile();
      this.startFile();
    }
    this.lines.push(line);
    if (typeof line !== 'string') this.linesHaveBytes = true;
    this.pendingBytes += bytes;
    this.bufferedBytes += bytes;
    this.fileBytes += bytes;
    if (this.pendingBytes >= this.writeBatchSize) this.writeOut();
  }

  isAvailable(): Promise<void> | undefined {
    if (this.failed || this.bufferedBytes <= this.maxBufferedBytes) return undefined;
    return this.signal.promise();
  }

  /**
   * Writes out everything buffered. `flush(false)` (at a checkpoint barrier) also syncs the in-progress file;
   * `flush(true)` (end of input) closes it, so that it is pending for the end-of-input `prepareCommit`.
   */
  async flush(endOfInput: boolean): Promise<void> {
    if (this.failed) throw this.failure;
    if (endOfInput) {
      this.finishCurrentFile();
    } else {
      this.writeOut();
      this.enqueue(async () => {
        const part = this.part;
        if (part?.dirty) {
          await part.handle.datasync();
          part.dirty = false;
        }
      });
    }
    await this.chain;
    if (this.failed) throw this.failure;
  }

  /**
   * Pre-commit at the barrier of `checkpointId`: closes the in-progress file and returns every pending file
   * (more than one when the writer rolled since the last barrier) with its final name and size. The pending
   * files are synced, and so is the directory, before the committables are returned.
   */
  async prepareCommit(checkpointId: number): Promise<FileSinkCommittable[]> {
    if (this.failed) throw this.failure;
    this.finishCurrentFile();
    // Files opened from now on hold records after this barrier.
    if (checkpointId !== END_OF_INPUT_CHECKPOINT) this.epoch = Math.max(this.epoch, checkpointId + 1);
    let committables: FileSinkCommittable[] = [];
    this.enqueue(async () => {
      const parts = this.pending;
      if (parts.length === 0) return;
      this.pending = [];
      await syncDirectory(this.dir); // the pending files' directory entries must survive a machine crash
      committables = parts.map((p) => ({
        pendingName: p.name,
        finalName: finalPartName(this.prefix, this.subtask, checkpointId, p.counter, this.suffix),
        size: p.size,
      }));
    });
    await this.chain;
    if (this.failed) throw this.failure;
    return committables;
  }

  /** The counter of this subtask, so that a restored writer never reuses a part number. */
  snapshotState(checkpointId: number): FileSinkWriterState[] {
    const nextCounter = Math.max(this.restoredNextCounter, this.baseCounter + this.nextSeq);
    return [{ subtask: this.subtask, checkpointId, nextCounter }];
  }

  /**
   * Releases the file handle; idempotent. Records not pre-committed are dropped and the in-progress file stays
   * (hidden): after a failure the restored writers delete it; after a normal end nothing is left.
   */
  close(): Promise<void> {
    if (this.rolloverTimer !== undefined) clearInterval(this.rolloverTimer);
    this.closing ??= (async () => {
      this.lines = [];
      this.pendingBytes = 0;
      await this.chain;
      await this.part?.handle.close().catch(() => undefined);
      this.part = undefined;
      this.signal.notify();
    })();
    return this.closing;
  }

  private startFile(): void {
    this.fileSeq = this.nextSeq++;
    this.fileEpoch = this.epoch;
    this.fileBytes = 0;
    if (this.rolloverIntervalMs !== undefined) this.fileStartedAt = Date.now();
  }

  /** Time-based rolling: the open part file becomes pending once it has been open for the rollover interval. */
  private rollIfOld(): void {
    if (this.failed || this.closing !== undefined || this.fileSeq < 0) return;
    if (Date.now() - this.fileStartedAt >= this.rolloverIntervalMs!) this.finishCurrentFile();
  }

  /** Hands the buffered lines of the current part file to the chain. */
  private writeOut(): void {
    if (this.lines.length === 0) return;
    const data = this.linesHaveBytes ? joinBytes(this.lines, this.pendingBytes) : (this.lines as string[]).join('\n') + '\n';
    const bytes = this.pendingBytes;
    const seq = this.fileSeq;
    const epoch = this.fileEpoch;
    this.lines = [];
    this.linesHaveBytes = false;
    this.pendingBytes = 0;
    this.enqueue(async () => {
      const part = await this.partFor(seq, epoch);
      await part.handle.appendFile(data, 'utf8');
      part.size += bytes;
      part.dirty = true;
    }, bytes);
  }

  /** Writes out the current file's lines, then syncs and closes it: it becomes pending. */
  private finishCurrentFile(): void {
    if (this.fileSeq < 0) return;
    this.writeOut();
    this.fileSeq = -1;
    this.enqueue(async () => {
      const part = this.part;
      if (part === undefined) return;
      this.part = undefined;
      if (part.dirty) await part.handle.datasync();
      await part.handle.close();
      this.pending.push({ name: part.name, counter: part.counter, size: part.size });
    });
  }

  private async partFor(seq: number, epoch: number): Promise<OpenPart> {
    if (this.part?.seq === seq) return this.part;
    const counter = this.baseCounter + seq;
    const name = hiddenPartName(this.prefix, this.subtask, epoch, counter, this.suffix);
    // 'ax': append, and fail rather than mix with a file another writer owns.
    const handle = await open(join(this.dir, name), 'ax');
    this.part = { seq, handle, name, counter, size: 0, dirty: false };
    return this.part;
  }

  private enqueue(op: () => Promise<void>, bytes = 0): void {
    this.chain = this.chain.then(async () => {
      if (this.failed) return;
      try {
        await op();
      } catch (error) {
        this.fail(error);
        return;
      }
      this.bufferedBytes -= bytes;
      if (this.bufferedBytes <= this.maxBufferedBytes) this.signal.notify();
    });
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.failure = error instanceof Error ? error : new Error(`filesystem sink: ${String(error)}`);
    this.signal.notify();
  }
}
