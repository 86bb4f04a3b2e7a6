// The campaign's job module: builds the scenario's pipeline from its JobSpec (the job's args). Every worker thread
// imports this module and builds the same graph. Every operator has an explicit uid, so savepoints restore across
// parallelism and backend changes. Late records go to a second file sink, which must stay empty.
import { DataGenSource, type DataGenRow } from '@runnel/connector-datagen';
import { FileSink, FileSource } from '@runnel/connector-files';
import {
  EventTimeSessionWindows,
  OutputTag,
  SlidingEventTimeWindows,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  defineJob,
  windowStart,
  type AggregateFunction,
  type DataStream,
  type KeyedCoProcessFunction,
  type KeyedProcessFunction,
  type MapState,
  type ProcessWindowFunction,
  type SingleOutputStreamOperator,
  type StreamExecutionEnvironment,
  type WindowAssigner,
} from '@runnel/runtime';
import { datagenEvent, type Ev } from './events.js';
import type { JobSpec } from './scenario.js';

/** A partial aggregate of one key. */
export interface Acc {
  k: string;
  n: number;
  sum: number;
  mn: number;
  mx: number;
}

/** An output row: a window's (or timer bucket's) aggregate. */
export interface WindowRow {
  p: 'w';
  k: string;
  s: number;
  e: number;
  n: number;
  sum: number;
  mn: number;
  mx: number;
}

/** An output row of the two-input job: per key and bucket, what each side contributed. */
export interface ConnectRow {
  p: 'c';
  k: string;
  s: number;
  e: number;
  n1: number;
  s1: number;
  n2: number;
  s2: number;
}

export const toAcc = (e: Ev): Acc => ({ k: e.k, n: 1, sum: e.v, mn: e.v, mx: e.v });
export const combine = (a: Acc, b: Acc): Acc => ({ k: a.k, n: a.n + b.n, sum: a.sum + b.sum, mn: Math.min(a.mn, b.mn), mx: Math.max(a.mx, b.mx) });
export const rowOf = (a: Acc, s: number, e: number): WindowRow => ({ p: 'w', k: a.k, s, e, n: a.n, sum: a.sum, mn: a.mn, mx: a.mx });

const aggregate: AggregateFunction<Acc, Acc | undefined, Acc> = {
  createAccumulator: () => undefined,
  add: (v, acc) => (acc === undefined ? v : combine(acc, v)),
  getResult: (acc) => acc!,
  merge: (a, b) => (a === undefined ? b : b === undefined ? a : combine(a, b)),
};

const emitWindow: ProcessWindowFunction<Acc, WindowRow, string> = {
  process(_key, ctx, items, out) {
    for (const a of items) out.collect(rowOf(a, ctx.window.start, ctx.window.end));
  },
};

const emitListWindow: ProcessWindowFunction<Acc, WindowRow, string> = {
  process(_key, ctx, items, out) {
    let acc: Acc | undefined;
    for (const a of items) acc = acc === undefined ? a : combine(acc, a);
    if (acc !== undefined) out.collect(rowOf(acc, ctx.window.start, ctx.window.end));
  },
};

function spin(micros: number): void {
  if (micros <= 0) return;
  const end = performance.now() + micros / 1000;
  while (performance.now() < end) {
    // a slow operator
  }
}

/** Per key, one partial aggregate per bucket of event time; a timer at the bucket's end emits and clears it. */
function timerBuckets(windowMs: number, lateTag: OutputTag<unknown>): KeyedProcessFunction<string, Acc, WindowRow> {
  let buckets!: MapState<number, Acc>;
  return {
    open(ctx) {
      buckets = ctx.getMapState<number, Acc>({ name: 'buckets' });
    },
    processElement(a, ctx, out) {
      void out;
      const b = windowStart(ctx.timestamp(), 0, windowMs);
      // The bucket's timer fired already: the record is late (the process function decides, as a user's would).
      if (b + windowMs - 1 <= ctx.timerService().currentWatermark()) {
        ctx.output(lateTag, a);
        return;
      }
      const cur = buckets.get(b);
      buckets.put(b, cur === undefined ? a : combine(cur, a));
      ctx.timerService().registerEventTimeTimer(b + windowMs - 1);
    },
    onTimer(ts, _ctx, out) {
      const b = ts + 1 - windowMs;
      const a = buckets.get(b);
      if (a === undefined) return;
      out.collect(rowOf(a, b, b + windowMs));
      buckets.remove(b);
    },
  };
}

interface Sides {
  n1: number;
  s1: number;
  n2: number;
  s2: number;
}

function connectBuckets(windowMs: number, lateTag: OutputTag<unknown>): KeyedCoProcessFunction<string, Ev, Ev, ConnectRow> {
  let buckets!: MapState<number, Sides>;
  const add = (e: Ev, side: 1 | 2, ctx: Parameters<KeyedCoProcessFunction<string, Ev, Ev, ConnectRow>['processElement1']>[1]): void => {
    const b = windowStart(ctx.timestamp(), 0, windowMs);
    if (b + windowMs - 1 <= ctx.timerService().currentWatermark()) {
      ctx.output(lateTag, e);
      return;
    }
    const cur = buckets.get(b) ?? { n1: 0, s1: 0, n2: 0, s2: 0 };
    const next = side === 1 ? { ...cur, n1: cur.n1 + 1, s1: cur.s1 + e.v } : { ...cur, n2: cur.n2 + 1, s2: cur.s2 + e.v };
    buckets.put(b, next);
    ctx.timerService().registerEventTimeTimer(b + windowMs - 1);
  };
  return {
    open(ctx) {
      buckets = ctx.getMapState<number, Sides>({ name: 'buckets' });
    },
    processElement1: (e, ctx) => add(e, 1, ctx),
    processElement2: (e, ctx) => add(e, 2, ctx),
    onTimer(ts, ctx, out) {
      const b = ts + 1 - windowMs;
      const c = buckets.get(b);
      if (c === undefined) return;
      out.collect({ p: 'c', k: ctx.getCurrentKey(), s: b, e: b + windowMs, ...c });
      buckets.remove(b);
    },
  };
}

function fileEvents(env: StreamExecutionEnvironment, spec: JobSpec): DataStream<Ev> {
  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<Ev>(spec.outOfOrdernessMs).withTimestampAssigner((e) => e.t);
  const readChunkSize = (spec as { readChunkSize?: number }).readChunkSize;
  return env
    .fromSource(new FileSource<Ev>({ path: spec.inputDir, ...(readChunkSize ? { readChunkSize } : {}) }), strategy, 'files')
    .uid('files')
    .map((e) => {
      spin(spec.slowMicros);
      return e;
    }, 'slow')
    .uid('slow');
}

function datagenEvents(env: StreamExecutionEnvironment, spec: JobSpec): DataStream<Ev> {
  const input = spec.input;
  const source = new DataGenSource({ fields: { seq: { type: 'bigint', kind: 'sequence', start: 0, end: input.datagenRows - 1 } }, rowsPerSecond: 0 });
  const strategy = WatermarkStrategy.forBoundedOutOfOrderness<DataGenRow>(spec.outOfOrdernessMs).withTimestampAssigner(
    (r) => datagenEvent(input, r.seq as number).t,
  );
  return env
    .fromSource(source, strategy, 'datagen')
    .uid('datagen')
    .map((r: DataGenRow) => datagenEvent(input, r.seq as number), 'datagen-events')
    .uid('datagen-events');
}

function windowAssigner(spec: JobSpec): WindowAssigner {
  switch (spec.pipeline) {
    case 'slide-aggregate':
      return SlidingEventTimeWindows.of(spec.windowMs, spec.slideMs);
    case 'session-reduce':
      return EventTimeSessionWindows.withGap(spec.gapMs);
    default:
      return TumblingEventTimeWindows.of(spec.windowMs);
  }
}

/** The campaign job. */
export const campaignJob = defineJob((env: StreamExecutionEnvironment, spec: JobSpec) => {
  const lateTag = new OutputTag<unknown>('late');
  let result: SingleOutputStreamOperator<unknown>;
  if (spec.pipeline === 'connect-timers') {
    result = fileEvents(env, spec)
      .connect(datagenEvents(env, spec))
      .keyBy(
        (e) => e.k,
        (e) => e.k,
      )
      .process(connectBuckets(spec.windowMs, lateTag), 'buckets')
      .uid('buckets') as SingleOutputStreamOperator<unknown>;
  } else {
    let accs: DataStream<Acc> = fileEvents(env, spec).map(toAcc, 'acc').uid('acc');
    if (spec.pipeline === 'union-tumble') accs = accs.union(datagenEvents(env, spec).map(toAcc, 'datagen-acc').uid('datagen-acc'));
    const keyed = accs.keyBy((a) => a.k);
    if (spec.pipeline === 'timers') {
      result = keyed.process(timerBuckets(spec.windowMs, lateTag), 'buckets').uid('buckets') as SingleOutputStreamOperator<unknown>;
    } else {
      const windowed = keyed.window(windowAssigner(spec)).sideOutputLateData(lateTag as OutputTag<Acc>);
      if (spec.allowedLatenessMs > 0 && spec.pipeline !== 'session-reduce') windowed.allowedLateness(spec.allowedLatenessMs);
      const windows =
        spec.pipeline === 'tumble-reduce' || spec.pipeline === 'session-reduce'
          ? windowed.reduce(combine, emitWindow)
          : spec.pipeline === 'tumble-process'
            ? windowed.process(emitListWindow)
            : windowed.aggregate(aggregate, emitWindow);
      result = windows.uid('windows') as SingleOutputStreamOperator<unknown>;
    }
  }
  result.sinkTo(new FileSink({ path: spec.out }), 'sink').uid('sink');
  result.getSideOutput(lateTag).sinkTo(new FileSink({ path: spec.lateOut, fileNamePrefix: 'late' }), 'late-sink').uid('late-sink');
});
