// The writer of the file sink. `write` is synchronous and cheap: it stringifies the record, decides rolling on
// the logical file size and appends the line to an in-memory batch. Batches go to the file system through one
// serial promise chain (one promise per batch, not per record), which keeps appends, rolls and syncs in order
// without locks. The bytes not yet written bound memory: above `maxBufferedBytes` `isAvailable` returns a promise.
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import { AvailabilitySignal } from './availability-signal.js';
import { FileDefaults } from './options.js';
import { finalPartName, inProgressPartName, recoverPartFiles } from './part-files.js';

/**
 * Settings of a {@link FileSinkWriter}.
 *
 * @public
 */
export interface FileSinkWriterSettings {
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
}

interface OpenPart {
  readonly seq: number;
  readonly handle: FileHandle;
  readonly inProgressPath: string;
  readonly finalPath: string;
  /** Written since the last sync. */
  dirty: boolean;
}

/**
 * Writes records as JSON lines into rolling part files `<prefix>-<subtask>-<counter>.jsonl`.
 *
 * @public
 */
export class FileSinkWriter<T = unknown> implements SinkWriter<T> {
  private readonly dir: string;
  private readonly prefix: string;
  private readonly subtask: number;
  private readonly rollingFileSize: number;
  private readonly writeBatchSize: number;
  private readonly maxBufferedBytes: number;

  // Caller side (synchronous).
  /** JSON texts of the current batch, without newlines. */
  private lines: string[] = [];
  /** Bytes in `lines`. */
  private pendingBytes = 0;
  /** Bytes in `lines` plus bytes handed to the chain and not yet written. */
  private bufferedBytes = 0;
  /** Logical size of the current part file, including what is not written yet. */
  private fileBytes = 0;
  /** Sequence number of the current part file (relative to `baseCounter`), -1 when none is open. */
  private fileSeq = -1;
  private nextSeq = 0;

  // I/O side (inside the chain).
  private chain: Promise<void>;
  private baseCounter = 0;
  private part: OpenPart | undefined;

  private failed = false;
  private failure: unknown;
  private closing: Promise<void> | undefined;
  private readonly signal = new AvailabilitySignal();

  constructor(context: SinkWriterContext, settings: FileSinkWriterSettings) {
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
    const { dir, prefix, subtask } = this;
    const parallelism = context.parallelism;
    this.chain = (async () => {
      await mkdir(dir, { recursive: true });
      this.baseCounter = await recoverPartFiles(dir, prefix, subtask, parallelism);
    })().catch((error: unknown) => this.fail(error));
  }

  write(element: T, _context?: SinkRecordContext): void {
    if (this.failed) throw this.failure;
    const json = JSON.stringify(element) as string | undefined;
    if (json === undefined) throw new TypeError(`filesystem sink: record is not JSON-serializable: ${String(element)}`);
    const bytes = Buffer.byteLength(json) + 1; // + the newline added when the batch is joined
    if (this.fileSeq < 0) {
      this.fileSeq = this.nextSeq++;
      this.fileBytes = 0;
    } else if (this.fileBytes > 0 && this.fileBytes + bytes > this.rollingFileSize) {
      // Roll before the record that would cross the limit: files stay within it unless one record is larger.
      this.finishCurrentFile();
      this.fileSeq = this.nextSeq++;
      this.fileBytes = 0;
    }
    this.lines.push(json);
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
   * Writes out everything buffered. `flush(false)` (at a checkpoint barrier) also syncs the part file to disk;
   * `flush(true)` (end of input) finishes the part file: sync, close, rename to its final name, sync the directory.
   */
  async flush(endOfInput: boolean): Promise<void> {
    if (this.failed) throw this.failure;
    this.writeOut();
    if (endOfInput) {
      this.finishCurrentFile();
      this.enqueue(() => this.syncDirectory());
    } else {
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

  /** Writes out what is buffered and finishes the current part file; idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (!this.failed) {
        this.writeOut();
        this.finishCurrentFile();
      }
      await this.chain;
      // After a failure the chain stopped: release the handle, leaving the in-progress file for recovery.
      await this.part?.handle.close().catch(() => undefined);
      this.part = undefined;
      this.signal.notify();
    })();
    return this.closing;
  }

  /** Hands the buffered lines of the current part file to the chain. */
  private writeOut(): void {
    if (this.lines.length === 0) return;
    const data = this.lines.join('\n') + '\n';
    const bytes = this.pendingBytes;
    const seq = this.fileSeq;
    this.lines = [];
    this.pendingBytes = 0;
    this.enqueue(async () => {
      const part = await this.partFor(seq);
      await part.handle.appendFile(data, 'utf8');
      part.dirty = true;
    }, bytes);
  }

  private finishCurrentFile(): void {
    if (this.fileSeq < 0) return;
    this.writeOut();
    this.fileSeq = -1;
    this.enqueue(async () => {
      const part = this.part;
      if (part === undefined) return;
      this.part = undefined;
      await part.handle.datasync();
      await part.handle.close();
      await rename(part.inProgressPath, part.finalPath);
    });
  }

  private async partFor(seq: number): Promise<OpenPart> {
    if (this.part?.seq === seq) return this.part;
    const counter = this.baseCounter + seq;
    const inProgressPath = join(this.dir, inProgressPartName(this.prefix, this.subtask, counter));
    const finalPath = join(this.dir, finalPartName(this.prefix, this.subtask, counter));
    // 'ax': append, and fail rather than mix with a file another writer owns.
    const handle = await open(inProgressPath, 'ax');
    this.part = { seq, handle, inProgressPath, finalPath, dirty: false };
    return this.part;
  }

  private async syncDirectory(): Promise<void> {
    // Makes the renames durable; directories can be opened read-only and fsynced on POSIX systems.
    const handle = await open(this.dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
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
