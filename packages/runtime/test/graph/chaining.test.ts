// Operator chaining as shown by env.explain(): forward edges between operators of equal parallelism chain;
// disableChaining, startNewChain, partitioners, parallelism changes and the global switch break chains. A chained
// and an unchained version of a job must compute the same result.
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '../../src/index.js';
import { collected } from '../fixtures/helpers.js';

function pipeline(env: StreamExecutionEnvironment, tweak: 'none' | 'disable' | 'new-chain') {
  const mapped = env
    .fromCollection(Array.from({ length: 100 }, (_, i) => i))
    .map((x) => x + 1)
    .name('A');
  const b = mapped.map((x) => x * 2).name('B');
  if (tweak === 'disable') b.disableChaining();
  if (tweak === 'new-chain') b.startNewChain();
  b.filter((x) => x % 3 !== 0)
    .name('C')
    .collect();
  return env;
}

describe('operator chaining', () => {
  it('chains forward edges of equal parallelism into one vertex', () => {
    const plan = pipeline(StreamExecutionEnvironment.create({ parallelism: 2 }), 'none').explain();
    expect(plan).toBe('#0 [p=2] Collection Source -> A -> B -> C -> Collect');
  });

  it('disableChaining isolates the operator in its own vertex', () => {
    const plan = pipeline(StreamExecutionEnvironment.create({ parallelism: 2 }), 'disable').explain();
    expect(plan.split('\n')).toEqual([
      '#0 [p=2] Collection Source -> A => forward -> 1',
      '#1 [p=2] B => forward -> 2',
      '#2 [p=2] C -> Collect',
    ]);
  });

  it('startNewChain begins a chain at the operator and keeps its successors', () => {
    const plan = pipeline(StreamExecutionEnvironment.create({ parallelism: 2 }), 'new-chain').explain();
    expect(plan.split('\n')).toEqual(['#0 [p=2] Collection Source -> A => forward -> 1', '#1 [p=2] B -> C -> Collect']);
  });

  it('disableOperatorChaining and pipeline.operator-chaining=false chain nothing', () => {
    const a = pipeline(StreamExecutionEnvironment.create({ parallelism: 1 }).disableOperatorChaining(), 'none').explain();
    const b = pipeline(StreamExecutionEnvironment.create({ 'parallelism.default': 1, 'pipeline.operator-chaining': false }), 'none').explain();
    expect(a.split('\n')).toHaveLength(5);
    expect(b).toBe(a);
  });

  it('keyBy and parallelism changes break chains', () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromCollection([1, 2, 3])
      .map((x) => x)
      .name('M')
      .keyBy((x) => x)
      .reduce((a, b) => a + b)
      .map((x) => x)
      .name('P3')
      .setParallelism(3)
      .collect();
    expect(env.explain().split('\n')).toEqual([
      '#0 [p=2] Collection Source -> M => hash -> 1',
      '#1 [p=2] Keyed Reduce => rebalance -> 2',
      '#2 [p=3] P3 => rebalance -> 3',
      '#3 [p=2] Collect',
    ]);
  });

  it('chained and unchained jobs produce the same records', async () => {
    const results: number[][] = [];
    for (const tweak of ['none', 'disable', 'new-chain'] as const) {
      const env = pipeline(StreamExecutionEnvironment.create({ parallelism: 2 }), tweak);
      results.push(collected<number>(await env.execute()).sort((x, y) => x - y));
    }
    const expected = Array.from({ length: 100 }, (_, i) => (i + 1) * 2).filter((x) => x % 3 !== 0);
    for (const r of results) expect(r).toEqual(expected);
  });
});
