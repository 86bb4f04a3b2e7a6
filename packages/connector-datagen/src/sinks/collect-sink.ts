// The `collect` sink: sends records back to the client that submitted the job (tests, the SQL shell, notebooks),
// in batches of `batchSize` records, after `maxDelayMs` when set, and on every flush (at each checkpoint barrier and
// at end of input), through the writer context's `sendToClient`. Values must be structured-cloneable. It is the sink behind the runtime's
// `DataStream.collect()`. Delivery is at-least-once across failover: a restarted job sends again what it replays.
// Records written since the last flush when a task fails or is canceled are not sent (`close` drops them): they
// will be replayed, and sending them too would only add duplicates.
import type { Sink, SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api/connector';

class CollectSinkWriter<T> implements SinkWriter<T> {
  private batch: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly context: SinkWriterContext,
    private readonly channel: string,
    private readonly batchSize: number,
    private readonly maxDelayMs: number | undefined,
  ) {}

  write(element: T, _context: SinkRecordContext): void {
    this.batch.push(element);
    if (this.batch.length >= this.batchSize) this.send();
    else if (this.maxDelayMs !== undefined && this.timer === undefined) {
      // A live result (the SQL client's SELECT) must not wait for a full batch or a checkpoint.
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.send();
      }, this.maxDelayMs);
    }
  }

  flush(_endOfInput: boolean): void {
    this.send();
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.batch = [];
  }

  private send(): void {
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    this.context.sendToClient(this.channel, batch);
  }
}

/**
 * Sends records to the submitting client.
 *
 * @public
 */
export class CollectSink<T = unknown> implements Sink<T> {
  constructor(
    /** The channel the client listens on. */
    readonly channel: string = 'collect',
    /** Records per message (default 1024). */
    readonly batchSize: number = 1024,
    /** When set, records wait at most this long (ms) for their batch to fill before they are sent. */
    readonly maxDelayMs?: number,
  ) {
    if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new Error(`collect: batch size must be >= 1, got ${batchSize}`);
    if (maxDelayMs !== undefined && !(maxDelayMs >= 0)) throw new Error(`collect: max delay must be >= 0, got ${maxDelayMs}`);
  }

  createWriter(context: SinkWriterContext): SinkWriter<T> {
    return new CollectSinkWriter<T>(context, this.channel, this.batchSize, this.maxDelayMs);
  }
}
