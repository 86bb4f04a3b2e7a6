// OVER aggregation, as Flink's streaming over-aggregate functions: per partition key, rows are buffered until the
// watermark passes their time (event time; proctime rows are processed as they come), then processed in time
// order: each row is emitted with the aggregates over its frame appended. RANGE frames include the row's peers (rows
// with the same time) and retract rows that fell out of the interval; ROWS frames count rows in arrival order and
// retract the row that leaves. Late rows (at or before the watermark) are dropped and counted
// (`numLateRecordsDropped`), as Flink does.
import { RowKind, type Row } from '@runnel/api/table';
import type { Counter, ListState, MapState, ValueState } from '@runnel/api';
import type { Collector, KeyedProcessFunction, OnTimerContext, ProcessContext, RuntimeContext } from '@runnel/runtime';
import type { AggCall } from '../plan/rel.js';
import { AggsHandle } from './aggs-handle.js';

/** Frame settings of an OVER aggregation. @internal */
export interface OverFrame {
  readonly orderField: number;
  readonly eventTime: boolean;
  readonly unit: 'ROWS' | 'RANGE';
  /** Rows or milliseconds; Infinity for UNBOUNDED PRECEDING. */
  readonly preceding: number;
}

/**
 * The OVER aggregation operator's function.
 *
 * @internal
 */
export class OverAggregateFunction implements KeyedProcessFunction<unknown, Row, Row> {
  private readonly handle: AggsHandle;
  /** Rows waiting for the watermark, by time. */
  private pending!: MapState<number, unknown[][]>;
  private accs!: ValueState<unknown[]>;
  /** RANGE: processed rows still inside some future frame, by time. */
  private retained!: MapState<number, unknown[][]>;
  /** ROWS: the last rows of the frame, oldest first. */
  private recent!: ListState<unknown[]>;
  private late!: Counter;

  constructor(
    private readonly frame: OverFrame,
    aggs: readonly AggCall[],
  ) {
    this.handle = new AggsHandle(aggs);
  }

  open(ctx: RuntimeContext): void {
    this.pending = ctx.getMapState<number, unknown[][]>({ name: 'over-pending' });
    this.accs = ctx.getState<unknown[]>({ name: 'over-accumulators' });
    this.retained = ctx.getMapState<number, unknown[][]>({ name: 'over-range-rows' });
    this.recent = ctx.getListState<unknown[]>({ name: 'over-rows' });
    this.late = ctx.metricGroup.counter('numLateRecordsDropped');
  }

  processElement(row: Row, ctx: ProcessContext, out: Collector<Row>): void {
    const timers = ctx.timerService();
    if (!this.frame.eventTime) {
      this.process(timers.currentProcessingTime(), [row.fields], out);
      return;
    }
    const ts = row.fields[this.frame.orderField] as number | null;
    if (ts === null || ts === undefined) return;
    if (ts <= timers.currentWatermark()) {
      this.late.inc();
      return;
    }
    const rows = this.pending.get(ts);
    if (rows) rows.push(row.fields);
    this.pending.put(ts, rows ?? [row.fields]);
    timers.registerEventTimeTimer(ts);
  }

  onTimer(timestamp: number, _ctx: OnTimerContext, out: Collector<Row>): void {
    const rows = this.pending.get(timestamp);
    if (!rows) return;
    this.pending.remove(timestamp);
    this.process(timestamp, rows, out);
  }

  private emit(fields: readonly unknown[], accs: readonly unknown[], out: Collector<Row>): void {
    const f = fields.slice();
    this.handle.values(accs, f);
    out.collect({ kind: RowKind.INSERT, fields: f });
  }

  /** Rows of one time, in arrival order. */
  private process(ts: number, rows: readonly unknown[][], out: Collector<Row>): void {
    const h = this.handle;
    const accs = this.accs.value() ?? h.create();
    const { unit, preceding } = this.frame;
    if (unit === 'RANGE') {
      // Peers share the result: accumulate all of them first.
      for (const r of rows) h.accumulate(accs, r);
      if (preceding !== Infinity) {
        const expired: number[] = [];
        for (const [t, old] of this.retained.entries()) {
          if (t < ts - preceding) {
            for (const r of old) h.retract(accs, r);
            expired.push(t);
          }
        }
        for (const t of expired) this.retained.remove(t);
        const kept = this.retained.get(ts);
        this.retained.put(ts, kept ? [...kept, ...rows] : [...rows]);
      }
      for (const r of rows) this.emit(r, accs, out);
    } else {
      const recent = preceding === Infinity ? undefined : [...this.recent.get()];
      for (const r of rows) {
        h.accumulate(accs, r);
        if (recent) {
          recent.push(r);
          if (recent.length > preceding + 1) h.retract(accs, recent.shift()!);
        }
        this.emit(r, accs, out);
      }
      if (recent) this.recent.update(recent);
    }
    this.accs.update(accs);
  }
}
