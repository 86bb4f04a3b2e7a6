// ConnectedStreams: two streams of possibly different types feeding one two-input operator; keyed on both sides
// for a KeyedCoProcessFunction with shared keyed state and timers.
import type { CoProcessFunction, KeyedCoProcessFunction, KeySelector } from './functions.js';
import type { StreamExecutionEnvironment } from './stream-execution-environment.js';
import { coProcess, KeyedStream, SingleOutputStreamOperator, type DataStream } from './data-stream.js';
import { KeyedProcessOperator } from '../operators/process-operators.js';

/**
 * Two connected streams.
 *
 * @public
 */
export class ConnectedStreams<A, B> {
  constructor(
    private readonly env: StreamExecutionEnvironment,
    readonly first: DataStream<A>,
    readonly second: DataStream<B>,
  ) {}

  /** Keys both inputs; records of either side with equal keys meet in the same subtask and keyed state. */
  keyBy<K>(key1: KeySelector<A, K>, key2: KeySelector<B, K>): ConnectedStreams<A, B> {
    return new ConnectedStreams<A, B>(this.env, this.first.keyBy(key1), this.second.keyBy(key2));
  }

  /** A CoProcessFunction, or a KeyedCoProcessFunction when both inputs are keyed. */
  process<R>(fn: CoProcessFunction<A, B, R> | KeyedCoProcessFunction<any, A, B, R>, name = 'CoProcess'): SingleOutputStreamOperator<R> {
    const a = this.first;
    const b = this.second;
    if (a instanceof KeyedStream && b instanceof KeyedStream) {
      const t = this.env.addTransformation(name, 'two-input', [a.transformation, b.transformation], (ctx) => new KeyedProcessOperator(ctx, fn as KeyedCoProcessFunction<any, A, B, R>, true), {
        inputIndexes: [0, 1],
      });
      t.keySelectors = [a.keySelector as KeySelector<unknown, unknown>, b.keySelector as KeySelector<unknown, unknown>];
      return new SingleOutputStreamOperator<R>(this.env, t);
    }
    if (a instanceof KeyedStream || b instanceof KeyedStream) {
      throw new Error('connect(): key both inputs (ConnectedStreams.keyBy) or neither');
    }
    return coProcess(this.env, a, b, fn as CoProcessFunction<A, B, R>, name);
  }
}
