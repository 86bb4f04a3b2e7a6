// Event-time contracts shared by the runtime and by sources: a watermark generator sees each event and emits
// watermarks (the promise that no event with an earlier timestamp follows) either per event or periodically.

/**
 * Timestamp of a record that has none (Flink's Long.MIN_VALUE).
 *
 * @public
 */
export const NO_TIMESTAMP: number = Number.NEGATIVE_INFINITY;

/**
 * The watermark that closes a bounded input: every event-time timer and window fires.
 *
 * @public
 */
export const MAX_WATERMARK: number = Number.POSITIVE_INFINITY;

/**
 * Where a watermark generator emits watermarks and idleness.
 *
 * @public
 */
export interface WatermarkOutput {
  /** Emits a watermark; lower values than an earlier emitted one are ignored by the runtime. */
  emitWatermark(timestamp: number): void;
  /** Marks this output idle: it does not hold back downstream watermarks until it emits again. */
  markIdle(): void;
  /** Marks this output active again (emitting a watermark or record does so implicitly). */
  markActive(): void;
}

/**
 * Generates watermarks from the events of one input (one split of a source, or one stream).
 *
 * @public
 */
export interface WatermarkGenerator<T> {
  /** Called for every event, with its extracted timestamp. */
  onEvent(event: T, timestamp: number, output: WatermarkOutput): void;
  /** Called periodically (every `pipeline.auto-watermark-interval`, 200 ms by default). */
  onPeriodicEmit(output: WatermarkOutput): void;
}

/**
 * Extracts an event timestamp (milliseconds since the epoch) from a record.
 *
 * @public
 */
export type TimestampAssigner<T> = (event: T, recordTimestamp: number) => number;

/**
 * A recipe for watermark generation: a generator factory, a timestamp assigner and an idleness timeout.
 * Build instances with the runtime's `WatermarkStrategy` helpers.
 *
 * @public
 */
export interface WatermarkStrategy<T> {
  createWatermarkGenerator(): WatermarkGenerator<T>;
  readonly timestampAssigner?: TimestampAssigner<T>;
  /** Processing-time milliseconds without events after which an input is declared idle. */
  readonly idleTimeoutMs?: number;
}
