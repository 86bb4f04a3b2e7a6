// Keeps the README's demo job working: run it on worker threads with fewer events and check its output files.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '@runnel/runtime';

describe('demo: app metrics', () => {
  it('aggregates every event into 10 s windows per app and commits them as JSON lines', async () => {
    const out = mkdtempSync(join(tmpdir(), 'runnel-demo-'));
    try {
      const rows = 200_000;
      const r = await runJob(new URL('../app-metrics/job.ts', import.meta.url).pathname, {
        args: { rows, out },
        options: { 'parallelism.default': 2 },
      });
      const files = readdirSync(out).filter((f) => !f.startsWith('.'));
      expect(files.length).toBeGreaterThan(0);
      const windows = files.flatMap((f) =>
        readFileSync(join(out, f), 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as { app: string; windowStart: string; events: number; errors: number }),
      );
      // Every event lands in exactly one (app, window) row.
      expect(windows.reduce((n, w) => n + w.events, 0)).toBe(rows);
      expect(new Set(windows.map((w) => `${w.app}/${w.windowStart}`)).size).toBe(windows.length);
      expect(new Set(windows.map((w) => w.app)).size).toBe(8);
      expect(r.metrics.length).toBeGreaterThan(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
