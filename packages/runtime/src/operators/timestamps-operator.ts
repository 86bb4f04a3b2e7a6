// assignTimestampsAndWatermarks in the middle of a stream: assigns event timestamps and generates watermarks
// from the records it sees. Upstream watermarks are dropped (except the final one at end of input), as in Flink.
import type { WatermarkGenerator, WatermarkOutput, WatermarkStrategy } from '@runnel/api';
import { StreamOperator, type OperatorContext } from './stream-operator.js';
import { wrapUserError } from './user-function-error.js';

/** @internal */
export class TimestampsAndWatermarksOperator<T> extends StreamOperator implements WatermarkOutput {
  private readonly generator: WatermarkGenerator<T>;
  private readonly assigner: ((e: T, ts: number) => number) | undefined;
  private emitted = Number.NEGATIVE_INFINITY;
  private idle = false;
  private lastEventAt = 0;
  private cancel: (() => void) | undefined;

  constructor(ctx: OperatorContext, private readonly strategy: WatermarkStrategy<T>) {
    super(ctx);
    this.generator = strategy.createWatermarkGenerator();
    this.assigner = strategy.timestampAssigner;
    // Restored: the generator starts afresh, and what it emits below the checkpoint's watermark is not news.
    this.emitted = this.currentWatermark;
  }

  override open(): void {
    const pts = this.ctx.processingTime;
    const interval = Math.max(1, this.ctx.autoWatermarkIntervalMs || 200);
    this.lastEventAt = pts.now();
    const tick = (): void => {
      const t = this.strategy.idleTimeoutMs;
      if (t !== undefined && pts.now() - this.lastEventAt >= t) this.markIdle();
      else this.generator.onPeriodicEmit(this);
      this.cancel = pts.registerTimer(pts.now() + interval, tick);
    };
    this.cancel = pts.registerTimer(pts.now() + interval, tick);
  }

  processElement(value: unknown, timestamp: number): void {
    let ts = timestamp;
    if (this.assigner !== undefined) {
      try {
        ts = this.assigner(value as T, timestamp);
      } catch (e) {
        throw wrapUserError(e, this.ctx, value);
      }
    }
    this.lastEventAt = this.ctx.processingTime.now();
    if (this.idle) this.markActive();
    this.generator.onEvent(value as T, ts, this);
    this.output.collect(value, ts);
  }

  override processWatermark(watermark: number): void {
    if (watermark === Number.POSITIVE_INFINITY) this.emitWatermark(watermark);
  }

  override processIdle(): void {}

  emitWatermark(timestamp: number): void {
    if (timestamp > this.emitted) {
      this.emitted = timestamp;
      this.currentWatermark = timestamp;
      this.output.emitWatermark(timestamp);
    }
  }
  markIdle(): void {
    if (!this.idle) {
      this.idle = true;
      this.output.emitIdle(true);
    }
  }
  markActive(): void {
    if (this.idle) {
      this.idle = false;
      this.output.emitIdle(false);
    }
  }

  override finish(): void {
    this.cancel?.();
    this.cancel = undefined;
  }

  override close(): void {
    this.cancel?.();
  }
}
