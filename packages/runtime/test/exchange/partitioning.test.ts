// Partitioners between operators: rebalance, broadcast, global, forward and hash (keyBy), plus explicit
// per-operator parallelism. Which subtask received a record is observed by a sink whose writers (one per subtask,
// created with the subtask index) tag what they get.
import { describe, expect, it } from 'vitest';
import type { Sink } from '@runnel/api';
import { StreamExecutionEnvironment } from '../../src/index.js';

/** A sink recording [subtask, record] pairs into `into` (local execution shares the array). */
function taggingSink<T>(into: [number, T][]): Sink<T> {
  return {
    createWriter: (ctx) => ({
      write: (v: T) => void into.push([ctx.subtaskIndex, v]),
      flush() {},
      close() {},
    }),
  };
}

function perSubtask<T>(seen: [number, T][], n: number): T[][] {
  const out: T[][] = Array.from({ length: n }, () => []);
  for (const [s, v] of seen) out[s]!.push(v);
  return out;
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('partitioning', () => {
  it('broadcast delivers every record to every downstream subtask', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const seen: [number, number][] = [];
    env.fromCollection(range(10)).broadcast().sinkTo(taggingSink(seen)).setParallelism(3);
    await env.execute();
    expect(perSubtask(seen, 3)).toEqual([range(10), range(10), range(10)]);
  });

  it('rebalance distributes round-robin, evenly and in order per subtask', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const seen: [number, number][] = [];
    env.fromCollection(range(30)).rebalance().sinkTo(taggingSink(seen)).setParallelism(3);
    await env.execute();
    const parts = perSubtask(seen, 3);
    expect(parts.map((p) => p.length)).toEqual([10, 10, 10]);
    // Round-robin: consecutive records go to consecutive subtasks, so each subtask sees one residue class.
    const residues = parts.map((p) => new Set(p.map((v) => v % 3)));
    for (const r of residues) expect(r.size).toBe(1);
    expect(new Set(residues.map((r) => [...r][0])).size).toBe(3);
    for (const p of parts) expect(p).toEqual([...p].sort((a, b) => a - b));
  });

  it('global sends everything to the first subtask', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const seen: [number, number][] = [];
    env.fromCollection(range(40)).global().sinkTo(taggingSink(seen)).setParallelism(3);
    await env.execute();
    const parts = perSubtask(seen, 3);
    expect(parts[0]!.sort((a, b) => a - b)).toEqual(range(40));
    expect(parts[1]).toEqual([]);
    expect(parts[2]).toEqual([]);
  });

  it('forward keeps subtask i to subtask i, also across a network edge', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const seen: [number, number][] = [];
    // fromCollection hands subtask i the elements i, i + 2, ...; the map is its own chain (network forward).
    env
      .fromCollection(range(40))
      .forward()
      .map((v) => v)
      .disableChaining()
      .sinkTo(taggingSink(seen));
    expect(env.explain()).toMatch(/Collection Source => forward -> 1/);
    await env.execute();
    expect(seen).toHaveLength(40);
    for (const [s, v] of seen) expect(v % 2).toBe(s);
  });

  it('forward between different parallelisms is rejected', () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env.fromCollection(range(4)).forward().map((v) => v).setParallelism(3).collect();
    expect(() => env.explain()).toThrow(/forward partitioning .* needs equal parallelism/);
  });

  it('keyBy sends equal keys to the same subtask and spreads keys over subtasks', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const seen: [number, { k: string; i: number }][] = [];
    const events = range(1000).map((i) => ({ k: `key-${(i * 31) % 97}`, i }));
    env
      .fromCollection(events)
      .keyBy((e) => e.k)
      .map((e) => e)
      .setParallelism(4)
      .sinkTo(taggingSink(seen))
      .setParallelism(4);
    await env.execute();
    expect(seen).toHaveLength(1000);
    const subtaskOfKey = new Map<string, Set<number>>();
    for (const [s, e] of seen) {
      let set = subtaskOfKey.get(e.k);
      if (!set) subtaskOfKey.set(e.k, (set = new Set()));
      set.add(s);
    }
    expect(subtaskOfKey.size).toBe(97);
    for (const set of subtaskOfKey.values()) expect(set.size).toBe(1);
    // 97 keys over 4 subtasks: every subtask gets some.
    expect(new Set(seen.map(([s]) => s)).size).toBe(4);
  });

  it('explicit parallelism per operator; a parallelism change without partitioner rebalances', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    const seen: [number, number][] = [];
    env
      .fromCollection(range(90))
      .map((v) => v * 2)
      .name('Triple')
      .setParallelism(3)
      .sinkTo(taggingSink(seen))
      .setParallelism(3);
    const plan = env.explain();
    expect(plan).toMatch(/#0 \[p=2\] Collection Source => rebalance -> 1/);
    expect(plan).toMatch(/#1 \[p=3\] Triple -> Sink/);
    await env.execute();
    expect(seen.map(([, v]) => v).sort((a, b) => a - b)).toEqual(range(90).map((v) => v * 2));
    expect(new Set(seen.map(([s]) => s))).toEqual(new Set([0, 1, 2]));
  });

  it('rejects invalid parallelism', () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    const s = env.fromCollection([1]).map((v) => v);
    expect(() => s.setParallelism(0)).toThrow(RangeError);
    expect(() => s.setParallelism(1.5)).toThrow(RangeError);
  });
});
