// Stateless one-input operators: map, filter, flatMap. Each calls the user function directly (plain functions
// and rich objects are normalised once at construction) and wraps a thrown error with the operator and record.
import type { Collector, FilterFunction, FlatMapFunction, MapFunction, RichFunction } from '../api/functions.js';
import { StreamOperator, type OperatorContext } from './stream-operator.js';
import { wrapUserError } from './user-function-error.js';
import { createRuntimeContext } from './runtime-context.js';

/**
 * A per-subtask instance of a user function object. Flink gives each parallel subtask its own (deserialized) copy of
 * a function; here a shallow copy with the same prototype does that, so fields a rich function sets in `open()`
 * (state handles, counters) belong to one subtask. Plain functions are returned as they are.
 *
 * @internal
 */
export function instantiate<F>(fn: F): F {
  if (typeof fn !== 'object' || fn === null) return fn;
  return Object.assign(Object.create(Object.getPrototypeOf(fn)), fn) as F;
}

/** Normalises a function-or-object into a bound callable plus its lifecycle object. @internal */
export function normalize<F extends (...args: any[]) => any>(fn: F | (RichFunction & Record<string, any>), method: string): { call: F; rich: RichFunction | undefined } {
  if (typeof fn === 'function') return { call: fn as F, rich: undefined };
  fn = instantiate(fn);
  const m = (fn as Record<string, unknown>)[method];
  if (typeof m !== 'function') throw new TypeError(`expected a function or an object with a '${method}' method`);
  return { call: (m as (...args: unknown[]) => unknown).bind(fn) as F, rich: fn };
}

/** Base of operators that run one user function with open/close. @internal */
export abstract class UdfOperator extends StreamOperator {
  protected rich: RichFunction | undefined;

  override async open(): Promise<void> {
    if (this.rich?.open) {
      try {
        await this.rich.open(createRuntimeContext(this.ctx, this.keyedBackend()));
      } catch (e) {
        throw wrapUserError(e, this.ctx);
      }
    }
  }

  protected keyedBackend(): import('@runnel/api').KeyedStateBackend | undefined {
    return undefined;
  }

  override async close(): Promise<void> {
    const r = this.rich;
    this.rich = undefined;
    if (r?.close) await r.close();
  }
}

/** @internal */
export class MapOperator extends UdfOperator {
  private readonly fn: (v: unknown) => unknown;
  constructor(ctx: OperatorContext, f: MapFunction<any, any>) {
    super(ctx);
    const n = normalize(f as any, 'map');
    this.fn = n.call;
    this.rich = n.rich;
  }
  processElement(value: unknown, timestamp: number): void {
    let r: unknown;
    try {
      r = this.fn(value);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
    this.ctx.output.collect(r, timestamp);
  }
}

/** @internal */
export class FilterOperator extends UdfOperator {
  private readonly fn: (v: unknown) => boolean;
  constructor(ctx: OperatorContext, f: FilterFunction<any>) {
    super(ctx);
    const n = normalize(f as any, 'filter');
    this.fn = n.call;
    this.rich = n.rich;
  }
  processElement(value: unknown, timestamp: number): void {
    let keep: boolean;
    try {
      keep = this.fn(value);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
    if (keep) this.ctx.output.collect(value, timestamp);
  }
}

/** A collector that emits with a fixed timestamp (the input record's). @internal */
export class TimestampedCollector<T> implements Collector<T> {
  timestamp = Number.NEGATIVE_INFINITY;
  constructor(private readonly out: { collect(v: unknown, ts: number): void }) {}
  collect(value: T): void {
    this.out.collect(value, this.timestamp);
  }
}

/** @internal */
export class FlatMapOperator extends UdfOperator {
  private readonly fn: (v: unknown, out: Collector<unknown>) => void;
  private readonly collector: TimestampedCollector<unknown>;
  constructor(ctx: OperatorContext, f: FlatMapFunction<any, any>) {
    super(ctx);
    const n = normalize(f as any, 'flatMap');
    this.fn = n.call;
    this.rich = n.rich;
    this.collector = new TimestampedCollector(ctx.output);
  }
  processElement(value: unknown, timestamp: number): void {
    this.collector.timestamp = timestamp;
    try {
      this.fn(value, this.collector);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
  }
}
