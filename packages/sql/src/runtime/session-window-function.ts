// SESSION window aggregation: per key, the open sessions ([start, end) with end = last row + gap) and their
// accumulators, in a map state keyed by session start. A row opens a session of its own and merges every session it
// touches (Flink's merging windows); a session fires when the watermark passes its end. A stale timer (of a session
// that grew since) finds no session ending there and does nothing.
import { RowKind, type Row } from '@runnel/api/table';
import type { Counter, MapState } from '@runnel/api';
import type { Collector, KeyedProcessFunction, OnTimerContext, ProcessContext, RuntimeContext } from '@runnel/runtime';
import type { AggCall, WindowSpec } from '../plan/rel.js';
import { AggsHandle } from './aggs-handle.js';

type Session = [end: number, keys: unknown[], accs: unknown[]];

/**
 * The SESSION window aggregation operator's function.
 *
 * @internal
 */
export class SessionWindowAggregateFunction implements KeyedProcessFunction<unknown, Row, Row> {
  private readonly handle: AggsHandle;
  private sessions!: MapState<number, Session>;
  private late!: Counter;

  constructor(
    private readonly spec: WindowSpec,
    private readonly keyFields: readonly number[],
    aggs: readonly AggCall[],
  ) {
    this.handle = new AggsHandle(aggs);
  }

  open(ctx: RuntimeContext): void {
    this.sessions = ctx.getMapState<number, Session>({ name: 'sessions' });
    this.late = ctx.metricGroup.counter('numLateRecordsDropped');
  }

  processElement(row: Row, ctx: ProcessContext, _out: Collector<Row>): void {
    const timers = ctx.timerService();
    const ts = this.spec.eventTime ? (row.fields[this.spec.timeField] as number | null) : timers.currentProcessingTime();
    if (ts === null || ts === undefined) return;
    let start = ts;
    let end = ts + this.spec.gap!;
    if (this.spec.eventTime && end - 1 <= timers.currentWatermark()) {
      this.late.inc();
      return;
    }
    let accs = this.handle.create();
    this.handle.accumulate(accs, row.fields);
    const merged: number[] = [];
    for (const [s, sess] of this.sessions.entries()) {
      if (s <= end && sess[0] >= start) {
        merged.push(s);
        start = Math.min(start, s);
        end = Math.max(end, sess[0]);
        const into = sess[2];
        this.handle.merge(into, accs);
        accs = into;
      }
    }
    for (const s of merged) this.sessions.remove(s);
    this.sessions.put(start, [end, this.keyFields.map((k) => row.fields[k]), accs]);
    if (this.spec.eventTime) timers.registerEventTimeTimer(end - 1);
    else timers.registerProcessingTimeTimer(end - 1);
  }

  onTimer(timestamp: number, _ctx: OnTimerContext, out: Collector<Row>): void {
    for (const [s, sess] of this.sessions.entries()) {
      if (sess[0] - 1 !== timestamp) continue;
      const fields: unknown[] = [...sess[1], s, sess[0], sess[0] - 1];
      this.handle.values(sess[2], fields);
      out.collect({ kind: RowKind.INSERT, fields });
      this.sessions.remove(s);
      return;
    }
  }
}
