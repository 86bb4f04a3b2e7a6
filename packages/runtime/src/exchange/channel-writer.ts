// Producer side of one channel, with credit-based flow control: the consumer grants one credit per buffer it has
// finished processing, and the producer sends a buffer only against a credit. Full buffers without credit wait
// in a queue; while the queue is non-empty the channel is unavailable and the producing task stops taking input,
// which is how a slow consumer back-pressures its producers all the way to the source with bounded memory.
import { BinaryWriter } from '@runnel/codec';
import type { RecordCodec } from '../api/record-codec.js';
import {
  TAG_ACTIVE,
  TAG_BARRIER,
  TAG_END_OF_PARTITION,
  TAG_IDLE,
  TAG_RECORD,
  TAG_RECORD_NO_TS,
  TAG_WATERMARK,
  type ExchangeConfig,
} from './wire-format.js';

/** How a channel writer hands finished buffers to its consumer. @internal */
export interface BufferTransport {
  send(buffer: ArrayBuffer): void;
}

/** @internal */
export class ChannelWriter {
  private readonly w: BinaryWriter;
  private records = 0;
  private credits: number;
  private readonly queue: { buffer: ArrayBuffer; records: number }[] = [];
  /** Record counts of buffers sent and not yet credited back, oldest first. */
  private readonly inFlight: number[] = [];
  private inFlightRecords = 0;
  private queuedRecords = 0;
  /** Largest number of records ever buffered in this channel (current + queued + in flight). */
  maxBufferedRecords = 0;
  /** Largest number of buffers ever queued or in flight. */
  maxBuffersInFlight = 0;
  buffersSent = 0;
  ended = false;
  /**
   * The producing operator's codec for records on this channel (its main output); undefined: the generic value
   * codec. Set once when the task deploys, before the first record.
   */
  codec: RecordCodec<unknown> | undefined = undefined;

  constructor(
    readonly channelId: number,
    private readonly config: ExchangeConfig,
    private readonly transport: BufferTransport,
    /** Called when the channel becomes available again (credit arrived and the queue drained). */
    private readonly onAvailable: () => void,
  ) {
    this.credits = config.buffersPerChannel;
    this.w = new BinaryWriter(config.bufferBytes + 1024);
  }

  get isAvailable(): boolean {
    return this.queue.length === 0;
  }

  /** Records buffered in this channel right now. */
  get bufferedRecords(): number {
    return this.records + this.queuedRecords + this.inFlightRecords;
  }

  addRecord(value: unknown, timestamp: number): void {
    const w = this.w;
    if (timestamp === Number.NEGATIVE_INFINITY) w.writeUint8(TAG_RECORD_NO_TS);
    else {
      w.writeUint8(TAG_RECORD);
      w.writeFloat64(timestamp);
    }
    // One field check per record: the path without a codec stays what it was.
    const codec = this.codec;
    if (codec === undefined) w.writeValue(value);
    else codec.write(w, value);
    if (++this.records >= this.config.bufferMaxRecords || w.length >= this.config.bufferBytes) this.finishBuffer();
  }

  addWatermark(watermark: number): void {
    this.w.writeUint8(TAG_WATERMARK);
    this.w.writeFloat64(watermark);
  }

  addIdle(idle: boolean): void {
    this.w.writeUint8(idle ? TAG_IDLE : TAG_ACTIVE);
  }

  addBarrier(checkpointId: number, payload: number): void {
    this.w.writeUint8(TAG_BARRIER);
    this.w.writeVarUint(checkpointId);
    this.w.writeVarUint(payload);
    this.finishBuffer();
  }

  /** `drain`: the producer drained (final watermark sent); without, downstream must not finish its windows. */
  addEndOfPartition(drain = true): void {
    this.w.writeUint8(TAG_END_OF_PARTITION);
    this.w.writeUint8(drain ? 1 : 0);
    this.ended = true;
    this.finishBuffer();
  }

  /** Sends the partially filled buffer if a credit allows (called when the producing task yields). */
  flush(): void {
    if (this.w.length > 0 && this.credits > 0 && this.queue.length === 0) this.finishBuffer();
  }

  /** True when everything written has been handed to the transport. */
  get drained(): boolean {
    return this.queue.length === 0 && this.w.length === 0;
  }

  private finishBuffer(): void {
    if (this.w.length === 0) return;
    const records = this.records;
    const buffer = this.w.take();
    this.records = 0;
    if (this.credits > 0 && this.queue.length === 0) this.sendNow(buffer, records);
    else {
      this.queue.push({ buffer, records });
      this.queuedRecords += records;
    }
    this.track();
  }

  private sendNow(buffer: ArrayBuffer, records: number): void {
    this.credits--;
    this.inFlight.push(records);
    this.inFlightRecords += records;
    this.buffersSent++;
    this.transport.send(buffer);
  }

  private track(): void {
    const b = this.bufferedRecords;
    if (b > this.maxBufferedRecords) this.maxBufferedRecords = b;
    const n = this.queue.length + this.inFlight.length;
    if (n > this.maxBuffersInFlight) this.maxBuffersInFlight = n;
  }

  /** The consumer finished `n` buffers. */
  addCredit(n: number): void {
    for (let i = 0; i < n; i++) {
      const r = this.inFlight.shift();
      if (r !== undefined) this.inFlightRecords -= r;
    }
    this.credits += n;
    const wasBlocked = this.queue.length > 0;
    while (this.credits > 0 && this.queue.length > 0) {
      const q = this.queue.shift()!;
      this.queuedRecords -= q.records;
      this.sendNow(q.buffer, q.records);
    }
    if (wasBlocked && this.queue.length === 0) this.onAvailable();
    else if (!wasBlocked && this.w.length > 0) this.onAvailable();
  }
}
