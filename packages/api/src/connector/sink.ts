// The Sink contract: a writer per parallel subtask, and for exactly-once delivery a committer. Writers take
// records synchronously (buffering as they see fit) and may signal back-pressure through `isAvailable`. With a
// committer the protocol is two-phase: at a checkpoint barrier the writer flushes and `prepareCommit` returns
// committables (pre-commit); when the checkpoint completes the committer commits them; after a restore the
// committables of the restored checkpoint are committed again, so commits must be idempotent.
import type { VersionedSerializer } from '../serialization/versioned-serializer.js';
import type { MetricGroup } from '../metrics/metric-group.js';

/**
 * The checkpoint id of end of input: `prepareCommit` gets it for the committables of the last records of a bounded
 * job (committed when the final checkpoint completes), and `snapshotState` gets it for the writer state of the
 * final checkpoint. Persisted state must stay readable with it (it is a safe integer, `Number.MAX_SAFE_INTEGER`).
 *
 * @public
 */
export const END_OF_INPUT_CHECKPOINT_ID: number = Number.MAX_SAFE_INTEGER;

/**
 * Context of a sink writer.
 *
 * @public
 */
export interface SinkWriterContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
  /** 0 for the first run, incremented on every restart of the job. */
  readonly attemptNumber: number;
  readonly metricGroup: MetricGroup;
  /** The id of the checkpoint this writer was restored from, if any. */
  readonly restoredCheckpointId?: number;
  /**
   * Sends values to the client that submitted the job (the `collect` sink); values must be structured-cloneable.
   */
  sendToClient(channel: string, values: readonly unknown[]): void;
}

/**
 * Per-record context of a write.
 *
 * @public
 */
export interface SinkRecordContext {
  /** Event timestamp of the record, or -Infinity when it has none. */
  readonly timestamp: number;
  /** The current watermark of the writer's input. */
  readonly currentWatermark: number;
}

/**
 * Writes the records of one parallel subtask.
 *
 * @public
 */
export interface SinkWriter<T, CommT = never, WriterStateT = never> {
  write(element: T, context: SinkRecordContext): void;
  /** Flushes buffered records; `endOfInput` on the last call of a bounded job. */
  flush(endOfInput: boolean): void | Promise<void>;
  /**
   * Optional capability: back-pressure. Return a promise while the writer cannot take more records; the runtime
   * stops feeding it until the promise settles. Return `undefined` when it can take more.
   */
  isAvailable?(): Promise<void> | undefined;
  /**
   * Two-phase commit: after `flush(false)` at a barrier, the committables of this checkpoint; after `flush(true)`
   * at end of input, those of the last records ({@link END_OF_INPUT_CHECKPOINT_ID}).
   */
  prepareCommit?(checkpointId: number): CommT[] | Promise<CommT[]>;
  /**
   * State of the writer itself (e.g. in-progress files), snapshotted at each barrier, and once more for the final
   * checkpoint at end of input (with {@link END_OF_INPUT_CHECKPOINT_ID}).
   */
  snapshotState?(checkpointId: number): WriterStateT[];
  /** Idempotent. */
  close(): void | Promise<void>;
}

/**
 * A committable plus the checkpoint it belongs to.
 *
 * @public
 */
export interface CommitRequest<CommT> {
  readonly checkpointId: number;
  readonly committable: CommT;
}

/**
 * Commits what writers pre-committed. Must be idempotent: after a restore the same committables come again.
 *
 * @public
 */
export interface Committer<CommT> {
  commit(requests: readonly CommitRequest<CommT>[]): Promise<void>;
  /** Idempotent. */
  close(): void | Promise<void>;
}

/**
 * A sink: the factory of its writers and, for exactly-once delivery, its committer.
 *
 * @public
 */
export interface Sink<T, CommT = never, WriterStateT = never> {
  createWriter(context: SinkWriterContext, restoredState?: readonly WriterStateT[]): SinkWriter<T, CommT, WriterStateT>;
  /** Optional capability: two-phase commit. */
  createCommitter?(): Committer<CommT>;
  readonly committableSerializer?: VersionedSerializer<CommT>;
  readonly writerStateSerializer?: VersionedSerializer<WriterStateT>;
}
