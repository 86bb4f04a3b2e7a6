// Reader of the generator sources. Each assigned split emits its record numbers through a per-split output
// (so watermarks are generated per split), in batches of up to `batchSize` records per `pollNext`, round-robin
// over splits. The per-record work happens inside the emitter's own loop (`emitRange`), which keeps the hot
// loop monomorphic and closure-free. Optional wall-clock pacing via a rate limiter; `isAvailable` then settles
// when the next permit is due.
import type { ReaderOutput, SourceReader, InputStatus } from '@runnel/api/connector';
import { remainingOf, type SequenceSplit } from './sequence-split.js';
import { RateLimiter, type Clock } from './rate-limiter.js';

/**
 * Produces the records of a range of record numbers.
 *
 * @public
 */
export interface RangeEmitter<T> {
  /** Emits records `first`, `first + stride`, ... (`count` of them) to `output`. */
  emitRange(output: ReaderOutput<T>, first: number, stride: number, count: number): void;
}

/**
 * Timer hook (setTimeout by default), injectable for tests.
 *
 * @public
 */
export type Scheduler = (callback: () => void, delayMs: number) => () => void;

/**
 * Options of a {@link SequenceSourceReader}.
 *
 * @public
 */
export interface SequenceReaderOptions {
  /** Records per `pollNext` at most (default 1024). */
  readonly batchSize?: number;
  /** Records per wall-clock second for this reader; 0 or absent = unlimited. */
  readonly ratePerSecond?: number;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
}

interface ActiveSplit {
  readonly splitId: string;
  readonly index: number;
  readonly stride: number;
  readonly end: number | null;
  next: number;
  output: ReaderOutput<unknown> | undefined;
}

const defaultScheduler: Scheduler = (callback, delayMs) => {
  const t = setTimeout(callback, delayMs);
  return () => clearTimeout(t);
};

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * Reads {@link SequenceSplit}s through a {@link RangeEmitter}.
 *
 * @public
 */
export class SequenceSourceReader<T> implements SourceReader<T, SequenceSplit> {
  private readonly splits: ActiveSplit[] = [];
  private cursor = 0;
  private noMoreSplits = false;
  private closed = false;
  private lastOutput: ReaderOutput<T> | undefined;
  private readonly batchSize: number;
  private readonly limiter: RateLimiter | undefined;
  private readonly scheduler: Scheduler;
  private waiter: { promise: Promise<void>; resolve: () => void; cancel?: () => void } | undefined;

  constructor(
    private readonly emitter: RangeEmitter<T>,
    options: SequenceReaderOptions = {},
  ) {
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 1024));
    const rate = options.ratePerSecond ?? 0;
    this.limiter = rate > 0 ? new RateLimiter(rate, options.clock) : undefined;
    this.scheduler = options.scheduler ?? defaultScheduler;
  }

  start(): void {}

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (output !== this.lastOutput) {
      // A different parent output: per-split outputs must be created from it anew.
      this.lastOutput = output;
      for (const s of this.splits) s.output = undefined;
    }
    if (this.splits.length === 0) return this.noMoreSplits ? 'end-of-input' : 'nothing-available';
    if (this.cursor >= this.splits.length) this.cursor = 0;
    const split = this.splits[this.cursor]!;
    const remaining = remainingOf(split.next, split.stride, split.end);
    let count = remaining < this.batchSize ? remaining : this.batchSize;
    if (count > 0 && this.limiter !== undefined) {
      count = this.limiter.acquire(count);
      if (count === 0) return 'nothing-available';
    }
    if (count > 0) {
      const splitOutput = (split.output ??= output.createOutputForSplit(split.splitId) as ReaderOutput<unknown>);
      this.emitter.emitRange(splitOutput as ReaderOutput<T>, split.next, split.stride, count);
      split.next += count * split.stride;
    }
    if (count === remaining) {
      // Released even if it never emitted: a split the reader holds holds the source's watermark until released.
      output.releaseOutputForSplit(split.splitId);
      this.splits.splice(this.cursor, 1);
    } else {
      this.cursor++;
    }
    if (this.splits.length === 0) return this.noMoreSplits ? 'end-of-input' : 'nothing-available';
    return 'more-available';
  }

  isAvailable(): Promise<void> {
    if (this.closed || this.noMoreSplits && this.splits.length === 0) return RESOLVED;
    if (this.splits.length === 0) return this.wait(undefined);
    if (this.limiter !== undefined) {
      const ms = this.limiter.msUntilAvailable();
      if (ms > 0) return this.wait(ms);
    }
    return RESOLVED;
  }

  addSplits(splits: readonly SequenceSplit[]): void {
    for (const s of splits) {
      this.splits.push({ splitId: s.splitId, index: s.index, stride: s.stride, end: s.end, next: s.next, output: undefined });
    }
    this.wake();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.wake();
  }

  snapshotState(_checkpointId: number): SequenceSplit[] {
    return this.splits.map((s) => ({ splitId: s.splitId, index: s.index, next: s.next, stride: s.stride, end: s.end }));
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  /** A promise settled by `wake` or, with `delayMs`, by a timer. One waiter at a time. */
  private wait(delayMs: number | undefined): Promise<void> {
    if (this.waiter !== undefined) return this.waiter.promise;
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    const waiter: { promise: Promise<void>; resolve: () => void; cancel?: () => void } = { promise, resolve };
    this.waiter = waiter;
    if (delayMs !== undefined) waiter.cancel = this.scheduler(() => this.wake(), delayMs);
    return promise;
  }

  private wake(): void {
    const w = this.waiter;
    if (w === undefined) return;
    this.waiter = undefined;
    w.cancel?.();
    w.resolve();
  }
}
