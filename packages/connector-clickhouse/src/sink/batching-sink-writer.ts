// The at-least-once writer: rows are encoded as they come and gathered into a batch per shard; a full batch (or one
// older than `sink.flush-interval`) is sent while the next fills, with at most `sink.max-in-flight-batches` batches
// being sent at once. When that many are in flight and another batch is full, `isAvailable` returns a promise and
// the runtime stops feeding the writer until a send returns: back-pressure instead of memory growth. Every batch is
// flushed at each checkpoint barrier, so a checkpoint's rows are in ClickHouse when it completes; a replay after a
// failure may write rows of the interrupted interval again. `replacing` versions grow with time (microseconds since
// the epoch, strictly increasing per writer), so that the latest write wins after a replay too.
import type { SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import { ClickHouseValueError } from '../client/clickhouse-errors.js';
import type { ClickHouseSinkSettings } from './clickhouse-sink-options.js';
import { RowEncoder, type EncodedRow } from './row-encoder.js';
import { SinkConnection } from './sink-runtime.js';
import { SinkCounters } from './sink-counters.js';

interface Batch {
  readonly shard: number;
  /** The batch's JSONEachRow lines; joined with newlines when it is sent. */
  readonly parts: string[];
  rows: number;
  /** When its first row came, ms. */
  readonly since: number;
}

/**
 * At-least-once writer with bounded in-flight batches.
 *
 * @internal
 */
export class BatchingSinkWriter<T> implements SinkWriter<T> {
  private readonly connection: SinkConnection;
  private encoder: RowEncoder<T> | undefined;
  private readonly early: T[] = [];
  private readonly current: (Batch | undefined)[];
  private readonly full: Batch[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: Error | undefined;
  private ready: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastVersion = 0n;
  private batches = 0;
  private readonly counters: SinkCounters;
  private closed = false;
  private readonly out: EncodedRow[] = [];
  /** Rows go straight into the batches (`RowEncoder.encodeInto`). */
  private direct = false;

  constructor(
    private readonly s: ClickHouseSinkSettings<T>,
    private readonly context: SinkWriterContext,
  ) {
    this.connection = new SinkConnection(s as ClickHouseSinkSettings<unknown>, context.subtaskIndex);
    this.current = s.shards.map(() => undefined);
    this.counters = new SinkCounters(context.metricGroup);
    this.ready = this.connection.metadata.then(
      (meta) => {
        this.encoder = new RowEncoder(s, meta, s.shards.length);
        this.direct = this.encoder.direct;
        this.ready = undefined;
        const early = this.early.splice(0);
        try {
          for (const e of early) this.add(e);
        } catch (err) {
          this.failure ??= err as Error;
        }
      },
      (e: unknown) => {
        this.failure ??= e as Error;
        this.ready = undefined;
      },
    );
  }

  write(element: T): void {
    this.throwIfFailed();
    if (this.encoder === undefined) {
      this.early.push(element);
      return;
    }
    this.add(element);
  }

  private add(element: T): void {
    if (this.direct) {
      let shard: number;
      try {
        shard = this.encoder!.encodeInto(element, this.batchOf);
      } catch (e) {
        this.skipOrThrow(e);
        return;
      }
      this.added(this.current[shard]!);
      return;
    }
    const out = this.out;
    out.length = 0;
    try {
      this.encoder!.encode(element, out);
    } catch (e) {
      this.skipOrThrow(e);
      return;
    }
    for (let i = 0; i < out.length; i++) this.push(out[i]!);
  }

  private skipOrThrow(e: unknown): void {
    if (e instanceof ClickHouseValueError && this.s.errorPolicy === 'skip') {
      this.counters.errors.inc();
      this.s.onWarning(`${e.message}; skipped (sink.error-policy = skip)`);
      return;
    }
    throw e;
  }

  /** The current batch of a shard, opened when needed. */
  private readonly batchOf = (shard: number): string[] => {
    let b = this.current[shard];
    if (b === undefined) {
      b = { shard, parts: [], rows: 0, since: Date.now() };
      this.current[shard] = b;
      this.armTimer();
    }
    return b.parts;
  };

  /** Counts a row added to a batch; a full batch goes to the send queue. */
  private added(b: Batch): void {
    if (++b.rows >= this.s.batchSize) {
      this.current[b.shard] = undefined;
      this.full.push(b);
      this.pump();
    }
  }

  private push(row: EncodedRow): void {
    this.batchOf(row.shard).push(this.encoder!.needsVersion ? this.encoder!.finishLine(row.body, this.nextVersion()) : row.body);
    this.added(this.current[row.shard]!);
  }

  /** Writes a held-back -U (its +U did not follow before a flush). */
  private releaseHeld(): void {
    if (this.encoder === undefined) return;
    const out = this.out;
    out.length = 0;
    this.encoder.releaseHeld(out);
    for (const row of out) this.push(row);
  }

  /** Microseconds since the epoch, strictly increasing. */
  private nextVersion(): bigint {
    const now = BigInt(Date.now()) * 1000n;
    this.lastVersion = now > this.lastVersion ? now : this.lastVersion + 1n;
    return this.lastVersion;
  }

  private armTimer(): void {
    if (this.timer !== undefined || this.s.flushIntervalMs <= 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.releaseHeld();
      this.sealOlderThan(Date.now() - this.s.flushIntervalMs + 1);
      if (this.current.some((b) => b !== undefined)) this.armTimer();
    }, this.s.flushIntervalMs);
    this.timer.unref?.();
  }

  /** Moves current batches that started before `t` to the full queue and sends what the limit allows. */
  private sealOlderThan(t: number): void {
    for (let i = 0; i < this.current.length; i++) {
      const b = this.current[i];
      if (b !== undefined && b.since < t) {
        this.current[i] = undefined;
        this.full.push(b);
      }
    }
    this.pump();
  }

  /** Starts sends while there is room in flight. */
  private pump(): void {
    while (this.full.length > 0 && this.inFlight.size < this.s.maxInFlightBatches && this.failure === undefined && !this.closed) {
      const b = this.full.shift()!;
      const n = ++this.batches;
      const batch = `batch ${n} of subtask ${this.context.subtaskIndex} (${b.rows} rows)`;
      const body = b.parts.join('\n');
      const started = performance.now();
      const p: Promise<void> = this.connection.insert(b.shard, body, batch).then(
        () => {
          this.counters.sent(b.rows, body.length, performance.now() - started);
        },
        (e: unknown) => {
          this.failure ??= e as Error;
        },
      );
      this.inFlight.add(p);
      void p.finally(() => {
        this.inFlight.delete(p);
        this.pump();
      });
    }
  }

  isAvailable(): Promise<void> | undefined {
    if (this.failure !== undefined) return undefined;
    if (this.ready !== undefined && this.early.length >= this.s.batchSize) return this.ready;
    if (this.full.length > 0 && this.inFlight.size >= this.s.maxInFlightBatches) return Promise.race(this.inFlight);
    return undefined;
  }

  async flush(): Promise<void> {
    if (this.ready !== undefined) await this.ready;
    this.throwIfFailed();
    this.releaseHeld();
    this.sealOlderThan(Number.POSITIVE_INFINITY);
    while (this.inFlight.size > 0 || this.full.length > 0) {
      if (this.inFlight.size > 0) await Promise.race(this.inFlight);
      else this.pump();
      this.throwIfFailed();
    }
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await Promise.allSettled([...this.inFlight]);
    await this.connection.close();
  }
}
