// Side outputs: `ctx.output(tag, v)` in process functions (plain, keyed, window) becomes a stream of its own via
// `getSideOutput(tag)`, also when that stream runs at another parallelism; unconsumed tags are dropped.
import { describe, expect, it } from 'vitest';
import type { Sink } from '@runnel/api';
import { OutputTag, StreamExecutionEnvironment, TumblingEventTimeWindows } from '../../src/index.js';
import { collected, perRecordWatermarks } from '../fixtures/helpers.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function taggingSink<T>(into: [number, T][]): Sink<T> {
  return { createWriter: (ctx) => ({ write: (v: T) => void into.push([ctx.subtaskIndex, v]), flush() {}, close() {} }) };
}

describe('side outputs', () => {
  it('split a stream in a ProcessFunction, with the side stream at another parallelism', async () => {
    const odd = new OutputTag<string>('odd');
    const big = new OutputTag<number>('big');
    const unused = new OutputTag<number>('unused');
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const main = env.fromCollection(range(100)).process<number>({
      processElement(v, ctx, out) {
        if (v % 2 === 1) ctx.output(odd, `odd ${v}`);
        else out.collect(v);
        if (v >= 90) ctx.output(big, v);
        ctx.output(unused, v);
      },
    });
    const seenOdd: [number, string][] = [];
    main.collect();
    main.getSideOutput(odd).rebalance().sinkTo(taggingSink(seenOdd)).setParallelism(3);
    main.getSideOutput(big).map((v) => v * 10).setParallelism(1).collect('big');
    const result = await env.execute();
    expect(collected<number>(result).sort((a, b) => a - b)).toEqual(range(50).map((i) => i * 2));
    expect(seenOdd.map(([, s]) => s).sort()).toEqual(range(50).map((i) => `odd ${2 * i + 1}`).sort());
    expect(new Set(seenOdd.map(([s]) => s))).toEqual(new Set([0, 1, 2]));
    expect(collected<number>(result, 'big').sort((a, b) => a - b)).toEqual(range(10).map((i) => (90 + i) * 10));
  });

  it('from a keyed process function and a window function, keeping timestamps', async () => {
    const early = new OutputTag<{ k: string; ts: number }>('early');
    const counts = new OutputTag<string>('counts');
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const events = range(40).map((i) => ({ k: `k${i % 4}`, ts: i * 5 }));
    const keyed = env
      .fromCollection(events)
      .assignTimestampsAndWatermarks(perRecordWatermarks<{ k: string; ts: number }>((e) => e.ts))
      .keyBy((e) => e.k)
      .process<{ k: string; ts: number }>({
        processElement(e, ctx, out) {
          if (e.ts < 50) ctx.output(early, e);
          out.collect(e);
        },
      });
    keyed
      .getSideOutput(early)
      .process<number>({ processElement: (e, ctx, out) => out.collect(ctx.timestamp() - e.ts) })
      .setParallelism(1)
      .collect('early-ts-delta');
    const windowed = keyed
      .keyBy((e) => e.k)
      .window(TumblingEventTimeWindows.of(100))
      .process<number>({
        process(key, ctx, els, out) {
          const n = [...els].length;
          ctx.output(counts, `${key}@${ctx.window.start}=${n}`);
          out.collect(n);
        },
      });
    windowed.collect();
    windowed.getSideOutput(counts).collect('counts');
    const result = await env.execute();
    // Side-output records keep the timestamp of the record being processed.
    expect(collected<number>(result, 'early-ts-delta')).toEqual(range(10).map(() => 0));
    expect(collected<string>(result, 'counts').sort()).toEqual(['k0@0=5', 'k0@100=5', 'k1@0=5', 'k1@100=5', 'k2@0=5', 'k2@100=5', 'k3@0=5', 'k3@100=5']);
    expect(collected<number>(result).reduce((a, b) => a + b, 0)).toBe(40);
  });
});
