// Process functions: the low-level operators with timestamps, side outputs, and (keyed) state and timers.
// One context object per operator is reused for every record (no allocation per record).
import { VOID_NAMESPACE } from '@runnel/api';
import type {
  BundleKeyedProcessFunction,
  CoProcessFunction,
  KeyedCoProcessFunction,
  KeyedProcessFunction,
  OnTimerContext,
  ProcessFunction,
  TimeDomain,
  TimerService,
} from '../api/functions.js';
import type { OutputTag } from '../api/output-tag.js';
import type { Timer } from '../time/timer-queue.js';
import { TimestampedCollector, UdfOperator, instantiate } from './basic-operators.js';
import { KeyedOperator } from './keyed-operator.js';
import type { OperatorContext } from './stream-operator.js';
import { wrapUserError } from './user-function-error.js';

class Context implements OnTimerContext<unknown> {
  ts = Number.NEGATIVE_INFINITY;
  domain: TimeDomain = 'event-time';
  key: unknown = undefined;
  constructor(
    private readonly op: { ctx: OperatorContext; timerServiceOrThrow(): TimerService },
  ) {}
  timestamp(): number {
    return this.ts;
  }
  output<X>(tag: OutputTag<X>, value: X): void {
    this.op.ctx.output.collectSide(tag.id, value, this.ts);
  }
  timerService(): TimerService {
    return this.op.timerServiceOrThrow();
  }
  getCurrentKey(): unknown {
    return this.key;
  }
  timeDomain(): TimeDomain {
    return this.domain;
  }
}

/** Calls processElement (one input) or processElement1/2 (two inputs), wrapping a thrown error with the record. */
function dispatch(
  op: { numInputs: number; ctx: OperatorContext; context: Context; collector: TimestampedCollector<unknown> },
  fn: unknown,
  value: unknown,
  inputIndex: number,
): void {
  const f = fn as {
    processElement(v: unknown, c: Context, o: TimestampedCollector<unknown>): void;
    processElement1(v: unknown, c: Context, o: TimestampedCollector<unknown>): void;
    processElement2(v: unknown, c: Context, o: TimestampedCollector<unknown>): void;
  };
  try {
    if (op.numInputs === 1) f.processElement(value, op.context, op.collector);
    else if (inputIndex === 0) f.processElement1(value, op.context, op.collector);
    else f.processElement2(value, op.context, op.collector);
  } catch (e) {
    throw wrapUserError(e, op.ctx, value);
  }
}

/** Non-keyed ProcessFunction / CoProcessFunction (no timers: Flink allows them on keyed streams only). @internal */
export class ProcessOperator extends UdfOperator {
  private readonly fn: ProcessFunction<any, any> | CoProcessFunction<any, any, any>;
  readonly context: Context;
  readonly collector: TimestampedCollector<unknown>;
  constructor(ctx: OperatorContext, fn: ProcessFunction<any, any> | CoProcessFunction<any, any, any>, twoInput: boolean) {
    super(ctx);
    this.fn = instantiate(fn);
    this.rich = this.fn;
    this.numInputs = twoInput ? 2 : 1;
    this.context = new Context(this);
    this.collector = new TimestampedCollector(ctx.output);
  }
  timerServiceOrThrow(): TimerService {
    throw new Error(`operator '${this.ctx.node.name}': timers are only available on keyed streams (use keyBy() first)`);
  }
  processElement(value: unknown, timestamp: number, inputIndex: number): void {
    this.context.ts = timestamp;
    this.collector.timestamp = timestamp;
    dispatch(this, this.fn, value, inputIndex);
  }
}

/** KeyedProcessFunction / KeyedCoProcessFunction with state and timers. @internal */
export class KeyedProcessOperator extends KeyedOperator {
  private readonly fn: KeyedProcessFunction<any, any, any> | KeyedCoProcessFunction<any, any, any, any>;
  readonly context: Context;
  readonly collector: TimestampedCollector<unknown>;
  private timerService!: TimerService;

  /** A function that buffers a bundle across keys (see BundleKeyedProcessFunction), else undefined. */
  private readonly bundle: BundleKeyedProcessFunction<unknown, unknown, unknown> | undefined;
  /** The function asked for a flush that has not run yet. */
  private flushRequested = false;
  /** Off-heap state: the bundle's keys were loaded with the current input batch, so the flush can run. */
  private bundleLoaded = false;

  constructor(ctx: OperatorContext, fn: KeyedProcessFunction<any, any, any> | KeyedCoProcessFunction<any, any, any, any>, twoInput: boolean) {
    super(ctx);
    this.fn = instantiate(fn);
    this.rich = this.fn;
    this.numInputs = twoInput ? 2 : 1;
    this.context = new Context(this);
    this.collector = new TimestampedCollector(ctx.output);
    const b = this.fn as Partial<BundleKeyedProcessFunction<unknown, unknown, unknown>>;
    this.bundle = !twoInput && typeof b.flushBundle === 'function' ? (b as BundleKeyedProcessFunction<unknown, unknown, unknown>) : undefined;
    if (this.bundle) {
      const pts = ctx.processingTime;
      this.bundle.bindBundle({
        setCurrentKey: (key) => this.makeKeyCurrent(key),
        requestFlush: () => {
          this.flushRequested = true;
        },
        registerCallback: (time, callback) => {
          pts.registerTimer(time, () => {
            callback();
            this.flushIfRequested();
          });
        },
        now: () => pts.now(),
      });
    }
  }

  override async open(): Promise<void> {
    await super.open();
    const timers = this.timers;
    const pts = this.ctx.processingTime;
    this.timerService = {
      currentProcessingTime: () => pts.now(),
      currentWatermark: () => timers.currentWatermark,
      registerEventTimeTimer: (t) => timers.registerEventTimeTimer(VOID_NAMESPACE, t),
      registerProcessingTimeTimer: (t) => timers.registerProcessingTimeTimer(VOID_NAMESPACE, t),
      deleteEventTimeTimer: (t) => timers.deleteEventTimeTimer(VOID_NAMESPACE, t),
      deleteProcessingTimeTimer: (t) => timers.deleteProcessingTimeTimer(VOID_NAMESPACE, t),
    };
  }

  timerServiceOrThrow(): TimerService {
    return this.timerService;
  }

  processElement(value: unknown, timestamp: number, inputIndex: number): void {
    if (this.bundle) {
      this.bundleElement(value, timestamp);
      return;
    }
    this.context.key = this.setKeyOf(value, inputIndex);
    this.context.ts = timestamp;
    this.collector.timestamp = timestamp;
    dispatch(this, this.fn, value, inputIndex);
  }

  /**
   * A record for a bundle function: its key is computed but not made current (no key group hashed, no backend
   * call): a bundle touches a key's state once per bundle, and the function makes the key current for that.
   */
  private bundleElement(value: unknown, timestamp: number): void {
    if (this.bundleLoaded) this.flushBundle(); // requested earlier; its keys were loaded with this batch
    this.context.key = this.keyOf(value, 0);
    this.context.ts = timestamp;
    this.collector.timestamp = timestamp;
    dispatch(this, this.fn, value, 0);
    if (this.flushRequested) this.flushIfRequested();
  }

  /**
   * Runs a requested flush now if the bundle's state is at hand: always with in-memory state; with off-heap state
   * the bundle's keys are loaded with the next input batch and the flush runs before its first record (or at the
   * next barrier or the end of input, whichever comes first).
   */
  private flushIfRequested(): void {
    if (this.flushRequested && !this.backend.prefetch) this.flushBundle();
  }

  /** Applies and emits the bundle: output carries no timestamp (processing time, as Flink's bundle operators). */
  private flushBundle(): void {
    this.flushRequested = false;
    this.bundleLoaded = false;
    this.collector.timestamp = Number.NEGATIVE_INFINITY;
    try {
      this.bundle!.flushBundle(this.collector);
    } catch (e) {
      throw wrapUserError(e, this.ctx, { flush: 'bundle' });
    }
  }

  /** Loads the bundle's keys (off-heap state; the current batch's stay loaded) and flushes the bundle. */
  private flushAll(): void | Promise<void> {
    const keys = this.bundle!.bundleKeys();
    if (keys.length === 0) return;
    const p = this.prefetchWithBatch(keys);
    if (p === undefined) {
      this.flushBundle();
      return;
    }
    return p.then(() => this.flushBundle());
  }

  protected override extraPrefetchKeys(): readonly unknown[] | undefined {
    if (!this.flushRequested) return undefined;
    this.bundleLoaded = true;
    return this.bundle!.bundleKeys();
  }

  /** A bundle is never part of a checkpoint: it is applied to state and emitted before the barrier goes on. */
  override prepareSnapshotPreBarrier(checkpointId: number): void | Promise<void> {
    const p = super.prepareSnapshotPreBarrier(checkpointId);
    if (!this.bundle) return p;
    return p ? p.then(() => this.flushAll()) : this.flushAll();
  }

  override async finish(): Promise<void> {
    if (this.bundle) await this.flushAll();
    await super.finish();
  }

  override onEventTime(timer: Timer): void {
    this.fire(timer, 'event-time');
  }

  override onProcessingTime(timer: Timer): void {
    this.fire(timer, 'processing-time');
  }

  private fire(timer: Timer, domain: TimeDomain): void {
    if (!this.fn.onTimer) return;
    this.context.key = timer.key;
    this.context.domain = domain;
    // Event-time timer output carries the timer's timestamp; processing-time output carries none (as in Flink).
    const ts = domain === 'event-time' ? timer.timestamp : Number.NEGATIVE_INFINITY;
    this.context.ts = ts;
    this.collector.timestamp = ts;
    try {
      this.fn.onTimer(timer.timestamp, this.context, this.collector);
    } catch (e) {
      throw wrapUserError(e, this.ctx, { timer: timer.timestamp, key: timer.key });
    }
  }
}

/** Rolling keyed reduce (KeyedStream.reduce): emits the running result per key. @internal */
export class KeyedReduceOperator extends KeyedOperator {
  private state!: import('@runnel/api').ValueState<unknown>;
  constructor(ctx: OperatorContext, private readonly reduce: (a: any, b: any) => any) {
    super(ctx);
  }
  override async open(): Promise<void> {
    await super.open();
    this.state = this.backend.getValueState({ kind: 'value', name: '_keyed_reduce' });
  }
  processElement(value: unknown, timestamp: number): void {
    this.setKeyOf(value, 0);
    const cur = this.state.value();
    let next: unknown;
    try {
      next = cur === undefined ? value : this.reduce(cur, value);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
    this.state.update(next);
    this.ctx.output.collect(next, timestamp);
  }
}
