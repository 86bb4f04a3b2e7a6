// The `blackhole` connector as a SQL table sink (Flink's `BlackHoleTableSinkFactory`): takes every row of every
// changelog kind and drops it, so a benchmark measures the query and not a destination.
import type { Sink } from '@runnel/api/connector';
import type { ChangelogMode, Row, SinkRequest, TableSink } from '@runnel/api/table';
import { BlackholeSink } from '../sinks/blackhole-sink.js';

/**
 * The `blackhole` table sink.
 *
 * @public
 */
export class BlackholeTableSink implements TableSink {
  /** Every kind is accepted: the requested mode is returned as is. */
  changelogMode(requested: ChangelogMode): ChangelogMode {
    return requested;
  }

  /** Metadata keys, if any were asked for, are dropped with the rows. */
  createSink(_request: SinkRequest): Sink<Row, any, any> {
    return new BlackholeSink<Row>();
  }

  summary(): string {
    return 'BlackHole';
  }
}
