// `entries()` of the heap map state is a plain iterator (no generator): it must behave as the generator did —
// denormalised keys, a fresh [key, value] array per entry, the stored map read at the first `next()` for the then
// current key, removals during the iteration, `break` (return) — on untracked and tracked (incremental) tables.
import { describe, expect, it } from 'vitest';
import { keyGroupFor } from '@runnel/api/state';
import { HeapKeyedStateBackend } from '../src/index.js';

function backendOf(incremental: boolean) {
  const backend = new HeapKeyedStateBackend({
    jobId: 'j',
    operatorUid: 'op',
    subtaskIndex: 0,
    parallelism: 1,
    maxParallelism: 32,
    keyGroupRange: { start: 0, end: 31 },
    clock: () => 0,
    incrementalSnapshots: incremental,
  });
  const at = (key: unknown): void => backend.setCurrentKey(key, keyGroupFor(key, 32));
  return { backend, at };
}

for (const incremental of [false, true]) {
  describe(`heap map state entries()${incremental ? ' (incremental snapshots)' : ''}`, () => {
    const make = () => backendOf(incremental);

    it('yields denormalised keys with fresh entry arrays, and nothing for an empty key', () => {
      const { backend, at } = make();
      const m = backend.getMapState<unknown, number>({ kind: 'map', name: 'm' });
      at('a');
      expect([...m.entries()]).toEqual([]);
      m.put(['t', 1], 1);
      m.put(new Date(5), 2);
      m.put(3, 3);
      const got = [...m.entries()];
      expect(got).toEqual([
        [['t', 1], 1],
        [new Date(5), 2],
        [3, 3],
      ]);
      got[0]![1] = 99; // the caller's copy, not the state
      expect(m.get(['t', 1])).toBe(1);
      expect(new Set(got).size).toBe(3);
    });

    it('reads the stored map at the first next(), for the key current then', () => {
      const { backend, at } = make();
      const m = backend.getMapState<string, number>({ kind: 'map', name: 'm' });
      at('a');
      m.put('x', 1);
      at('b');
      const it = m.entries();
      m.put('y', 2); // created after entries(), before the first next()
      expect([...it]).toEqual([['y', 2]]);
      at('a');
      const it2 = m.entries();
      at('b');
      expect([...it2]).toEqual([['y', 2]]);
    });

    it('sees removals during the iteration and stops on break', () => {
      const { backend, at } = make();
      const m = backend.getMapState<number, number>({ kind: 'map', name: 'm' });
      at('k');
      for (let i = 0; i < 5; i++) m.put(i, i * 10);
      const seen: number[] = [];
      for (const [k] of m.entries()) {
        seen.push(k);
        m.remove(k + 1);
      }
      expect(seen).toEqual([0, 2, 4]);
      const first: number[] = [];
      const it = m.entries();
      for (const [k] of it) {
        first.push(k);
        break;
      }
      expect(first).toEqual([0]);
      expect(it.next().done).toBe(true);
      expect([...m.entries()].map(([k]) => k)).toEqual([0, 2, 4]);
    });
  });
}
