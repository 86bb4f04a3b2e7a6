// Watermark propagation: an operator's watermark is the minimum over its input channels (parallel producers, the
// inputs of a union, the two inputs of a connected operator), and idle source splits stop holding it back only
// when the strategy declares idleness. Sources are scripted so that one input provably runs ahead of the other.
import { describe, expect, it } from 'vitest';
import {
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type CoProcessFunction,
  type KeyedCoProcessFunction,
  type KeyedProcessFunction,
} from '../../src/index.js';
import { collected, perRecordWatermarks } from '../fixtures/helpers.js';
import { ScriptedSource } from '../fixtures/scripted-source.js';

interface Ev {
  src: string;
  ts: number;
}

const evs = (src: string, from: number, n: number): Ev[] => Array.from({ length: n }, (_, i) => ({ src, ts: from + i }));
const strategy = perRecordWatermarks<Ev>((e) => e.ts);

/** Emits, per record, its source, timestamp and the operator's watermark when the record arrived. */
const observe: KeyedProcessFunction<number, Ev, [string, number, number]> = {
  processElement(e, ctx, out) {
    out.collect([e.src, e.ts, ctx.timerService().currentWatermark()]);
  },
};

/** Two scripted sources: `fast` emits everything first and stays open until `slow` has emitted everything. */
function aheadAndBehind() {
  const state = { fastDone: false, slowDone: false };
  const fast = new ScriptedSource<Ev>({
    subtasks: [[evs('fast', 1000, 10)]],
    onDrained: () => (state.fastDone = true),
    endWhen: () => state.slowDone,
  });
  const slow = new ScriptedSource<Ev>({
    subtasks: [[evs('slow', 0, 10)]],
    startWhen: () => state.fastDone,
    onDrained: () => (state.slowDone = true),
  });
  return { fast, slow };
}

function checkMinimum(out: [string, number, number][]): void {
  expect(out).toHaveLength(20);
  // The fast input's records come first and the slow input has not emitted a watermark yet: nothing advanced.
  const fast = out.filter((r) => r[0] === 'fast');
  const slow = out.filter((r) => r[0] === 'slow');
  for (const r of fast) expect(r[2]).toBe(Number.NEGATIVE_INFINITY);
  // The slow input's records are never late: the watermark follows the slow input (ts - 1), not the fast one.
  for (const r of slow) expect(r[2]).toBe(r[1] - 1);
}

describe('watermark combination', () => {
  it('is the minimum over the parallel producers of a channel', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const state = { fastDone: false, slowDone: false };
    // One source with two subtasks: subtask 0 runs ahead, subtask 1 starts only when subtask 0 is done.
    const source = new ScriptedSource<Ev>({
      subtasks: [[evs('fast', 1000, 10)], [evs('slow', 0, 10)]],
      startWhen: (s) => s === 0 || state.fastDone,
      onDrained: (s) => (s === 0 ? (state.fastDone = true) : (state.slowDone = true)),
      endWhen: (s) => s === 1 || state.slowDone,
    });
    env
      .fromSource(source, strategy)
      .keyBy(() => 0)
      .process(observe)
      .setParallelism(1)
      .collect();
    checkMinimum(collected(await env.execute()));
  });

  it('is the minimum over the inputs of a union', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const { fast, slow } = aheadAndBehind();
    env
      .fromSource(fast, strategy, 'fast')
      .union(env.fromSource(slow, strategy, 'slow'))
      .keyBy(() => 0)
      .process(observe)
      .collect();
    checkMinimum(collected(await env.execute()));
  });

  it('holds a two-input operator at the minimum of its inputs', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const { fast, slow } = aheadAndBehind();
    const fn: KeyedCoProcessFunction<number, Ev, Ev, [string, number, number]> = {
      processElement1(e, ctx, out) {
        out.collect([e.src, e.ts, ctx.timerService().currentWatermark()]);
      },
      processElement2(e, ctx, out) {
        out.collect([e.src, e.ts, ctx.timerService().currentWatermark()]);
      },
    };
    env
      .fromSource(fast, strategy, 'fast')
      .connect(env.fromSource(slow, strategy, 'slow'))
      .keyBy(
        () => 0,
        () => 0,
      )
      .process(fn)
      .collect();
    checkMinimum(collected(await env.execute()));
  });

  const passThrough: CoProcessFunction<Ev, Ev, Ev> = {
    processElement1: (e, _ctx, out) => out.collect(e),
    processElement2: (e, _ctx, out) => out.collect(e),
  };

  it('holds a non-keyed two-input operator at the minimum of its inputs (second input ahead)', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const { fast, slow } = aheadAndBehind();
    env
      .fromSource(slow, strategy, 'slow')
      .connect(env.fromSource(fast, strategy, 'fast'))
      .process(passThrough)
      .keyBy(() => 0)
      .process(observe)
      .collect();
    // Behind the co-process operator, its output watermark is what the keyed operator sees.
    checkMinimum(collected(await env.execute()));
  });
});

describe('idle splits', () => {
  interface Run {
    /** Window results: [window start, count, watermark when the window fired]. */
    fired: [number, number, number][];
  }

  /**
   * One source subtask with two splits: split 0 emits 20 records (ts 0..190), split 1 never emits. The source
   * stays open until the first window fired (or `maxOpenMs` passed, far longer than the idleness timeout), so firing before end of input is observable:
   * a window that fires at end of input sees the final watermark (+Infinity).
   */
  async function run(idleMs: number | undefined, trickle: boolean, maxOpenMs: number): Promise<Run> {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 }).configure({ 'pipeline.auto-watermark-interval': '5 ms' });
    let windowsFired = 0;
    const source = new ScriptedSource<Ev>({
      subtasks: [[evs('active', 0, 20).map((e) => ({ ...e, ts: e.ts * 10 })), []]],
      perSplitOutputs: true,
      // With `trickle` the active split keeps emitting (a record every 5 ms) while the silent one turns idle.
      batch: trickle ? 1 : 64,
      pollDelayMs: trickle ? 5 : 0,
      endWhen: () => windowsFired > 0,
      maxOpenMs,
    });
    const base = perRecordWatermarks<Ev>((e) => e.ts);
    const strat = idleMs === undefined ? base : base.withIdleness(idleMs);
    env
      .fromSource(source, strat)
      .keyBy(() => 0)
      .window(TumblingEventTimeWindows.of(100))
      .process<[number, number, number]>({
        process(_k, ctx, els, out) {
          windowsFired++;
          out.collect([ctx.window.start, [...els].length, ctx.currentWatermark()]);
        },
      })
      .collect();
    return { fired: collected(await env.execute()) };
  }

  it('an idle split does not hold back the watermark while another split is active', async () => {
    const { fired } = await run(20, true, 2000);
    expect(fired.map((f) => [f[0], f[1]])).toEqual([
      [0, 10],
      [100, 10],
    ]);
    // The first window fired on a watermark from the active split, before end of input.
    expect(fired[0]![2]).toBeGreaterThanOrEqual(99);
    expect(fired[0]![2]).toBeLessThan(Number.POSITIVE_INFINITY);
  });

  // Both splits turn idle in the same check: the watermark the active split reached is still emitted (as Flink).
  it('an idle split releases the watermark that active splits already reached', async () => {
    const { fired } = await run(20, false, 300);
    expect(fired.map((f) => [f[0], f[1]])).toEqual([
      [0, 10],
      [100, 10],
    ]);
    expect(fired[0]![2]).toBeGreaterThanOrEqual(99);
    expect(fired[0]![2]).toBeLessThan(Number.POSITIVE_INFINITY);
  });

  it('without idleness a silent split holds the watermark back until end of input', async () => {
    const { fired } = await run(undefined, true, 300);
    expect(fired.map((f) => [f[0], f[1]])).toEqual([
      [0, 10],
      [100, 10],
    ]);
    for (const f of fired) expect(f[2]).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('periodic watermarks', () => {
  it('bounded out-of-orderness emits periodically and fires windows before end of input', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 }).configure({ 'pipeline.auto-watermark-interval': '5 ms' });
    let firedBeforeEnd = false;
    const source = new ScriptedSource<Ev>({
      subtasks: [[evs('x', 0, 300)]],
      endWhen: () => firedBeforeEnd,
      maxOpenMs: 1500,
    });
    env
      .fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness<Ev>(10).withTimestampAssigner((e) => e.ts))
      .keyBy(() => 0)
      .window(TumblingEventTimeWindows.of(100))
      .process<[number, number, number]>({
        process(_k, ctx, els, out) {
          if (ctx.currentWatermark() < Number.POSITIVE_INFINITY) firedBeforeEnd = true;
          out.collect([ctx.window.start, [...els].length, ctx.currentWatermark()]);
        },
      })
      .collect();
    const fired = collected<[number, number, number]>(await env.execute());
    expect(fired.map((f) => [f[0], f[1]])).toEqual([
      [0, 100],
      [100, 100],
      [200, 100],
    ]);
    // The highest periodic watermark is 299 - 10 - 1 = 288: the first two windows fire on periodic watermarks
    // (which one depends on when the periodic timer ran), the last one only on the final watermark.
    expect(fired[0]![2]).toBeGreaterThanOrEqual(99);
    expect(fired[1]![2]).toBeGreaterThanOrEqual(199);
    expect(fired[1]![2]).toBeLessThanOrEqual(288);
    expect(fired[2]![2]).toBe(Number.POSITIVE_INFINITY);
  });
});
