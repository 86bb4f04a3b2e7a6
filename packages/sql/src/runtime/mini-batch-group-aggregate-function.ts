// Mini-batch group aggregation (`table.exec.mini-batch.enabled`), as Flink's MiniBatchGroupAggFunction behind its
// KeyedMapBundleOperator: the groups a bundle of input rows touches are kept in memory, and each group's state is
// read once when the bundle first touches it and written once when the bundle is flushed, and the group's change over
// the whole bundle is emitted then: +I for a new group, -U/+U for a changed one, -D for one that became empty,
// nothing when its result did not change. The changelog applied is the one the per-row operator gives
// (GroupAggregateFunction: the same rows applied in the same order), with fewer updates.
// Flink buffers the rows per key and applies them at the flush; here each row is applied at once to the group's
// in-memory accumulators (the state value read when the bundle first touched the group), which gives the same
// accumulators without keeping the rows: buffered rows outlive V8's young generation and made garbage collection a
// quarter of q17's time. The state backend sees the group at its first row and at the flush only.
// The bundle is flushed when it holds `table.exec.mini-batch.size` rows, when `allow-latency` has passed (at the
// next multiple of it in processing time, as Flink's mini-batch assigner), before every checkpoint barrier is
// forwarded and at the end of the input (the runtime calls flushBundle then). So a bundle is never part of a
// checkpoint: the state at a barrier holds every row before it, and the rows emitted for them precede the barrier.
// The state is the per-row operator's (per group: the row count, then the accumulators), with no timers. With a
// state TTL, a group's expiry is checked when the bundle first touches it (Flink: at the flush).
import { isAccumulate, RowKind, type Row } from '@runnel/api/table';
import type { StateTtlConfig, ValueState } from '@runnel/api';
import type { BundleContext, BundleKeyedProcessFunction, Collector, ProcessContext, RuntimeContext } from '@runnel/runtime';
import type { AggCall } from '../plan/rel.js';
import { AggsHandle } from './aggs-handle.js';
import { rowsEqual } from './row-equality.js';

/** What the state holds per group: the row count, then the accumulators. */
type GroupState = unknown[];

/** A group the bundle touched: its state key, its result before the bundle, and its state as the rows go. */
interface BundleEntry {
  readonly key: unknown;
  /** The fields of the group's first row in the bundle (for the key fields of its results). */
  readonly fields: readonly unknown[];
  /** The state when the bundle first touched the group (undefined: no group). */
  readonly stored: GroupState | undefined;
  /** The result before the bundle (undefined: no group). */
  readonly before: unknown[] | undefined;
  /** The state now (undefined while the group does not exist). */
  live: GroupState | undefined;
}

/** A map identity for a state key: tuple keys (arrays, made anew per row) by their JSON text. */
function tupleIdentity(key: object): string {
  return JSON.stringify(key, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * The mini-batch group aggregation operator's function.
 *
 * @internal
 */
export class MiniBatchGroupAggregateFunction implements BundleKeyedProcessFunction<unknown, Row, Row> {
  private readonly handle: AggsHandle;
  private state!: ValueState<GroupState>;
  private bundleCtx!: BundleContext<unknown>;
  // The bundle, made per subtask in bindBundle (the runtime gives each subtask a shallow copy of the function,
  // which would share maps made here).
  /** Groups with a scalar key (number, string, bigint, ...), by the key itself. */
  private groups!: Map<unknown, BundleEntry>;
  /** Groups with a tuple key, by its JSON text (kept apart so that no scalar key can meet one). */
  private tupleGroups!: Map<string, BundleEntry>;
  /** Rows in the bundle. */
  private size = 0;
  /** Whether a latency callback is pending. */
  private armed = false;

  constructor(
    private readonly keyFields: readonly number[],
    aggs: readonly AggCall[],
    private readonly ttl: StateTtlConfig | undefined,
    /** `allow-latency` in ms. */
    private readonly latencyMs: number,
    /** `size`: rows in a bundle at most. */
    private readonly maxSize: number,
  ) {
    this.handle = new AggsHandle(aggs);
  }

  bindBundle(ctx: BundleContext<unknown>): void {
    this.bundleCtx = ctx;
    this.groups = new Map();
    this.tupleGroups = new Map();
    this.size = 0;
    this.armed = false;
  }

  open(ctx: RuntimeContext): void {
    this.state = ctx.getState<GroupState>({ name: 'group-aggregate', ttl: this.ttl });
  }

  processElement(row: Row, ctx: ProcessContext, _out: Collector<Row>): void {
    const key = ctx.getCurrentKey();
    let entry: BundleEntry | undefined;
    if (typeof key === 'object' && key !== null) {
      const id = tupleIdentity(key);
      entry = this.tupleGroups.get(id);
      if (entry === undefined) this.tupleGroups.set(id, (entry = this.enter(key, row.fields)));
    } else {
      entry = this.groups.get(key);
      if (entry === undefined) this.groups.set(key, (entry = this.enter(key, row.fields)));
    }
    this.applyRow(entry, row);
    if (++this.size >= this.maxSize) this.bundleCtx.requestFlush();
    else if (!this.armed) {
      this.armed = true;
      const now = this.bundleCtx.now();
      this.bundleCtx.registerCallback(now - (now % this.latencyMs) + this.latencyMs, () => {
        this.armed = false;
        if (this.size > 0) this.bundleCtx.requestFlush();
      });
    }
  }

  /**
   * A group the bundle touches first: its state is read now, and its result before. (The operator makes a bundle
   * function's key current only when asked: the other rows of the group only reach its in-memory state.)
   */
  private enter(key: unknown, fields: readonly unknown[]): BundleEntry {
    this.bundleCtx.setCurrentKey(key);
    const stored = this.state.value();
    return { key, fields, stored, before: stored !== undefined ? this.result(fields, stored) : undefined, live: stored };
  }

  /**
   * One row applied to the group's state, as the per-row operator does: a retraction of a group that does not exist
   * is dropped (as Flink), and a group that empties is gone until a row adds to it again.
   */
  private applyRow(entry: BundleEntry, row: Row): void {
    const add = isAccumulate(row.kind);
    let live = entry.live;
    if (live === undefined) {
      if (!add) return;
      live = entry.live = [0, ...this.handle.create()];
    }
    if (add) this.handle.accumulate(live, row.fields, 1);
    else this.handle.retract(live, row.fields, 1);
    const n = (live[0] as number) + (add ? 1 : -1);
    if (n <= 0) entry.live = undefined;
    else live[0] = n;
  }

  bundleKeys(): readonly unknown[] {
    const keys: unknown[] = [];
    for (const e of this.groups.values()) keys.push(e.key);
    for (const e of this.tupleGroups.values()) keys.push(e.key);
    return keys;
  }

  flushBundle(out: Collector<Row>): void {
    if (this.size === 0) return;
    for (const e of this.groups.values()) this.apply(e, out);
    for (const e of this.tupleGroups.values()) this.apply(e, out);
    this.groups.clear();
    this.tupleGroups.clear();
    this.size = 0;
  }

  /** The result row of a group: its key fields of `fields`, then the results of the state's accumulators. */
  private result(fields: readonly unknown[], st: readonly unknown[]): unknown[] {
    return this.handle.groupResult(this.keyFields, fields, st);
  }

  /** Writes the group's state and emits its change over the bundle. */
  private apply(entry: BundleEntry, out: Collector<Row>): void {
    this.bundleCtx.setCurrentKey(entry.key);
    const { live, before } = entry;
    if (live === undefined) {
      if (entry.stored === undefined) return;
      this.state.clear();
      out.collect({ kind: RowKind.DELETE, fields: before! });
      return;
    }
    this.state.update(live);
    const after = this.result(entry.fields, live);
    if (before === undefined) {
      out.collect({ kind: RowKind.INSERT, fields: after });
    } else if (!rowsEqual(before, after)) {
      out.collect({ kind: RowKind.UPDATE_BEFORE, fields: before });
      out.collect({ kind: RowKind.UPDATE_AFTER, fields: after });
    }
  }
}
