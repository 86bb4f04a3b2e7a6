// SESSION window aggregation: per key, the open sessions ([start, end) with end = last row + gap) and their
// accumulators, in a map state keyed by session start. A row opens a session of its own and merges every session it
// touches (Flink's merging windows); a session fires when the watermark passes its end.
//
// Timers are lazy: a session holds one pending timer at or before its end - 1, registered when it opens. A row that
// only extends a session (the common case: a key's rows arrive in order within the gap) changes no timer, and a
// merge keeps the merged sessions' timers. When a timer fires before its session's end - 1 it registers the timer of
// the session's current end - 1, which the same watermark (or wall-clock) advance still fires if it is due, so
// sessions fire at exactly the times, and with the record timestamps, eager re-registration would give them, with
// one timer per session instead of one per row.
import { RowKind, type Row } from '@runnel/api/table';
import type { Counter, MapState } from '@runnel/api';
import type { Collector, KeyedProcessFunction, OnTimerContext, ProcessContext, RuntimeContext, TimerService } from '@runnel/runtime';
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
    const spec = this.spec;
    const timers = ctx.timerService();
    const fields = row.fields;
    const ts = spec.eventTime ? (fields[spec.timeField] as number | null) : timers.currentProcessingTime();
    if (ts === null || ts === undefined) return;
    let start = ts;
    let end = ts + spec.gap!;
    if (spec.eventTime && end - 1 <= timers.currentWatermark()) {
      this.late.inc();
      return;
    }
    // The sessions the row's window [ts, ts + gap] touches. Open sessions never touch each other (they would have
    // merged), so one pass finds all of them.
    let into: Session | undefined;
    let intoStart = 0;
    let others: [number, Session][] | undefined;
    for (const [s, sess] of this.sessions.entries()) {
      if (s <= end && sess[0] >= start) {
        if (into === undefined) {
          into = sess;
          intoStart = s;
        } else (others ??= []).push([s, sess]);
      }
    }
    if (into === undefined) {
      // A new session, with its timer.
      const accs = this.handle.create();
      this.handle.accumulate(accs, fields);
      this.sessions.put(start, [end, this.keyFields.map((k) => fields[k]), accs]);
      this.register(timers, end - 1);
      return;
    }
    if (others !== undefined) {
      // The row bridges sessions: they merge in the order of their starts (the earliest keeps its accumulators), and
      // the row comes last, as the latest arrival. Their timers stay: the earliest is at or before the merged end - 1.
      others.push([intoStart, into]);
      others.sort((x, y) => x[0] - y[0]);
      into = others[0]![1];
      intoStart = others[0]![0];
      for (let i = 1; i < others.length; i++) {
        const [s, sess] = others[i]!;
        this.handle.merge(into[2], sess[2]);
        if (sess[0] > end) end = sess[0];
        this.sessions.remove(s);
      }
    }
    // The common case: the row extends one open session; no timer changes (see the header).
    this.handle.accumulate(into[2], fields);
    if (intoStart < start) start = intoStart;
    if (into[0] > end) end = into[0];
    into[0] = end;
    if (start !== intoStart) this.sessions.remove(intoStart);
    this.sessions.put(start, into);
  }

  onTimer(timestamp: number, ctx: OnTimerContext, out: Collector<Row>): void {
    let due: number | undefined;
    let dueSession: Session | undefined;
    for (const [s, sess] of this.sessions.entries()) {
      const last = sess[0] - 1;
      if (last === timestamp) {
        due = s;
        dueSession = sess;
      } else if (last > timestamp) {
        // A session that grew after this timer was registered (or another session of the key): its own timer.
        this.register(ctx.timerService(), last);
      }
    }
    if (dueSession === undefined) return;
    const fields: unknown[] = [...dueSession[1], due, dueSession[0], dueSession[0] - 1];
    this.handle.values(dueSession[2], fields);
    out.collect({ kind: RowKind.INSERT, fields });
    this.sessions.remove(due!);
  }

  private register(timers: TimerService, at: number): void {
    if (this.spec.eventTime) timers.registerEventTimeTimer(at);
    else timers.registerProcessingTimeTimer(at);
  }
}
