// The operator contract of the runtime (not of plugins): operators receive records with their timestamps,
// watermarks per input, and lifecycle calls; they emit through an Output. Subclasses cover one- and two-input
// operators, keyed operators with state and timers, sources and sinks.
import type { MetricGroup, StateBackend, KeyGroupRange, OperatorStateStore } from '@runnel/api';
import type { CountingOutput } from './output.js';
import type { OperatorMetrics } from '@runnel/metrics';
import type { ProcessingTimeService } from '../time/processing-time-service.js';
import type { StreamNode } from '../graph/stream-graph.js';
import type { OperatorCapture, OperatorRestore } from '../checkpointing/operator-snapshot.js';

/**
 * Everything an operator instance needs from the task that runs it.
 *
 * @internal
 */
export interface OperatorContext {
  readonly jobId: string;
  readonly jobName: string;
  readonly node: StreamNode;
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly attemptNumber: number;
  readonly keyGroupRange: KeyGroupRange;
  readonly output: CountingOutput<unknown>;
  readonly metricGroup: MetricGroup;
  readonly metrics: OperatorMetrics;
  readonly stateBackend: StateBackend;
  readonly operatorState: OperatorStateStore;
  readonly processingTime: ProcessingTimeService;
  readonly autoWatermarkIntervalMs: number;
  /** Sinks commit their end-of-input committables only when the final checkpoint completes. */
  readonly finalCheckpoint: boolean;
  /** `execution.checkpointing.incremental`: keyed state backends track changes for delta snapshots. */
  readonly incrementalCheckpoints: boolean;
  sendToClient(channel: string, values: readonly unknown[]): void;
  /** State restored from a checkpoint or savepoint, when the job was restored. */
  readonly restore: OperatorRestore | undefined;
  /** Pauses the task's input until the promise settles (state loading for off-heap backends). */
  suspendUntil(promise: Promise<void>): void;
  /** Source operators: talk to the split enumerator on the coordinator. */
  readonly sourceGateway?: SourceGateway;
}

/** @internal */
export interface SourceGateway {
  registerReader(): void;
  requestSplit(): void;
  sendEvent(event: unknown): void;
}

/** @internal */
export type StreamOperatorFactory = (ctx: OperatorContext) => StreamOperator;

/**
 * Base of all operators.
 *
 * @internal
 */
export abstract class StreamOperator {
  /** Input watermarks of two-input operators (one-input operators use index 0 only). */
  protected inputWatermarks = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  protected currentWatermark = Number.NEGATIVE_INFINITY;
  /** Number of logical inputs (1 or 2). */
  numInputs = 1;
  /** numRecordsIn, incremented by whoever feeds the operator (chaining output or task input loop). */
  readonly numRecordsIn: { count: number };

  constructor(readonly ctx: OperatorContext) {
    this.numRecordsIn = ctx.metrics.numRecordsIn;
    // A restored operator continues from the watermark it had at the checkpoint: a record that was late before
    // the failure stays late after it (it must not re-create a window that already fired and was committed), and
    // watermarks below it, which upstream operators emit while they catch up, change nothing.
    const restored = ctx.restore?.watermark;
    if (restored !== undefined && restored > this.currentWatermark) {
      this.currentWatermark = restored;
      ctx.metrics.currentInputWatermark = restored;
      ctx.metrics.currentOutputWatermark = restored;
    }
  }

  get output(): CountingOutput<unknown> {
    return this.ctx.output;
  }

  open(): void | Promise<void> {}

  /**
   * Before the barrier is forwarded (sinks flush and pre-commit here). The task takes no input until it settles.
   */
  prepareSnapshotPreBarrier(_checkpointId: number): void | Promise<void> {}

  /** The synchronous capture at the barrier. Subclasses add keyed state, splits, committables. */
  /** `baseCheckpointId`: the completed checkpoint an incremental snapshot may build on (-1: full). */
  snapshotState(_checkpointId: number, _baseCheckpointId = -1): OperatorCapture {
    return { operatorState: this.ctx.operatorState.snapshot?.() ?? [] };
  }

  /**
   * Off-heap state: makes the state of the keys of these records resident before they are processed. Returns
   * undefined when nothing had to be loaded (or the operator keeps no such state).
   */
  prefetchRecords(_values: readonly unknown[], _inputs: readonly number[]): Promise<void> | undefined {
    return undefined;
  }

  /** Off-heap state: makes the keys of the event-time timers that `watermark` fires resident. */
  prefetchTimers(_watermark: number): Promise<void> | undefined {
    return undefined;
  }

  /** Whether this operator's state needs prefetching (an off-heap keyed backend). */
  get needsPrefetch(): boolean {
    return false;
  }

  /** A checkpoint this operator took part in completed (sinks commit here). */
  notifyCheckpointComplete(_checkpointId: number): void | Promise<void> {}

  /** A record on input `inputIndex` (0 or 1). */
  abstract processElement(value: unknown, timestamp: number, inputIndex: number): void;

  /** Whether each input is idle (excluded from the watermark minimum). */
  protected inputIdle = [false, false];

  /** A watermark on one input; the operator's watermark is the minimum over its active inputs. */
  processWatermark(watermark: number, inputIndex: number): void {
    this.inputWatermarks[inputIndex] = watermark;
    this.ctx.metrics.currentInputWatermark = Math.min(this.inputWatermarks[0]!, this.numInputs === 2 ? this.inputWatermarks[1]! : Infinity);
    this.advance();
  }

  private advance(): void {
    let combined: number;
    if (this.numInputs === 1) combined = this.inputWatermarks[0]!;
    else if (this.inputIdle[0] && !this.inputIdle[1]) combined = this.inputWatermarks[1]!;
    else if (this.inputIdle[1] && !this.inputIdle[0]) combined = this.inputWatermarks[0]!;
    else combined = Math.min(this.inputWatermarks[0]!, this.inputWatermarks[1]!);
    if (combined > this.currentWatermark) {
      this.currentWatermark = combined;
      this.onWatermark(combined);
      this.ctx.metrics.currentOutputWatermark = combined;
      this.output.emitWatermark(combined);
    }
  }

  /** Hook: the operator's combined watermark advanced (fire event-time timers here). */
  protected onWatermark(_watermark: number): void {}

  /** An input became idle or active; the operator is idle when all its inputs are. */
  processIdle(idle: boolean, inputIndex: number): void {
    const wasIdle = this.numInputs === 1 ? this.inputIdle[0]! : this.inputIdle[0]! && this.inputIdle[1]!;
    this.inputIdle[inputIndex] = idle;
    const nowIdle = this.numInputs === 1 ? this.inputIdle[0]! : this.inputIdle[0]! && this.inputIdle[1]!;
    if (wasIdle !== nowIdle) this.output.emitIdle(nowIdle);
    if (this.numInputs === 2) this.advance();
  }

  /** End of all input: emit what is buffered. */
  finish(): void | Promise<void> {}

  close(): void | Promise<void> {}

  getCurrentWatermark(): number {
    return this.currentWatermark;
  }
}
