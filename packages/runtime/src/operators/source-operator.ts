// The source operator drives a SourceReader: the task polls it, it stamps records with event time, runs one
// watermark generator per split (per-split watermarks, as FLIP-27) and emits the minimum over active splits.
// Splits without events for the strategy's idleness timeout are idle and do not hold the watermark back.
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceSplit, WatermarkGenerator, WatermarkOutput, WatermarkStrategy } from '@runnel/api';
import { StreamOperator, type OperatorContext } from './stream-operator.js';
import { WatermarkTracker } from '../time/watermark-tracker.js';
import { wrapUserError } from './user-function-error.js';
import { SOURCE_SPLITS_STATE, type OperatorCapture } from '../checkpointing/operator-snapshot.js';

const NO_TS = Number.NEGATIVE_INFINITY;

class SplitOutput<T> implements ReaderOutput<T>, WatermarkOutput {
  readonly generator: WatermarkGenerator<T>;
  lastEventAt: number;
  idle = false;
  events = 0;
  constructor(
    private readonly op: SourceOperator<T>,
    public index: number,
    readonly splitId: string | undefined,
  ) {
    this.generator = op.strategy.createWatermarkGenerator();
    this.lastEventAt = op.ctx.processingTime.now();
  }
  collect(record: T, timestamp?: number): void {
    const op = this.op;
    if (this.index < 0) this.index = op.tracker.add();
    let ts = timestamp ?? NO_TS;
    if (op.assigner !== undefined) {
      try {
        ts = op.assigner(record, ts);
      } catch (e) {
        throw wrapUserError(e, op.ctx, record);
      }
    }
    this.generator.onEvent(record, ts, this);
    if (this.idle) this.markActive();
    this.events++;
    op.output.collect(record, ts);
  }
  createOutputForSplit(splitId: string): ReaderOutput<T> {
    return this.op.outputForSplit(splitId);
  }
  releaseOutputForSplit(splitId: string): void {
    this.op.releaseSplit(splitId);
  }
  sawEvents(): boolean {
    const r = this.events > 0;
    this.events = 0;
    return r;
  }
  emitWatermark(timestamp: number): void {
    if (this.index < 0) return;
    const w = this.op.tracker.update(this.index, timestamp);
    if (w !== undefined) this.op.emitCombined(w);
  }
  markIdle(): void {
    if (this.idle || this.index < 0) return;
    this.idle = true;
    const w = this.op.tracker.setIdle(this.index, true);
    if (w !== undefined) this.op.emitCombined(w);
    this.op.checkIdle();
  }
  markActive(): void {
    this.idle = false;
    if (this.index < 0) return;
    const w = this.op.tracker.setIdle(this.index, false);
    this.op.checkIdle();
    if (w !== undefined) this.op.emitCombined(w);
  }
}

/** @internal */
export class SourceOperator<T> extends StreamOperator {
  reader!: SourceReader<T, SourceSplit>;
  readonly strategy: WatermarkStrategy<T>;
  readonly assigner: ((e: T, ts: number) => number) | undefined;
  readonly tracker = new WatermarkTracker();
  private readonly splitOutputs = new Map<string, SplitOutput<T>>();
  private readonly mainOutput: SplitOutput<T>;
  private emittedIdle = false;
  private cancelPeriodic: (() => void) | undefined;
  private outputWatermark = Number.NEGATIVE_INFINITY;

  constructor(
    ctx: OperatorContext,
    readonly source: Source<T, SourceSplit, unknown>,
    strategy: WatermarkStrategy<T> | undefined,
  ) {
    super(ctx);
    this.strategy = strategy ?? { createWatermarkGenerator: () => ({ onEvent() {}, onPeriodicEmit() {} }) };
    this.assigner = this.strategy.timestampAssigner;
    // The output used for records emitted without a split output. It only counts once used.
    this.mainOutput = new SplitOutput(this, -1, undefined);
  }

  override async open(): Promise<void> {
    const c = this.ctx;
    this.reader = this.source.createReader({
      subtaskIndex: c.subtaskIndex,
      parallelism: c.parallelism,
      metricGroup: c.metricGroup,
      sendSplitRequest: () => c.sourceGateway!.requestSplit(),
      sendSourceEventToCoordinator: (e) => c.sourceGateway!.sendEvent(e),
    });
    await this.reader.start();
    const restored = c.restore?.operatorState.find((s) => s.name === SOURCE_SPLITS_STATE);
    if (restored && restored.elements.length > 0) {
      const ser = this.source.splitSerializer;
      const splits = restored.elements.map((e) => {
        const [id, version, bytes] = e as [string, number, Uint8Array];
        if (id !== ser.id) throw new Error(`operator '${c.node.name}': restored splits were written by serializer '${id}', the source uses '${ser.id}'`);
        return ser.deserialize(bytes, version);
      });
      this.reader.addSplits(splits);
    }
    c.sourceGateway!.registerReader();
    this.schedulePeriodic();
  }

  /** The ReaderOutput handed to pollNext: records without a split go through the main output. */
  get readerOutput(): ReaderOutput<T> {
    return this.mainOutput;
  }

  outputForSplit(splitId: string): ReaderOutput<T> {
    let o = this.splitOutputs.get(splitId);
    if (!o) {
      o = new SplitOutput(this, this.tracker.add(), splitId);
      this.splitOutputs.set(splitId, o);
    }
    return o;
  }

  releaseSplit(splitId: string): void {
    const o = this.splitOutputs.get(splitId);
    if (!o) return;
    o.generator.onPeriodicEmit(o);
    this.splitOutputs.delete(splitId);
    const w = this.tracker.finish(o.index);
    // A finished split no longer holds the watermark back, but its +Infinity must not finish the source's watermark
    // while other splits are still to come: cap at what active splits allow (handled by the tracker's minimum).
    if (w !== undefined && w !== Number.POSITIVE_INFINITY) this.emitCombined(w);
  }

  emitCombined(w: number): void {
    if (w === Number.POSITIVE_INFINITY) return; // only end of input emits the final watermark
    if (w > this.outputWatermark) {
      this.outputWatermark = w;
      this.currentWatermark = w;
      this.ctx.metrics.currentOutputWatermark = w;
      if (this.emittedIdle) {
        this.emittedIdle = false;
        this.output.emitIdle(false);
      }
      this.output.emitWatermark(w);
    }
  }

  checkIdle(): void {
    const idle = this.tracker.isIdle;
    if (idle !== this.emittedIdle) {
      this.emittedIdle = idle;
      this.output.emitIdle(idle);
    }
  }

  /** Polls the reader once (emits up to a batch). */
  emitNext(): InputStatus {
    try {
      return this.reader.pollNext(this.readerOutput);
    } catch (e) {
      throw wrapUserError(e, this.ctx);
    }
  }

  /** Periodic watermark emission and idleness detection. */
  emitPeriodic(): void {
    const now = this.ctx.processingTime.now();
    const timeout = this.strategy.idleTimeoutMs;
    const check = (o: SplitOutput<T>): void => {
      if (o.index < 0) return;
      // An output without events for the idleness timeout stops holding the watermark back (and its generator is
      // not asked for periodic watermarks until it sees events again, as Flink's WatermarksWithIdleness).
      if (timeout !== undefined && now - o.lastEventAt >= timeout) {
        o.markIdle();
        return;
      }
      o.generator.onPeriodicEmit(o);
    };
    check(this.mainOutput);
    for (const o of this.splitOutputs.values()) check(o);
  }

  /** Marks outputs that emitted records since the last periodic check as recently active. */
  private touchOutputs(): void {
    const now = this.ctx.processingTime.now();
    for (const o of this.splitOutputs.values()) if (o.sawEvents()) o.lastEventAt = now;
    if (this.mainOutput.sawEvents()) this.mainOutput.lastEventAt = now;
  }

  private schedulePeriodic(): void {
    const interval = Math.max(1, this.ctx.autoWatermarkIntervalMs || 200);
    const tick = (): void => {
      this.touchOutputs();
      this.emitPeriodic();
      this.cancelPeriodic = this.ctx.processingTime.registerTimer(this.ctx.processingTime.now() + interval, tick);
    };
    this.cancelPeriodic = this.ctx.processingTime.registerTimer(this.ctx.processingTime.now() + interval, tick);
  }

  override snapshotState(checkpointId: number): OperatorCapture {
    const base = super.snapshotState(checkpointId);
    const ser = this.source.splitSerializer;
    const splits = this.reader.snapshotState(checkpointId).map((s) => [ser.id, ser.version, ser.serialize(s)]);
    return { operatorState: [...base.operatorState, { name: SOURCE_SPLITS_STATE, mode: 'split', elements: splits }] };
  }

  override notifyCheckpointComplete(checkpointId: number): void | Promise<void> {
    return this.reader.notifyCheckpointComplete?.(checkpointId);
  }

  addSplits(splits: SourceSplit[]): void {
    this.reader.addSplits(splits);
  }

  processElement(): void {
    throw new Error('a source has no input');
  }

  /** False after stop-with-savepoint without drain: windows stay open in the savepoint instead of firing. */
  drainOnFinish = true;

  /** End of input: the final watermark closes every event-time window and timer downstream. */
  override finish(): void {
    this.cancelPeriodic?.();
    this.cancelPeriodic = undefined;
    if (!this.drainOnFinish) return;
    for (const o of this.splitOutputs.values()) o.generator.onPeriodicEmit(o);
    this.output.emitWatermark(Number.POSITIVE_INFINITY);
  }

  override async close(): Promise<void> {
    this.cancelPeriodic?.();
    await this.reader?.close();
  }
}
