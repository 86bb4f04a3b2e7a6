// The source operator drives a SourceReader: the task polls it, it stamps records with event time, runs one
// watermark generator per split (per-split watermarks, as FLIP-27) and emits the minimum over the splits it holds.
//
// Every split handed to the reader holds the source's watermark from the moment it is assigned (or restored) until
// the reader releases it, whether or not the reader has started reading it: a reader that reads its splits one
// after another (files) must not let the watermark of the split it reads first run past a split it has not read
// yet — after a restore at a lower parallelism one reader holds several half-read splits. A restored split holds
// the watermark at the value it had when the checkpoint was taken (stored next to the split's position); a newly
// assigned split holds it where it is until its own generator emits. Idleness applies only to splits the reader
// has started (a queued split is not idle, it is waiting). This is Flink's watermark alignment (FLIP-182/217)
// reduced to what one reader needs: it never passes a split it holds and has not finished.
//
// Holds apply to readers that generate watermarks per split, which they show by creating their first split output;
// until then the holds wait (with their restored watermarks) and a reader that emits only through the main output
// keeps one generator for all its splits, as before.
import type { InputStatus, ReaderOutput, Source, SourceReader, SourceSplit, WatermarkGenerator, WatermarkOutput, WatermarkStrategy } from '@runnel/api';
import { StreamOperator, type OperatorContext } from './stream-operator.js';
import { WatermarkTracker } from '../time/watermark-tracker.js';
import { wrapUserError } from './user-function-error.js';
import { StateRestoreError } from '../checkpointing/state-restore-error.js';
import { serializeReadable } from '../checkpointing/readable-serialize.js';
import { SOURCE_SPLITS_STATE, type OperatorCapture } from '../checkpointing/operator-snapshot.js';

const NO_TS = Number.NEGATIVE_INFINITY;

/**
 * One element of the source-splits operator state: the split in its serializer's bytes and the split's watermark
 * at the checkpoint (absent or -Infinity: none yet). Elements of checkpoints written before the watermark was
 * stored have three fields.
 */
type SplitElement = [serializerId: string, version: number, bytes: Uint8Array, watermark?: number];

class SplitOutput<T> implements ReaderOutput<T>, WatermarkOutput {
  readonly generator: WatermarkGenerator<T>;
  lastEventAt: number;
  idle = false;
  events = 0;
  /** The reader created this output: it is reading the split (only started outputs can turn idle). */
  started = false;
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
  /** Every split the reader holds (started or not), by id. */
  private readonly splitOutputs = new Map<string, SplitOutput<T>>();
  /** Splits held before the reader showed that it uses split outputs, with their restored watermarks. */
  private readonly waitingHolds = new Map<string, number>();
  /** The reader created a split output: it generates watermarks per split, and splits it holds hold them. */
  private perSplit = false;
  private readonly mainOutput: SplitOutput<T>;
  private emittedIdle = false;
  private cancelPeriodic: (() => void) | undefined;
  private outputWatermark: number;

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
    this.outputWatermark = this.currentWatermark;
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
    const restored = c.restore?.operatorState.find((s) => s.name === SOURCE_SPLITS_STATE);
    if (restored && restored.elements.length > 0) {
      const ser = this.source.splitSerializer;
      const splits: SourceSplit[] = [];
      const watermarks: number[] = [];
      for (const e of restored.elements) {
        const [id, version, bytes, watermark] = e as SplitElement;
        if (id !== ser.id) {
          throw new StateRestoreError(`operator '${c.node.name}' (uid ${c.node.uid}): restored splits were written by serializer '${id}', the source uses '${ser.id}'`);
        }
        try {
          splits.push(ser.deserialize(bytes, version));
        } catch (err) {
          throw new StateRestoreError(`operator '${c.node.name}' (uid ${c.node.uid}): cannot read a restored split: ${(err as Error).message}`, { cause: err });
        }
        watermarks.push(typeof watermark === 'number' ? watermark : Number.NEGATIVE_INFINITY);
      }
      this.holdSplits(splits, watermarks);
      this.reader.addSplits(splits);
    }
    // Registered before the reader starts (Flink's order): a split request the reader sends in `start` must reach
    // the enumerator after the registration, or an enumerator that answers only registered readers drops it and
    // the reader waits for an answer forever (a bounded job that never ends).
    c.sourceGateway!.registerReader();
    await this.reader.start();
    this.schedulePeriodic();
  }

  /** The ReaderOutput handed to pollNext: records without a split go through the main output. */
  get readerOutput(): ReaderOutput<T> {
    return this.mainOutput;
  }

  /** Splits handed to the reader hold the watermark (at their restored watermark, if any) until released. */
  private holdSplits(splits: readonly SourceSplit[], watermarks?: readonly number[]): void {
    const holds: [string, number][] = splits.map((s, i) => [s.splitId, watermarks?.[i] ?? Number.NEGATIVE_INFINITY]);
    if (this.perSplit) {
      this.hold(holds);
      return;
    }
    for (const [id, w] of holds) this.waitingHolds.set(id, Math.max(w, this.waitingHolds.get(id) ?? Number.NEGATIVE_INFINITY));
  }

  /**
   * Makes splits hold the watermark at the given watermarks. All of them join the minimum before any watermark is
   * set: set one by one, the first one's watermark alone would be the minimum for a moment — and be emitted.
   */
  private hold(holds: readonly (readonly [string, number])[]): void {
    const outputs: SplitOutput<T>[] = [];
    for (const [id] of holds) {
      let o = this.splitOutputs.get(id);
      if (o === undefined) {
        o = new SplitOutput(this, this.tracker.add(), id);
        this.splitOutputs.set(id, o);
      }
      outputs.push(o);
    }
    let adv: number | undefined;
    for (let i = 0; i < holds.length; i++) {
      const w = holds[i]![1];
      if (w > Number.NEGATIVE_INFINITY) adv = this.tracker.update(outputs[i]!.index, w) ?? adv;
    }
    if (adv !== undefined) this.emitCombined(this.tracker.current);
  }

  outputForSplit(splitId: string): ReaderOutput<T> {
    if (!this.perSplit) {
      // The first split output: from now on every split the reader holds holds the watermark.
      this.perSplit = true;
      this.hold([...this.waitingHolds]);
      this.waitingHolds.clear();
    }
    if (!this.splitOutputs.has(splitId)) this.hold([[splitId, Number.NEGATIVE_INFINITY]]);
    const o = this.splitOutputs.get(splitId)!;
    if (!o.started) {
      o.started = true;
      o.lastEventAt = this.ctx.processingTime.now();
    }
    return o;
  }

  releaseSplit(splitId: string): void {
    this.waitingHolds.delete(splitId);
    const o = this.splitOutputs.get(splitId);
    if (!o) return;
    o.generator.onPeriodicEmit(o);
    this.splitOutputs.delete(splitId);
    // A finished split no longer holds the watermark back; releasing the last one does not end event time (more
    // splits may come), so the watermark stays until another split moves it.
    const w = this.tracker.release(o.index);
    if (w !== undefined) this.emitCombined(w);
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
      // not asked for periodic watermarks until it sees events again, as Flink's WatermarksWithIdleness). A split
      // the reader has not started is waiting to be read, not idle.
      if (timeout !== undefined && (o.started || o === this.mainOutput) && now - o.lastEventAt >= timeout) {
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
    const splits = this.reader.snapshotState(checkpointId).map((s): SplitElement => {
      const o = this.splitOutputs.get(s.splitId);
      const w = o === undefined ? (this.waitingHolds.get(s.splitId) ?? Number.NEGATIVE_INFINITY) : this.tracker.watermarkOf(o.index);
      return [ser.id, ser.version, serializeReadable(ser, s, `source '${this.ctx.node.name}' (uid ${this.ctx.node.uid}), split ${s.splitId}`), w];
    });
    return { operatorState: [...base.operatorState, { name: SOURCE_SPLITS_STATE, mode: 'split', elements: splits }] };
  }

  override notifyCheckpointComplete(checkpointId: number): void | Promise<void> {
    return this.reader.notifyCheckpointComplete?.(checkpointId);
  }

  addSplits(splits: SourceSplit[]): void {
    this.holdSplits(splits);
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
