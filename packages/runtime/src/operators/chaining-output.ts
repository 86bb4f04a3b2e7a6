// A chained edge: the producer's emissions become direct calls on the next operator of the chain.
import type { Output } from './output.js';
import type { StreamOperator } from './stream-operator.js';

/** @internal */
export class ChainingOutput implements Output<unknown> {
  constructor(
    private readonly op: StreamOperator,
    private readonly inputIndex: number,
  ) {}
  collect(value: unknown, timestamp: number): void {
    this.op.numRecordsIn.count++;
    this.op.processElement(value, timestamp, this.inputIndex);
  }
  collectSide(): void {}
  emitWatermark(watermark: number): void {
    this.op.processWatermark(watermark, this.inputIndex);
  }
  emitIdle(idle: boolean): void {
    this.op.processIdle(idle, this.inputIndex);
  }
}
