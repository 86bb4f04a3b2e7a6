// The checkpoint coordinator against a storage it controls: once a checkpoint's metadata is being written, nothing
// aborts it — not a task that finishes, not the job stopping. Aborting deleted the state files while the metadata
// landed, leaving a "completed" checkpoint without state, which no restore could read (found by the campaign).
import { describe, expect, it } from 'vitest';
import type { CheckpointLocation, CheckpointStorage, StateHandle } from '@runnel/api';
import { CheckpointCoordinator } from '../../src/checkpointing/checkpoint-coordinator.js';
import type { JobGraph } from '../../src/graph/job-graph.js';
import { DEFAULT_RUNTIME_CONFIG } from '../../src/index.js';

interface FakeLocation extends CheckpointLocation {
  aborted: boolean;
  metadataWritten: boolean;
  releaseMetadata(): void;
  metadataStarted: Promise<void>;
}

function fakeStorage(): { storage: CheckpointStorage; locations: FakeLocation[] } {
  const locations: FakeLocation[] = [];
  const storage = {
    async beginCheckpoint(checkpointId: number): Promise<CheckpointLocation> {
      let release!: () => void;
      let started!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const loc: FakeLocation = {
        checkpointId,
        pointer: `fake/chk-${checkpointId}`,
        aborted: false,
        metadataWritten: false,
        releaseMetadata: () => release(),
        metadataStarted: new Promise<void>((r) => (started = r)),
        async writeState(name: string): Promise<StateHandle> {
          return { ref: name, size: 0, checksum: 'crc32:00000000' };
        },
        async writeMetadata(): Promise<void> {
          started();
          await gate;
          loc.metadataWritten = true;
        },
        async abort(): Promise<void> {
          loc.aborted = true;
        },
      };
      locations.push(loc);
      return loc;
    },
    async retain(): Promise<void> {},
  } as unknown as CheckpointStorage;
  return { storage, locations };
}

function coordinator(storage: CheckpointStorage, broadcast: (m: { t: string; id?: number }) => void = () => {}): CheckpointCoordinator {
  const graph = { vertices: [{ id: 0, parallelism: 1, head: { uid: 'src' } }], streamGraph: { nodes: new Map() } } as unknown as JobGraph;
  return new CheckpointCoordinator(
    {
      jobName: 'test',
      graph,
      broadcast: (m) => broadcast(m as { t: string; id?: number }),
      snapshotCoordinators: () => new Map(),
      notifyCoordinatorsComplete: () => {},
      fail: (e) => {
        throw e;
      },
    },
    { ...DEFAULT_RUNTIME_CONFIG.checkpoint, intervalMs: undefined },
    storage,
    0,
  );
}

describe('checkpoint coordinator', () => {
  for (const cause of ['a task finishes', 'the job stops'] as const) {
    it(`a checkpoint whose metadata is being written completes even when ${cause} meanwhile`, async () => {
      const { storage, locations } = fakeStorage();
      const c = coordinator(storage);
      const done = c.trigger('checkpoint');
      await new Promise((r) => setImmediate(r));
      c.onAck(0, 0, 1, [], 0);
      await locations[0]!.metadataStarted;
      if (cause === 'a task finishes') c.onTaskFinished();
      else c.stop();
      locations[0]!.releaseMetadata();
      const stats = await done;
      expect(stats.status).toBe('completed');
      expect(locations[0]!.aborted).toBe(false);
      expect(locations[0]!.metadataWritten).toBe(true);
    });
  }

  it('a checkpoint still waiting for acknowledgements is aborted when a task finishes', async () => {
    const { storage, locations } = fakeStorage();
    const c = coordinator(storage);
    const done = c.trigger('checkpoint');
    await new Promise((r) => setImmediate(r));
    c.onTaskFinished();
    await expect(done).rejects.toThrow(/a task finished before the checkpoint completed/);
    expect(locations[0]!.aborted).toBe(true);
  });

  it('broadcasts barriers in increasing id order even when a savepoint location takes longer to create', async () => {
    const { storage } = fakeStorage();
    let releaseSavepoint!: () => void;
    const slow = new Promise<void>((r) => (releaseSavepoint = r));
    // A savepoint's directory is created elsewhere (its target directory) and can take longer than a checkpoint's.
    (storage as { beginSavepoint?: unknown }).beginSavepoint = async (id: number) => {
      await slow;
      return storage.beginCheckpoint(id, 'checkpoint');
    };
    const triggered: number[] = [];
    const c = coordinator(storage, (m) => {
      if (m.t === 'trigger') triggered.push(m.id!);
    });
    void c.trigger('savepoint', { stop: { drain: false } }).catch(() => {});
    void c.trigger('checkpoint').catch(() => {});
    await new Promise((r) => setTimeout(r, 20));
    // The checkpoint waits for the savepoint to be started: nothing overtakes it.
    expect(triggered).toEqual([]);
    releaseSavepoint();
    await new Promise((r) => setTimeout(r, 20));
    expect(triggered).toEqual([1, 2]);
    c.stop();
  });
});
