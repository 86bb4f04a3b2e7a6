// WindowedStream (per key) and AllWindowedStream (whole stream): choose lateness handling, then a window function
// or a field aggregation (sum/min/max/minBy/maxBy, a window reduce).
import type { AggregateFunction } from '@runnel/api';
import type { ReduceFunction } from './functions.js';
import type { OutputTag } from './output-tag.js';
import type { KeyedStream } from './data-stream.js';
import type { StreamExecutionEnvironment } from './stream-execution-environment.js';
import type { DataStream, SingleOutputStreamOperator } from './data-stream.js';
import type { WindowAssigner } from '../windowing/window-assigners.js';
import type { ProcessWindowFunction, WindowFunctionSpec } from '../windowing/window-functions.js';
import { WindowOperator } from '../windowing/window-operator.js';
import { fieldAggregation, type ComparableField, type FieldAggregationKind, type NumericField } from './field-aggregators.js';

/**
 * A keyed stream with a window assigner.
 *
 * @public
 */
export class WindowedStream<T, K> {
  private lateness = 0;
  private lateTag: string | undefined;

  constructor(
    private readonly input: KeyedStream<T, K>,
    private readonly assigner: WindowAssigner,
  ) {}

  /** Keeps windows for `ms` after the watermark passed their end; late records update and re-fire them. */
  allowedLateness(ms: number): this {
    if (!(ms >= 0)) throw new RangeError('allowed lateness must be >= 0');
    if (!this.assigner.isEventTime && ms > 0) throw new Error('allowed lateness applies to event-time windows only');
    this.lateness = ms;
    return this;
  }

  /** Records too late for every window go to this side output instead of being dropped (and counted). */
  sideOutputLateData(tag: OutputTag<T>): this {
    this.lateTag = tag.id;
    return this;
  }

  private build<R>(name: string, fn: WindowFunctionSpec): SingleOutputStreamOperator<R> {
    const config = { assigner: this.assigner, fn, allowedLateness: this.lateness, lateDataTag: this.lateTag };
    return this.input.keyedOperator<R>(`${name} ${this.assigner.describe()}`, (ctx) => new WindowOperator(ctx, config));
  }

  /** Incrementally reduces each window; with a process function, that sees the reduced value and the window. */
  reduce<R = T>(fn: ReduceFunction<T>, process?: ProcessWindowFunction<T, R, K>): SingleOutputStreamOperator<R> {
    return this.build<R>('Window(reduce)', { kind: 'reduce', reduce: fn, process });
  }

  /** Incrementally aggregates each window; with a process function, that sees the result and the window. */
  aggregate<ACC, V, R = V>(fn: AggregateFunction<T, ACC, V>, process?: ProcessWindowFunction<V, R, K>): SingleOutputStreamOperator<R> {
    return this.build<R>('Window(aggregate)', { kind: 'aggregate', aggregate: fn, process });
  }

  /** Buffers each window's records and hands them all to the function when it fires. */
  process<R>(fn: ProcessWindowFunction<T, R, K>): SingleOutputStreamOperator<R> {
    return this.build<R>('Window(process)', { kind: 'process', process: fn });
  }

  /**
   * One record per window: the sum of a `number` or `bigint` field (a property name, or a position of a tuple record)
   * in a copy of the window's first record (every other field comes from that record, as in Flink). A record whose
   * field is missing, `null`, or of the other type fails the job naming the operator and field.
   */
  sum(field: NumericField<T>): SingleOutputStreamOperator<T> {
    return this.aggregateField('sum', field);
  }

  /**
   * One record per window with the window's minimum of a field (`number`, `bigint`, `string` or `Date`). As in Flink,
   * `min` returns the minimum value, whereas `minBy` returns the record that has the minimum value in this field:
   * `min` replaces only `field` and keeps every other field from the window's first record.
   */
  min(field: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.aggregateField('min', field);
  }

  /** One record per window with the window's maximum of a field; only `field` changes, as with `min`. */
  max(field: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.aggregateField('max', field);
  }

  /** The record of each window with the smallest `field`; ties keep the earlier record with `first` (default), else the later. */
  minBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.aggregateField('minBy', field, first);
  }

  /** The record of each window with the largest `field`; `first` decides ties as in `minBy`. */
  maxBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.aggregateField('maxBy', field, first);
  }

  /**
   * The window reduce with a field aggregation. A window's first record reaches the output without a `reduce` call,
   * so the emitting function checks the result too: a window with a single bad record fails like any other.
   */
  private aggregateField(kind: FieldAggregationKind, field: string | number, first?: boolean): SingleOutputStreamOperator<T> {
    const agg = fieldAggregation<T>(kind, field, first);
    const emit: ProcessWindowFunction<T, T, K> = {
      process(_key, _context, elements, out) {
        for (const e of elements) {
          agg.check(e);
          out.collect(e);
        }
      },
    };
    return this.build<T>(`Window(${agg.label})`, { kind: 'reduce', reduce: agg.reduce, process: emit });
  }
}

/**
 * A whole (non-keyed) stream with a window assigner; runs with parallelism 1.
 *
 * @public
 */
export class AllWindowedStream<T> {
  private readonly windowed: WindowedStream<T, number>;
  constructor(env: StreamExecutionEnvironment, input: DataStream<T>, assigner: WindowAssigner) {
    void env;
    this.windowed = input.keyBy(() => 0).window(assigner);
  }
  allowedLateness(ms: number): this {
    this.windowed.allowedLateness(ms);
    return this;
  }
  sideOutputLateData(tag: OutputTag<T>): this {
    this.windowed.sideOutputLateData(tag);
    return this;
  }
  reduce<R = T>(fn: ReduceFunction<T>, process?: ProcessWindowFunction<T, R, number>): SingleOutputStreamOperator<R> {
    return this.windowed.reduce(fn, process).setParallelism(1);
  }
  aggregate<ACC, V, R = V>(fn: AggregateFunction<T, ACC, V>, process?: ProcessWindowFunction<V, R, number>): SingleOutputStreamOperator<R> {
    return this.windowed.aggregate(fn, process).setParallelism(1);
  }
  process<R>(fn: ProcessWindowFunction<T, R, number>): SingleOutputStreamOperator<R> {
    return this.windowed.process(fn).setParallelism(1);
  }
  /** See {@link WindowedStream.sum}. */
  sum(field: NumericField<T>): SingleOutputStreamOperator<T> {
    return this.windowed.sum(field).setParallelism(1);
  }
  /** See {@link WindowedStream.min} (only `field` changes; `minBy` returns whole records). */
  min(field: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.windowed.min(field).setParallelism(1);
  }
  /** See {@link WindowedStream.max}. */
  max(field: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.windowed.max(field).setParallelism(1);
  }
  /** See {@link WindowedStream.minBy}. */
  minBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.windowed.minBy(field, first).setParallelism(1);
  }
  /** See {@link WindowedStream.maxBy}. */
  maxBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.windowed.maxBy(field, first).setParallelism(1);
  }
}
