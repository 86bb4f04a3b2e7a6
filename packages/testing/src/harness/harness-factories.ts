// Factories of harnesses around the runtime's operators for user functions: each builds the operator a DataStream
// call would build (process functions keyed or not, one or two inputs, windows, map/flatMap/filter) and opens it.
import type { AggregateFunction } from '@runnel/api';
import type {
  CoProcessFunction,
  FilterFunction,
  FlatMapFunction,
  KeyedCoProcessFunction,
  KeyedProcessFunction,
  KeySelector,
  MapFunction,
  OutputTag,
  ProcessFunction,
  ProcessWindowFunction,
  ReduceFunction,
  WindowAssigner,
} from '@runnel/runtime';
import {
  FilterOperator,
  FlatMapOperator,
  KeyedProcessOperator,
  MapOperator,
  ProcessOperator,
  WindowOperator,
  type WindowFunctionSpec,
} from '@runnel/runtime/testing';
import type { HarnessOptions } from './harness-options.js';
import { OneInputHarness } from './one-input-harness.js';
import { OperatorHarness, type OperatorSpec } from './operator-harness.js';
import { TwoInputHarness } from './two-input-harness.js';

function oneInput<IN, OUT>(spec: OperatorSpec, options: HarnessOptions): Promise<OneInputHarness<IN, OUT>> {
  return OperatorHarness.build(spec, options, (op, ctx, out, clock, s, r) => new OneInputHarness<IN, OUT>(op, ctx, out, clock, s, r));
}

function twoInput<IN1, IN2, OUT>(spec: OperatorSpec, options: HarnessOptions): Promise<TwoInputHarness<IN1, IN2, OUT>> {
  return OperatorHarness.build(spec, options, (op, ctx, out, clock, s, r) => new TwoInputHarness<IN1, IN2, OUT>(op, ctx, out, clock, s, r));
}

function needKey(key: unknown, what: string): void {
  if (typeof key !== 'function') throw new TypeError(`${what}: a key selector function is required, got ${typeof key}`);
}

/**
 * A harness around the runtime's map operator.
 *
 * @public
 */
export async function mapHarness<IN, OUT>(fn: MapFunction<IN, OUT>, options: HarnessOptions = {}): Promise<OneInputHarness<IN, OUT>> {
  return oneInput({ kind: 'one-input', create: (ctx) => new MapOperator(ctx, fn) }, options);
}

/**
 * A harness around the runtime's flatMap operator.
 *
 * @public
 */
export async function flatMapHarness<IN, OUT>(fn: FlatMapFunction<IN, OUT>, options: HarnessOptions = {}): Promise<OneInputHarness<IN, OUT>> {
  return oneInput({ kind: 'one-input', create: (ctx) => new FlatMapOperator(ctx, fn) }, options);
}

/**
 * A harness around the runtime's filter operator.
 *
 * @public
 */
export async function filterHarness<T>(fn: FilterFunction<T>, options: HarnessOptions = {}): Promise<OneInputHarness<T, T>> {
  return oneInput({ kind: 'one-input', create: (ctx) => new FilterOperator(ctx, fn) }, options);
}

/**
 * A harness around a non-keyed `ProcessFunction` (no timers or keyed state, as on a DataStream).
 *
 * @public
 */
export async function processFunctionHarness<IN, OUT>(fn: ProcessFunction<IN, OUT>, options: HarnessOptions = {}): Promise<OneInputHarness<IN, OUT>> {
  return oneInput({ kind: 'one-input', create: (ctx) => new ProcessOperator(ctx, fn, false) }, options);
}

/**
 * A harness around a `KeyedProcessFunction` (keyed state, event- and processing-time timers), keyed by `key`.
 * Records whose key is outside the subtask's key groups are rejected, as in a job.
 *
 * @public
 */
export async function keyedProcessFunctionHarness<K, IN, OUT>(
  fn: KeyedProcessFunction<K, IN, OUT>,
  key: KeySelector<IN, K>,
  options: HarnessOptions = {},
): Promise<OneInputHarness<IN, OUT>> {
  needKey(key, 'keyedProcessFunctionHarness');
  return oneInput({ kind: 'one-input', keySelectors: [key], create: (ctx) => new KeyedProcessOperator(ctx, fn, false) }, options);
}

/**
 * A harness around a non-keyed `CoProcessFunction`.
 *
 * @public
 */
export async function coProcessFunctionHarness<IN1, IN2, OUT>(fn: CoProcessFunction<IN1, IN2, OUT>, options: HarnessOptions = {}): Promise<TwoInputHarness<IN1, IN2, OUT>> {
  return twoInput({ kind: 'two-input', create: (ctx) => new ProcessOperator(ctx, fn, true) }, options);
}

/**
 * A harness around a `KeyedCoProcessFunction`, each input keyed by its own selector (both must yield the same keys).
 *
 * @public
 */
export async function keyedCoProcessFunctionHarness<K, IN1, IN2, OUT>(
  fn: KeyedCoProcessFunction<K, IN1, IN2, OUT>,
  key1: KeySelector<IN1, K>,
  key2: KeySelector<IN2, K>,
  options: HarnessOptions = {},
): Promise<TwoInputHarness<IN1, IN2, OUT>> {
  needKey(key1, 'keyedCoProcessFunctionHarness (first input)');
  needKey(key2, 'keyedCoProcessFunctionHarness (second input)');
  return twoInput({ kind: 'two-input', keySelectors: [key1, key2], create: (ctx) => new KeyedProcessOperator(ctx, fn, true) }, options);
}

/**
 * What a window harness windows with: a key, an assigner and one window function (reduce or aggregate, optionally
 * with a process function, or a process function alone), as `keyBy(key).window(assigner)...` would.
 *
 * @public
 */
export interface WindowHarnessSpec<T, K, R> {
  readonly key: KeySelector<T, K>;
  readonly assigner: WindowAssigner;
  readonly reduce?: ReduceFunction<T>;
  readonly aggregate?: AggregateFunction<T, any, any>;
  readonly process?: ProcessWindowFunction<any, R, K>;
  /** Allowed lateness of event-time windows (ms, default 0). */
  readonly allowedLateness?: number;
  /** Where records too late for every window go (default: dropped and counted). */
  readonly lateDataTag?: OutputTag<T>;
}

/**
 * A harness around the runtime's window operator.
 *
 * @public
 */
export async function windowHarness<T, K, R = T>(spec: WindowHarnessSpec<T, K, R>, options: HarnessOptions = {}): Promise<OneInputHarness<T, R>> {
  needKey(spec.key, 'windowHarness');
  if (spec.assigner === undefined) throw new TypeError('windowHarness: an assigner is required (e.g. TumblingEventTimeWindows.of(1000))');
  if (spec.reduce !== undefined && spec.aggregate !== undefined) throw new TypeError('windowHarness: give reduce or aggregate, not both');
  const lateness = spec.allowedLateness ?? 0;
  if (!(lateness >= 0)) throw new RangeError(`windowHarness: allowedLateness must be >= 0, got ${lateness}`);
  let fn: WindowFunctionSpec;
  if (spec.reduce !== undefined) fn = { kind: 'reduce', reduce: spec.reduce, process: spec.process };
  else if (spec.aggregate !== undefined) fn = { kind: 'aggregate', aggregate: spec.aggregate, process: spec.process };
  else if (spec.process !== undefined) fn = { kind: 'process', process: spec.process };
  else throw new TypeError('windowHarness: give a window function (reduce, aggregate or process)');
  const config = { assigner: spec.assigner, fn, allowedLateness: lateness, lateDataTag: spec.lateDataTag?.id };
  return oneInput({ kind: 'one-input', keySelectors: [spec.key], create: (ctx) => new WindowOperator(ctx, config) }, options);
}
