// Worker-thread execution of a job module: a keyed count over 1,000,000 generated events gives the same result at
// parallelism 1, 2 and 4, and a bounded job ends with its promise resolved and its worker threads gone.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runJob, submitJob } from '../../src/index.js';
import { sortedBy } from '../fixtures/helpers.js';

const jobs = new URL('../fixtures/jobs.ts', import.meta.url).pathname;

type Count = { key: number; count: number };

/** OS threads of this process (worker threads are OS threads; Linux only). */
function threadCount(): number {
  const m = /^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : Number.NaN;
}

describe('parallel worker-thread execution', () => {
  it('a keyed count over 1,000,000 events is identical at parallelism 1, 2 and 4', async () => {
    const n = 1_000_000;
    const keys = 1000;
    const outputs: Count[][] = [];
    for (const p of [1, 2, 4]) {
      const r = await runJob(jobs, { exportName: 'keyedCount', args: { n, keys }, options: { 'parallelism.default': p } });
      outputs.push(sortedBy(r.collected.get('collect') as Count[], (c) => c.key));
    }
    // The expected counts, computed without the runtime (the job counts (i * 7919) % keys for i < n).
    const expected = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = (i * 7919) % keys;
      expected.set(k, (expected.get(k) ?? 0) + 1);
    }
    const expectedSorted = [...expected.entries()].map(([key, count]) => ({ key, count })).sort((a, b) => a.key - b.key);
    expect(outputs[0]).toEqual(expectedSorted);
    expect(outputs[1]).toEqual(outputs[0]);
    expect(outputs[2]).toEqual(outputs[0]);
  });

  it('a bounded job resolves, reports finished and leaves no worker thread behind', async () => {
    const options = { 'parallelism.default': 2 };
    // A first run warms up libuv's thread pool, so that only the job's own threads differ afterwards.
    await runJob(jobs, { exportName: 'keyedCount', args: { n: 1000, keys: 10 }, options });
    const before = threadCount();
    const client = await submitJob(jobs, { exportName: 'keyedCount', args: { n: 10_000, keys: 10 }, options });
    expect(threadCount()).toBeGreaterThan(before);
    const result = await client.getJobExecutionResult();
    expect(client.getStatus()).toBe('finished');
    expect((result.collected.get('collect') as Count[]).reduce((s, c) => s + c.count, 0)).toBe(10_000);
    // A worker's OS thread may still be joining for a moment after the job resolved: wait for it (bounded).
    for (let waited = 0; threadCount() > before && waited < 5_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(threadCount()).toBe(before);
  });
});
