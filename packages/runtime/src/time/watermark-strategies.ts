// Ready-made watermark strategies, as in Flink: bounded out-of-orderness, monotonous timestamps, a custom
// generator, or none; each with an optional timestamp assigner and idleness timeout.
import type { TimestampAssigner, WatermarkGenerator, WatermarkOutput, WatermarkStrategy as Strategy } from '@runnel/api';

/**
 * A watermark strategy with fluent configuration.
 *
 * @public
 */
export class WatermarkStrategyBuilder<T> implements Strategy<T> {
  constructor(
    private readonly factory: () => WatermarkGenerator<T>,
    readonly timestampAssigner?: TimestampAssigner<T>,
    readonly idleTimeoutMs?: number,
  ) {}
  createWatermarkGenerator(): WatermarkGenerator<T> {
    return this.factory();
  }
  /** Extracts event timestamps from records (overrides timestamps set by the source). */
  withTimestampAssigner(assigner: TimestampAssigner<T>): WatermarkStrategyBuilder<T> {
    return new WatermarkStrategyBuilder(this.factory, assigner, this.idleTimeoutMs);
  }
  /** Declares an input (split) idle after `timeoutMs` of processing time without events. */
  withIdleness(timeoutMs: number): WatermarkStrategyBuilder<T> {
    if (!(timeoutMs > 0)) throw new RangeError('idleness timeout must be positive');
    return new WatermarkStrategyBuilder(this.factory, this.timestampAssigner, timeoutMs);
  }
}

/**
 * Emits `maxTimestamp - maxOutOfOrderness - 1` periodically.
 *
 * @public
 */
export class BoundedOutOfOrdernessWatermarks<T> implements WatermarkGenerator<T> {
  private maxTimestamp: number;
  constructor(private readonly outOfOrdernessMs: number) {
    if (!(outOfOrdernessMs >= 0)) throw new RangeError('max out-of-orderness must be >= 0');
    this.maxTimestamp = Number.NEGATIVE_INFINITY;
  }
  onEvent(_event: T, timestamp: number): void {
    if (timestamp > this.maxTimestamp) this.maxTimestamp = timestamp;
  }
  onPeriodicEmit(output: WatermarkOutput): void {
    if (this.maxTimestamp !== Number.NEGATIVE_INFINITY) output.emitWatermark(this.maxTimestamp - this.outOfOrdernessMs - 1);
  }
}

/**
 * Factories of watermark strategies.
 *
 * @public
 */
export const WatermarkStrategy = {
  forBoundedOutOfOrderness<T>(maxOutOfOrdernessMs: number): WatermarkStrategyBuilder<T> {
    return new WatermarkStrategyBuilder<T>(() => new BoundedOutOfOrdernessWatermarks<T>(maxOutOfOrdernessMs));
  },
  forMonotonousTimestamps<T>(): WatermarkStrategyBuilder<T> {
    return new WatermarkStrategyBuilder<T>(() => new BoundedOutOfOrdernessWatermarks<T>(0));
  },
  forGenerator<T>(factory: () => WatermarkGenerator<T>): WatermarkStrategyBuilder<T> {
    return new WatermarkStrategyBuilder<T>(factory);
  },
  noWatermarks<T>(): WatermarkStrategyBuilder<T> {
    return new WatermarkStrategyBuilder<T>(() => ({ onEvent() {}, onPeriodicEmit() {} }));
  },
};
