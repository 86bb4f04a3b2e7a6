// Functions applied to window contents: incremental (reduce, aggregate) and full (process), optionally combined
// (incremental aggregation with a process function that sees the single pre-aggregated value and the window).
import type { AggregateFunction } from '@runnel/api';
import type { Collector, RichFunction } from '../api/functions.js';
import type { OutputTag } from '../api/output-tag.js';
import type { TimeWindow } from './time-window.js';

/**
 * Context of a process window function.
 *
 * @public
 */
export interface WindowContext {
  readonly window: TimeWindow;
  currentWatermark(): number;
  currentProcessingTime(): number;
  output<X>(tag: OutputTag<X>, value: X): void;
}

/**
 * Sees all elements of a window (or its pre-aggregated value) when the window fires.
 *
 * @public
 */
export interface ProcessWindowFunction<IN, OUT, K> extends RichFunction {
  process(key: K, context: WindowContext, elements: Iterable<IN>, out: Collector<OUT>): void;
}

/** @internal */
export interface WindowFunctionSpec {
  readonly kind: 'reduce' | 'aggregate' | 'process';
  readonly reduce?: (a: any, b: any) => any;
  readonly aggregate?: AggregateFunction<any, any, any>;
  readonly process?: ProcessWindowFunction<any, any, any>;
}
