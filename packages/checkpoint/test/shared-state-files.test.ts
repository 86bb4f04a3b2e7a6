// Shared state files (incremental checkpoints): written under <dir>/shared, referenced by several checkpoints'
// metadata, verified and read like any state file, and deleted by retention only once nothing references them.
import { access, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StateHandle } from '@runnel/api';
import {
  encodeKeyGroups,
  encodeMetadata,
  FsCheckpointStorage,
  loadLatestValid,
  readKeyedState,
  stateFileNameProblem,
  type CheckpointMetadata,
} from '../src/index.js';
import { tempDir } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

const exists = (p: string) => access(p).then(() => true, () => false);

function metadata(id: number, chain: { handle: StateHandle; index: [number, number, number][] }[]): CheckpointMetadata {
  return {
    format: 'runnel-checkpoint',
    version: 1,
    checkpointId: id,
    kind: 'checkpoint',
    jobName: 'job',
    timestamp: id,
    operators: [
      {
        uid: 'agg',
        name: 'agg',
        parallelism: 1,
        maxParallelism: 4,
        keyedStates: [{ name: 'count', kind: 'value', valueSerializer: { id: 'runnel.generic', version: 1 } }],
        keyGroupHandles: chain.map((c) => ({ start: 0, end: 3, handle: c.handle, index: c.index })),
        operatorStates: [],
        operatorStateHandles: [],
      },
    ],
  };
}

/** Writes checkpoint `id` whose keyed state is the chain of `base` plus one new shared file with `entries`. */
async function writeIncremental(
  storage: FsCheckpointStorage,
  id: number,
  base: { handle: StateHandle; index: [number, number, number][] }[],
  entries: [string, number | undefined][],
) {
  const loc = await storage.beginCheckpoint(id, 'checkpoint');
  const { bytes, index } = encodeKeyGroups([{ keyGroup: 1, entries: entries.map(([key, value]) => ({ state: 'count', key, namespace: '', value })) }]);
  const handle = await loc.writeState(`shared/agg-0-${id}`, bytes);
  const chain = [...base, { handle, index: index as [number, number, number][] }];
  await loc.writeMetadata(encodeMetadata(metadata(id, chain)));
  return { loc, chain };
}

describe('shared state files', () => {
  it('accepts exactly one shared/ level in state file names', () => {
    expect(stateFileNameProblem('shared/agg-0-1')).toBeUndefined();
    expect(stateFileNameProblem('shared/')).toBe('is empty');
    expect(stateFileNameProblem('shared/a/b')).toBe('contains a path separator');
    expect(stateFileNameProblem('shared/..')).toBe('contains ".."');
    expect(stateFileNameProblem('shared/_x')).toMatch(/reserved/);
    expect(stateFileNameProblem('other/x')).toBe('contains a path separator');
  });

  it('a chain of shared files survives retention of the checkpoints that wrote them, and is read in order', async () => {
    const storage = new FsCheckpointStorage({ directory: dir, retained: 1, fsync: false });
    const c1 = await writeIncremental(storage, 1, [], [['a', 1], ['b', 2]]);
    await storage.completeCheckpoint(1);
    const c2 = await writeIncremental(storage, 2, c1.chain, [['a', 10], ['b', undefined]]);
    await storage.completeCheckpoint(2);
    expect(await exists(join(dir, 'chk-1'))).toBe(false);
    expect((await readdir(join(dir, 'shared'))).sort()).toEqual(['agg-0-1', 'agg-0-2']);
    const verified = await loadLatestValid(storage);
    expect(verified!.ref.ref).toBe('chk-2');
    expect(verified!.files).toBe(2);
    const groups = await readKeyedState(storage, verified!.ref, verified!.metadata.operators[0]!, { start: 0, end: 3 });
    expect(groups.flatMap((g) => g.entries.map((e) => [e.key, e.value]))).toEqual([['a', 1], ['b', 2], ['a', 10], ['b', undefined]]);

    // A full checkpoint: the old chain is referenced by nothing any more and goes.
    await writeIncremental(storage, 3, [], [['a', 10]]);
    await storage.completeCheckpoint(3);
    expect(await readdir(join(dir, 'shared'))).toEqual(['agg-0-3']);
    expect(c2.chain).toHaveLength(2);
  });

  it('keeps shared files that a checkpoint in flight or a caller protects, and leftovers of crashes go', async () => {
    const storage = new FsCheckpointStorage({ directory: dir, retained: 1, fsync: false });
    const c1 = await writeIncremental(storage, 1, [], [['a', 1]]);
    await storage.completeCheckpoint(1);
    // In flight: written, no metadata yet.
    const loc = await storage.beginCheckpoint(2, 'checkpoint');
    await loc.writeState('shared/agg-0-2', encodeKeyGroups([]).bytes);
    // A crash leftover nobody references.
    await writeFile(join(dir, 'shared', 'agg-0-0'), 'x');
    await writeIncremental(storage, 3, [], [['a', 3]]);
    expect(await storage.retain([c1.chain[0]!.handle.ref])).toEqual([{ checkpointId: 1, kind: 'checkpoint', ref: 'chk-1' }]);
    expect((await readdir(join(dir, 'shared'))).sort()).toEqual(['agg-0-1', 'agg-0-2', 'agg-0-3']);
    await loc.abort();
    expect((await readdir(join(dir, 'shared'))).sort()).toEqual(['agg-0-1', 'agg-0-3']);
    await storage.retain();
    expect(await readdir(join(dir, 'shared'))).toEqual(['agg-0-3']);
  });

  it('deletes nothing while a completed checkpoint has unreadable metadata', async () => {
    const storage = new FsCheckpointStorage({ directory: dir, retained: 2, fsync: false });
    await writeIncremental(storage, 1, [], [['a', 1]]);
    await writeIncremental(storage, 2, [], [['a', 2]]);
    await writeFile(join(dir, 'chk-2', '_metadata'), 'garbage');
    await writeFile(join(dir, 'shared', 'orphan'), 'x');
    await storage.retain();
    expect((await readdir(join(dir, 'shared'))).sort()).toEqual(['agg-0-1', 'agg-0-2', 'orphan']);
  });

  it('a damaged shared file fails every checkpoint that references it', async () => {
    const storage = new FsCheckpointStorage({ directory: dir, retained: 3, fsync: false });
    const c1 = await writeIncremental(storage, 1, [], [['a', 1]]);
    await writeIncremental(storage, 2, c1.chain, [['a', 2]]);
    await writeFile(join(dir, 'shared', 'agg-0-1'), 'damaged');
    const skipped: string[] = [];
    await expect(loadLatestValid(storage, { onCorrupted: (ref) => skipped.push(ref.ref) })).rejects.toThrow(/chk-2.*shared\/agg-0-1.*chk-1.*shared\/agg-0-1/s);
    expect(skipped).toEqual(['chk-2', 'chk-1']);
  });

  it('savepoints are self-contained: they cannot write shared files', async () => {
    const storage = new FsCheckpointStorage({ directory: dir, fsync: false });
    const sp = await storage.beginSavepoint(5);
    await expect(sp.writeState('shared/x', new Uint8Array([1]))).rejects.toThrow(/self-contained/);
  });
});
