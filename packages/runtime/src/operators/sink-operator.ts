// The sink operator feeds a SinkWriter: synchronous writes, flush at end of input, back-pressure through the
// writer's optional `isAvailable()`, and two-phase commit with checkpoints: at the barrier the writer flushes and
// pre-commits (committables go into the checkpoint), when the checkpoint completes the committer commits them,
// and after a restore the restored committables are committed again (commits are idempotent). The next barrier
// waits for commits in flight, so a completed checkpoint means the commits of the ones before it landed.
import { END_OF_INPUT_CHECKPOINT_ID, type Committer, type CommitRequest, type Sink, type SinkRecordContext, type SinkWriter, type VersionedSerializer } from '@runnel/api';
import { StreamOperator, type OperatorContext } from './stream-operator.js';
import { wrapUserError } from './user-function-error.js';
import { SINK_COMMITTABLES_STATE, SINK_WRITER_STATE, type OperatorCapture } from '../checkpointing/operator-snapshot.js';
import { StateRestoreError } from '../checkpointing/state-restore-error.js';
import { serializeReadable } from '../checkpointing/readable-serialize.js';

/** The checkpoint id of the commit at end of input (Flink's final checkpoint). */
const END_OF_INPUT = END_OF_INPUT_CHECKPOINT_ID;
/** The id the task snapshots its final state with (the coordinator assigns the real one). */
const FINAL_SNAPSHOT = -1;

type Encoded = [checkpointId: number, serializerId: string, version: number, bytes: Uint8Array];

/** @internal */
export class SinkOperator<T> extends StreamOperator {
  writer!: SinkWriter<T, unknown, unknown>;
  private committer: Committer<unknown> | undefined;
  /** Committables per checkpoint, not yet committed. */
  private readonly pending = new Map<number, unknown[]>();
  /** The last commit started: the next one waits for it. */
  private committing: Promise<void> = Promise.resolve();
  /** Set by close(): no commit starts after it. */
  private closed = false;
  /** The per-record context, reused for every record. */
  private readonly recordContext: SinkRecordContext & { timestamp: number };

  constructor(
    ctx: OperatorContext,
    private readonly sink: Sink<T, unknown, unknown>,
  ) {
    super(ctx);
    const self = this;
    this.recordContext = {
      timestamp: Number.NEGATIVE_INFINITY,
      get currentWatermark() {
        return self.getCurrentWatermark();
      },
    };
  }

  override async open(): Promise<void> {
    const c = this.ctx;
    const restore = c.restore;
    this.committer = this.sink.createCommitter?.();
    // Restored committables are committed before the writer starts, so that a writer cleaning up leftovers of the
    // failed attempt never races with them.
    const restoredCommittables = restore?.operatorState.find((s) => s.name === SINK_COMMITTABLES_STATE)?.elements as Encoded[] | undefined;
    if (restoredCommittables && restoredCommittables.length > 0) {
      const ser = this.need(this.sink.committableSerializer, 'committableSerializer');
      for (const [cp, id, version, bytes] of restoredCommittables) {
        this.checkSerializer(ser, id, 'committables');
        let l = this.pending.get(cp);
        if (!l) this.pending.set(cp, (l = []));
        l.push(this.restored(() => ser.deserialize(bytes, version), 'committable'));
      }
      // Everything restored belongs to the restored checkpoint or earlier ones (or to its end of input).
      await this.commitUpTo(Number.MAX_SAFE_INTEGER);
    }
    let writerState: unknown[] | undefined;
    const restoredWriter = restore?.operatorState.find((s) => s.name === SINK_WRITER_STATE)?.elements as Encoded[] | undefined;
    if (restoredWriter) {
      const ser = this.need(this.sink.writerStateSerializer, 'writerStateSerializer');
      writerState = restoredWriter.map(([, id, version, bytes]) => {
        this.checkSerializer(ser, id, 'writer state');
        return this.restored(() => ser.deserialize(bytes, version), 'writer state');
      });
    }
    this.writer = this.sink.createWriter(
      {
        subtaskIndex: c.subtaskIndex,
        parallelism: c.parallelism,
        attemptNumber: c.attemptNumber,
        metricGroup: c.metricGroup,
        restoredCheckpointId: restore?.checkpointId,
        sendToClient: (channel, values) => c.sendToClient(channel, values),
      },
      writerState,
    );
  }

  private need<S>(s: VersionedSerializer<S> | undefined, what: string): VersionedSerializer<S> {
    if (!s) throw new StateRestoreError(`sink '${this.ctx.node.name}' has restored state but no ${what}`);
    return s;
  }

  private checkSerializer(ser: VersionedSerializer<unknown>, id: string, what: string): void {
    if (ser.id !== id) {
      throw new StateRestoreError(`operator '${this.ctx.node.name}' (uid ${this.ctx.node.uid}): restored ${what} were written by serializer '${id}', the sink uses '${ser.id}'`);
    }
  }

  /** Deserializes restored state: a serializer that rejects it will reject it on every attempt. */
  private restored<S>(read: () => S, what: string): S {
    try {
      return read();
    } catch (e) {
      throw new StateRestoreError(`operator '${this.ctx.node.name}' (uid ${this.ctx.node.uid}): cannot read the restored ${what}: ${(e as Error).message}`, { cause: e });
    }
  }

  processElement(value: unknown, timestamp: number): void {
    this.recordContext.timestamp = timestamp;
    try {
      this.writer.write(value as T, this.recordContext);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
  }

  /** A promise while the writer cannot take more records. */
  isAvailable(): Promise<void> | undefined {
    return this.writer.isAvailable?.();
  }

  override async prepareSnapshotPreBarrier(checkpointId: number): Promise<void> {
    // A checkpoint is taken only after this subtask's commits in flight returned, as in Flink (whose committer
    // commits on the task thread). So when checkpoint N + 1 completes, every subtask's commit of N has landed (its
    // completion is sent before N + 1 is triggered): sources order changes of one key that travel through different
    // subtasks on that (mysql-cdc's hand-off from its parallel snapshot to its binlog reader). Without the wait a slow
    // commit of N on one subtask could land after another subtask's commit of N + 1, older rows over newer changes.
    await this.committing.catch(() => undefined);
    await this.writer.flush(false);
    if (this.writer.prepareCommit) {
      const committables = await this.writer.prepareCommit(checkpointId);
      if (committables.length > 0) this.pending.set(checkpointId, committables);
    }
  }

  override snapshotState(checkpointId: number): OperatorCapture {
    const base = super.snapshotState(checkpointId);
    const states = [...base.operatorState];
    const where = `sink '${this.ctx.node.name}' (uid ${this.ctx.node.uid})`;
    if (this.pending.size > 0) {
      const ser = this.need(this.sink.committableSerializer, 'committableSerializer');
      const elements: Encoded[] = [];
      for (const [cp, list] of this.pending) for (const c of list) elements.push([cp, ser.id, ser.version, serializeReadable(ser, c, `${where}, committable`)]);
      states.push({ name: SINK_COMMITTABLES_STATE, mode: 'split', elements });
    }
    // The final snapshot (end of input) is taken before the coordinator assigns its id: writers see the end-of-input
    // id, which their state serializers must accept like any other.
    const id = checkpointId === FINAL_SNAPSHOT ? END_OF_INPUT : checkpointId;
    const ws = this.writer.snapshotState?.(id);
    if (ws && ws.length > 0) {
      const ser = this.need(this.sink.writerStateSerializer, 'writerStateSerializer');
      states.push({ name: SINK_WRITER_STATE, mode: 'split', elements: ws.map((w) => [id, ser.id, ser.version, serializeReadable(ser, w, `${where}, writer state`)] as Encoded) });
    }
    return { operatorState: states };
  }

  override async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    await this.commitUpTo(checkpointId);
  }

  /**
   * Commits every pending committable of checkpoints up to `checkpointId`. Committables leave `pending` only once
   * their commit returned: a snapshot taken while a commit is in flight still holds them, so that a failure before
   * the commit lands re-commits them after the restore (commits are idempotent). Removing them first lost their
   * files when a checkpoint completed during the commit and the process died before it landed (campaign seed
   * 100180). Commits run one after another, in checkpoint order, never concurrently.
   */
  private commitUpTo(checkpointId: number): Promise<void> {
    const run = this.committing.catch(() => undefined).then(async () => {
      if (this.closed || !this.committer || this.pending.size === 0) return;
      const requests: CommitRequest<unknown>[] = [];
      const done: [number, unknown[]][] = [];
      for (const [cp, list] of [...this.pending.entries()].sort((a, b) => a[0] - b[0])) {
        if (cp > checkpointId) continue;
        for (const committable of list) requests.push({ checkpointId: cp, committable });
        done.push([cp, list]);
      }
      if (requests.length > 0) await this.committer.commit(requests);
      for (const [cp, list] of done) if (this.pending.get(cp) === list) this.pending.delete(cp);
    });
    this.committing = run;
    return run;
  }

  override async finish(): Promise<void> {
    await this.writer.flush(true);
    if (this.writer.prepareCommit) {
      const committables = await this.writer.prepareCommit(END_OF_INPUT);
      if (committables.length > 0) this.pending.set(END_OF_INPUT, committables);
    }
    // With checkpoints, the end-of-input committables go into the final checkpoint and are committed when it
    // completes (a crash before that replays from the last checkpoint without duplicating the tail).
    if (!this.ctx.finalCheckpoint) await this.commitUpTo(END_OF_INPUT);
  }

  /**
   * Waits for the commit in flight before closing: the executor reports itself closed when its tasks closed, and the
   * coordinator then terminates the worker thread. Node 20 aborts the whole process (`Assertion failed: (req_wrap)
   * != nullptr`) when a thread being terminated starts an `fs` promise call, as a file commit's rename did in CI
   * after a cancel. A commit not started yet never starts: its committables stay in the checkpoint and are
   * committed after the restore.
   */
  override async close(): Promise<void> {
    this.closed = true;
    await this.committing.catch(() => undefined);
    await this.writer?.close();
    await this.committer?.close();
  }
}
