// Drives a FileSink through the two-phase-commit contract in the order the runtime's sink operator uses, with
// checkpoints stored as serialized bytes (as a checkpoint would), crashes (writers dropped without commit) and
// restores at any parallelism with a configurable redistribution of committables and writer states.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommitRequest, Committer, SinkWriter } from '@runnel/api/connector';
import type { FileSink } from '../src/file-sink.js';
import type { FileSinkCommittable, FileSinkWriterState } from '../src/file-sink-state.js';
import { sinkContext } from './fakes.js';

export const END_OF_INPUT = Number.MAX_SAFE_INTEGER;
const noContext = { timestamp: Number.NEGATIVE_INFINITY, currentWatermark: Number.NEGATIVE_INFINITY };

interface Stored {
  readonly checkpointId: number;
  readonly version: number;
  readonly bytes: Uint8Array;
}

/** What a completed checkpoint holds for the sink operator (all subtasks). */
export interface StoredCheckpoint {
  readonly checkpointId: number;
  readonly committables: readonly Stored[];
  readonly writerStates: readonly Stored[];
}

interface Subtask {
  readonly writer: SinkWriter<unknown, FileSinkCommittable, FileSinkWriterState>;
  readonly committer: Committer<FileSinkCommittable>;
  /** Committables per checkpoint, not yet committed. */
  readonly pending: Map<number, FileSinkCommittable[]>;
}

export interface RestoreSpec {
  /** The checkpoint to restore; none for a restart from scratch. */
  readonly from?: StoredCheckpoint;
  readonly attemptNumber: number;
  /** Element i of each restored list goes to subtask `(i + shift) % parallelism`. */
  readonly shift?: number;
}

export class SimulatedSinkJob {
  private constructor(
    private readonly sink: FileSink,
    readonly subtasks: readonly Subtask[],
  ) {}

  /** Opens every subtask as the runtime does: restored committables are committed before the writer starts. */
  static async start(sink: FileSink, parallelism: number, restore?: RestoreSpec): Promise<SimulatedSinkJob> {
    const subtasks: Subtask[] = [];
    for (let s = 0; s < parallelism; s++) {
      const mine = <E>(list: readonly E[]): E[] =>
        list.filter((_, i) => (i + (restore?.shift ?? 0)) % parallelism === s);
      const committer = sink.createCommitter();
      const pending = new Map<number, FileSinkCommittable[]>();
      for (const c of mine(restore?.from?.committables ?? [])) {
        const value = sink.committableSerializer.deserialize(c.bytes, c.version);
        pending.set(c.checkpointId, [...(pending.get(c.checkpointId) ?? []), value]);
      }
      const subtask: Subtask = { committer, pending, writer: undefined as never };
      if (restore?.from !== undefined) await SimulatedSinkJob.commitUpTo(subtask, restore.from.checkpointId);
      const states = mine(restore?.from?.writerStates ?? []).map((w) =>
        sink.writerStateSerializer.deserialize(w.bytes, w.version),
      );
      const context = {
        ...sinkContext(s, parallelism),
        attemptNumber: restore?.attemptNumber ?? 0,
        restoredCheckpointId: restore?.from?.checkpointId,
      };
      subtasks.push({ ...subtask, writer: sink.createWriter(context, restore?.from === undefined ? undefined : states) });
    }
    return new SimulatedSinkJob(sink, subtasks);
  }

  write(subtask: number, records: readonly unknown[]): void {
    const writer = this.subtasks[subtask]!.writer;
    for (const r of records) writer.write(r, noContext);
  }

  /** The barrier: flush(false), prepareCommit, snapshotState on every subtask; returns what the checkpoint stores. */
  async checkpoint(checkpointId: number): Promise<StoredCheckpoint> {
    const committables: Stored[] = [];
    const writerStates: Stored[] = [];
    const { committableSerializer: cs, writerStateSerializer: ws } = this.sink;
    for (const t of this.subtasks) {
      await t.writer.flush(false);
      const prepared = await t.writer.prepareCommit!(checkpointId);
      if (prepared.length > 0) t.pending.set(checkpointId, prepared);
      for (const [cp, list] of t.pending) {
        for (const c of list) committables.push({ checkpointId: cp, version: cs.version, bytes: cs.serialize(c) });
      }
      for (const w of t.writer.snapshotState!(checkpointId)) {
        writerStates.push({ checkpointId, version: ws.version, bytes: ws.serialize(w) });
      }
    }
    return { checkpointId, committables, writerStates };
  }

  /** Checkpoint `checkpointId` completed: every subtask commits its committables up to it. */
  async complete(checkpointId: number): Promise<void> {
    for (const t of this.subtasks) await SimulatedSinkJob.commitUpTo(t, checkpointId);
  }

  /** End of input of a bounded job: flush(true), the final prepareCommit, committed right away, then close. */
  async endOfInput(): Promise<void> {
    for (const t of this.subtasks) {
      await t.writer.flush(true);
      const prepared = await t.writer.prepareCommit!(END_OF_INPUT);
      if (prepared.length > 0) t.pending.set(END_OF_INPUT, prepared);
      await SimulatedSinkJob.commitUpTo(t, END_OF_INPUT);
    }
    await this.close();
  }

  /** A failure: the tasks are torn down without committing anything further. */
  async close(): Promise<void> {
    for (const t of this.subtasks) {
      await t.writer.close();
      await t.committer.close();
    }
  }

  private static async commitUpTo(t: Pick<Subtask, 'pending' | 'committer'>, checkpointId: number): Promise<void> {
    const requests: CommitRequest<FileSinkCommittable>[] = [];
    for (const [cp, list] of [...t.pending].sort((a, b) => a[0] - b[0])) {
      if (cp > checkpointId) continue;
      for (const committable of list) requests.push({ checkpointId: cp, committable });
      t.pending.delete(cp);
    }
    if (requests.length > 0) await t.committer.commit(requests);
  }
}

/** Committed (visible) part files of `dir`, sorted. */
export async function committedFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.endsWith('.jsonl') && !n.startsWith('.')).sort();
}

/** Hidden (in-progress or pending) part files of `dir`, sorted. */
export async function hiddenFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => n.startsWith('.')).sort();
}

/** The records of one file. */
export async function recordsOf(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  if (text.length === 0) return [];
  if (!text.endsWith('\n')) throw new Error(`${path} does not end with a newline`);
  return text.slice(0, -1).split('\n').map((l) => JSON.parse(l) as unknown);
}

/** Every committed record of `dir`, sorted by its JSON text (order across files is not defined). */
export async function committedRecords(dir: string): Promise<unknown[]> {
  const all: unknown[] = [];
  for (const f of await committedFiles(dir)) all.push(...(await recordsOf(join(dir, f))));
  return sortByJson(all);
}

export function sortByJson(values: readonly unknown[]): unknown[] {
  return values
    .map((v) => [JSON.stringify(v), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, v]) => v);
}

/** Records `{ s, i }` for subtask `s`, i in [from, to). */
export function batch(s: number, from: number, to: number): { s: number; i: number }[] {
  return Array.from({ length: to - from }, (_, k) => ({ s, i: from + k }));
}
