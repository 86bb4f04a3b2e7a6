// The upsert-kafka sink's row handling before records are made (Flink's `ReducingUpsertSink`): -U rows are dropped
// (the +U that follows replaces the key's value; the planner does not send them to an upsert sink anyway), and with
// `sink.buffer-flush.max-rows` and `sink.buffer-flush.interval` both above zero, rows are buffered and reduced per
// primary key to the last one, so that a key updated many times within a flush costs one record. The buffer is
// written to the Kafka sink when it holds `max-rows` keys, when `interval` passed since its first row, at every
// checkpoint barrier (so a checkpoint covers the buffered rows) and at the end of input. Keys compare by value
// (BIGINT, DECIMAL, strings, bytes, dates, nested values). The writer's state, committables and committer are the
// Kafka sink's.
import type { Committer, Sink, SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import { RowKind, type Row } from '@runnel/api/table';

/**
 * A text that is equal for equal key values (and only for them).
 *
 * @internal
 */
export function keyText(values: readonly unknown[]): string {
  let s = '';
  for (const v of values) s += `${valueText(v)}\u0001`;
  return s;
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  switch (typeof v) {
    case 'string':
      return `s${JSON.stringify(v)}`;
    case 'number':
      return `d${Object.is(v, -0) ? '0' : String(v)}`;
    case 'bigint':
      return `b${v}`;
    case 'boolean':
      return v ? 't' : 'f';
  }
  if (v instanceof Uint8Array) return `x${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (Array.isArray(v)) return `[${keyText(v)}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${valueText(k)}=${valueText(x)}`).sort().join(',')}}`;
  return `o${JSON.stringify(v)}`;
}

/**
 * Wraps the Kafka sink of an upsert table.
 *
 * @internal
 */
export class ReducingUpsertSink<CommT, StateT> implements Sink<Row, CommT, StateT> {
  readonly createCommitter?: () => Committer<CommT>;
  readonly committableSerializer;
  readonly writerStateSerializer;

  constructor(
    private readonly inner: Sink<Row, CommT, StateT>,
    /** Positions of the primary key in the rows. */
    private readonly keyIndexes: readonly number[],
    /** Both above zero: rows are reduced per key between flushes. */
    private readonly bufferFlush: { readonly maxRows: number; readonly intervalMs: number } | undefined,
  ) {
    this.committableSerializer = inner.committableSerializer;
    this.writerStateSerializer = inner.writerStateSerializer;
    if (inner.createCommitter !== undefined) this.createCommitter = () => inner.createCommitter!();
  }

  createWriter(context: SinkWriterContext, restoredState?: readonly StateT[]): SinkWriter<Row, CommT, StateT> {
    const writer = this.inner.createWriter(context, restoredState);
    const b = this.bufferFlush;
    return b !== undefined && b.maxRows > 0 && b.intervalMs > 0 ? new ReducingUpsertWriter(writer, this.keyIndexes, b.maxRows, b.intervalMs) : new DroppingUpdateBeforeWriter(writer);
  }
}

/** Forwards everything but -U rows. */
class DroppingUpdateBeforeWriter<CommT, StateT> implements SinkWriter<Row, CommT, StateT> {
  readonly prepareCommit?: (checkpointId: number) => CommT[] | Promise<CommT[]>;
  readonly snapshotState?: (checkpointId: number) => StateT[];

  constructor(private readonly inner: SinkWriter<Row, CommT, StateT>) {
    if (inner.prepareCommit !== undefined) this.prepareCommit = (id) => inner.prepareCommit!(id);
    if (inner.snapshotState !== undefined) this.snapshotState = (id) => inner.snapshotState!(id);
  }

  write(row: Row, context: SinkRecordContext): void {
    if (row.kind !== RowKind.UPDATE_BEFORE) this.inner.write(row, context);
  }

  flush(endOfInput: boolean): void | Promise<void> {
    return this.inner.flush(endOfInput);
  }

  isAvailable(): Promise<void> | undefined {
    return this.inner.isAvailable?.();
  }

  close(): void | Promise<void> {
    return this.inner.close();
  }
}

interface Buffered {
  readonly row: Row;
  readonly timestamp: number;
}

/** Reduces rows per key between flushes (Flink's `ReducingUpsertWriter`). */
class ReducingUpsertWriter<CommT, StateT> implements SinkWriter<Row, CommT, StateT> {
  readonly prepareCommit?: (checkpointId: number) => CommT[] | Promise<CommT[]>;
  readonly snapshotState?: (checkpointId: number) => StateT[];
  private buffer = new Map<string, Buffered>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failure: unknown;
  private failed = false;
  private closed = false;
  private watermark = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly inner: SinkWriter<Row, CommT, StateT>,
    private readonly keyIndexes: readonly number[],
    private readonly maxRows: number,
    private readonly intervalMs: number,
  ) {
    if (inner.prepareCommit !== undefined) this.prepareCommit = (id) => inner.prepareCommit!(id);
    if (inner.snapshotState !== undefined) this.snapshotState = (id) => inner.snapshotState!(id);
  }

  write(row: Row, context: SinkRecordContext): void {
    if (this.failed) throw this.failure;
    if (row.kind === RowKind.UPDATE_BEFORE) return;
    const values = new Array<unknown>(this.keyIndexes.length);
    for (let i = 0; i < values.length; i++) values[i] = row.fields[this.keyIndexes[i]!];
    const key = keyText(values);
    // Delete first: the key's row moves to the end, so rows leave in the order of their last change.
    this.buffer.delete(key);
    this.buffer.set(key, { row, timestamp: context.timestamp });
    this.watermark = context.currentWatermark;
    if (this.buffer.size >= this.maxRows) this.writeBuffer();
    else this.timer ??= this.startTimer();
  }

  isAvailable(): Promise<void> | undefined {
    return this.inner.isAvailable?.();
  }

  async flush(endOfInput: boolean): Promise<void> {
    this.writeBuffer();
    if (this.failed) throw this.failure;
    await this.inner.flush(endOfInput);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.buffer.clear();
    await this.inner.close();
  }

  private startTimer(): ReturnType<typeof setTimeout> {
    const t = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.writeBuffer();
    }, this.intervalMs);
    t.unref?.();
    return t;
  }

  /** Hands the buffered rows to the Kafka writer; a failure (from a timer too) is kept for the next call. */
  private writeBuffer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.failed || this.buffer.size === 0) return;
    const rows = this.buffer;
    this.buffer = new Map();
    try {
      for (const { row, timestamp } of rows.values()) this.inner.write(row, { timestamp, currentWatermark: this.watermark });
    } catch (e) {
      this.failed = true;
      this.failure = e;
    }
  }
}
