// State much larger than the cache (and than a small JS heap budget): 2 million keys through a 50 000-key cache.
// Nearly all state lives in LevelDB; a second pass over a subset must read it back from disk, and a snapshot must
// account for every key exactly once.
import { describe, expect, it } from 'vitest';
import { keyGroupFor } from '@runnel/api/state';
import { LevelKeyedStateBackend } from '../src/index.js';
import { context } from './helpers.js';

const N = 2_000_000;
const SUBSET = 200_000;
const BATCH = 1024;

describe('state much larger than the cache', () => {
  it('counts 2 million keys through a 50 000-key cache', async () => {
    const b = await LevelKeyedStateBackend.open(context(), { 'cache-size': 50_000 });
    try {
      const s = b.getValueState<number>({ kind: 'value', name: 'count' });
      const keys: number[] = [];
      const groups: number[] = [];
      /** One pass over `n` keys in a scrambled order (i * mult mod N), batch by batch with prefetch. */
      const pass = async (n: number, mult: number): Promise<void> => {
        for (let i = 0; i < n; i += BATCH) {
          const len = Math.min(BATCH, n - i);
          keys.length = len;
          groups.length = len;
          for (let j = 0; j < len; j++) {
            const k = ((i + j) * mult) % N;
            keys[j] = k;
            groups[j] = keyGroupFor(k, 128);
          }
          const p = b.prefetch(keys, groups);
          if (p !== undefined) await p;
          for (let j = 0; j < len; j++) {
            b.setCurrentKey(keys[j], groups[j]!);
            s.update((s.value() ?? 0) + 1);
          }
        }
      };
      const t0 = performance.now();
      await pass(N, 1_000_003); // every key once: almost all of them are evicted to disk
      const t1 = performance.now();
      const afterFirst = b.stats();
      expect(afterFirst.residentKeys).toBeLessThanOrEqual(50_000);
      expect(afterFirst.evictions).toBeGreaterThan(N - 50_000);
      await pass(SUBSET, 999_983); // 200 000 keys again: read back from disk
      const t2 = performance.now();
      expect(b.stats().keysLoaded - afterFirst.keysLoaded).toBeGreaterThan(SUBSET - 50_000);

      const inSubset = new Set<number>();
      for (let i = 0; i < SUBSET; i++) inSubset.add((i * 999_983) % N);
      const snap = b.snapshot(1);
      let entries = 0;
      let sum = 0;
      let wrong = 0;
      for await (const g of snap.write() as AsyncIterable<{ entries: readonly { key: unknown; value: unknown }[] }>) {
        for (const e of g.entries) {
          entries++;
          sum += e.value as number;
          if (e.value !== (inSubset.has(e.key as number) ? 2 : 1)) wrong++;
        }
      }
      const t3 = performance.now();
      await snap.release();
      expect(entries).toBe(N);
      expect(sum).toBe(N + SUBSET);
      expect(wrong).toBe(0);
      console.log(
        `large state: ${N} keys first pass ${((t1 - t0) / 1000).toFixed(1)} s, ${SUBSET} keys from disk ` +
          `${((t2 - t1) / 1000).toFixed(1)} s, snapshot of ${entries} entries ${((t3 - t2) / 1000).toFixed(1)} s, ` +
          `heap used ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`,
      );
    } finally {
      await b.dispose();
    }
  }, 300_000); // ~50 s on an idle 2-core machine; generous for loaded CI machines
});
