import { describe, expect, it } from 'vitest';
import { keyGroupFor } from '@runnel/api';
import { OutputTag, TumblingEventTimeWindows, type KeyedProcessFunction } from '@runnel/runtime';
import { combineSnapshots, keyedProcessFunctionHarness, windowHarness } from '../src/index.js';

interface Ev {
  readonly k: string;
  readonly n: number;
}

const late = new OutputTag<Ev>('late');

/** Sums per key; emits the sum at event-time timer `ts + 10` and every 100 ms of processing time. */
function summing(): KeyedProcessFunction<string, Ev, string> {
  let sum: import('@runnel/api').ValueState<number>;
  return {
    open(ctx) {
      sum = ctx.getState({ name: 'sum' });
    },
    processElement(e, ctx, out) {
      sum.update((sum.value() ?? 0) + e.n);
      ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 10);
      ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + 100);
      if (e.n < 0) ctx.output(late, e);
      out.collect(`seen ${e.k}`);
    },
    onTimer(ts, ctx, out) {
      out.collect(`${ctx.timeDomain()} ${String(ctx.getCurrentKey())}=${sum.value()}@${ts}`);
    },
  };
}

describe('keyed one-input harness', () => {
  it('fires event-time timers on watermarks and processing-time timers when the clock advances', async () => {
    const h = await keyedProcessFunctionHarness(summing(), (e: Ev) => e.k);
    await h.processElement({ k: 'a', n: 1 }, 5);
    await h.processElement({ k: 'a', n: 2 }, 7);
    await h.processElement({ k: 'b', n: -1 }, 8);
    expect(h.output()).toEqual(['seen a', 'seen a', 'seen b']);
    expect(h.sideOutput(late)).toEqual([{ k: 'b', n: -1 }]);
    h.clearOutput();
    await h.processWatermark(16);
    expect(h.output()).toEqual(['event-time a=3@15']);
    expect(h.recordsWithTimestamps()[0]!.timestamp).toBe(15);
    expect(h.watermarks()).toEqual([16]);
    h.clearOutput();
    await h.advanceProcessingTime(100);
    expect(h.output()).toEqual([]);
    await h.advanceProcessingTime(1); // a timer fires once processing time has passed it
    expect(h.output().sort()).toEqual(['processing-time a=3@1000100', 'processing-time b=-1@1000100']);
    await h.close();
  });

  it('restores from a snapshot: state, pending timers and the watermark', async () => {
    const h = await keyedProcessFunctionHarness(summing(), (e: Ev) => e.k);
    await h.processElement({ k: 'a', n: 4 }, 100);
    await h.processWatermark(50);
    const snap = await h.snapshot();
    expect(snap.checkpointId).toBe(1);
    await h.close();

    const r = await keyedProcessFunctionHarness(summing(), (e: Ev) => e.k, { restore: snap });
    expect(r.currentWatermark).toBe(50);
    await r.processElement({ k: 'a', n: 1 }, 120);
    r.clearOutput();
    await r.processWatermark(200);
    expect(r.output()).toEqual(['event-time a=5@110', 'event-time a=5@130']);
    expect((await r.snapshot()).checkpointId).toBe(2);
    await r.close();
  });

  it('rescales keyed state: two subtasks restored into one and back into two', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const max = 16;
    const owner = (k: string, p: number): number => Math.floor((keyGroupFor(k, max) * p) / max);
    const parts = [];
    for (let s = 0; s < 2; s++) {
      const h = await keyedProcessFunctionHarness(summing(), (e: Ev) => e.k, { parallelism: 2, subtaskIndex: s, maxParallelism: max });
      for (const k of keys) if (owner(k, 2) === s) await h.processElement({ k, n: 1 }, 0);
      await expect(h.processElement({ k: keys.find((k) => owner(k, 2) !== s)!, n: 1 }, 0)).rejects.toThrow(/key group/);
      parts.push(await h.snapshot(7));
      await h.close();
    }
    const one = await keyedProcessFunctionHarness(summing(), (e: Ev) => e.k, { restore: combineSnapshots(parts), maxParallelism: max });
    await one.processWatermark(100);
    expect(one.output().sort()).toEqual(keys.map((k) => `event-time ${k}=1@10`).sort());
    for (const k of keys) await one.processElement({ k, n: 1 }, 200);
    const merged = await one.snapshot();
    await one.close();

    const seen: string[] = [];
    for (let s = 0; s < 2; s++) {
      const h = await keyedProcessFunctionHarness(summing(), (e: Ev) => e.k, { restore: merged, parallelism: 2, subtaskIndex: s, maxParallelism: max });
      await h.processWatermark(1000);
      seen.push(...h.output());
      await h.close();
    }
    expect(seen.sort()).toEqual(keys.map((k) => `event-time ${k}=2@210`).sort());
  });

  it('rejects a restore with other key groups and bad options', async () => {
    const h = await keyedProcessFunctionHarness(summing(), (e: Ev) => e.k);
    const snap = await h.snapshot();
    await h.close();
    await expect(keyedProcessFunctionHarness(summing(), (e: Ev) => e.k, { restore: snap, maxParallelism: 64 })).rejects.toThrow(/maxParallelism 128/);
    await expect(keyedProcessFunctionHarness(summing(), (e: Ev) => e.k, { parallelism: 2, subtaskIndex: 2 })).rejects.toThrow(/subtaskIndex/);
    await expect(keyedProcessFunctionHarness(summing(), undefined as never)).rejects.toThrow(/key selector/);
    await expect(h.processElement({ k: 'a', n: 1 })).rejects.toThrow(/closed/);
  });
});

describe('window harness', () => {
  it('runs the runtime window operator: fires at the watermark, late data to the side output', async () => {
    const h = await windowHarness<Ev, string, Ev>({
      key: (e) => e.k,
      assigner: TumblingEventTimeWindows.of(10),
      reduce: (a, b) => ({ k: a.k, n: a.n + b.n }),
      lateDataTag: late,
    });
    await h.processElement({ k: 'a', n: 1 }, 1);
    await h.processElement({ k: 'a', n: 2 }, 9);
    await h.processElement({ k: 'a', n: 5 }, 12);
    await h.processWatermark(9);
    expect(h.output()).toEqual([{ k: 'a', n: 3 }]);
    expect(h.recordsWithTimestamps()[0]!.timestamp).toBe(9);
    await h.processElement({ k: 'a', n: 7 }, 3);
    expect(h.sideOutput(late)).toEqual([{ k: 'a', n: 7 }]);
    const snap = await h.snapshot();
    await h.close();
    const r = await windowHarness<Ev, string, Ev>({ key: (e) => e.k, assigner: TumblingEventTimeWindows.of(10), reduce: (a, b) => ({ k: a.k, n: a.n + b.n }) }, { restore: snap });
    await r.endInput();
    await r.processWatermark(Number.POSITIVE_INFINITY);
    expect(r.output()).toEqual([{ k: 'a', n: 5 }]);
    await r.close();
  });

  it('rejects a spec without a window function', async () => {
    await expect(windowHarness({ key: (e: Ev) => e.k, assigner: TumblingEventTimeWindows.of(10) })).rejects.toThrow(/window function/);
  });
});
