// The sink's metrics, named as Flink's sink metrics: rows and bytes sent, rows refused by the error policy, and the
// time of the last insert.
import type { Counter, MetricGroup } from '@runnel/api';

/**
 * The metrics of a writer or committer.
 *
 * @internal
 */
export class SinkCounters {
  readonly records: Counter;
  readonly bytes: Counter;
  readonly errors: Counter;
  private lastInsertMs = 0;

  constructor(group: MetricGroup) {
    this.records = group.counter('numRecordsOut');
    this.bytes = group.counter('numBytesOut');
    this.errors = group.counter('numRecordsOutErrors');
    group.gauge('lastInsertDurationMs', () => this.lastInsertMs);
  }

  sent(rows: number, bytes: number, ms: number): void {
    this.records.inc(rows);
    this.bytes.inc(bytes);
    this.lastInsertMs = ms;
  }
}
