// A harness for operators with one input (map, process functions, keyed process functions, windows, sinks): records
// with timestamps, watermarks and idleness go in as a task would feed them, including the state prefetch that
// off-heap backends need before a record or a watermark's timers are processed.
import type { StreamOperator } from '@runnel/runtime/testing';
import { OperatorHarness } from './operator-harness.js';

/**
 * Hosts one subtask of a one-input operator. Create it with one of the harness factories
 * (`keyedProcessFunctionHarness`, `windowHarness`, ...).
 *
 * @public
 */
export class OneInputHarness<IN, OUT = unknown> extends OperatorHarness<OUT> {
  /** Processes one record (timestamp default: none, -Infinity). */
  async processElement(value: IN, timestamp: number = Number.NEGATIVE_INFINITY): Promise<void> {
    this.checkOpen();
    await feed(this.operator, value, timestamp, 0);
    await this.settle();
  }

  /** Processes records in order, all with `timestamp`. */
  async processElements(values: Iterable<IN>, timestamp: number = Number.NEGATIVE_INFINITY): Promise<void> {
    for (const v of values) await this.processElement(v, timestamp);
  }

  /** A watermark on the input: event-time timers and windows up to it fire. */
  async processWatermark(watermark: number): Promise<void> {
    this.checkOpen();
    await advanceWatermark(this.operator, watermark, 0);
    await this.settle();
  }

  /** The input becomes idle (or active again). */
  processIdle(idle: boolean): void {
    this.checkOpen();
    this.operator.processIdle(idle, 0);
  }
}

/** Feeds a record as the task does: keys made resident first (off-heap state), then processed. @internal */
export async function feed(op: StreamOperator, value: unknown, timestamp: number, input: number): Promise<void> {
  if (typeof timestamp !== 'number' || Number.isNaN(timestamp)) throw new TypeError(`a record's timestamp must be a number, got ${String(timestamp)}`);
  const p = op.prefetchRecords([value], [input]);
  if (p !== undefined) await p;
  op.processElement(value, timestamp, input);
}

/** Advances an input's watermark as the task does: timer keys made resident first. @internal */
export async function advanceWatermark(op: StreamOperator, watermark: number, input: number): Promise<void> {
  if (typeof watermark !== 'number' || Number.isNaN(watermark)) throw new TypeError(`a watermark must be a number, got ${String(watermark)}`);
  const p = op.prefetchTimers(watermark);
  if (p !== undefined) await p;
  op.processWatermark(watermark, input);
}
