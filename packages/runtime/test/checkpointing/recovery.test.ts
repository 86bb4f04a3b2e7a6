import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../src/index.js';

const jobs = new URL('../fixtures/checkpoint-jobs.ts', import.meta.url).pathname;

function expected(rows: number, keys: number): Map<number, { count: number; sum: number }> {
  const m = new Map<number, { count: number; sum: number }>();
  for (let i = 0; i < rows; i++) {
    const e = m.get(i % keys) ?? { count: 0, sum: 0 };
    e.count++;
    e.sum += i;
    m.set(i % keys, e);
  }
  return m;
}

describe('recovery from checkpoints', () => {
  for (const backend of ['heap', 'level']) it(`restarts a failed job from its latest checkpoint with exactly-once state (${backend} backend, worker threads, p=2)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cp-'));
    try {
      const rows = 60_000;
      const keys = 97;
      const r = await runJob(jobs, {
        exportName: 'countPerKey',
        args: { rows, keys, rowsPerSecond: 40_000, failAt: 40_000, parallelism: 2 },
        options: {
          'execution.checkpointing.interval': '200 ms',
          'state.checkpoints.dir': dir,
          'restart-strategy.type': 'fixed-delay',
          'restart-strategy.fixed-delay.attempts': 3,
          'restart-strategy.fixed-delay.delay': '50 ms',
          'state.backend.type': backend,
        },
      });
      expect(r.restarts).toBe(1);
      expect(r.checkpoints.filter((c) => c.status === 'completed').length).toBeGreaterThan(0);
      const out = r.collected.get('collect') as { key: number; count: number; sum: number }[];
      const got = new Map(out.map((o) => [o.key, { count: o.count, sum: o.sum }]));
      expect(out.length).toBe(keys);
      expect(got).toEqual(expected(rows, keys));
      expect(readdirSync(dir).filter((d) => d.startsWith('chk-')).length).toBeLessThanOrEqual(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
