// Unbounded group aggregation (`GROUP BY k` without a window), as Flink's GroupAggFunction: per key, the
// accumulators and the number of rows currently in the group live in keyed state. An accumulating row (+I, +U)
// adds, a retracting row (-U, -D) removes; the operator then emits the change of the group's result: +I for a new
// group, -U/+U for a changed one, -D when the group becomes empty, nothing when the result did not change.
// `table.exec.state.ttl` expires idle groups (their state is dropped; a later row starts the group again).
// With mini-batch (`table.exec.mini-batch.enabled`, `.allow-latency`), a group's changes within one latency interval
// are folded into one: the result before the interval is kept, and when the interval ends (a processing-time timer,
// or the end of the input) the operator emits the difference to the result now. Fewer updates reach the sink; the
// changelog applied is the same.
// Per row, the state array is updated in place (the heap backend copies state when it snapshots, the level backend
// writes the value it is given at update), and result rows are allocated at their final size.
import { isAccumulate, RowKind, type Row } from '@runnel/api/table';
import type { StateTtlConfig, ValueState } from '@runnel/api';
import type { Collector, KeyedProcessFunction, OnTimerContext, ProcessContext, RuntimeContext } from '@runnel/runtime';
import type { AggCall } from '../plan/rel.js';
import { AggsHandle } from './aggs-handle.js';
import { rowsEqual } from './row-equality.js';

/** What the state holds per group: the row count, then the accumulators. @internal */
type GroupState = unknown[];

/**
 * The group aggregation operator's function.
 *
 * @internal
 */
export class GroupAggregateFunction implements KeyedProcessFunction<unknown, Row, Row> {
  private readonly handle: AggsHandle;
  private state!: ValueState<GroupState>;
  /** Mini-batch: the group's key values and its result before the current interval (null: no result). */
  private pending!: ValueState<[unknown[], unknown[] | null]>;

  constructor(
    private readonly keyFields: readonly number[],
    aggs: readonly AggCall[],
    private readonly ttl: StateTtlConfig | undefined,
    /** Mini-batch interval in ms; undefined: every change is emitted at once. */
    private readonly miniBatchMs?: number,
  ) {
    this.handle = new AggsHandle(aggs);
  }

  open(ctx: RuntimeContext): void {
    this.state = ctx.getState<GroupState>({ name: 'group-aggregate', ttl: this.ttl });
    if (this.miniBatchMs !== undefined) this.pending = ctx.getState<[unknown[], unknown[] | null]>({ name: 'mini-batch-before' });
  }

  private output(fields: readonly unknown[], accs: readonly unknown[], keyValues = false): unknown[] {
    const out: unknown[] = [];
    if (keyValues) out.push(...fields);
    else for (const k of this.keyFields) out.push(fields[k]);
    this.handle.values(accs, out);
    return out;
  }

  /** The result row of a group: its key fields of `fields`, then the results of the state's accumulators. */
  private result(fields: readonly unknown[], st: readonly unknown[]): unknown[] {
    const keys = this.keyFields;
    const out = new Array<unknown>(keys.length + this.handle.size);
    for (let i = 0; i < keys.length; i++) out[i] = fields[keys[i]!];
    this.handle.valuesAt(st, 1, out, keys.length);
    return out;
  }

  processElement(row: Row, ctx: ProcessContext, out: Collector<Row>): void {
    if (this.miniBatchMs !== undefined) {
      this.batched(row, ctx);
      return;
    }
    const add = isAccumulate(row.kind);
    let st = this.state.value();
    if (st === undefined) {
      // Retracting a group that does not exist (its state expired): nothing to retract, as Flink.
      if (!add) return;
      st = [0, ...this.handle.create()];
    }
    const count = st[0] as number;
    const before = count > 0 ? this.result(row.fields, st) : undefined;
    if (add) this.handle.accumulate(st, row.fields, 1);
    else this.handle.retract(st, row.fields, 1);
    const n = count + (add ? 1 : -1);
    if (n <= 0) {
      this.state.clear();
      if (before) out.collect({ kind: RowKind.DELETE, fields: before });
      return;
    }
    st[0] = n;
    this.state.update(st);
    const after = this.result(row.fields, st);
    if (!before) {
      out.collect({ kind: RowKind.INSERT, fields: after });
    } else if (!rowsEqual(before, after)) {
      out.collect({ kind: RowKind.UPDATE_BEFORE, fields: before });
      out.collect({ kind: RowKind.UPDATE_AFTER, fields: after });
    }
  }

  /** Mini-batch: updates the group's state; the first change of an interval remembers the result before it. */
  private batched(row: Row, ctx: ProcessContext): void {
    const add = isAccumulate(row.kind);
    let st = this.state.value();
    if (st === undefined) {
      if (!add) return;
      st = [0, ...this.handle.create()];
    }
    const count = st[0] as number;
    const accs = st.slice(1);
    if (this.pending.value() === undefined) {
      const keys = this.keyFields.map((k) => row.fields[k]);
      this.pending.update([keys, count > 0 ? this.output(keys, accs, true) : null]);
      const timers = ctx.timerService();
      const now = timers.currentProcessingTime();
      timers.registerProcessingTimeTimer(now - (now % this.miniBatchMs!) + this.miniBatchMs!);
      // The end of the input (the final watermark) closes the last interval.
      timers.registerEventTimeTimer(Number.MAX_SAFE_INTEGER);
    }
    if (add) this.handle.accumulate(accs, row.fields);
    else this.handle.retract(accs, row.fields);
    const n = count + (add ? 1 : -1);
    if (n <= 0) this.state.clear();
    else this.state.update([n, ...accs]);
  }

  onTimer(_timestamp: number, _ctx: OnTimerContext, out: Collector<Row>): void {
    if (this.miniBatchMs === undefined) return;
    const p = this.pending.value();
    if (p === undefined) return;
    this.pending.clear();
    const [keys, before] = p;
    const st = this.state.value();
    const after = st !== undefined && (st[0] as number) > 0 ? this.output(keys, st.slice(1), true) : null;
    if (before === null) {
      if (after !== null) out.collect({ kind: RowKind.INSERT, fields: after });
    } else if (after === null) {
      out.collect({ kind: RowKind.DELETE, fields: before });
    } else if (!rowsEqual(before, after)) {
      out.collect({ kind: RowKind.UPDATE_BEFORE, fields: before });
      out.collect({ kind: RowKind.UPDATE_AFTER, fields: after });
    }
  }
}
