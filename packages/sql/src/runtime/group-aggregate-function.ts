// Unbounded group aggregation (`GROUP BY k` without a window), as Flink's GroupAggFunction: per key, the
// accumulators and the number of rows currently in the group live in keyed state. An accumulating row (+I, +U)
// adds, a retracting row (-U, -D) removes; the operator then emits the change of the group's result: +I for a new
// group, -U/+U for a changed one, -D when the group becomes empty, nothing when the result did not change.
// `table.exec.state.ttl` expires idle groups (their state is dropped; a later row starts the group again).
// With mini-batch (`table.exec.mini-batch.enabled`), MiniBatchGroupAggregateFunction runs instead.
// Per row, the state array is updated in place (the heap backend copies state when it snapshots, the level backend
// writes the value it is given at update), and result rows are allocated at their final size.
import { isAccumulate, RowKind, type Row } from '@runnel/api/table';
import type { StateTtlConfig, ValueState } from '@runnel/api';
import type { Collector, KeyedProcessFunction, ProcessContext, RuntimeContext } from '@runnel/runtime';
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

  constructor(
    private readonly keyFields: readonly number[],
    aggs: readonly AggCall[],
    private readonly ttl: StateTtlConfig | undefined,
  ) {
    this.handle = new AggsHandle(aggs);
  }

  open(ctx: RuntimeContext): void {
    this.state = ctx.getState<GroupState>({ name: 'group-aggregate', ttl: this.ttl });
  }

  /** The result row of a group: its key fields of `fields`, then the results of the state's accumulators. */
  private result(fields: readonly unknown[], st: readonly unknown[]): unknown[] {
    return this.handle.groupResult(this.keyFields, fields, st);
  }

  processElement(row: Row, _ctx: ProcessContext, out: Collector<Row>): void {
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
}
