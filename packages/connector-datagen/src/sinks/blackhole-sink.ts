// Flink's `blackhole` sink: swallows every record (benchmarks measure the pipeline, not a destination), keeping
// only a count per writer and in total.
import type { Sink, SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api/connector';

/**
 * A writer of the blackhole sink.
 *
 * @public
 */
export class BlackholeSinkWriter<T> implements SinkWriter<T> {
  /** Records written to this writer. */
  count = 0;

  constructor(private readonly owner: BlackholeSink<T>) {}

  write(_element: T, _context: SinkRecordContext): void {
    this.count++;
  }

  flush(_endOfInput: boolean): void {
    this.owner.addCount(this.count);
    this.count = 0;
  }

  close(): void {
    this.flush(true);
  }
}

/**
 * Discards records.
 *
 * @public
 */
export class BlackholeSink<T = unknown> implements Sink<T> {
  private flushedCount = 0;
  private readonly writers = new Set<BlackholeSinkWriter<T>>();

  createWriter(_context: SinkWriterContext): SinkWriter<T> {
    const w = new BlackholeSinkWriter<T>(this);
    this.writers.add(w);
    return w;
  }

  /** Records discarded by all writers created in this process so far. */
  get count(): number {
    let n = this.flushedCount;
    for (const w of this.writers) n += w.count;
    return n;
  }

  /** @internal */
  addCount(n: number): void {
    this.flushedCount += n;
  }
}
