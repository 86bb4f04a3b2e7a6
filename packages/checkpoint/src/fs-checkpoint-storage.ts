// CheckpointStorage on a local (or mounted shared) file system.
//
//   <directory>/chk-<id>/                     a checkpoint
//   <directory>/savepoint-<id>-<timestamp>/   a savepoint (or any directory the caller names)
//       <state files>                         one per writeState(name, bytes), fsynced
//       _metadata                             written last and atomically: _metadata.tmp, fsync, rename, fsync dir
//   <directory>/shared/                       state files of incremental checkpoints, referenced by several
//                                             checkpoints' metadata as `shared/<file>`
//
// A checkpoint exists exactly when its `_metadata` exists: a crash at any point before the rename leaves a
// directory that listCompleted ignores and cleanupIncomplete removes. Reads verify size and checksum of every state
// file; `verifyState` does so in constant memory for whole-checkpoint verification.
//
// A shared file outlives the checkpoint that wrote it while a later retained checkpoint still references it:
// retention deletes a shared file only when no completed checkpoint's metadata, no checkpoint being written and no
// reference the caller protects (the bases of checkpoints in flight) names it.
//
// One writer per directory is assumed (the job's checkpoint coordinator); readers may be many.

import { constants as fsConstants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { CheckpointLineage, CheckpointLocation, CheckpointStorage, CompletedCheckpointRef, StateHandle } from '@runnel/api';
import { readLineage, writeLineage } from './lineage.js';
import { createChecksummer, DEFAULT_CHECKSUM_ALGORITHM, parseChecksum } from './format/checksum.js';
import { decodeMetadata, METADATA_FILE_NAME, referencedHandles, type CheckpointMetadata } from './format/metadata.js';
import { CheckpointCorruptedError } from './errors.js';
import { isSharedStateFile, SHARED_STATE_DIRECTORY, stateFileNameProblem } from './file-names.js';
import { verifyCheckpoint } from './verify.js';

const TMP_METADATA = `${METADATA_FILE_NAME}.tmp`;
const CHECKPOINT_DIR = /^chk-(\d{1,15})$/;
const SAVEPOINT_DIR = /^savepoint-(\d{1,15})-(\d{1,15})$/;
// Verification streams files through one buffer of this size: constant memory for any state size.
const VERIFY_CHUNK = 4 * 1024 * 1024;

/**
 * Options of {@link FsCheckpointStorage}.
 *
 * @public
 */
export interface FsCheckpointStorageOptions {
  /** Root directory of the job's checkpoints (`state.checkpoints.dir`); created when missing. */
  readonly directory: string;
  /** Completed checkpoints to keep (`state.checkpoints.num-retained`, default 3); savepoints are never deleted. */
  readonly retained?: number;
  /**
   * fsync state files, metadata and directories (default true). Turning it off is for tests on tmpfs only: a
   * power loss could then leave a `_metadata` that points at files which never reached the disk.
   */
  readonly fsync?: boolean;
  /** Clock for savepoint directory names (epoch ms); injectable for tests. */
  readonly clock?: () => number;
}

/**
 * A storage that can verify a state handle without holding its bytes in memory.
 *
 * @public
 */
export interface VerifyingCheckpointStorage extends CheckpointStorage {
  /** Checks existence, size and checksum; rejects with {@link CheckpointCorruptedError}. */
  verifyState(ref: CompletedCheckpointRef, handle: StateHandle): Promise<void>;
}

/**
 * A checkpoint or savepoint being written to a directory.
 *
 * @public
 */
export interface FsCheckpointLocation extends CheckpointLocation {
  /** Absolute path of the checkpoint directory. */
  readonly path: string;
  readonly kind: 'checkpoint' | 'savepoint';
  /** The reference under which the storage lists the checkpoint once completed. */
  readonly ref: CompletedCheckpointRef;
}

/**
 * A savepoint (or retained checkpoint) opened by path, verified.
 *
 * @public
 */
export interface OpenedSavepoint {
  readonly storage: FsCheckpointStorage;
  readonly ref: CompletedCheckpointRef;
  readonly metadata: CheckpointMetadata;
}

/**
 * {@link CheckpointStorage} on a file system, with atomic metadata, verified reads, retention and savepoints.
 *
 * @public
 */
export class FsCheckpointStorage implements VerifyingCheckpointStorage {
  readonly name = 'filesystem';
  /** Absolute root directory. */
  readonly directory: string;
  readonly retained: number;
  private readonly fsync: boolean;
  private readonly clock: () => number;
  private readonly inProgress = new Set<string>();
  /** Shared files written by checkpoints not completed yet (retention must not take them). */
  private readonly inProgressShared = new Set<string>();
  private closed = false;

  constructor(options: FsCheckpointStorageOptions) {
    if (typeof options?.directory !== 'string' || options.directory.length === 0) {
      throw new TypeError('FsCheckpointStorage: "directory" is required');
    }
    const retained = options.retained ?? 3;
    if (!Number.isInteger(retained) || retained < 1) throw new RangeError(`FsCheckpointStorage: "retained" must be an integer >= 1, got ${retained}`);
    this.directory = resolve(options.directory);
    this.retained = retained;
    this.fsync = options.fsync ?? true;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Opens a savepoint or retained checkpoint directory given by path (e.g. `runnel run --from-savepoint <path>`),
   * reads its metadata and, unless `verify` is false, verifies every state file it references.
   *
   * @throws CheckpointCorruptedError when it has no `_metadata` or fails verification.
   */
  static async openSavepoint(path: string, options: { verify?: boolean } = {}): Promise<OpenedSavepoint> {
    const dir = resolve(path);
    const storage = new FsCheckpointStorage({ directory: dirname(dir) });
    const provisional: CompletedCheckpointRef = { checkpointId: 0, kind: 'savepoint', ref: dir };
    const metadata = decodeMetadata(await storage.readMetadata(provisional), { checkpoint: dir, file: METADATA_FILE_NAME });
    const ref: CompletedCheckpointRef = { checkpointId: metadata.checkpointId, kind: metadata.kind, ref: dir };
    if (options.verify !== false) {
      await verifyCheckpoint(storage, ref);
    }
    return { storage, ref, metadata };
  }

  /** The root directory (the contract's `location`). */
  get location(): string {
    return this.directory;
  }

  /** The directory of a completed checkpoint (its pointer: `--from-savepoint` takes it). */
  pointerOf(ref: CompletedCheckpointRef): string {
    return this.pathOf(ref);
  }

  /** The lineage recorded in the directory (see lineage.ts). */
  readLineage(): Promise<CheckpointLineage | undefined> {
    return readLineage(this.directory);
  }

  /** Records the lineage of a run that starts now. */
  writeLineage(lineage: CheckpointLineage): Promise<void> {
    this.checkOpen();
    return writeLineage(this.directory, lineage, this.fsync);
  }

  /** Starts a checkpoint (`chk-<id>`) or a savepoint in the default place (`savepoint-<id>-<timestamp>`). */
  async beginCheckpoint(checkpointId: number, kind: 'checkpoint' | 'savepoint'): Promise<FsCheckpointLocation> {
    if (kind === 'savepoint') return this.beginSavepoint(checkpointId);
    this.checkOpen();
    checkId(checkpointId);
    const dirName = `chk-${checkpointId}`;
    const path = join(this.directory, dirName);
    await mkdir(this.directory, { recursive: true });
    if (await exists(join(path, METADATA_FILE_NAME))) throw new Error(`checkpoint ${dirName} already exists in ${this.directory}`);
    // A directory without _metadata is the leftover of an attempt that crashed or was aborted: start afresh.
    await rm(path, { recursive: true, force: true });
    return this.createLocation(path, { checkpointId, kind: 'checkpoint', ref: dirName });
  }

  /**
   * Starts a savepoint, in `targetDirectory` when given (which must not exist or be empty), else as
   * `<directory>/savepoint-<id>-<timestamp>`.
   */
  async beginSavepoint(checkpointId: number, targetDirectory?: string): Promise<FsCheckpointLocation> {
    this.checkOpen();
    checkId(checkpointId);
    if (targetDirectory !== undefined) {
      const path = resolve(targetDirectory);
      const entries = await readdir(path).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return [];
        throw err;
      });
      if (entries.length > 0) throw new Error(`savepoint target ${path} exists and is not empty`);
      return this.createLocation(path, { checkpointId, kind: 'savepoint', ref: path });
    }
    await mkdir(this.directory, { recursive: true });
    const dirName = `savepoint-${checkpointId}-${Math.floor(this.clock())}`;
    const path = join(this.directory, dirName);
    if (await exists(path)) throw new Error(`savepoint ${dirName} already exists in ${this.directory}`);
    return this.createLocation(path, { checkpointId, kind: 'savepoint', ref: dirName });
  }

  private async createLocation(path: string, ref: CompletedCheckpointRef): Promise<FsCheckpointLocation> {
    await mkdir(path, { recursive: true });
    if (this.fsync) await fsyncDirectory(dirname(path));
    this.inProgress.add(path);
    return new DirectoryLocation(path, ref, this.fsync, this.directory, this.inProgressShared, () => this.inProgress.delete(path));
  }

  /** Completed checkpoints and savepoints of the directory (those with a `_metadata`), newest first. */
  async listCompleted(): Promise<CompletedCheckpointRef[]> {
    this.checkOpen();
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const found: { ref: CompletedCheckpointRef; order: number }[] = [];
    for (const name of names) {
      const parsed = parseDirName(name);
      if (parsed === undefined) continue;
      // Any _metadata entry (even a damaged one) makes the checkpoint "completed": verification reports damage,
      // and only a missing _metadata means the checkpoint never finished.
      if (!(await exists(join(this.directory, name, METADATA_FILE_NAME)))) continue;
      found.push({ ref: { checkpointId: parsed.id, kind: parsed.kind, ref: name }, order: parsed.timestamp });
    }
    found.sort((a, b) => b.ref.checkpointId - a.ref.checkpointId || b.order - a.order || (a.ref.kind === 'checkpoint' ? -1 : 1));
    return found.map((f) => f.ref);
  }

  /** Absolute directory of a checkpoint reference. */
  pathOf(ref: CompletedCheckpointRef): string {
    if (isAbsolute(ref.ref)) return ref.ref;
    if (parseDirName(ref.ref) === undefined) throw new RangeError(`not a checkpoint reference of this storage: ${JSON.stringify(ref.ref)}`);
    return join(this.directory, ref.ref);
  }

  /** Reads `_metadata`; a missing file rejects with {@link CheckpointCorruptedError} (`missing`). */
  async readMetadata(ref: CompletedCheckpointRef): Promise<Uint8Array> {
    this.checkOpen();
    return (await this.readVerified(ref, METADATA_FILE_NAME, undefined)).bytes;
  }

  /** Reads a state file and verifies its size and checksum. */
  async readState(ref: CompletedCheckpointRef, handle: StateHandle): Promise<Uint8Array> {
    this.checkOpen();
    return (await this.readVerified(ref, handle.ref, handle)).bytes;
  }

  /** Verifies a state file (existence, size, checksum) reading it in 4 MiB chunks. */
  async verifyState(ref: CompletedCheckpointRef, handle: StateHandle): Promise<void> {
    this.checkOpen();
    await this.readVerified(ref, handle.ref, handle, true);
  }

  private async readVerified(
    ref: CompletedCheckpointRef,
    file: string,
    handle: StateHandle | undefined,
    streamOnly = false,
  ): Promise<{ bytes: Uint8Array }> {
    const where = { checkpoint: ref.ref, file };
    const problem = file === METADATA_FILE_NAME ? undefined : stateFileNameProblem(file);
    if (problem !== undefined) throw new CheckpointCorruptedError('malformed', `unsafe state file name (${problem})`, where);
    const checksum = handle === undefined ? undefined : parseChecksum(handle.checksum);
    if (handle !== undefined && checksum === undefined) {
      throw new CheckpointCorruptedError('malformed', `unsupported checksum ${JSON.stringify(handle.checksum)}`, where);
    }
    const path = isSharedStateFile(file) ? join(this.directory, file) : join(this.pathOf(ref), file);
    let fh: FileHandle;
    try {
      // O_NONBLOCK: opening a FIFO (or another special file) put in place of a checkpoint file must not wait for a
      // writer; it is rejected below as not a regular file. For regular files the flag has no effect.
      fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new CheckpointCorruptedError('missing', 'missing', where);
      if (code === 'ELOOP') throw new CheckpointCorruptedError('not-a-file', 'is a symbolic link, not a regular file', where);
      throw err;
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new CheckpointCorruptedError('not-a-file', `is not a regular file (${st.isDirectory() ? 'a directory' : 'special file'})`, where);
      const size = st.size;
      if (handle !== undefined) {
        if (size < handle.size) throw new CheckpointCorruptedError('truncated', `truncated (size ${size} of ${handle.size} bytes)`, where);
        if (size > handle.size) throw new CheckpointCorruptedError('oversized', `too long (size ${size}, expected ${handle.size} bytes: bytes appended?)`, where);
      }
      const hasher = checksum === undefined ? undefined : createChecksummer(checksum.algorithm);
      let bytes: Uint8Array;
      let total = 0;
      if (streamOnly) {
        const chunk = Buffer.allocUnsafe(Math.min(VERIFY_CHUNK, Math.max(1, size)));
        for (;;) {
          const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
          if (bytesRead === 0) break;
          hasher?.update(chunk.subarray(0, bytesRead));
          total += bytesRead;
        }
        bytes = new Uint8Array(0);
      } else {
        const buf = Buffer.allocUnsafe(size);
        while (total < size) {
          const { bytesRead } = await fh.read(buf, total, size - total, null);
          if (bytesRead === 0) break;
          total += bytesRead;
        }
        // A file that grows while being read keeps bytes after `size`: probe one more byte.
        if (total === size && (await fh.read(Buffer.alloc(1), 0, 1, null)).bytesRead > 0) total++;
        bytes = total === size ? buf : buf.subarray(0, total);
        hasher?.update(bytes);
      }
      if (handle !== undefined && total !== handle.size) {
        throw new CheckpointCorruptedError(total < handle.size ? 'truncated' : 'oversized', `changed while being read (read ${total} of ${handle.size} bytes)`, where);
      }
      if (hasher !== undefined) {
        const actual = hasher.digest();
        if (actual !== handle!.checksum) {
          throw new CheckpointCorruptedError('checksum-mismatch', `checksum mismatch (recorded ${handle!.checksum}, computed ${actual})`, where);
        }
      }
      return { bytes };
    } finally {
      await fh.close();
    }
  }

  /** Deletes a checkpoint or savepoint directory. */
  async discard(ref: CompletedCheckpointRef): Promise<void> {
    this.checkOpen();
    const path = this.pathOf(ref);
    // Delete _metadata first: a crash during the recursive delete then leaves an incomplete directory, never a
    // "completed" checkpoint with files missing.
    await rm(join(path, METADATA_FILE_NAME), { force: true, recursive: true });
    if (this.fsync) await fsyncDirectory(path).catch(() => undefined);
    await rm(path, { recursive: true, force: true });
  }

  /**
   * Called when checkpoint `checkpointId` has completed: applies retention. Returns what was discarded.
   *
   * @throws Error when that checkpoint has no `_metadata` (it did not complete).
   */
  async completeCheckpoint(checkpointId: number): Promise<CompletedCheckpointRef[]> {
    this.checkOpen();
    checkId(checkpointId);
    if (!(await exists(join(this.directory, `chk-${checkpointId}`, METADATA_FILE_NAME)))) {
      throw new Error(`checkpoint chk-${checkpointId} in ${this.directory} has no ${METADATA_FILE_NAME}: it did not complete`);
    }
    return this.retain();
  }

  /**
   * Keeps the newest `retained` completed checkpoints and discards older ones (never savepoints), then removes
   * incomplete checkpoint directories older than the newest completed one. Returns the discarded checkpoints.
   */
  async retain(protect: Iterable<string> = []): Promise<CompletedCheckpointRef[]> {
    this.checkOpen();
    const checkpoints = (await this.listCompleted()).filter((r) => r.kind === 'checkpoint');
    const discarded = checkpoints.slice(this.retained);
    for (const ref of discarded) await this.discard(ref);
    const newest = checkpoints[0]?.checkpointId;
    if (newest !== undefined) await this.cleanupIncomplete((id) => id < newest);
    await this.collectSharedGarbage(protect);
    return discarded;
  }

  /**
   * Deletes the files of `shared/` that nothing references: no completed checkpoint or savepoint of the directory,
   * no checkpoint being written by this instance, and none of `protect` (handle names, e.g. the bases of
   * checkpoints in flight). When any completed checkpoint's metadata cannot be read, nothing is deleted: its
   * references are unknown. Returns the deleted names.
   */
  async collectSharedGarbage(protect: Iterable<string> = []): Promise<string[]> {
    this.checkOpen();
    const sharedDir = join(this.directory, SHARED_STATE_DIRECTORY);
    let files: string[];
    try {
      files = await readdir(sharedDir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    if (files.length === 0) return [];
    const keep = new Set<string>(protect);
    for (const name of this.inProgressShared) keep.add(name);
    for (const ref of await this.listCompleted()) {
      try {
        const meta = decodeMetadata(await this.readMetadata(ref), { checkpoint: ref.ref, file: METADATA_FILE_NAME });
        for (const { handle } of referencedHandles(meta)) if (isSharedStateFile(handle.ref)) keep.add(handle.ref);
      } catch {
        return [];
      }
    }
    const removed: string[] = [];
    for (const file of files) {
      const name = `${SHARED_STATE_DIRECTORY}/${file}`;
      if (keep.has(name) || stateFileNameProblem(name) !== undefined) continue;
      await rm(join(sharedDir, file), { force: true });
      removed.push(name);
    }
    return removed;
  }

  /**
   * Removes checkpoint directories without `_metadata` (crash leftovers) that are not being written by this
   * instance, optionally only those whose id passes `which`. Savepoint directories are left alone. Returns the
   * removed directory names.
   */
  async cleanupIncomplete(which: (checkpointId: number) => boolean = () => true): Promise<string[]> {
    this.checkOpen();
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const removed: string[] = [];
    for (const name of names) {
      const m = CHECKPOINT_DIR.exec(name);
      if (m === null || !which(Number(m[1]))) continue;
      const path = join(this.directory, name);
      if (this.inProgress.has(path)) continue;
      const st = await lstat(path).catch(() => undefined);
      if (st === undefined || !st.isDirectory()) continue;
      if (await exists(join(path, METADATA_FILE_NAME))) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }

  close(): void {
    this.closed = true;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error(`FsCheckpointStorage(${this.directory}) is closed`);
  }
}

class DirectoryLocation implements FsCheckpointLocation {
  readonly checkpointId: number;
  readonly kind: 'checkpoint' | 'savepoint';
  private state: 'open' | 'completed' | 'aborted' = 'open';
  private readonly names = new Set<string>();

  /** The checkpoint's directory: what `--from-savepoint` takes. */
  get pointer(): string {
    return this.path;
  }

  constructor(
    readonly path: string,
    readonly ref: CompletedCheckpointRef,
    private readonly fsync: boolean,
    private readonly root: string,
    private readonly inProgressShared: Set<string>,
    private readonly done: () => void,
  ) {
    this.checkpointId = ref.checkpointId;
    this.kind = ref.kind;
  }

  async writeState(name: string, bytes: Uint8Array): Promise<StateHandle> {
    this.checkWritable();
    const problem = stateFileNameProblem(name);
    if (problem !== undefined) throw new RangeError(`invalid state file name ${JSON.stringify(name)}: it ${problem}`);
    if (this.names.has(name)) throw new Error(`state file "${name}" was already written to ${this.ref.ref}`);
    this.names.add(name);
    if (isSharedStateFile(name)) {
      if (this.kind === 'savepoint') throw new RangeError(`a savepoint is self-contained: it cannot write the shared state file "${name}"`);
      this.inProgressShared.add(name);
      await mkdir(join(this.root, SHARED_STATE_DIRECTORY), { recursive: true });
      await writeFileDurably(join(this.root, name), bytes, this.fsync);
      if (this.fsync) await fsyncDirectory(join(this.root, SHARED_STATE_DIRECTORY));
    } else {
      await writeFileDurably(join(this.path, name), bytes, this.fsync);
    }
    const hasher = createChecksummer(DEFAULT_CHECKSUM_ALGORITHM);
    hasher.update(bytes);
    return { ref: name, size: bytes.length, checksum: hasher.digest() };
  }

  /** The metadata write in flight: an abort waits for it (and then has nothing to abort if it succeeded). */
  private metadataWrite: Promise<void> | undefined;

  writeMetadata(bytes: Uint8Array): Promise<void> {
    this.checkWritable();
    if (this.metadataWrite !== undefined) throw new Error(`the metadata of ${this.ref.ref} is already being written`);
    this.metadataWrite = this.writeMetadataNow(bytes);
    return this.metadataWrite;
  }

  private async writeMetadataNow(bytes: Uint8Array): Promise<void> {
    const tmp = join(this.path, TMP_METADATA);
    await rm(tmp, { force: true });
    await writeFileDurably(tmp, bytes, this.fsync);
    await rename(tmp, join(this.path, METADATA_FILE_NAME));
    if (this.fsync) await fsyncDirectory(this.path);
    this.state = 'completed';
    this.releaseShared();
    this.done();
  }

  async abort(): Promise<void> {
    if (this.state === 'completed') throw new Error(`checkpoint ${this.ref.ref} is already completed; use discard() to delete it`);
    // Deleting the files while the metadata is being renamed into place would leave a "completed" checkpoint whose
    // state is gone: wait for the write in flight; once it succeeded, the checkpoint exists and is not aborted.
    if (this.metadataWrite !== undefined && this.state === 'open') {
      const written = await this.metadataWrite.then(
        () => true,
        () => false,
      );
      if (written) return;
    }
    if (this.state === 'aborted') return;
    this.state = 'aborted';
    this.done();
    const shared = [...this.names].filter(isSharedStateFile);
    this.releaseShared();
    // Nothing references the shared files of an aborted checkpoint.
    for (const name of shared) await rm(join(this.root, name), { force: true });
    await rm(this.path, { recursive: true, force: true });
  }

  private releaseShared(): void {
    for (const name of this.names) if (isSharedStateFile(name)) this.inProgressShared.delete(name);
  }

  private checkWritable(): void {
    if (this.state !== 'open') throw new Error(`checkpoint ${this.ref.ref} is ${this.state}; it cannot be written to`);
  }
}

async function writeFileDurably(path: string, bytes: Uint8Array, fsync: boolean): Promise<void> {
  // 'wx': never overwrite a file that is already there (two writers, or a name collision).
  const fh = await open(path, 'wx');
  try {
    let off = 0;
    while (off < bytes.length) {
      const { bytesWritten } = await fh.write(bytes, off, bytes.length - off);
      off += bytesWritten;
    }
    if (fsync) await fh.sync();
  } finally {
    await fh.close();
  }
}

async function fsyncDirectory(path: string): Promise<void> {
  const fh = await open(path, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

function checkId(checkpointId: number): void {
  if (!Number.isSafeInteger(checkpointId) || checkpointId < 0) throw new RangeError(`invalid checkpoint id ${checkpointId}`);
}

function parseDirName(name: string): { id: number; kind: 'checkpoint' | 'savepoint'; timestamp: number } | undefined {
  let m = CHECKPOINT_DIR.exec(name);
  if (m !== null) return { id: Number(m[1]), kind: 'checkpoint', timestamp: 0 };
  m = SAVEPOINT_DIR.exec(name);
  if (m !== null) return { id: Number(m[1]), kind: 'savepoint', timestamp: Number(m[2]) };
  return undefined;
}

