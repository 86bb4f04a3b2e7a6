// Record codecs (`setRecordCodec`): an operator's main-output records cross the network in its codec — written by
// the channel writers of its non-side-output edges, read back by the consumers of those edges, on both decode paths
// (heap state: decode while processing; off-heap state: decode the whole buffer first) and on worker threads —
// while side outputs and chained calls never touch it.
import { describe, expect, it } from 'vitest';
import { OutputTag, StreamExecutionEnvironment, runJob } from '../../src/index.js';
import { collected, sortedBy } from '../fixtures/helpers.js';
import { readingCodec, type Reading } from '../fixtures/record-codec-jobs.js';

const jobs = new URL('../fixtures/record-codec-jobs.ts', import.meta.url).pathname;

const readings = (n: number): Reading[] => Array.from({ length: n }, (_, i) => ({ k: i % 7, big: BigInt(i) * 10n ** 20n - 3n, s: `r${i} ✓` }));

describe('record codecs on the exchange', () => {
  for (const backend of ['heap', 'level']) {
    it(`a keyed exchange at parallelism 2 uses the producer's codec both ways; side outputs do not (${backend})`, async () => {
      const n = 5000;
      const counts = { writes: 0, reads: 0 };
      const sourceCounts = { writes: 0, reads: 0 };
      const notes = new OutputTag<string>('notes');
      const env = StreamExecutionEnvironment.create({ parallelism: 2 }).configure({ 'state.backend.type': backend });
      const produced = env
        .fromCollection(readings(n))
        // The source's output is chained into the process function: its codec is never used.
        .setRecordCodec(readingCodec(sourceCounts))
        .process<Reading>({
          processElement(v, ctx, out) {
            out.collect(v);
            if (v.k === 0) ctx.output(notes, `note ${v.s}`);
          },
        })
        .setRecordCodec(readingCodec(counts));
      produced
        .keyBy((v) => v.k)
        .process<Reading & { count: number }>({
          open(ctx) {
            (this as any).count = ctx.getState<number>({ name: 'count', defaultValue: 0 });
          },
          processElement(v, _ctx, out) {
            const c = (this as any).count;
            c.update(c.value() + 1);
            out.collect({ ...v, count: c.value() });
          },
        })
        .collect();
      // The side output (strings) goes to another parallelism through the generic codec; the codec would throw.
      produced.getSideOutput(notes).rebalance().map((s) => s).setParallelism(3).collect('notes');
      const result = await env.execute();

      const out = collected<Reading & { count: number }>(result);
      expect(sortedBy(out.map(({ k, big, s }) => ({ k, big: big.toString(), s })))).toEqual(
        sortedBy(readings(n).map(({ k, big, s }) => ({ k, big: big.toString(), s }))),
      );
      expect(out.every((r) => typeof r.big === 'bigint')).toBe(true);
      // Keyed state saw every record of a key in one subtask: the largest count per key is its number of records.
      const maxCount = new Map<number, number>();
      for (const r of out) maxCount.set(r.k, Math.max(maxCount.get(r.k) ?? 0, r.count));
      expect([...maxCount.values()].reduce((a, b) => a + b, 0)).toBe(n);
      // Every main-output record was written and read exactly once by the codec; none of the side output was.
      expect(counts).toEqual({ writes: n, reads: n });
      expect(sourceCounts).toEqual({ writes: 0, reads: 0 });
      expect(collected<string>(result, 'notes').sort()).toEqual(
        readings(n)
          .filter((r) => r.k === 0)
          .map((r) => `note ${r.s}`)
          .sort(),
      );
    });
  }

  it('a broadcast and a rebalance edge of one producer both use its codec', async () => {
    const counts = { writes: 0, reads: 0 };
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const produced = env.fromCollection(readings(100)).setRecordCodec(readingCodec(counts, 'codec'));
    produced.broadcast().map((v) => v).setParallelism(3).collect('broadcast');
    produced.rebalance().map((v) => v).setParallelism(3).collect('rebalance');
    const result = await env.execute();
    expect(collected<Reading>(result, 'broadcast')).toHaveLength(300);
    expect(collected<Reading>(result, 'rebalance')).toHaveLength(100);
    expect(collected<Reading>(result, 'broadcast').every((r) => r.via === 'codec')).toBe(true);
    expect(collected<Reading>(result, 'rebalance').every((r) => r.via === 'codec')).toBe(true);
    expect(counts).toEqual({ writes: 400, reads: 400 });
  });

  it('rejects something that is not a codec', () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    expect(() => env.fromCollection([1]).setRecordCodec({ write: () => {} } as never)).toThrow(/write\(writer, value\) and read\(reader\)/);
  });

  it('on worker threads, each worker creates the codec from the job module and both sides use it', async () => {
    const n = 3000;
    const r = await runJob(jobs, { exportName: 'keyedWithCodec', args: { n }, options: { 'parallelism.default': 2 } });
    const out = r.collected.get('collect') as Reading[];
    expect(out).toHaveLength(n);
    expect(out.every((x) => x.via === 'codec')).toBe(true);
    expect(sortedBy(out.map((x) => `${x.k}/${x.big}/${x.s}`))).toEqual(
      sortedBy(Array.from({ length: n }, (_, i) => `${i % 7}/${BigInt(i) * 10n ** 20n}/r${i}`)),
    );
    const notes = r.collected.get('notes') as string[];
    expect(notes.sort()).toEqual(
      Array.from({ length: n }, (_, i) => i)
        .filter((i) => i % 7 === 0)
        .map((i) => `note r${i}`)
        .sort(),
    );
  });
});
