import { describe, expect, it } from 'vitest';
import type { CoProcessFunction, KeyedCoProcessFunction } from '@runnel/runtime';
import { coProcessFunctionHarness, keyedCoProcessFunctionHarness, mapHarness } from '../src/index.js';

describe('two-input harness', () => {
  it('takes the minimum watermark of both inputs, ignoring an idle input', async () => {
    const fn: CoProcessFunction<number, string, string> = {
      processElement1: (v, _ctx, out) => out.collect(`n${v}`),
      processElement2: (v, _ctx, out) => out.collect(`s${v}`),
    };
    const h = await coProcessFunctionHarness(fn);
    await h.processElement1(1, 10);
    await h.processElement2('a', 11);
    expect(h.recordsWithTimestamps()).toEqual([
      { value: 'n1', timestamp: 10 },
      { value: 'sa', timestamp: 11 },
    ]);
    await h.processWatermark1(100);
    expect(h.watermarks()).toEqual([]);
    await h.processWatermark2(50);
    expect(h.watermarks()).toEqual([50]);
    h.processIdle(2, true);
    expect(h.watermarks()).toEqual([50, 100]);
    expect(() => h.processIdle(3 as never, true)).toThrow(/input is 1 or 2/);
    await h.close();
  });

  it('joins keyed inputs with shared keyed state and event-time timers', async () => {
    const fn: KeyedCoProcessFunction<string, { k: string; price: number }, { k: string; qty: number }, string> = {
      processElement1(v, ctx) {
        ctx.timerService().registerEventTimeTimer(ctx.timestamp());
        this.price!.update(v.price);
      },
      processElement2(v, ctx) {
        ctx.timerService().registerEventTimeTimer(ctx.timestamp());
        this.qty!.update(v.qty);
      },
      onTimer(ts, ctx, out) {
        out.collect(`${String(ctx.getCurrentKey())}:${(this.price!.value() ?? 0) * (this.qty!.value() ?? 0)}@${ts}`);
      },
      open(rc) {
        this.price = rc.getState({ name: 'price' });
        this.qty = rc.getState({ name: 'qty' });
      },
    } as KeyedCoProcessFunction<string, { k: string; price: number }, { k: string; qty: number }, string> & {
      price?: import('@runnel/api').ValueState<number>;
      qty?: import('@runnel/api').ValueState<number>;
    };
    const h = await keyedCoProcessFunctionHarness(fn, (p) => p.k, (q) => q.k);
    await h.processElement1({ k: 'x', price: 3 }, 5);
    await h.processElement2({ k: 'x', qty: 4 }, 7);
    await h.processWatermark(6);
    expect(h.output()).toEqual(['x:12@5']);
    const snap = await h.snapshot();
    await h.close();
    const r = await keyedCoProcessFunctionHarness(fn, (p) => p.k, (q) => q.k, { restore: snap });
    await r.processElement2({ k: 'x', qty: 5 }, 8);
    await r.processWatermark(10);
    expect(r.output()).toEqual(['x:15@7', 'x:15@8']);
    await r.close();
  });
});

describe('stateless harness', () => {
  it('maps with timestamps and reports a failing function with the record', async () => {
    const h = await mapHarness((v: number) => {
      if (v < 0) throw new Error('negative');
      return v * 2;
    });
    await h.processElement(2, 7);
    expect(h.recordsWithTimestamps()).toEqual([{ value: 4, timestamp: 7 }]);
    await expect(h.processElement(-1)).rejects.toThrow(/negative/);
    await expect(h.processElement(1, Number.NaN)).rejects.toThrow(/timestamp must be a number/);
  });
});
