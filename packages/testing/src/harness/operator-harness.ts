// The base of every operator harness: hosts one subtask of one of the runtime's real operators in a hand-driven
// context (recording output, manual processing-time clock, a state backend, optional restore data) and drives its
// lifecycle as a task would: open, watermarks, timers, checkpoints (pre-barrier work, capture, encoding, completion
// notification), end of input and close. Subclasses add the inputs (one or two, or a source's reader).
import { DEFAULT_MAX_PARALLELISM, keyGroupRangeForSubtask, type KeyGroupRange } from '@runnel/api';
import {
  createHarnessContext,
  encodeSubtaskCapture,
  HeapStateBackend,
  planSubtaskRestore,
  type OperatorContext,
  type SourceGateway,
  type StreamOperator,
} from '@runnel/runtime/testing';
import type { HarnessOptions } from './harness-options.js';
import { ManualClock } from './manual-clock.js';
import { OperatorSnapshot } from './operator-snapshot.js';
import { RecordingOutput, type HarnessEmission, type TimestampedValue } from './recording-output.js';

/** How a harness builds its operator. @internal */
export interface OperatorSpec {
  readonly kind: 'source' | 'one-input' | 'two-input' | 'sink';
  readonly keySelectors?: readonly (((value: any) => unknown) | undefined)[];
  readonly sourceGateway?: SourceGateway;
  readonly sendToClient?: (channel: string, values: readonly unknown[]) => void;
  create(ctx: OperatorContext): StreamOperator;
}

/**
 * Hosts one subtask of a runtime operator for a test.
 *
 * @public
 */
export class OperatorHarness<OUT = unknown> {
  /** The processing-time clock; `advanceProcessingTime` moves it. */
  readonly clock: ManualClock;
  /** @internal */
  protected readonly operator: StreamOperator;
  /** @internal */
  protected readonly ctx: OperatorContext;
  private readonly recording: RecordingOutput;
  private readonly suspended: Promise<void>[];
  private nextCheckpointId: number;
  private closed = false;

  /** @internal */
  constructor(operator: StreamOperator, ctx: OperatorContext, recording: RecordingOutput, clock: ManualClock, suspended: Promise<void>[], restoredCheckpoint: number) {
    this.operator = operator;
    this.ctx = ctx;
    this.recording = recording;
    this.clock = clock;
    this.suspended = suspended;
    this.nextCheckpointId = restoredCheckpoint + 1;
  }

  /** Creates and opens the operator of `spec` in a new subtask context. @internal */
  static async build<H>(spec: OperatorSpec, options: HarnessOptions, make: (op: StreamOperator, ctx: OperatorContext, out: RecordingOutput, clock: ManualClock, suspended: Promise<void>[], restored: number) => H): Promise<H> {
    const parallelism = options.parallelism ?? 1;
    const subtaskIndex = options.subtaskIndex ?? 0;
    const maxParallelism = options.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
    if (!Number.isInteger(maxParallelism) || maxParallelism < 1) throw new RangeError(`maxParallelism must be a positive integer, got ${maxParallelism}`);
    if (parallelism > maxParallelism) throw new RangeError(`parallelism ${parallelism} exceeds maxParallelism ${maxParallelism}`);
    const name = options.name ?? 'operator';
    const clock = options.clock ?? new ManualClock();
    const output = new RecordingOutput();
    const suspended: Promise<void>[] = [];
    const restore = options.restore === undefined ? undefined : planSubtaskRestore(options.restore.subtasks, subtaskIndex, parallelism, name);
    if (options.restore !== undefined && options.restore.subtasks[0]!.maxParallelism !== maxParallelism) {
      throw new RangeError(`the snapshot was taken with maxParallelism ${options.restore.subtasks[0]!.maxParallelism}, the harness has ${maxParallelism} (key groups cannot change)`);
    }
    const ctx = createHarnessContext({
      name,
      kind: spec.kind,
      output,
      processingTime: clock.service(),
      stateBackend: options.stateBackend ?? new HeapStateBackend(),
      subtaskIndex,
      parallelism,
      maxParallelism,
      keySelectors: spec.keySelectors,
      restore,
      attemptNumber: options.attemptNumber,
      autoWatermarkIntervalMs: options.autoWatermarkIntervalMs,
      finalCheckpoint: options.finalCheckpoint,
      sourceGateway: spec.sourceGateway,
      sendToClient: spec.sendToClient,
      suspendUntil: (p) => void suspended.push(p),
    });
    const op = spec.create(ctx);
    await op.open();
    return make(op, ctx, output, clock, suspended, restore?.checkpointId ?? 0);
  }

  /** This subtask's index, the operator's parallelism and the key groups this subtask owns. */
  get subtaskIndex(): number {
    return this.ctx.subtaskIndex;
  }
  get parallelism(): number {
    return this.ctx.parallelism;
  }
  get keyGroupRange(): KeyGroupRange {
    return keyGroupRangeForSubtask(this.ctx.maxParallelism, this.ctx.parallelism, this.ctx.subtaskIndex);
  }

  /** The operator's current (combined input) watermark. */
  get currentWatermark(): number {
    return this.operator.getCurrentWatermark();
  }

  /** Main-output values, in order. */
  output(): OUT[] {
    return this.recordsWithTimestamps().map((r) => r.value);
  }

  /** Main-output records with their timestamps, in order. */
  recordsWithTimestamps(): TimestampedValue<OUT>[] {
    const out: TimestampedValue<OUT>[] = [];
    for (const e of this.recording.emissions) if (e.kind === 'record') out.push({ value: e.value as OUT, timestamp: e.timestamp });
    return out;
  }

  /** Values emitted to the side output `tag` (an `OutputTag` or its id), in order. */
  sideOutput<X = unknown>(tag: string | { readonly id: string }): X[] {
    const id = typeof tag === 'string' ? tag : tag.id;
    const out: X[] = [];
    for (const e of this.recording.emissions) if (e.kind === 'side' && e.tag === id) out.push(e.value as X);
    return out;
  }

  /** Watermarks emitted, in order. */
  watermarks(): number[] {
    const out: number[] = [];
    for (const e of this.recording.emissions) if (e.kind === 'watermark') out.push(e.watermark);
    return out;
  }

  /** Everything emitted (records, side outputs, watermarks, idleness), in order. */
  emissions(): readonly HarnessEmission<OUT>[] {
    return this.recording.emissions as HarnessEmission<OUT>[];
  }

  /** Forgets what was emitted so far (e.g. between phases of a test). */
  clearOutput(): void {
    this.recording.emissions.length = 0;
  }

  /** Moves processing time forward by `ms`, firing due processing-time timers. */
  async advanceProcessingTime(ms: number): Promise<void> {
    this.checkOpen();
    this.clock.advance(ms);
    await this.settle();
  }

  /** Moves processing time to `time`, firing due processing-time timers. */
  async setProcessingTime(time: number): Promise<void> {
    this.checkOpen();
    this.clock.advanceTo(time);
    await this.settle();
  }

  /**
   * Takes a checkpoint as a task does at a barrier: the operator's pre-barrier work (sinks flush and pre-commit),
   * the synchronous capture, and its encoding into checkpoint formats. Ids increase from 1 (after a restore, from
   * the restored checkpoint's id + 1) unless given.
   */
  async snapshot(checkpointId?: number): Promise<OperatorSnapshot> {
    this.checkOpen();
    const id = checkpointId ?? this.nextCheckpointId;
    if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`checkpoint ids are positive integers, got ${id}`);
    this.nextCheckpointId = Math.max(this.nextCheckpointId, id + 1);
    await this.operator.prepareSnapshotPreBarrier(id);
    return this.capture(id, id);
  }

  /**
   * The final checkpoint's snapshot, after `endInput()`: the task captures its final state without a barrier (sinks
   * hold their end-of-input committables). Complete it with `notifyCheckpointComplete(END_OF_INPUT_CHECKPOINT_ID)`,
   * as the runtime does when the final checkpoint completes.
   */
  async finalSnapshot(checkpointId?: number): Promise<OperatorSnapshot> {
    this.checkOpen();
    const id = checkpointId ?? this.nextCheckpointId;
    if (!Number.isSafeInteger(id) || id < 1) throw new RangeError(`checkpoint ids are positive integers, got ${id}`);
    this.nextCheckpointId = Math.max(this.nextCheckpointId, id + 1);
    // -1: the id a task captures its final state with (the coordinator assigns the real one).
    return this.capture(-1, id);
  }

  private async capture(captureId: number, id: number): Promise<OperatorSnapshot> {
    const capture = this.operator.snapshotState(captureId);
    const encoded = await encodeSubtaskCapture(capture, {
      subtaskIndex: this.ctx.subtaskIndex,
      parallelism: this.ctx.parallelism,
      maxParallelism: this.ctx.maxParallelism,
      checkpointId: id,
      watermark: this.operator.getCurrentWatermark(),
      uid: this.ctx.node.uid,
    });
    return new OperatorSnapshot(id, [encoded]);
  }

  /** The checkpoint `checkpointId` completed (sinks commit, readers may clean up). */
  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    this.checkOpen();
    await this.operator.notifyCheckpointComplete(checkpointId);
    await this.settle();
  }

  /** End of all input: the operator emits what it buffers (sinks flush and commit or pre-commit their last records). */
  async endInput(): Promise<void> {
    this.checkOpen();
    await this.operator.finish();
    await this.settle();
  }

  /** Closes the operator and its state (idempotent). A test that simulates a crash closes without `endInput`. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.operator.close();
    await this.ctx.operatorState.dispose();
  }

  /** @internal */
  protected checkOpen(): void {
    if (this.closed) throw new Error(`harness of '${this.ctx.node.name}' is closed`);
  }

  /** Waits until state loads the operator asked for (off-heap backends) are done. @internal */
  protected async settle(): Promise<void> {
    while (this.suspended.length > 0) await this.suspended.shift();
  }
}
