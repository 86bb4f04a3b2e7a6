// Translation of the stateful nodes: group aggregation (with GROUPING SETS expanded first, as Flink's Expand),
// window aggregation (slices for TUMBLE/HOP/CUMULATE, merging sessions for SESSION), window TVFs on their own, and
// bounded sorts. Each keyed operator gets the uid of its plan subtree, and the state it keeps is recorded for EXPLAIN.
import { ALL_KINDS, INSERT_ONLY, isInsertOnly, RowKind, type ChangelogMode, type Row } from '@runnel/api/table';
import type { Collector, KeyedProcessFunction, ListState, OnTimerContext, ProcessContext, RuntimeContext } from '@runnel/runtime';
import type { Counter, MapState } from '@runnel/api';
import type { AggCall, AggregateRel, CalcRel, SortRel, WindowAggregateRel, WindowTableRel } from '../plan/rel.js';
import { nodeText } from '../plan/explain.js';
import { AggsHandle } from '../runtime/aggs-handle.js';
import { GroupAggregateFunction } from '../runtime/group-aggregate-function.js';
import { MiniBatchGroupAggregateFunction } from '../runtime/mini-batch-group-aggregate-function.js';
import { SliceWindowAggregateFunction } from '../runtime/window-aggregate-function.js';
import { SessionWindowAggregateFunction } from '../runtime/session-window-function.js';
import { IDENTITY_TIME, zoneLocalTime, type LocalTime } from '../runtime/local-time.js';
import { rowKeySelector } from '../runtime/row-key.js';
import { rowsEqual } from '../runtime/row-equality.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';
import type { TranslateContext, Translated } from './translate-context.js';
import { requireRetract, uidOf } from './translate-common.js';
import { parseDurationMs, stateTtl } from './state-ttl.js';



/** `table.exec.mini-batch.*`: the latency and size of mini-batch group aggregation, when enabled (Flink needs both). */
function miniBatchOf(ctx: TranslateContext): { latencyMs: number; size: number } | undefined {
  if ((ctx.config['table.exec.mini-batch.enabled'] ?? 'false').trim().toLowerCase() !== 'true') return undefined;
  const latency = ctx.config['table.exec.mini-batch.allow-latency'];
  const ms = latency === undefined ? 0 : parseDurationMs(latency, 'table.exec.mini-batch.allow-latency');
  const size = Number(ctx.config['table.exec.mini-batch.size'] ?? '-1');
  if (!(ms > 0) || !(size > 0)) {
    throw new SqlValidationError("table.exec.mini-batch.enabled = true needs 'table.exec.mini-batch.allow-latency' (> 0) and 'table.exec.mini-batch.size' (> 0), as in Flink");
  }
  if (!Number.isSafeInteger(size)) throw new SqlValidationError(`table.exec.mini-batch.size: expected a whole number of rows, got '${ctx.config['table.exec.mini-batch.size']}'`);
  return { latencyMs: ms, size };
}


/** Rows expanded per grouping set: keys outside the set become NULL, and the set's index is appended. */
function expand(stream: Translated['stream'], rel: { groupKeys: readonly number[]; groupingSets?: readonly (readonly number[])[] }, width: number): { stream: Translated['stream']; keyFields: number[] } {
  const sets = rel.groupingSets;
  if (!sets) return { stream, keyFields: [...rel.groupKeys] };
  const nulls = sets.map((set) => rel.groupKeys.filter((_, i) => !set.includes(i)));
  const out = stream.flatMap((row: Row, c: Collector<Row>) => {
    for (let s = 0; s < sets.length; s++) {
      const f = row.fields.slice();
      for (const k of nulls[s]!) f[k] = null;
      f.push(s);
      c.collect({ kind: row.kind, fields: f });
    }
  }, `Expand(${sets.length} grouping sets)`);
  return { stream: out, keyFields: [...rel.groupKeys, width] };
}

/**
 * The aggregation with each field its Calc input projects several times read from one copy: an aggregate's
 * arguments each get a field of the Calc under it (q17's `price` four times, for MIN, MAX, AVG and SUM), and every
 * field crosses the keyed exchange, so the copies would be encoded and decoded per row. Only copies of one input
 * field are merged (a field reference is the same value whatever reads it). Returns `rel` when nothing repeats.
 */
function withoutRepeatedInputs(rel: AggregateRel): AggregateRel {
  const calc = rel.input;
  if (calc.kind !== 'calc' || rel.groupingSets) return rel;
  const firstOf = new Map<number, number>();
  const map: number[] = [];
  const projects: CalcRel['projects'][number][] = [];
  const fields: CalcRel['fields'][number][] = [];
  calc.projects.forEach((p, i) => {
    const same = p.kind === 'input' ? firstOf.get(p.index) : undefined;
    if (same !== undefined) {
      map.push(same);
      return;
    }
    if (p.kind === 'input') firstOf.set(p.index, projects.length);
    map.push(projects.length);
    projects.push(p);
    fields.push(calc.fields[i]!);
  });
  if (projects.length === calc.projects.length) return rel;
  const input: CalcRel = { ...calc, projects, fields };
  const aggs = rel.aggs.map((a) => ({ ...a, args: a.args.map((x) => map[x]!), ...(a.filter !== undefined ? { filter: map[a.filter]! } : {}) }));
  return { ...rel, input, groupKeys: rel.groupKeys.map((k) => map[k]!), aggs };
}

/** @internal */
export function translateAggregate(original: AggregateRel, ctx: TranslateContext): Translated {
  // The plan node as planned names the operator, its uid and its state; the one without repeated inputs runs.
  const rel = withoutRepeatedInputs(original);
  const input = ctx.translate!(rel.input);
  // EXPLAIN shows the planned Calc's changelog mode (its translation, if another node reads it, is its own).
  if (rel !== original) ctx.modes.set(original.input, input.mode);
  requireRetract(input.mode, 'a group aggregation');
  const aggs = isInsertOnly(input.mode) ? forInsertOnly(rel.aggs) : rel.aggs;
  const handle = new AggsHandle(aggs);
  if (!isInsertOnly(input.mode) && !handle.canRetract) {
    const bad = rel.aggs.filter((a) => !a.agg.retract).map((a) => a.name);
    throw new SqlNotSupportedError(`${bad.join(', ')} over an updating input (the aggregate cannot retract)`);
  }
  const { stream, keyFields } = expand(input.stream, rel, rel.input.fields.length);
  const keys = rel.groupKeys;
  const ttl = stateTtl(ctx);
  const miniBatch = miniBatchOf(ctx);
  const fn = miniBatch
    ? new MiniBatchGroupAggregateFunction(keys, aggs, ttl, miniBatch.latencyMs, miniBatch.size)
    : new GroupAggregateFunction(keys, aggs, ttl);
  const out = stream
    .keyBy(rowKeySelector(keyFields))
    .process(fn as KeyedProcessFunction<unknown, Row, Row>, nodeText(original))
    .uid(uidOf(original, ctx, '', true));
  ctx.state.set(
    original,
    `per group: row count${aggs.length ? `, ${aggs.map((a) => `${a.name}: ${a.agg.stateDescription}`).join('; ')}` : ''}${ttl ? `; ttl ${ttl.ttlMs} ms` : ''}` +
      (miniBatch ? `; mini-batch: up to ${miniBatch.size} rows in memory for ${miniBatch.latencyMs} ms at most, flushed before each checkpoint` : ''),
  );
  const mode: ChangelogMode = isInsertOnly(input.mode) ? { kinds: [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER] } : ALL_KINDS;
  return { stream: out, mode, upsertKey: rel.groupingSets ? undefined : keys.map((_, i) => i), bounded: input.bounded };
}

/** Over insert-only input, the aggregates' smaller accumulators that need not retract (MIN/MAX keep one value). */
function forInsertOnly(aggs: readonly AggCall[]): AggCall[] {
  return aggs.map((a) => (a.agg.insertOnly ? { ...a, agg: a.agg.insertOnly } : a));
}

function localTimeOf(rel: { window: WindowAggregateRel['window'] }, ctx: TranslateContext): LocalTime {
  return rel.window.timeType.root === 'TIMESTAMP_LTZ' ? zoneLocalTime(ctx.fn.localTimeZone) : IDENTITY_TIME;
}

/** @internal */
export function translateWindowAggregate(rel: WindowAggregateRel, ctx: TranslateContext): Translated {
  const input = ctx.translate!(rel.input);
  if (!isInsertOnly(input.mode)) throw new SqlNotSupportedError('window aggregation over an updating input (only insert-only inputs)');
  const aggs = forInsertOnly(rel.aggs);
  const handle = new AggsHandle(aggs);
  if (!handle.canMerge) throw new SqlNotSupportedError(`${aggs.filter((a) => !a.agg.merge).map((a) => a.name).join(', ')} in a window aggregation`);
  const { stream, keyFields } = expand(input.stream, rel, rel.input.fields.length);
  const fn = rel.window.kind === 'SESSION'
    ? new SessionWindowAggregateFunction(rel.window, rel.groupKeys, aggs)
    : new SliceWindowAggregateFunction(rel.window, rel.groupKeys, aggs, localTimeOf(rel, ctx));
  const out = stream.keyBy(rowKeySelector(keyFields)).process(fn as KeyedProcessFunction<unknown, Row, Row>, nodeText(rel)).uid(uidOf(rel, ctx, '', true));
  ctx.state.set(rel, `per group: ${rel.window.kind === 'SESSION' ? 'open sessions' : 'slice'} accumulators${aggs.length ? ` (${aggs.map((a) => `${a.name}: ${a.agg.stateDescription}`).join('; ')})` : ''}, timers`);
  return { stream: out, mode: INSERT_ONLY };
}

function floorTo(ts: number, offset: number, size: number): number {
  const r = (ts - offset) % size;
  return ts - (r < 0 ? r + size : r);
}

/** @internal */
export function translateWindowTable(rel: WindowTableRel, ctx: TranslateContext): Translated {
  const input = ctx.translate!(rel.input);
  if (!isInsertOnly(input.mode)) throw new SqlNotSupportedError('window TVFs over an updating input');
  const w = rel.window;
  if (w.kind === 'SESSION') throw new SqlNotSupportedError('a SESSION window TVF without a window aggregation');
  if (!w.eventTime) throw new SqlNotSupportedError('window TVFs on processing time without a window aggregation');
  const local = localTimeOf(rel, ctx);
  const out = input.stream.flatMap((row: Row, c: Collector<Row>) => {
    const ts = row.fields[w.timeField] as number | null;
    if (ts === null) return;
    const lt = local.toLocal(ts);
    const emit = (start: number, end: number): void => {
      const e = local.toUtc(end);
      c.collect({ kind: row.kind, fields: [...row.fields, local.toUtc(start), e, e - 1] });
    };
    if (w.kind === 'TUMBLE') {
      const s = floorTo(lt, w.offset, w.size);
      emit(s, s + w.size);
    } else if (w.kind === 'HOP') {
      const last = floorTo(lt, w.offset, w.slide!);
      for (let s = last; s > lt - w.size; s -= w.slide!) emit(s, s + w.size);
    } else {
      const s = floorTo(lt, w.offset, w.size);
      for (let e = floorTo(lt, w.offset, w.step!) + w.step!; e <= s + w.size; e += w.step!) emit(s, e);
    }
  }, nodeText(rel));
  return { stream: out, mode: INSERT_ONLY };
}

/** Sorts a bounded input at its end (ORDER BY ... [LIMIT]); retractions remove earlier rows. */
class SortFunction implements KeyedProcessFunction<unknown, Row, Row> {
  private rows!: ListState<unknown[]>;
  constructor(
    private readonly compare: (a: readonly unknown[], b: readonly unknown[]) => number,
    private readonly offset: number,
    private readonly limit: number | undefined,
  ) {}
  open(ctx: RuntimeContext): void {
    this.rows = ctx.getListState<unknown[]>({ name: 'sort-buffer' });
  }
  processElement(row: Row, ctx: ProcessContext, _out: Collector<Row>): void {
    if (row.kind === RowKind.INSERT || row.kind === RowKind.UPDATE_AFTER) this.rows.add(row.fields);
    else {
      const all = [...this.rows.get()];
      const i = all.findIndex((f) => rowsEqual(f, row.fields));
      if (i >= 0) {
        all.splice(i, 1);
        this.rows.update(all);
      }
    }
    ctx.timerService().registerEventTimeTimer(Number.MAX_SAFE_INTEGER);
  }
  onTimer(_t: number, _ctx: OnTimerContext, out: Collector<Row>): void {
    const all = [...this.rows.get()].sort(this.compare);
    const end = this.limit === undefined ? all.length : Math.min(all.length, this.offset + this.limit);
    for (let i = this.offset; i < end; i++) out.collect({ kind: RowKind.INSERT, fields: all[i]! });
    this.rows.clear();
  }
}

/**
 * Flink's temporal sort: rows are buffered until the watermark passes their time, then emitted in time order (and
 * by the other ORDER BY keys within one time). Late rows are dropped and counted.
 */
class RowtimeSortFunction implements KeyedProcessFunction<unknown, Row, Row> {
  private pending!: MapState<number, unknown[][]>;
  private late!: Counter;
  constructor(
    private readonly timeField: number,
    private readonly compare: (a: readonly unknown[], b: readonly unknown[]) => number,
  ) {}
  open(ctx: RuntimeContext): void {
    this.pending = ctx.getMapState<number, unknown[][]>({ name: 'sort-pending' });
    this.late = ctx.metricGroup.counter('numLateRecordsDropped');
  }
  processElement(row: Row, ctx: ProcessContext, _out: Collector<Row>): void {
    const ts = row.fields[this.timeField] as number | null;
    if (ts === null || ts === undefined) return;
    const timers = ctx.timerService();
    if (ts <= timers.currentWatermark()) {
      this.late.inc();
      return;
    }
    const rows = this.pending.get(ts);
    if (rows) rows.push(row.fields);
    this.pending.put(ts, rows ?? [row.fields]);
    timers.registerEventTimeTimer(ts);
  }
  onTimer(ts: number, _ctx: OnTimerContext, out: Collector<Row>): void {
    const rows = this.pending.get(ts);
    if (!rows) return;
    this.pending.remove(ts);
    for (const f of [...rows].sort(this.compare)) out.collect({ kind: RowKind.INSERT, fields: f });
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** @internal */
export function translateSort(rel: SortRel, ctx: TranslateContext): Translated {
  const input = ctx.translate!(rel.input);
  requireRetract(input.mode, 'ORDER BY');
  const keys = rel.keys;
  const first = keys[0];
  const byRowtime = first !== undefined && rel.input.fields[first.field]!.type.timeAttribute === 'rowtime' && !first.desc && rel.limit === undefined && rel.offset === 0;
  if (!input.bounded && !byRowtime) {
    throw new SqlNotSupportedError(
      'ORDER BY on an unbounded input other than ascending by a rowtime attribute (Top-N with LIMIT comes with the next SQL release); ORDER BY a rowtime attribute ASC, or a bounded source, is supported',
    );
  }
  // Decimal fields of different scales never meet here: both sides have the column's type.
  const compare = (a: readonly unknown[], b: readonly unknown[]): number => {
    for (const k of keys) {
      const x = a[k.field];
      const y = b[k.field];
      if (x === y) continue;
      if (x === null || x === undefined) return k.nullsFirst ? -1 : 1;
      if (y === null || y === undefined) return k.nullsFirst ? 1 : -1;
      const c = compareValues(x, y);
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  };
  if (byRowtime && !isInsertOnly(input.mode)) throw new SqlNotSupportedError('ORDER BY a rowtime attribute over an updating input');
  const fn = byRowtime ? new RowtimeSortFunction(first.field, compare) : new SortFunction(compare, rel.offset, rel.limit);
  const out = input.stream
    .keyBy(() => 0)
    .process(fn as KeyedProcessFunction<unknown, Row, Row>, nodeText(rel))
    .uid(uidOf(rel, ctx))
    .setParallelism(1);
  ctx.state.set(rel, byRowtime ? 'rows waiting for the watermark, by time' : 'all rows until the input ends');
  return { stream: out, mode: INSERT_ONLY };
}

