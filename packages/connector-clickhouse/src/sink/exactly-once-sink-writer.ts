// The exactly-once writer: it sends nothing while a checkpoint interval runs. Rows are encoded as they come and kept
// per shard; at the barrier (`prepareCommit`) they become the checkpoint's committables: batches of
// `sink.batch-size` rows, with `replacing` versions derived from the checkpoint id and the row's position in it
// (`checkpoint * 2^32 + n`), so that every later checkpoint's rows win over earlier ones and a re-commit of the same
// checkpoint writes the same versions. The committer inserts them when the checkpoint completes. A failure before
// that replays the interval from the sources, which produce its rows again into a new checkpoint: nothing of an
// unfinished checkpoint was written. Memory holds one interval's rows (encoded), bounded by the checkpoint interval.
import { END_OF_INPUT_CHECKPOINT_ID, type SinkWriter, type SinkWriterContext } from '@runnel/api/connector';
import { ClickHouseValueError } from '../client/clickhouse-errors.js';
import type { ClickHouseSinkSettings } from './clickhouse-sink-options.js';
import type { ClickHouseCommittable } from './clickhouse-sink-state.js';
import { RowEncoder, type EncodedRow } from './row-encoder.js';
import { SinkConnection } from './sink-runtime.js';
import { SinkCounters } from './sink-counters.js';

/** The checkpoint slot of the version: END_OF_INPUT after every real checkpoint. */
const END_SLOT = 0xffffffffn;

/**
 * The version of the n-th row (from 0) of a checkpoint's rows.
 *
 * @internal
 */
export function checkpointVersion(checkpointId: number, n: number): bigint {
  const slot = checkpointId === END_OF_INPUT_CHECKPOINT_ID ? END_SLOT : BigInt(checkpointId);
  return (slot << 32n) | BigInt(n);
}

/**
 * Exactly-once writer: rows become committables at the barrier.
 *
 * @internal
 */
export class ExactlyOnceSinkWriter<T> implements SinkWriter<T, ClickHouseCommittable> {
  private readonly connection: SinkConnection;
  private encoder: RowEncoder<T> | undefined;
  private readonly early: T[] = [];
  private pending: string[][];
  private failure: Error | undefined;
  private readonly counters: SinkCounters;
  private readonly out: EncodedRow[] = [];

  constructor(
    private readonly s: ClickHouseSinkSettings<T>,
    private readonly context: SinkWriterContext,
  ) {
    // The writer only reads the table's metadata (to encode and check rows); the committer writes.
    this.connection = new SinkConnection(s as ClickHouseSinkSettings<unknown>, context.subtaskIndex);
    this.pending = s.shards.map(() => []);
    this.counters = new SinkCounters(context.metricGroup);
    this.connection.metadata.then(
      (meta) => {
        this.encoder = new RowEncoder(s, meta, s.shards.length);
        try {
          for (const e of this.early.splice(0)) this.add(e);
        } catch (err) {
          this.failure ??= err as Error;
        }
      },
      (e: unknown) => {
        this.failure ??= e as Error;
      },
    );
  }

  write(element: T): void {
    if (this.failure !== undefined) throw this.failure;
    if (this.encoder === undefined) this.early.push(element);
    else this.add(element);
  }

  private add(element: T): void {
    const out = this.out;
    out.length = 0;
    try {
      this.encoder!.encode(element, out);
    } catch (e) {
      if (e instanceof ClickHouseValueError && this.s.errorPolicy === 'skip') {
        this.counters.errors.inc();
        this.s.onWarning(`${e.message}; skipped (sink.error-policy = skip)`);
        return;
      }
      throw e;
    }
    for (let i = 0; i < out.length; i++) this.pending[out[i]!.shard]!.push(out[i]!.body);
  }

  isAvailable(): Promise<void> | undefined {
    // Until the table's metadata is known, rows wait unencoded: hold the input after a batch of them.
    if (this.encoder === undefined && this.failure === undefined && this.early.length >= this.s.batchSize) {
      return this.connection.metadata.then(
        () => undefined,
        () => undefined,
      );
    }
    return undefined;
  }

  async flush(): Promise<void> {
    if (this.encoder === undefined && this.failure === undefined) await this.connection.metadata.catch(() => undefined);
    // Let the metadata callback run (it encodes the early rows).
    await Promise.resolve();
    if (this.failure !== undefined) throw this.failure;
  }

  prepareCommit(checkpointId: number): ClickHouseCommittable[] {
    if (this.failure !== undefined) throw this.failure;
    if (this.encoder !== undefined) {
      const held = this.out;
      held.length = 0;
      this.encoder.releaseHeld(held);
      for (const row of held) this.pending[row.shard]!.push(row.body);
    }
    const out: ClickHouseCommittable[] = [];
    const size = this.s.batchSize;
    const encoder = this.encoder;
    let n = 0;
    for (let shard = 0; shard < this.pending.length; shard++) {
      const rows = this.pending[shard]!;
      if (rows.length === 0) continue;
      const batches: string[] = [];
      for (let i = 0; i < rows.length; i += size) {
        const slice = rows.slice(i, i + size);
        const lines = encoder !== undefined && encoder.needsVersion ? slice.map((body) => encoder.finishLine(body, checkpointVersion(checkpointId, n++))) : slice;
        batches.push(lines.join('\n'));
      }
      out.push({ subtask: this.context.subtaskIndex, checkpointId, shard, batches, rows: rows.length });
    }
    this.pending = this.s.shards.map(() => []);
    return out;
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
