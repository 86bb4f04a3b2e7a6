// Window semantics end to end (local execution): assigners, window functions, out-of-order and late records,
// allowed lateness, session merging, processing-time windows and windowAll, checked against Flink's semantics.
import { describe, expect, it } from 'vitest';
import type { AggregateFunction } from '@runnel/api';
import {
  EventTimeSessionWindows,
  OutputTag,
  SlidingEventTimeWindows,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  type ProcessWindowFunction,
} from '../../src/index.js';
import { collected, metricSum, perRecordWatermarks, sortedBy } from '../fixtures/helpers.js';
import { ScriptedSource } from '../fixtures/scripted-source.js';

interface Ev {
  k: string;
  ts: number;
  v: number;
}
interface Out {
  k: string;
  start: number;
  end: number;
  value: unknown;
}

const ev = (k: string, ts: number, v = 1): Ev => ({ k, ts, v });
const sum = (a: Ev, b: Ev): Ev => ({ k: a.k, ts: Math.max(a.ts, b.ts), v: a.v + b.v });

/** Tags each window result with its key and bounds. */
function describeWindow<V>(): ProcessWindowFunction<V, Out, string> {
  return {
    process(key, ctx, elements, out) {
      for (const e of elements) out.collect({ k: key, start: ctx.window.start, end: ctx.window.end, value: e });
    },
  };
}

function env(parallelism = 1): StreamExecutionEnvironment {
  return StreamExecutionEnvironment.create({ parallelism });
}

function timed(e: StreamExecutionEnvironment, events: Ev[], outOfOrderness = 0) {
  return e.fromCollection(events).assignTimestampsAndWatermarks(perRecordWatermarks<Ev>((x) => x.ts, outOfOrderness));
}

const byWindow = (o: Out) => `${o.k}|${String(o.start).padStart(8, '0')}|${JSON.stringify(o.value)}`;

describe('tumbling event-time windows', () => {
  it('sum per key and window with reduce + ProcessWindowFunction', async () => {
    const e = env(2);
    const events = [ev('a', 10, 1), ev('b', 20, 10), ev('a', 50, 2), ev('a', 120, 4), ev('b', 199, 20), ev('b', 200, 40)];
    timed(e, events)
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(100))
      .reduce<Out>(sum, {
        process(key, ctx, els, out) {
          for (const x of els) out.collect({ k: key, start: ctx.window.start, end: ctx.window.end, value: x.v });
        },
      })
      .collect();
    const out = collected<Out>(await e.execute());
    expect(sortedBy(out, byWindow)).toEqual([
      { k: 'a', start: 0, end: 100, value: 3 },
      { k: 'a', start: 100, end: 200, value: 4 },
      { k: 'b', start: 0, end: 100, value: 10 },
      { k: 'b', start: 100, end: 200, value: 20 },
      { k: 'b', start: 200, end: 300, value: 40 },
    ]);
  });

  it('plain reduce emits the reduced record with the window end - 1 as timestamp', async () => {
    const e = env();
    timed(e, [ev('a', 1, 1), ev('a', 2, 2), ev('a', 105, 5)])
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(100))
      .reduce(sum)
      .process<{ v: number; ts: number }>({ processElement: (x, ctx, out) => out.collect({ v: x.v, ts: ctx.timestamp() }) })
      .collect();
    expect(collected(await e.execute())).toEqual([
      { v: 3, ts: 99 },
      { v: 5, ts: 199 },
    ]);
  });

  it('aggregate computes an average per window', async () => {
    const avg: AggregateFunction<Ev, [number, number], number> = {
      createAccumulator: () => [0, 0],
      add: (x, acc) => [acc[0] + x.v, acc[1] + 1],
      getResult: (acc) => acc[0] / acc[1],
      merge: (a, b) => [a[0] + b[0], a[1] + b[1]],
    };
    const e = env();
    timed(e, [ev('a', 0, 1), ev('b', 5, 4), ev('a', 10, 2), ev('a', 20, 6), ev('a', 100, 7)])
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(100))
      .aggregate(avg, describeWindow<number>())
      .collect();
    expect(sortedBy(collected<Out>(await e.execute()), byWindow)).toEqual([
      { k: 'a', start: 0, end: 100, value: 3 },
      { k: 'a', start: 100, end: 200, value: 7 },
      { k: 'b', start: 0, end: 100, value: 4 },
    ]);
  });

  it('process sees every element of the window', async () => {
    const e = env();
    timed(e, [ev('a', 1, 1), ev('a', 2, 2), ev('a', 3, 3), ev('a', 150, 9)])
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(100))
      .process<Out>({
        process(key, ctx, els, out) {
          out.collect({ k: key, start: ctx.window.start, end: ctx.window.end, value: [...els].map((x) => x.v) });
        },
      })
      .collect();
    expect(collected<Out>(await e.execute())).toEqual([
      { k: 'a', start: 0, end: 100, value: [1, 2, 3] },
      { k: 'a', start: 100, end: 200, value: [9] },
    ]);
  });

  it('out-of-order records within the bound land in their window', async () => {
    const e = env();
    // Bound 50: the record at 60 holds the watermark at 9, so 5 and 30 are still on time.
    const events = [ev('a', 60, 1), ev('a', 5, 10), ev('a', 30, 100), ev('a', 110, 1000), ev('a', 70, 10000)];
    timed(e, events, 50)
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(50))
      .reduce<Out>(sum, {
        process(key, ctx, els, out) {
          for (const x of els) out.collect({ k: key, start: ctx.window.start, end: ctx.window.end, value: x.v });
        },
      })
      .collect();
    const result = await e.execute();
    expect(sortedBy(collected<Out>(result), byWindow)).toEqual([
      { k: 'a', start: 0, end: 50, value: 110 },
      { k: 'a', start: 50, end: 100, value: 10001 },
      { k: 'a', start: 100, end: 150, value: 1000 },
    ]);
    expect(metricSum(result, 'numLateRecordsDropped')).toBe(0);
  });

  it('drops late records by default and counts them', async () => {
    const e = env();
    const events = [ev('a', 10, 1), ev('a', 150, 2), ev('a', 20, 4), ev('a', 30, 8), ev('a', 160, 16)];
    timed(e, events)
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(100))
      .reduce(sum)
      .map((x) => x.v)
      .collect();
    const result = await e.execute();
    expect(collected<number>(result)).toEqual([1, 18]);
    expect(metricSum(result, 'numLateRecordsDropped')).toBe(2);
  });

  it('sends late records to sideOutputLateData', async () => {
    const late = new OutputTag<Ev>('late');
    const e = env();
    const events = [ev('a', 10, 1), ev('a', 150, 2), ev('a', 20, 4), ev('b', 30, 8), ev('a', 160, 16)];
    const windowed = timed(e, events)
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(100))
      .sideOutputLateData(late)
      .reduce(sum);
    windowed.map((x) => x.v).collect();
    windowed.getSideOutput(late).collect('late');
    const result = await e.execute();
    expect(collected<number>(result)).toEqual([1, 18]);
    expect(collected<Ev>(result, 'late')).toEqual([ev('a', 20, 4), ev('b', 30, 8)]);
    expect(metricSum(result, 'numLateRecordsDropped')).toBe(0);
  });

  it('allowed lateness re-fires the window with the updated result, then drops', async () => {
    const late = new OutputTag<Ev>('late');
    const e = env();
    // Window [0,100): fires at watermark 139 with 1+2; 30 (lateness 50, cleanup at 149) re-fires with 1+2+4;
    // after watermark 199 the window is gone and 40 is late.
    const events = [ev('a', 10, 1), ev('a', 20, 2), ev('a', 140, 100), ev('a', 30, 4), ev('a', 200, 1000), ev('a', 40, 8)];
    const w = timed(e, events)
      .keyBy((x) => x.k)
      .window(TumblingEventTimeWindows.of(100))
      .allowedLateness(50)
      .sideOutputLateData(late)
      .reduce(sum, describeWindow<Ev>());
    w.map((o) => ({ start: o.start, v: (o.value as Ev).v })).collect();
    w.getSideOutput(late).collect('late');
    const result = await e.execute();
    expect(collected(result)).toEqual([
      { start: 0, v: 3 },
      { start: 0, v: 7 },
      { start: 100, v: 100 },
      { start: 200, v: 1000 },
    ]);
    expect(collected<Ev>(result, 'late')).toEqual([ev('a', 40, 8)]);
  });
});

describe('sliding event-time windows', () => {
  it('assigns each record to size/slide overlapping windows', async () => {
    const e = env();
    timed(e, [ev('a', 10), ev('a', 60), ev('a', 120)])
      .keyBy((x) => x.k)
      .window(SlidingEventTimeWindows.of(100, 50))
      .aggregate(
        { createAccumulator: () => 0, add: (_x: Ev, n: number) => n + 1, getResult: (n: number) => n },
        describeWindow<number>(),
      )
      .collect();
    expect(sortedBy(collected<Out>(await e.execute()), byWindow)).toEqual(
      sortedBy(
        [
          { k: 'a', start: -50, end: 50, value: 1 },
          { k: 'a', start: 0, end: 100, value: 2 },
          { k: 'a', start: 50, end: 150, value: 2 },
          { k: 'a', start: 100, end: 200, value: 1 },
        ],
        byWindow,
      ),
    );
  });
});

describe('event-time session windows', () => {
  const count: AggregateFunction<Ev, number, number> = {
    createAccumulator: () => 0,
    add: (x, n) => n + x.v,
    getResult: (n) => n,
    merge: (a, b) => a + b,
  };

  it('separates sessions by the gap, per key', async () => {
    const e = env(2);
    const events = [ev('a', 0), ev('a', 5), ev('b', 7), ev('a', 30), ev('a', 35), ev('b', 100)];
    timed(e, events, 100)
      .keyBy((x) => x.k)
      .window(EventTimeSessionWindows.withGap(10))
      .aggregate(count, describeWindow<number>())
      .collect();
    expect(sortedBy(collected<Out>(await e.execute()), byWindow)).toEqual([
      { k: 'a', start: 0, end: 15, value: 2 },
      { k: 'a', start: 30, end: 45, value: 2 },
      { k: 'b', start: 7, end: 17, value: 1 },
      { k: 'b', start: 100, end: 110, value: 1 },
    ]);
  });

  it('merges two sessions when an out-of-order record bridges them', async () => {
    const e = env();
    // Bound 15: after 25 the watermark is 9, so [0,15) has not fired when 12 arrives and joins it with [22,35).
    const events = [ev('a', 0, 1), ev('a', 5, 2), ev('a', 22, 4), ev('a', 25, 8), ev('a', 12, 16)];
    timed(e, events, 15)
      .keyBy((x) => x.k)
      .window(EventTimeSessionWindows.withGap(10))
      .reduce(sum, describeWindow<Ev>())
      .map((o) => ({ start: o.start, end: o.end, v: (o.value as Ev).v }))
      .collect();
    expect(collected(await e.execute())).toEqual([{ start: 0, end: 35, v: 31 }]);
  });

  it('a late record within allowed lateness bridges two fired sessions and re-fires the merged one', async () => {
    const e = env();
    const events = [ev('a', 0, 1), ev('a', 5, 2), ev('a', 22, 4), ev('a', 25, 8), ev('a', 60, 32), ev('a', 12, 16)];
    timed(e, events)
      .keyBy((x) => x.k)
      .window(EventTimeSessionWindows.withGap(10))
      .allowedLateness(100)
      .process<{ start: number; end: number; vs: number[] }>({
        process(_k, ctx, els, out) {
          out.collect({ start: ctx.window.start, end: ctx.window.end, vs: [...els].map((x) => x.v).sort((a, b) => a - b) });
        },
      })
      .collect();
    expect(collected(await e.execute())).toEqual([
      { start: 0, end: 15, vs: [1, 2] },
      { start: 22, end: 35, vs: [4, 8] },
      { start: 0, end: 35, vs: [1, 2, 4, 8, 16] },
      { start: 60, end: 70, vs: [32] },
    ]);
  });

  it('a record bridging two sessions after they were cleaned up is late', async () => {
    const late = new OutputTag<Ev>('late');
    const e = env();
    const events = [ev('a', 0, 1), ev('a', 22, 4), ev('a', 60, 32), ev('a', 12, 16)];
    const w = timed(e, events)
      .keyBy((x) => x.k)
      .window(EventTimeSessionWindows.withGap(10))
      .sideOutputLateData(late)
      .reduce(sum, describeWindow<Ev>());
    w.map((o) => [o.start, o.end, (o.value as Ev).v]).collect();
    w.getSideOutput(late).map((x) => x.ts).collect('late');
    const result = await e.execute();
    expect(collected(result)).toEqual([
      [0, 10, 1],
      [22, 32, 4],
      [60, 70, 32],
    ]);
    expect(collected(result, 'late')).toEqual([12]);
  });
});

describe('windowAll', () => {
  it('windows the whole stream in a single subtask', async () => {
    const e = env(3);
    const events = Array.from({ length: 300 }, (_, i) => ev(`k${i % 7}`, i, i));
    e.fromCollection(events)
      .assignTimestampsAndWatermarks(perRecordWatermarks<Ev>((x) => x.ts, 1000))
      .windowAll(TumblingEventTimeWindows.of(100))
      .process<{ start: number; n: number; total: number; subtasks: number }>({
        open(ctx) {
          (this as { p?: number }).p = ctx.numberOfParallelSubtasks;
        },
        process(_k, ctx, els, out) {
          const xs = [...els];
          out.collect({ start: ctx.window.start, n: xs.length, total: xs.reduce((s, x) => s + x.v, 0), subtasks: (this as { p?: number }).p! });
        },
      })
      .collect();
    const out = sortedBy(collected<{ start: number; n: number; total: number; subtasks: number }>(await e.execute()), (o) => o.start);
    const expected = [0, 100, 200].map((start) => ({
      start,
      n: 100,
      total: Array.from({ length: 100 }, (_, i) => start + i).reduce((a, b) => a + b, 0),
      subtasks: 1,
    }));
    expect(out).toEqual(expected);
    expect(e.explain()).toMatch(/\[p=1\] Window\(process\)/);
  });
});

describe('processing-time windows', () => {
  it('fire on the wall clock and account for every record once', async () => {
    const e = env();
    let fired = 0;
    const n = 40;
    // 4 records every ~5 ms, tumbling 20 ms windows; the source stays open until every record was counted.
    const source = new ScriptedSource<Ev>({
      subtasks: [[Array.from({ length: n }, (_, i) => ev(`k${i % 2}`, i, 1))]],
      batch: 4,
      pollDelayMs: 5,
      endWhen: () => fired === n,
      maxOpenMs: 3000,
    });
    e.fromSource(source)
      .keyBy((x) => x.k)
      .window(TumblingProcessingTimeWindows.of(20))
      .aggregate(
        { createAccumulator: () => 0, add: (_x: Ev, c: number) => c + 1, getResult: (c: number) => c },
        {
          process(key, ctx, els, out) {
            for (const c of els) {
              fired += c;
              out.collect({ k: key, start: ctx.window.start, end: ctx.window.end, value: c });
            }
          },
        } as ProcessWindowFunction<number, Out, string>,
      )
      .collect();
    const out = collected<Out>(await e.execute());
    expect(out.reduce((s, o) => s + (o.value as number), 0)).toBe(n);
    for (const o of out) {
      expect(o.end - o.start).toBe(20);
      expect(o.start % 20).toBe(0);
    }
  });

  // BUG (see test/time/timers.test.ts, 'fire only once processing time has passed their timestamp'): a window's
  // processing-time timer (at end - 1) fires as soon as the clock reaches end - 1, so a record processed later in
  // that same millisecond re-creates the window and it fires twice. Observed here under load as 12 results for
  // 10 distinct (key, window) pairs; not asserted because it depends on timing.
});
