// The bounded queue between a fetcher's broker requests and the source reader's `poll`: it holds fetched batches
// (never more than `capacity` records) and is the fetcher's back-pressure. Fetch loops wait for room before each
// request; once the buffer has filled, they wait until the reader drained it to half (hysteresis), so a slow reader
// gets fetches that fill at least half the buffer instead of a stream of fetches each cut down to a few records
// (a fetch answers with up to `max.partition.fetch.bytes` per partition whatever room is left: records beyond the
// room are dropped and fetched again later, which costs a re-fetch but keeps the bound exact).
// Waiting is one promise per waiting fetch loop or `poll` call, never per record.
import type { FetchedBatch } from './kafka-client.js';
import { partitionKey } from './kafka-client.js';

/** A bounded FIFO of fetched batches with waiting for records and for room. */
export class FetchBuffer {
  private batches: FetchedBatch[] = [];
  private head = 0;
  private count = 0;
  private accepting = true;
  private closed = false;
  private recordWaiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`maxBufferedRecords must be a positive integer, got ${capacity}`);
  }

  /** Records buffered. */
  get size(): number {
    return this.count;
  }

  /** How many more records fit. */
  get room(): number {
    return Math.max(0, this.capacity - this.count);
  }

  /** Appends a batch (the caller keeps it within `room`). */
  push(batch: FetchedBatch): void {
    if (batch.records.length === 0 || this.closed) return;
    this.batches.push(batch);
    this.count += batch.records.length;
    if (this.count >= this.capacity) this.accepting = false;
    this.wake(this.recordWaiters);
    this.recordWaiters = [];
  }

  /** Removes and returns batches with at most `maxRecords` records in all (a batch is split when needed). */
  take(maxRecords: number): FetchedBatch[] {
    const out: FetchedBatch[] = [];
    let left = Math.max(1, maxRecords);
    while (left > 0 && this.head < this.batches.length) {
      const batch = this.batches[this.head] as FetchedBatch;
      if (batch.records.length <= left) {
        out.push(batch);
        left -= batch.records.length;
        this.count -= batch.records.length;
        this.batches[this.head] = undefined as unknown as FetchedBatch;
        this.head++;
      } else {
        out.push({ ...batch, records: batch.records.slice(0, left) });
        this.batches[this.head] = { ...batch, records: batch.records.slice(left) };
        this.count -= left;
        left = 0;
      }
    }
    this.compact();
    this.released();
    return out;
  }

  /** Drops the buffered records of a partition (unassigned, or moved to another offset). */
  drop(key: string): void {
    let removed = 0;
    const kept: FetchedBatch[] = [];
    for (let i = this.head; i < this.batches.length; i++) {
      const batch = this.batches[i] as FetchedBatch;
      if (partitionKey(batch) === key) removed += batch.records.length;
      else kept.push(batch);
    }
    if (removed === 0) return;
    this.batches = kept;
    this.head = 0;
    this.count -= removed;
    this.released();
  }

  /** Resolves when records are buffered, after `timeoutMs`, or on `interrupt`/`close`. */
  waitForRecords(timeoutMs: number): Promise<void> {
    if (this.count > 0 || this.closed || timeoutMs <= 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.recordWaiters = this.recordWaiters.filter((w) => w !== done);
        resolve();
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.recordWaiters.push(done);
    });
  }

  /** Resolves when a fetch may be sent: the buffer is below capacity and, once it had filled, drained to half. */
  waitForRoom(): Promise<void> {
    if (this.accepting || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => this.roomWaiters.push(resolve));
  }

  /** Wakes every waiter (a failure to report, or the fetcher closing). */
  interrupt(): void {
    this.wake(this.recordWaiters);
    this.wake(this.roomWaiters);
    this.recordWaiters = [];
    this.roomWaiters = [];
  }

  /** Empties the buffer and makes every wait resolve at once from now on. */
  close(): void {
    this.closed = true;
    this.batches = [];
    this.head = 0;
    this.count = 0;
    this.interrupt();
  }

  private released(): void {
    if (!this.accepting && this.count <= this.capacity / 2) {
      this.accepting = true;
      this.wake(this.roomWaiters);
      this.roomWaiters = [];
    }
  }

  private compact(): void {
    if (this.head === this.batches.length) {
      this.batches = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.batches.length) {
      this.batches = this.batches.slice(this.head);
      this.head = 0;
    }
  }

  private wake(waiters: (() => void)[]): void {
    for (const waiter of waiters) waiter();
  }
}
