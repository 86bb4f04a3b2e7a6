// Window aggregation by slices (Flink's slicing window operator): TUMBLE, HOP and CUMULATE windows are cut into
// slices (the window for TUMBLE, the slide for HOP, the step for CUMULATE); a row updates one slice accumulator,
// and a firing window merges its slices. So a HOP window of size 10 × slide costs one accumulator update per row,
// not ten. Per key, slices live in a map state keyed by slice end; one timer per slice end fires the first window
// that ends there, and each firing registers the next window that still has slices.
// Lateness is Flink's: a row whose slice's first window has already fired (slice end - 1 <= watermark) is dropped
// and counted in the `numLateRecordsDropped` metric.
import { RowKind, type Row } from '@runnel/api/table';
import type { Counter, MapState } from '@runnel/api';
import type { Collector, KeyedProcessFunction, OnTimerContext, ProcessContext, RuntimeContext } from '@runnel/runtime';
import type { AggCall, WindowSpec } from '../plan/rel.js';
import { AggsHandle } from './aggs-handle.js';
import type { LocalTime } from './local-time.js';

function floorTo(ts: number, offset: number, size: number): number {
  const r = (ts - offset) % size;
  return ts - (r < 0 ? r + size : r);
}

/**
 * The window aggregation operator's function (TUMBLE, HOP, CUMULATE).
 *
 * @internal
 */
export class SliceWindowAggregateFunction implements KeyedProcessFunction<unknown, Row, Row> {
  private readonly handle: AggsHandle;
  private slices!: MapState<number, unknown[]>;
  private keys!: MapState<number, unknown[]>;
  private late!: Counter;
  private readonly sliceSize: number;

  constructor(
    private readonly spec: WindowSpec,
    private readonly keyFields: readonly number[],
    aggs: readonly AggCall[],
    private readonly local: LocalTime,
  ) {
    this.handle = new AggsHandle(aggs);
    this.sliceSize = spec.kind === 'TUMBLE' ? spec.size : spec.kind === 'HOP' ? spec.slide! : spec.step!;
  }

  open(ctx: RuntimeContext): void {
    this.slices = ctx.getMapState<number, unknown[]>({ name: 'window-slices' });
    // The group key values, kept once per key (rows of a firing timer have no input row to read them from).
    this.keys = ctx.getMapState<number, unknown[]>({ name: 'window-key' });
    this.late = ctx.metricGroup.counter('numLateRecordsDropped');
  }

  processElement(row: Row, ctx: ProcessContext, _out: Collector<Row>): void {
    const spec = this.spec;
    const timers = ctx.timerService();
    const ts = spec.eventTime ? (row.fields[spec.timeField] as number | null) : timers.currentProcessingTime();
    if (ts === null || ts === undefined) return;
    // Slices are aligned and keyed in local time (a TIMESTAMP_LTZ window of a day starts at local midnight).
    const sliceEnd = floorTo(this.local.toLocal(ts), spec.offset, this.sliceSize) + this.sliceSize;
    const fireAt = this.local.toUtc(sliceEnd) - 1;
    if (spec.eventTime && fireAt <= timers.currentWatermark()) {
      this.late.inc();
      return;
    }
    let accs = this.slices.get(sliceEnd);
    if (accs === undefined) {
      accs = this.handle.create();
      if (this.keys.isEmpty()) this.keys.put(0, this.keyFields.map((k) => row.fields[k]));
    }
    this.handle.accumulate(accs, row.fields);
    this.slices.put(sliceEnd, accs);
    this.register(timers, fireAt);
  }

  private register(timers: ProcessContext['timerService'] extends () => infer T ? T : never, at: number): void {
    if (this.spec.eventTime) timers.registerEventTimeTimer(at);
    else timers.registerProcessingTimeTimer(at);
  }

  onTimer(timestamp: number, ctx: OnTimerContext, out: Collector<Row>): void {
    const spec = this.spec;
    const end = this.local.toLocal(timestamp + 1);
    // The window ending here, the next window that may still fire, and the slices no later window needs.
    let start: number;
    let next: number | undefined;
    let keepAbove: number;
    if (spec.kind === 'TUMBLE') {
      start = end - spec.size;
      keepAbove = end;
    } else if (spec.kind === 'HOP') {
      start = end - spec.size;
      next = end + spec.slide!;
      keepAbove = next - spec.size;
    } else {
      start = floorTo(end - 1, spec.offset, spec.size);
      const last = end >= start + spec.size;
      next = last ? undefined : end + spec.step!;
      keepAbove = last ? end : start;
    }
    let merged: unknown[] | undefined;
    let nextHasData = false;
    const expired: number[] = [];
    for (const [sliceEnd, accs] of this.slices.entries()) {
      if (sliceEnd > start && sliceEnd <= end) {
        merged ??= this.handle.create();
        this.handle.merge(merged, accs);
      }
      // Slices after this window have timers of their own; older ones in the next window need one.
      if (next !== undefined && sliceEnd <= end && sliceEnd > (spec.kind === 'HOP' ? next - spec.size : start)) nextHasData = true;
      if (sliceEnd <= keepAbove) expired.push(sliceEnd);
    }
    if (merged !== undefined) {
      const fields: unknown[] = [...(this.keys.get(0) ?? [])];
      const startValue = this.local.toUtc(start);
      const endValue = this.local.toUtc(end);
      fields.push(this.local.windowValue(startValue), this.local.windowValue(endValue), endValue - 1);
      this.handle.values(merged, fields);
      out.collect({ kind: RowKind.INSERT, fields });
    }
    for (const e of expired) this.slices.remove(e);
    if (next !== undefined && nextHasData) this.register(ctx.timerService(), this.local.toUtc(next) - 1);
    if (this.slices.isEmpty()) this.keys.clear();
  }
}
