import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../src/index.js';

describe('local execution smoke', () => {
  it('runs map, filter, keyBy and a rolling reduce', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromCollection(Array.from({ length: 1000 }, (_, i) => i))
      .map((x) => ({ k: x % 3, v: x }))
      .filter((r) => r.v % 2 === 0)
      .keyBy((r) => r.k)
      .reduce((a, b) => ({ k: a.k, v: a.v + b.v }))
      .collect();
    const result = await env.execute('smoke');
    const out = result.collected.get('collect') as { k: number; v: number }[];
    expect(out.length).toBe(500);
    const finals = new Map<number, number>();
    for (const r of out) finals.set(r.k, Math.max(finals.get(r.k) ?? 0, r.v));
    const expected = new Map<number, number>();
    for (let i = 0; i < 1000; i += 2) expected.set(i % 3, (expected.get(i % 3) ?? 0) + i);
    expect(finals).toEqual(expected);
  });
});
