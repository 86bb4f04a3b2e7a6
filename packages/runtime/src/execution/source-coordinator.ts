// Runs a source's split enumerator on the coordinator (the client thread): readers register and ask for splits
// through control messages; assigned splits travel back serialized with the source's versioned split serializer.
import type { Source, SourceSplit, SplitEnumerator, SplitEnumeratorContext } from '@runnel/api';
import type { JobVertex } from '../graph/job-graph.js';
import type { CoordinatorMessage } from './protocol.js';
import { StateRestoreError } from '../checkpointing/state-restore-error.js';

/** @internal */
export class SourceCoordinator {
  private enumerator: SplitEnumerator<SourceSplit, unknown> | undefined;
  private readonly registered = new Set<number>();
  private readonly pending: (() => void)[] = [];
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private closed = false;

  constructor(
    readonly vertex: JobVertex,
    private readonly source: Source<unknown, SourceSplit, unknown>,
    private readonly send: (subtask: number, message: CoordinatorMessage) => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** Snapshots the enumerator (before barriers are injected, as FLIP-27 orders it). */
  snapshotState(checkpointId: number): { serializer: { id: string; version: number }; bytes: Uint8Array } {
    if (!this.enumerator) throw new Error(`split enumerator of '${this.vertex.name}' is not started`);
    const ser = this.source.enumeratorStateSerializer;
    return { serializer: { id: ser.id, version: ser.version }, bytes: ser.serialize(this.enumerator.snapshotState(checkpointId)) };
  }

  notifyCheckpointComplete(checkpointId: number): void {
    this.guard(() => this.enumerator?.notifyCheckpointComplete?.(checkpointId));
  }

  async start(restored?: { serializerId: string; version: number; bytes: Uint8Array }): Promise<void> {
    const ctx: SplitEnumeratorContext<SourceSplit> = {
      currentParallelism: this.vertex.parallelism,
      registeredReaders: () => [...this.registered].sort((a, b) => a - b),
      assignSplits: (assignment) => {
        for (const [subtask, splits] of assignment) this.assign(subtask, splits);
      },
      assignSplit: (split, subtask) => this.assign(subtask, [split]),
      signalNoMoreSplits: (subtask) => this.send(subtask, { t: 'no-more-splits', v: this.vertex.id, s: subtask }),
      sendEventToSourceReader: (subtask, e) => this.send(subtask, { t: 'source-event', v: this.vertex.id, s: subtask, e }),
      callAsync: (callable, handler, periodMs) => {
        const run = (): void => {
          if (this.closed) return;
          callable().then(
            (r) => this.guard(() => handler(r, undefined)),
            (e) => this.guard(() => handler(undefined, e)),
          );
        };
        if (periodMs && periodMs > 0) {
          const t = setInterval(run, periodMs);
          this.timers.push(t);
        }
        run();
      },
    };
    if (restored) {
      const ser = this.source.enumeratorStateSerializer;
      if (restored.serializerId !== ser.id) {
        throw new StateRestoreError(`cannot restore the split enumerator of '${this.vertex.name}' (uid ${this.vertex.head.uid}): its state was written by serializer '${restored.serializerId}', the source uses '${ser.id}'`);
      }
      let state: unknown;
      try {
        state = ser.deserialize(restored.bytes, restored.version);
      } catch (e) {
        throw new StateRestoreError(`cannot restore the split enumerator of '${this.vertex.name}' (uid ${this.vertex.head.uid}): ${(e as Error).message}`, { cause: e });
      }
      this.enumerator = this.source.restoreEnumerator(ctx, state);
    } else {
      this.enumerator = this.source.createEnumerator(ctx);
    }
    await this.enumerator.start();
    for (const p of this.pending.splice(0)) p();
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.fail(e);
    }
  }

  private assign(subtask: number, splits: readonly SourceSplit[]): void {
    if (subtask < 0 || subtask >= this.vertex.parallelism) {
      throw new Error(`split enumerator of '${this.vertex.name}' assigned splits to subtask ${subtask} of ${this.vertex.parallelism}`);
    }
    const ser = this.source.splitSerializer;
    this.send(subtask, { t: 'splits', v: this.vertex.id, s: subtask, splits: splits.map((s) => ser.serialize(s)), version: ser.version });
  }

  private whenStarted(fn: () => void): void {
    if (this.enumerator) this.guard(fn);
    else this.pending.push(() => this.guard(fn));
  }

  onReaderRegistered(subtask: number): void {
    this.registered.add(subtask);
    this.whenStarted(() => this.enumerator!.addReader(subtask));
  }

  onSplitRequest(subtask: number): void {
    this.whenStarted(() => this.enumerator!.handleSplitRequest(subtask));
  }

  onSourceEvent(subtask: number, event: unknown): void {
    this.whenStarted(() => this.enumerator!.handleSourceEvent?.(subtask, event));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    await this.enumerator?.close();
  }
}
