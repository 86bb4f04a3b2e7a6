// WindowedStream (per key) and AllWindowedStream (whole stream): choose lateness handling, then a window function.
import type { AggregateFunction } from '@runnel/api';
import type { ReduceFunction } from './functions.js';
import type { OutputTag } from './output-tag.js';
import type { KeyedStream } from './data-stream.js';
import type { StreamExecutionEnvironment } from './stream-execution-environment.js';
import type { DataStream, SingleOutputStreamOperator } from './data-stream.js';
import type { WindowAssigner } from '../windowing/window-assigners.js';
import type { ProcessWindowFunction, WindowFunctionSpec } from '../windowing/window-functions.js';
import { WindowOperator } from '../windowing/window-operator.js';

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
}
