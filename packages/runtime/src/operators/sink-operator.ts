// The sink operator feeds a SinkWriter: synchronous writes, flush at end of input, and back-pressure through
// the writer's optional `isAvailable()`.
import type { Sink, SinkRecordContext, SinkWriter } from '@runnel/api';
import { StreamOperator, type OperatorContext } from './stream-operator.js';
import { wrapUserError } from './user-function-error.js';

/** @internal */
export class SinkOperator<T> extends StreamOperator {
  writer!: SinkWriter<T, unknown, unknown>;
  /** The per-record context, reused for every record. */
  private readonly recordContext: SinkRecordContext & { timestamp: number };

  constructor(
    ctx: OperatorContext,
    private readonly sink: Sink<T, unknown, unknown>,
  ) {
    super(ctx);
    const self = this;
    this.recordContext = {
      timestamp: Number.NEGATIVE_INFINITY,
      get currentWatermark() {
        return self.getCurrentWatermark();
      },
    };
  }

  override async open(): Promise<void> {
    const c = this.ctx;
    this.writer = this.sink.createWriter({
      subtaskIndex: c.subtaskIndex,
      parallelism: c.parallelism,
      attemptNumber: c.attemptNumber,
      metricGroup: c.metricGroup,
      sendToClient: (channel, values) => c.sendToClient(channel, values),
    });
  }

  processElement(value: unknown, timestamp: number): void {
    this.recordContext.timestamp = timestamp;
    try {
      this.writer.write(value as T, this.recordContext);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
  }

  /** A promise while the writer cannot take more records. */
  isAvailable(): Promise<void> | undefined {
    return this.writer.isAvailable?.();
  }

  override async finish(): Promise<void> {
    await this.writer.flush(true);
  }

  override async close(): Promise<void> {
    await this.writer?.close();
  }
}
