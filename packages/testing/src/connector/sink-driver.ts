// Drives every subtask of a Sink through the runtime's sink operator, as a job does: writes, checkpoints whose state
// is encoded bytes (committables and writer state through the sink's serializers), completion notifications that
// commit, crashes (tasks torn down without committing) and restores of a checkpoint at any parallelism.
import { END_OF_INPUT_CHECKPOINT_ID, type Sink } from '@runnel/api';
import type { ManualClock } from '../harness/manual-clock.js';
import { combineSnapshots, type OperatorSnapshot } from '../harness/operator-snapshot.js';
import { sinkHarness, type SinkHarness } from '../harness/sink-harness.js';

/**
 * Options of {@link SinkDriver.start}.
 *
 * @public
 */
export interface SinkDriverOptions {
  /** Number of writer subtasks (default 1). */
  readonly parallelism?: number;
  /** A checkpoint to restore (taken at any parallelism); none for a fresh start. */
  readonly restore?: OperatorSnapshot;
  /** The attempt number writers see (default 0 for a fresh start, 1 for a restore). */
  readonly attemptNumber?: number;
  /** Whether end-of-input committables wait for a final checkpoint (default false: committed at end of input). */
  readonly finalCheckpoint?: boolean;
  readonly clock?: ManualClock;
}

/**
 * All subtasks of a sink, driven in the runtime's order.
 *
 * @public
 */
export class SinkDriver<T> {
  private nextId: number;
  private closed = false;

  private constructor(
    /** One harness per subtask. */
    readonly subtasks: readonly SinkHarness<T>[],
    restoredCheckpointId: number,
  ) {
    this.nextId = restoredCheckpointId + 1;
  }

  /**
   * Opens every subtask; with `restore`, restored committables are committed before the writers start (as the
   * runtime does), and writer state is redistributed over the new subtasks.
   */
  static async start<T>(sink: Sink<T, any, any>, options: SinkDriverOptions = {}): Promise<SinkDriver<T>> {
    const parallelism = options.parallelism ?? 1;
    if (!Number.isInteger(parallelism) || parallelism < 1) throw new RangeError(`parallelism must be a positive integer, got ${parallelism}`);
    const subtasks: SinkHarness<T>[] = [];
    for (let s = 0; s < parallelism; s++) {
      subtasks.push(
        await sinkHarness<T>(sink, {
          parallelism,
          subtaskIndex: s,
          restore: options.restore,
          attemptNumber: options.attemptNumber ?? (options.restore === undefined ? 0 : 1),
          finalCheckpoint: options.finalCheckpoint,
          clock: options.clock,
        }),
      );
    }
    return new SinkDriver(subtasks, options.restore?.checkpointId ?? 0);
  }

  get parallelism(): number {
    return this.subtasks.length;
  }

  /** Writes records to one subtask's writer (timestamp: none unless given). */
  async write(subtask: number, records: Iterable<T>, timestamp?: number): Promise<void> {
    const h = this.subtask(subtask);
    for (const r of records) await h.processElement(r, timestamp);
  }

  /**
   * A checkpoint barrier on every subtask (flush, pre-commit, capture); returns the checkpoint's state of all
   * subtasks, to complete with {@link SinkDriver.complete} or restore with {@link SinkDriver.start}.
   */
  async checkpoint(checkpointId?: number): Promise<OperatorSnapshot> {
    this.checkOpen();
    const id = checkpointId ?? this.nextId;
    this.nextId = Math.max(this.nextId, id + 1);
    const parts: OperatorSnapshot[] = [];
    for (const h of this.subtasks) parts.push(await h.snapshot(id));
    return combineSnapshots(parts);
  }

  /** Checkpoint `checkpointId` completed: every subtask commits what it pre-committed up to it. */
  async complete(checkpointId: number): Promise<void> {
    this.checkOpen();
    for (const h of this.subtasks) await h.notifyCheckpointComplete(checkpointId);
  }

  /** End of input on every subtask (flush(true), the last pre-commit, and — without a final checkpoint — commit). */
  async endInput(): Promise<void> {
    this.checkOpen();
    for (const h of this.subtasks) await h.endInput();
  }

  /**
   * The final checkpoint of a job with checkpoints (`finalCheckpoint: true`), after `endInput()`: every subtask's
   * final state, holding its end-of-input committables.
   */
  async finalCheckpoint(checkpointId?: number): Promise<OperatorSnapshot> {
    this.checkOpen();
    const id = checkpointId ?? this.nextId;
    this.nextId = Math.max(this.nextId, id + 1);
    const parts: OperatorSnapshot[] = [];
    for (const h of this.subtasks) parts.push(await h.finalSnapshot(id));
    return combineSnapshots(parts);
  }

  /** The final checkpoint completed: end-of-input committables are committed. */
  async completeFinal(): Promise<void> {
    await this.complete(END_OF_INPUT_CHECKPOINT_ID);
  }

  /** End of input, then close: a bounded job finishing. */
  async finish(): Promise<void> {
    await this.endInput();
    await this.close();
  }

  /** A failure: every task is torn down without committing anything further (writers and committers closed). */
  async crash(): Promise<void> {
    await this.close();
  }

  /** Closes every subtask (idempotent). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const h of this.subtasks) await h.close();
  }

  private subtask(i: number): SinkHarness<T> {
    this.checkOpen();
    const h = this.subtasks[i];
    if (h === undefined) throw new RangeError(`no subtask ${i}: the sink runs ${this.subtasks.length} subtasks`);
    return h;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('the sink driver is closed (crashed or finished); start a new one to restore');
  }
}
