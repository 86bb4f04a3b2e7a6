// A harness for operators with two inputs (co-process functions, keyed or not): each input has its own records,
// watermark and idleness; the operator's watermark is the minimum over its active inputs, as in a job.
import { advanceWatermark, feed } from './one-input-harness.js';
import { OperatorHarness } from './operator-harness.js';

/**
 * Hosts one subtask of a two-input operator. Create it with `coProcessFunctionHarness` or
 * `keyedCoProcessFunctionHarness`.
 *
 * @public
 */
export class TwoInputHarness<IN1, IN2, OUT = unknown> extends OperatorHarness<OUT> {
  /** A record on the first input. */
  async processElement1(value: IN1, timestamp: number = Number.NEGATIVE_INFINITY): Promise<void> {
    this.checkOpen();
    await feed(this.operator, value, timestamp, 0);
    await this.settle();
  }

  /** A record on the second input. */
  async processElement2(value: IN2, timestamp: number = Number.NEGATIVE_INFINITY): Promise<void> {
    this.checkOpen();
    await feed(this.operator, value, timestamp, 1);
    await this.settle();
  }

  /** A watermark on the first input. */
  async processWatermark1(watermark: number): Promise<void> {
    this.checkOpen();
    await advanceWatermark(this.operator, watermark, 0);
    await this.settle();
  }

  /** A watermark on the second input. */
  async processWatermark2(watermark: number): Promise<void> {
    this.checkOpen();
    await advanceWatermark(this.operator, watermark, 1);
    await this.settle();
  }

  /** The same watermark on both inputs. */
  async processWatermark(watermark: number): Promise<void> {
    await this.processWatermark1(watermark);
    await this.processWatermark2(watermark);
  }

  /** Input 1 or 2 becomes idle (or active again). */
  processIdle(input: 1 | 2, idle: boolean): void {
    this.checkOpen();
    if (input !== 1 && input !== 2) throw new RangeError(`input is 1 or 2, got ${String(input)}`);
    this.operator.processIdle(idle, input - 1);
  }
}
