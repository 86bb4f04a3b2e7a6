import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keyGroupRangeForSubtask } from '@runnel/api';
import {
  CheckpointCorruptedError,
  decodeKeyGroupRange,
  encodeOperatorState,
  FsCheckpointStorage,
  keyGroupHandlesFor,
  loadLatestValid,
  readCoordinatorState,
  readKeyedState,
  readOperatorState,
  readOperatorStateFrom,
  type OperatorSnapshotMeta,
} from '../src/index.js';
import { MAX_PARALLELISM, tempDir, writeSampleCheckpoint } from './helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe('restoring at another parallelism', () => {
  it.each([1, 2, 3, 5])('keyed state written by 2 subtasks is read back by %i subtasks, each getting exactly its key groups', async (p) => {
    const storage = new FsCheckpointStorage({ directory: dir });
    const sample = await writeSampleCheckpoint(storage, 1, { keys: 500 });
    const { ref, metadata } = (await loadLatestValid(storage))!;
    const op = metadata.operators.find((o) => o.uid === 'agg')!;
    const all = sample.keyed.flat();
    const restored = [];
    for (let s = 0; s < p; s++) {
      const range = keyGroupRangeForSubtask(MAX_PARALLELISM, p, s);
      const groups = await readKeyedState(storage, ref, op, range);
      for (const g of groups) expect(g.keyGroup >= range.start && g.keyGroup <= range.end).toBe(true);
      expect(groups).toEqual(all.filter((g) => g.keyGroup >= range.start && g.keyGroup <= range.end));
      restored.push(...groups);
    }
    expect(restored).toEqual(all);
  });

  it('a subtask reads only the files that overlap its range', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    await writeSampleCheckpoint(storage, 1);
    const op = (await loadLatestValid(storage))!.metadata.operators[1]!;
    expect(keyGroupHandlesFor(op, { start: 0, end: 3 }).map((h) => h.handle.ref)).toEqual(['agg.keyed.0']);
    expect(keyGroupHandlesFor(op, { start: 7, end: 8 }).map((h) => h.handle.ref)).toEqual(['agg.keyed.0', 'agg.keyed.1']);
  });

  it('operator state is redistributed and coordinator state returned with its serializer', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    await writeSampleCheckpoint(storage, 4);
    const { ref, metadata } = (await loadLatestValid(storage))!;
    const source = metadata.operators[0]!;
    const three = await readOperatorState(storage, ref, source, 3);
    expect(three.map((t) => t.find((s) => s.name === 'splits')!.elements)).toEqual([
      [{ split: 'p0', offset: 400 }],
      [{ split: 'p1', offset: 401 }],
      [],
    ]);
    for (const t of three) expect(t.find((s) => s.name === 'watermarks')!.elements).toEqual([4000, 4001]);
    const coord = await readCoordinatorState(storage, ref, source);
    expect(coord!.serializer).toEqual({ id: 'runnel.json', version: 1 });
    expect(JSON.parse(new TextDecoder().decode(coord!.bytes))).toEqual({ pending: [], id: 4 });
    expect(await readCoordinatorState(storage, ref, metadata.operators[1]!)).toBeUndefined();
  });

  it('operator state keeps each old subtask\'s index: one that wrote none is empty, so an unchanged parallelism keeps every subtask\'s own state', async () => {
    // Three old subtasks; subtask 1 wrote no operator state.
    const files = new Map<string, Uint8Array>([
      ['op.0', encodeOperatorState([{ name: 'splits', mode: 'split', elements: ['a', 'b'] }])],
      ['op.2', encodeOperatorState([{ name: 'splits', mode: 'split', elements: ['c'] }])],
    ]);
    const handle = (ref: string) => ({ ref, size: files.get(ref)!.length });
    const op = {
      uid: 'source',
      name: 'Source',
      parallelism: 3,
      maxParallelism: 16,
      keyedStates: [],
      keyGroupHandles: [],
      operatorStates: [{ name: 'splits', mode: 'split', serializer: { id: 'runnel.generic', version: 1 } }],
      operatorStateHandles: [
        { subtask: 2, handle: handle('op.2') },
        { subtask: 0, handle: handle('op.0') },
      ],
    } as unknown as OperatorSnapshotMeta;
    const read = async (h: { ref: string }) => files.get(h.ref)!;
    const same = await readOperatorStateFrom(read, op, 3);
    expect(same.map((t) => t[0]!.elements)).toEqual([['a', 'b'], [], ['c']]);
    const two = await readOperatorStateFrom(read, op, 2);
    expect(two.map((t) => t[0]!.elements)).toEqual([['a', 'b'], ['c']]);
  });

  it('names the file (and the checkpoint, when given) of damaged operator state', async () => {
    const op = {
      uid: 'source', name: 'Source', parallelism: 1, maxParallelism: 16, keyedStates: [], keyGroupHandles: [], operatorStates: [],
      operatorStateHandles: [{ subtask: 0, handle: { ref: 'op.0', size: 3 } }],
    } as unknown as OperatorSnapshotMeta;
    const err = await readOperatorStateFrom(async () => new Uint8Array([1, 2, 3]), op, 1, 'chk-7').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CheckpointCorruptedError);
    expect((err as CheckpointCorruptedError).file).toBe('op.0');
    expect((err as CheckpointCorruptedError).checkpoint).toBe('chk-7');
  });

  it('decodeKeyGroupRange decodes one file\'s key groups of a range, as readKeyedState does', async () => {
    const storage = new FsCheckpointStorage({ directory: dir });
    await writeSampleCheckpoint(storage, 1, { keys: 300 });
    const { ref, metadata } = (await loadLatestValid(storage))!;
    const op = metadata.operators.find((o) => o.uid === 'agg')!;
    const range = { start: 5, end: 11 };
    const direct = [];
    for (const h of keyGroupHandlesFor(op, range)) direct.push(...decodeKeyGroupRange(await storage.readState(ref, h.handle), h.index, range));
    expect(direct).toEqual(await readKeyedState(storage, ref, op, range));
    expect(direct.map((g) => g.keyGroup)).toEqual([5, 6, 7, 8, 9, 10, 11]);
  });
});
