import { describe, expect, it } from 'vitest';
import { runJob, JobExecutionError } from '../../src/index.js';

const jobs = new URL('../fixtures/jobs.ts', import.meta.url).pathname;

describe('worker-thread execution', () => {
  it('runs a keyed job on worker threads', async () => {
    const r = await runJob(jobs, { exportName: 'keyedCount', args: { n: 100_000, keys: 1000 }, options: { 'parallelism.default': 2 } });
    const out = r.collected.get('collect') as { key: number; count: number }[];
    expect(out.length).toBe(1000);
    expect(out.reduce((s, x) => s + x.count, 0)).toBe(100_000);
  });

  it('fails the job with the operator and record in the error', async () => {
    await expect(runJob(jobs, { exportName: 'failing', options: { 'parallelism.default': 2 } })).rejects.toThrow(/operator 'explode'.*on record 777: boom at 777/s);
  });
});
