import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CheckpointCorruptedError,
  decodeMetadata,
  encodeMetadata,
  FsCheckpointStorage,
  loadLatestValid,
  stateFileName,
  stateFileNameProblem,
} from '../src/index.js';
import { tempDir, writeSampleCheckpoint } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const ids = async (s: FsCheckpointStorage): Promise<string[]> => (await s.listCompleted()).map((r) => r.ref);

describe('FsCheckpointStorage layout and atomic metadata', () => {
  it('writes chk-<id>/ with state files and _metadata, and reads them back verified', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    const sample = await writeSampleCheckpoint(storage, 1);
    expect((await readdir(join(dir, 'chk-1'))).sort()).toEqual([...sample.files, '_metadata'].sort());
    const [ref] = await storage.listCompleted();
    expect(ref).toEqual({ checkpointId: 1, kind: 'checkpoint', ref: 'chk-1' });
    const meta = decodeMetadata(await storage.readMetadata(ref!));
    expect(meta).toEqual(sample.metadata);
    const h = meta.operators[1]!.keyGroupHandles[0]!.handle;
    const bytes = await storage.readState(ref!, h);
    expect(bytes.length).toBe(h.size);
    expect(Buffer.from(bytes).equals(await readFile(join(dir, 'chk-1', h.ref)))).toBe(true);
    expect(h.checksum).toMatch(/^crc32:[0-9a-f]{8}$/);
  });

  it('a checkpoint without _metadata does not exist, also with a leftover _metadata.tmp', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    await writeSampleCheckpoint(storage, 1);
    const loc = await storage.beginCheckpoint(2, 'checkpoint');
    await loc.writeState('x', new Uint8Array([1, 2, 3]));
    expect(await ids(storage)).toEqual(['chk-1']);
    // crash between writing the temp file and the rename
    await writeFile(join(dir, 'chk-2', '_metadata.tmp'), encodeMetadata({ ...(await loadLatestValid(storage))!.metadata, checkpointId: 2 }));
    expect(await ids(storage)).toEqual(['chk-1']);
    expect((await loadLatestValid(storage))!.ref.ref).toBe('chk-1');
  });

  it('metadata becomes visible only through the rename, and the temp file is gone afterwards', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    await writeSampleCheckpoint(storage, 4);
    expect(await readdir(join(dir, 'chk-4'))).not.toContain('_metadata.tmp');
    expect((await stat(join(dir, 'chk-4', '_metadata'))).isFile()).toBe(true);
  });

  it('refuses writes after completion and to begin a completed checkpoint again; restarts a crashed one', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    const loc = await storage.beginCheckpoint(3, 'checkpoint');
    await loc.writeState('a', new Uint8Array([1]));
    await expect(loc.writeState('a', new Uint8Array([2]))).rejects.toThrow(/already written/);
    await loc.writeMetadata(new Uint8Array([1]));
    await expect(loc.writeState('b', new Uint8Array([1]))).rejects.toThrow(/completed/);
    await expect(loc.abort()).rejects.toThrow(/already completed/);
    await expect(storage.beginCheckpoint(3, 'checkpoint')).rejects.toThrow(/already exists/);
    // a crashed attempt (no _metadata) is replaced by a fresh directory
    await mkdir(join(dir, 'chk-4'));
    await writeFile(join(dir, 'chk-4', 'stale'), 'old');
    const again = await storage.beginCheckpoint(4, 'checkpoint');
    expect(await readdir(again.path)).toEqual([]);
  });

  it('abort removes the directory', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    const loc = await storage.beginCheckpoint(9, 'checkpoint');
    await loc.writeState('a', new Uint8Array([1]));
    await loc.abort();
    await loc.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it('an abort racing the metadata write never leaves a completed checkpoint without its state files', async () => {
    // The job ends (or a task finishes) while a checkpoint's metadata is being renamed into place: the abort once
    // deleted the state files and the metadata landed anyway — a "completed" checkpoint that no restore could read.
    const storage = new FsCheckpointStorage({ directory: dir });
    for (let id = 1; id <= 20; id++) {
      const loc = await storage.beginCheckpoint(id, 'checkpoint');
      const handle = await loc.writeState('a', new Uint8Array([1, 2, 3]));
      const meta = encodeMetadata({
        format: 'runnel-checkpoint',
        version: 1,
        checkpointId: id,
        kind: 'checkpoint',
        jobName: 'j',
        timestamp: 1,
        operators: [{ uid: 'o', name: 'o', parallelism: 1, maxParallelism: 128, keyedStates: [], keyGroupHandles: [], operatorStates: [], operatorStateHandles: [{ subtask: 0, handle }] }],
      });
      const written = loc.writeMetadata(meta).then(() => 'completed', () => 'failed');
      // Let the write start, then abort at a different point of it each time.
      for (let t = 0; t < id % 5; t++) await new Promise((r) => setImmediate(r));
      const aborted = loc.abort().then(() => 'aborted', (e: Error) => `abort failed: ${e.message}`);
      await Promise.all([written, aborted]);
      const listed = (await storage.listCompleted()).some((r) => r.checkpointId === id);
      if (listed) {
        // Completed: every byte it references must be there.
        const latest = await loadLatestValid(storage);
        expect(latest?.metadata.checkpointId, `checkpoint ${id}`).toBe(id);
      } else {
        expect(await readdir(dir), `checkpoint ${id}`).not.toContain(`chk-${id}`);
      }
    }
  });

  it.each([
    ['../escape', /path separator/],
    ['a/b', /path separator/],
    ['a\\b', /path separator/],
    ['..', /"\.\."/],
    ['x..y', /"\.\."/],
    ['.', /is "\."/],
    ['', /empty/],
    ['_metadata', /reserved/],
    ['_metadata.tmp', /reserved/],
    ['nul\u0000byte', /control character/],
    ['x'.repeat(256), /longer than 255/],
  ])('rejects the state file name %j', async (name, message) => {
    const storage = new FsCheckpointStorage({ directory: dir });
    const loc = await storage.beginCheckpoint(1, 'checkpoint');
    await expect(loc.writeState(name, new Uint8Array([1]))).rejects.toThrow(message);
    expect(await readdir(join(dir, 'chk-1'))).toEqual([]);
    expect(await readdir(dir)).toEqual(['chk-1']);
  });

  it('stateFileName makes any uid safe and injective', () => {
    expect(stateFileName('window-agg', 'keyed', 3)).toBe('window-agg.keyed.3');
    const weird = stateFileName('../a/b', 'op', 0);
    expect(stateFileNameProblem(weird)).toBeUndefined();
    expect(stateFileName('a.b', 'c')).not.toBe(stateFileName('a', 'b.c'));
    expect(stateFileName('日本')).toBe('%e6%97%a5%e6%9c%ac');
  });
});

describe('FsCheckpointStorage retention, savepoints, cleanup', () => {
  it('keeps the newest N completed checkpoints and never deletes savepoints', async () => {
    let now = 1000;
    const storage = new FsCheckpointStorage({ directory: dir, retained: 2, clock: () => now++ });
    await writeSampleCheckpoint(storage, 1);
    await writeSampleCheckpoint(storage, 2, { kind: 'savepoint' });
    for (const id of [3, 4, 5]) {
      await writeSampleCheckpoint(storage, id);
      await storage.completeCheckpoint(id);
    }
    expect(await ids(storage)).toEqual(['chk-5', 'chk-4', 'savepoint-2-1000']);
    expect((await readdir(dir)).sort()).toEqual(['chk-4', 'chk-5', 'savepoint-2-1000']);
    await expect(storage.completeCheckpoint(6)).rejects.toThrow(/did not complete/);
  });

  it('removes incomplete checkpoint directories older than the newest completed one, not ones in progress', async () => {
    const storage = new FsCheckpointStorage({ directory: dir, retained: 5 });
    await mkdir(join(dir, 'chk-1'), { recursive: true }); // crash leftover
    await writeSampleCheckpoint(storage, 2);
    const inProgress = await storage.beginCheckpoint(3, 'checkpoint'); // concurrent, newer
    await mkdir(join(dir, 'unrelated'));
    await storage.completeCheckpoint(2);
    expect((await readdir(dir)).sort()).toEqual(['chk-2', 'chk-3', 'unrelated']);
    expect(await storage.cleanupIncomplete()).toEqual([]); // chk-3 is being written by this instance
    await inProgress.abort();
    await mkdir(join(dir, 'chk-3'));
    expect(await new FsCheckpointStorage({ directory: dir }).cleanupIncomplete()).toEqual(['chk-3']);
  });

  it('writes a savepoint to a given path and opens it by path, verified', async () => {
    const storage = new FsCheckpointStorage({ directory: join(dir, 'checkpoints') });
    const target = join(dir, 'my-savepoints', 'sp-before-upgrade');
    const sample = await writeSampleCheckpoint(storage, 12, { kind: 'savepoint', targetDir: target });
    expect(await ids(storage)).toEqual([]); // not in the checkpoint directory
    const opened = await FsCheckpointStorage.openSavepoint(target);
    expect(opened.ref).toEqual({ checkpointId: 12, kind: 'savepoint', ref: target });
    expect(opened.metadata).toEqual(sample.metadata);
    const op = opened.metadata.operators[0]!;
    expect((await opened.storage.readState(opened.ref, op.coordinatorState!.handle)).length).toBe(op.coordinatorState!.handle.size);
    await expect(storage.beginSavepoint(13, target)).rejects.toThrow(/not empty/);
  });

  it('openSavepoint rejects a directory without metadata and a damaged savepoint', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    await mkdir(join(dir, 'empty'));
    await expect(FsCheckpointStorage.openSavepoint(join(dir, 'empty'))).rejects.toThrow(/file "_metadata": missing/);
    const target = join(dir, 'sp');
    const sample = await writeSampleCheckpoint(storage, 1, { kind: 'savepoint', targetDir: target });
    await writeFile(join(target, sample.files[0]!), 'short');
    await expect(FsCheckpointStorage.openSavepoint(target)).rejects.toThrow(CheckpointCorruptedError);
    expect((await FsCheckpointStorage.openSavepoint(target, { verify: false })).metadata.checkpointId).toBe(1);
  });

  it('lists nothing for a missing directory, and refuses work after close', async () => {
    const storage = new FsCheckpointStorage({ directory: join(dir, 'nope') });
    expect(await storage.listCompleted()).toEqual([]);
    expect(await loadLatestValid(storage)).toBeUndefined();
    storage.close();
    storage.close();
    await expect(storage.listCompleted()).rejects.toThrow(/closed/);
  });

  it('readState rejects unsafe handle refs and refs outside the storage', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    await writeSampleCheckpoint(storage, 1);
    const ref = (await storage.listCompleted())[0]!;
    await expect(storage.readState(ref, { ref: '../chk-1/_metadata', size: 1, checksum: 'crc32:00000000' })).rejects.toThrow(/unsafe state file name/);
    expect(() => storage.pathOf({ checkpointId: 1, kind: 'checkpoint', ref: '../x' })).toThrow(/not a checkpoint reference/);
  });
});
