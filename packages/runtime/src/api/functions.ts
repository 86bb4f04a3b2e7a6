// User function types of the DataStream API. Every function may be given as a plain JS function or as an object
// with the method plus optional `open`/`close` lifecycle hooks ("rich" functions), which get a RuntimeContext to
// create state and read the subtask index.
import type {
  AggregatingState,
  AggregatingStateDescriptor,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  MetricGroup,
  ReducingState,
  ReducingStateDescriptor,
  ValueState,
  ValueStateDescriptor,
} from '@runnel/api';
import type { OutputTag } from './output-tag.js';

/**
 * Emits records from flatMap, process and window functions.
 *
 * @public
 */
export interface Collector<T> {
  collect(value: T): void;
}

/**
 * What a function learns about where it runs, and how it creates keyed and operator state.
 *
 * @public
 */
export interface RuntimeContext {
  readonly taskName: string;
  readonly operatorUid: string;
  readonly indexOfThisSubtask: number;
  readonly numberOfParallelSubtasks: number;
  readonly maxNumberOfParallelSubtasks: number;
  readonly attemptNumber: number;
  readonly metricGroup: MetricGroup;
  /** Keyed state (only on keyed streams). */
  getState<T>(descriptor: Omit<ValueStateDescriptor<T>, 'kind'>): ValueState<T>;
  getListState<T>(descriptor: Omit<ListStateDescriptor<T>, 'kind'>): ListState<T>;
  getMapState<K, V>(descriptor: Omit<MapStateDescriptor<K, V>, 'kind'>): MapState<K, V>;
  getReducingState<T>(descriptor: Omit<ReducingStateDescriptor<T>, 'kind'>): ReducingState<T>;
  getAggregatingState<IN, ACC, OUT>(descriptor: Omit<AggregatingStateDescriptor<IN, ACC, OUT>, 'kind'>): AggregatingState<IN, OUT>;
  /** Operator (non-keyed) list state, redistributed evenly on rescale. */
  getOperatorListState<T>(name: string): ListState<T>;
  /** Operator list state given whole to every subtask on restore. */
  getUnionListState<T>(name: string): ListState<T>;
}

/**
 * Lifecycle hooks of rich functions.
 *
 * @public
 */
export interface RichFunction {
  open?(context: RuntimeContext): void | Promise<void>;
  close?(): void | Promise<void>;
}

/** @public */
export type MapFunction<T, R> = ((value: T) => R) | (RichFunction & { map(value: T): R });
/** @public */
export type FilterFunction<T> = ((value: T) => boolean) | (RichFunction & { filter(value: T): boolean });
/** @public */
export type FlatMapFunction<T, R> =
  | ((value: T, out: Collector<R>) => void)
  | (RichFunction & { flatMap(value: T, out: Collector<R>): void });
/** @public */
export type KeySelector<T, K> = (value: T) => K;
/** @public */
export type ReduceFunction<T> = (a: T, b: T) => T;

/**
 * Access to time and timers of a keyed operator.
 *
 * @public
 */
export interface TimerService {
  currentProcessingTime(): number;
  currentWatermark(): number;
  registerEventTimeTimer(time: number): void;
  registerProcessingTimeTimer(time: number): void;
  deleteEventTimeTimer(time: number): void;
  deleteProcessingTimeTimer(time: number): void;
}

/**
 * Per-record context of a process function.
 *
 * @public
 */
export interface ProcessContext<K = unknown> {
  /** Event timestamp of the current record (or -Infinity). */
  timestamp(): number;
  /** Emits to a side output. */
  output<X>(tag: OutputTag<X>, value: X): void;
  timerService(): TimerService;
  /** The current key (keyed streams only). */
  getCurrentKey(): K;
}

/** @public */
export type TimeDomain = 'event-time' | 'processing-time';

/**
 * Context of `onTimer`.
 *
 * @public
 */
export interface OnTimerContext<K = unknown> extends ProcessContext<K> {
  timeDomain(): TimeDomain;
}

/**
 * A low-level function with access to timestamps, side outputs and (on keyed streams) state and timers.
 *
 * @public
 */
export interface ProcessFunction<I, O> extends RichFunction {
  processElement(value: I, ctx: ProcessContext, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext, out: Collector<O>): void;
}

/**
 * A process function on a keyed stream.
 *
 * @public
 */
export interface KeyedProcessFunction<K, I, O> extends RichFunction {
  processElement(value: I, ctx: ProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
}

/**
 * What the operator gives a {@link BundleKeyedProcessFunction}: key switching for its flush, and a way to ask for one.
 *
 * @beta
 */
export interface BundleContext<K> {
  /**
   * Makes `key` the current key: state accessed (and keyed timers registered) from now on are this key's. In
   * `processElement` of a bundle function the record's key is not made current by the operator (most records only
   * join the bundle): call this with `ProcessContext.getCurrentKey()` before touching the key's state.
   */
  setCurrentKey(key: K): void;
  /**
   * Asks for `flushBundle` as soon as the operator can: right after the current record on in-memory state; with an
   * off-heap backend once the bundle's keys are loaded (with the next input batch, else at the next barrier or end).
   */
  requestFlush(): void;
  /** Calls `callback` inside the task at or after processing time `time` (not keyed, not checkpointed). */
  registerCallback(time: number, callback: () => void): void;
  /** The processing time now. */
  now(): number;
}

/**
 * A keyed process function that buffers records in memory across keys (a mini-batch bundle, as Flink's
 * MapBundleFunction) and applies them to state later, once per key. The operator calls `flushBundle` before every
 * checkpoint barrier is forwarded (so a bundle is never part of a checkpoint), at the end of the input, and when the
 * function asks for it; records emitted then go out before the barrier.
 *
 * @beta
 */
export interface BundleKeyedProcessFunction<K, I, O> extends KeyedProcessFunction<K, I, O> {
  /** Called once before `open`. */
  bindBundle(ctx: BundleContext<K>): void;
  /** The keys whose state the next `flushBundle` touches (an off-heap backend loads them first). */
  bundleKeys(): readonly K[];
  /** Applies and emits the bundle; switches keys with `BundleContext.setCurrentKey`. */
  flushBundle(out: Collector<O>): void;
}

/**
 * A function over two connected streams.
 *
 * @public
 */
export interface CoProcessFunction<I1, I2, O> extends RichFunction {
  processElement1(value: I1, ctx: ProcessContext, out: Collector<O>): void;
  processElement2(value: I2, ctx: ProcessContext, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext, out: Collector<O>): void;
}

/**
 * A function over two connected keyed streams (keys of both sides must match).
 *
 * @public
 */
export interface KeyedCoProcessFunction<K, I1, I2, O> extends RichFunction {
  processElement1(value: I1, ctx: ProcessContext<K>, out: Collector<O>): void;
  processElement2(value: I2, ctx: ProcessContext<K>, out: Collector<O>): void;
  onTimer?(timestamp: number, ctx: OnTimerContext<K>, out: Collector<O>): void;
}
