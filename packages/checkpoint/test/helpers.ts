// Test fixtures: realistic checkpoints written through FsCheckpointStorage with the canonical formats.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyGroupFor, keyGroupRangeForSubtask, type KeyGroupEntries, type KeyedStateEntry, type OperatorStateEntries } from '@runnel/api';
import {
  encodeKeyGroups,
  encodeMetadata,
  encodeOperatorState,
  type CheckpointMetadata,
  type FsCheckpointStorage,
  type OperatorSnapshotMeta,
} from '../src/index.js';

export async function tempDir(prefix = 'runnel-ckpt-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const MAX_PARALLELISM = 16;

/** Keyed entries for `keys` keys (counts and per-window lists), grouped by key group. */
export function sampleKeyGroups(keys: number, seed: number, range = { start: 0, end: MAX_PARALLELISM - 1 }): KeyGroupEntries[] {
  const byGroup = new Map<number, KeyedStateEntry[]>();
  for (let i = 0; i < keys; i++) {
    const key = `user-${i}`;
    const kg = keyGroupFor(key, MAX_PARALLELISM);
    if (kg < range.start || kg > range.end) continue;
    let list = byGroup.get(kg);
    if (list === undefined) byGroup.set(kg, (list = []));
    list.push({ state: 'count', key, namespace: '', value: i * seed });
    list.push({ state: 'window-contents', key, namespace: 1_700_000_000_000 + (i % 3) * 60_000, value: [{ v: i, tag: 'x'.repeat(i % 7) }, null, -0] });
  }
  return [...byGroup.entries()].sort((a, b) => a[0] - b[0]).map(([keyGroup, entries]) => ({ keyGroup, entries }));
}

export interface SampleCheckpoint {
  readonly metadata: CheckpointMetadata;
  readonly keyed: KeyGroupEntries[][];
  readonly operatorState: OperatorStateEntries[][];
  /** State file names in writing order. */
  readonly files: string[];
}

/** Writes a checkpoint with a keyed operator (parallelism 2) and a source with operator + coordinator state. */
export async function writeSampleCheckpoint(
  storage: FsCheckpointStorage,
  checkpointId: number,
  options: { kind?: 'checkpoint' | 'savepoint'; targetDir?: string; keys?: number } = {},
): Promise<SampleCheckpoint> {
  const kind = options.kind ?? 'checkpoint';
  const loc =
    options.targetDir !== undefined ? await storage.beginSavepoint(checkpointId, options.targetDir) : await storage.beginCheckpoint(checkpointId, kind);
  const parallelism = 2;
  const keyed: KeyGroupEntries[][] = [];
  const keyGroupHandles: OperatorSnapshotMeta['keyGroupHandles'] = [];
  const files: string[] = [];
  for (let s = 0; s < parallelism; s++) {
    const range = keyGroupRangeForSubtask(MAX_PARALLELISM, parallelism, s);
    const groups = sampleKeyGroups(options.keys ?? 200, checkpointId, range);
    keyed.push(groups);
    const { bytes, index } = encodeKeyGroups(groups);
    const handle = await loc.writeState(`agg.keyed.${s}`, bytes);
    files.push(handle.ref);
    keyGroupHandles.push({ start: range.start, end: range.end, handle, index });
  }
  const operatorState: OperatorStateEntries[][] = [];
  const operatorStateHandles: OperatorSnapshotMeta['operatorStateHandles'] = [];
  for (let s = 0; s < parallelism; s++) {
    const states: OperatorStateEntries[] = [
      { name: 'splits', mode: 'split', elements: [{ split: `p${s}`, offset: checkpointId * 100 + s }] },
      { name: 'watermarks', mode: 'union', elements: [checkpointId * 1000 + s] },
    ];
    operatorState.push(states);
    const handle = await loc.writeState(`source.operator.${s}`, encodeOperatorState(states));
    files.push(handle.ref);
    operatorStateHandles.push({ subtask: s, handle });
  }
  const coordinator = await loc.writeState('source.coordinator', new TextEncoder().encode(JSON.stringify({ pending: [], id: checkpointId })));
  files.push(coordinator.ref);
  const metadata: CheckpointMetadata = {
    format: 'runnel-checkpoint',
    version: 1,
    checkpointId,
    kind,
    jobName: 'test-job',
    timestamp: 1_700_000_000_000 + checkpointId,
    operators: [
      {
        uid: 'source',
        name: 'Source: events',
        parallelism,
        maxParallelism: MAX_PARALLELISM,
        keyedStates: [],
        keyGroupHandles: [],
        operatorStates: [
          { name: 'splits', mode: 'split', serializer: { id: 'runnel.generic', version: 1 } },
          { name: 'watermarks', mode: 'union', serializer: { id: 'runnel.generic', version: 1 } },
        ],
        operatorStateHandles,
        coordinatorState: { serializer: { id: 'runnel.json', version: 1 }, handle: coordinator },
      },
      {
        uid: 'agg',
        name: 'Window(count)',
        parallelism,
        maxParallelism: MAX_PARALLELISM,
        keyedStates: [
          { name: 'count', kind: 'value', valueSerializer: { id: 'runnel.generic', version: 1 } },
          { name: 'window-contents', kind: 'list', valueSerializer: { id: 'runnel.generic', version: 1 } },
        ],
        keyGroupHandles,
        operatorStates: [],
        operatorStateHandles: [],
      },
    ],
  };
  await loc.writeMetadata(encodeMetadata(metadata));
  return { metadata, keyed, operatorState, files };
}
