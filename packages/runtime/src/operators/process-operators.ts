// Process functions: the low-level operators with timestamps, side outputs, and (keyed) state and timers.
// One context object per operator is reused for every record (no allocation per record).
import { VOID_NAMESPACE } from '@runnel/api';
import type {
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

  constructor(ctx: OperatorContext, fn: KeyedProcessFunction<any, any, any> | KeyedCoProcessFunction<any, any, any, any>, twoInput: boolean) {
    super(ctx);
    this.fn = instantiate(fn);
    this.rich = this.fn;
    this.numInputs = twoInput ? 2 : 1;
    this.context = new Context(this);
    this.collector = new TimestampedCollector(ctx.output);
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
    this.context.key = this.setKeyOf(value, inputIndex);
    this.context.ts = timestamp;
    this.collector.timestamp = timestamp;
    dispatch(this, this.fn, value, inputIndex);
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
