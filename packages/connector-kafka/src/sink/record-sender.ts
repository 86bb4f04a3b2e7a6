// The send path of a Kafka sink writer: records are taken synchronously into a buffer and sent in batches (one
// `send` call per batch, so there is one promise per batch, never per record). One batch is in flight at a time:
// the client interface does not promise the order of concurrent sends, and Kafka's per-partition order is the
// sink's contract; while a batch is in flight the next one fills, so batches grow with the round-trip time, which
// is what a producer's linger does. A batch leaves when it is full, when `lingerMs` passed since its first record,
// when the previous one was acknowledged with records waiting, or on `drain` (checkpoint barrier, end of input).
// Records buffered or in flight are bounded (count and bytes): above the bound `isAvailable` returns a promise
// and the runtime stops feeding the writer. Partitions are chosen just before sending (the topic's partition
// count may have to be looked up first). A failed send fails the writer: the next `add` or `drain` throws it.
import type { MetricGroup } from '@runnel/api';
import type { OutgoingRecord } from '../client/kafka-client.js';
import { AvailabilitySignal } from './availability-signal.js';
import type { KafkaPartitioner } from './kafka-partitioner.js';
import type { TopicPartitions } from './topic-partitions.js';

/**
 * Bounds and timing of a {@link RecordSender}.
 *
 * @internal
 */
export interface RecordSenderSettings {
  readonly maxBatchRecords: number;
  readonly maxBufferedRecords: number;
  readonly maxBufferedBytes: number;
  readonly lingerMs: number;
}

function sizeOf(v: Uint8Array | string | null | undefined): number {
  if (v === null || v === undefined) return 0;
  // UTF-16 length is a bound of the UTF-8 size within a factor of 3; exactness is not worth a pass over the text.
  return typeof v === 'string' ? v.length : v.byteLength;
}

/**
 * Batches records into `send` calls with bounded buffering.
 *
 * @internal
 */
export class RecordSender {
  private buffer: OutgoingRecord[] = [];
  /** Records (and their bytes) buffered or in flight. */
  private pendingRecords = 0;
  private pendingBytes = 0;
  private inFlight: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failure: Error | undefined;
  private closed = false;
  private readonly signal = new AvailabilitySignal();
  private readonly recordsSent;
  private readonly sendErrors;
  private lastSendMs = 0;

  constructor(
    private readonly settings: RecordSenderSettings,
    private readonly partitioner: Required<KafkaPartitioner>,
    private readonly partitions: TopicPartitions,
    /** Sends one batch; resolves when the broker acknowledged it. */
    private readonly send: (records: OutgoingRecord[]) => Promise<void>,
    metrics: MetricGroup,
  ) {
    this.recordsSent = metrics.counter('numRecordsSend');
    this.sendErrors = metrics.counter('numRecordsSendErrors');
    metrics.gauge('currentSendTime', () => this.lastSendMs);
    metrics.gauge('pendingRecords', () => this.pendingRecords);
  }

  /** Takes a record; throws the failure of an earlier send. */
  add(record: OutgoingRecord): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.closed) throw new Error('kafka sink: write after close');
    const bytes = sizeOf(record.key) + sizeOf(record.value);
    this.buffer.push(record);
    this.pendingRecords++;
    this.pendingBytes += bytes;
    if (this.inFlight !== undefined) return;
    if (this.buffer.length >= this.settings.maxBatchRecords) this.dispatch();
    else this.timer ??= this.startTimer();
  }

  /** A promise while too much is buffered or in flight. */
  isAvailable(): Promise<void> | undefined {
    if (this.failure !== undefined || this.closed) return undefined;
    if (this.pendingRecords < this.settings.maxBufferedRecords && this.pendingBytes < this.settings.maxBufferedBytes) return undefined;
    return this.signal.promise();
  }

  /** Whether records are buffered or in flight. */
  get idle(): boolean {
    return this.pendingRecords === 0;
  }

  /** Starts sending what is buffered without waiting (the `none` guarantee at a barrier). */
  kick(): void {
    this.dispatch();
  }

  /** Sends everything buffered and waits until all of it is acknowledged; throws a send failure. */
  async drain(): Promise<void> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      this.dispatch();
      if (this.inFlight === undefined) return;
      await this.inFlight;
    }
  }

  /** Drops what is buffered and waits for the batch in flight (its outcome no longer matters). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer = [];
    await this.inFlight;
    this.signal.notify();
  }

  private startTimer(): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => {
      this.timer = undefined;
      this.dispatch();
    }, this.settings.lingerMs);
    t.unref?.();
    return t;
  }

  private dispatch(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight !== undefined || this.buffer.length === 0 || this.failure !== undefined || this.closed) return;
    let batch: OutgoingRecord[];
    if (this.buffer.length <= this.settings.maxBatchRecords) {
      batch = this.buffer;
      this.buffer = [];
    } else {
      batch = this.buffer.slice(0, this.settings.maxBatchRecords);
      this.buffer = this.buffer.slice(this.settings.maxBatchRecords);
    }
    let bytes = 0;
    for (const r of batch) bytes += sizeOf(r.key) + sizeOf(r.value);
    this.inFlight = this.sendBatch(batch).then(
      () => {
        this.inFlight = undefined;
        this.pendingRecords -= batch.length;
        this.pendingBytes -= bytes;
        this.recordsSent.inc(batch.length);
        // Records that waited for this batch go now: they have lingered long enough.
        if (this.buffer.length > 0) this.dispatch();
        if (this.pendingRecords < this.settings.maxBufferedRecords && this.pendingBytes < this.settings.maxBufferedBytes) this.signal.notify();
      },
      (error: unknown) => {
        this.inFlight = undefined;
        this.sendErrors.inc(batch.length);
        this.failure ??= error instanceof Error ? error : new Error(`kafka sink: send failed: ${String(error)}`);
        this.signal.notify();
      },
    );
  }

  /** The record with its partition (built field by field: a spread with extra properties is V8's slow path). */
  private place(r: OutgoingRecord, counts: ReadonlyMap<string, number>): OutgoingRecord {
    const partition = this.partitioner.partition(r, counts.get(r.topic)!);
    return { topic: r.topic, partition, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp };
  }

  private async sendBatch(batch: OutgoingRecord[]): Promise<void> {
    this.partitioner.onNewBatch();
    const topics = new Set<string>();
    for (const r of batch) if (r.partition === undefined) topics.add(r.topic);
    const counts = topics.size === 0 ? undefined : await this.partitions.of(topics);
    const placed = counts === undefined ? batch : batch.map((r) => (r.partition !== undefined ? r : this.place(r, counts)));
    const started = Date.now();
    await this.send(placed);
    this.lastSendMs = Date.now() - started;
  }
}
