// ConnectedStreams: two streams of possibly different types feeding one two-input operator; keyed on both sides
// for a KeyedCoProcessFunction with shared keyed state and timers. The operator is built by the first stream
// (DataStream.coProcessWith), so that this module needs only types of data-stream.ts (no import cycle).
import type { CoProcessFunction, KeyedCoProcessFunction, KeySelector } from './functions.js';
import type { DataStream, SingleOutputStreamOperator } from './data-stream.js';

/**
 * Two connected streams.
 *
 * @public
 */
export class ConnectedStreams<A, B> {
  constructor(
    readonly first: DataStream<A>,
    readonly second: DataStream<B>,
  ) {}

  /** Keys both inputs; records of either side with equal keys meet in the same subtask and keyed state. */
  keyBy<K>(key1: KeySelector<A, K>, key2: KeySelector<B, K>): ConnectedStreams<A, B> {
    return new ConnectedStreams<A, B>(this.first.keyBy(key1), this.second.keyBy(key2));
  }

  /** A CoProcessFunction, or a KeyedCoProcessFunction when both inputs are keyed. */
  process<R>(fn: CoProcessFunction<A, B, R> | KeyedCoProcessFunction<any, A, B, R>, name = 'CoProcess'): SingleOutputStreamOperator<R> {
    return this.first.coProcessWith(this.second, fn, name);
  }
}
