// End-to-end: records a job loses on purpose — late records a window drops, malformed lines a file source skips
// with ignoreParseErrors — are visible in the summary of `runnel run` (text and --json), per operator and in total.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSummary } from '../src/summary.js';
import { runnel } from './helpers/run-cli.js';

describe('runnel run: records dropped or skipped', () => {
  it('reports late records dropped by a window operator', async () => {
    const json = await runnel(['run', 'test/fixtures/late-data-job.ts', '--json']);
    expect(json.code).toBe(0);
    const s = JSON.parse(json.stdout) as JobSummary;
    expect(s.lateRecordsDropped).toBe(2);
    expect(s.recordsInErrors).toBe(0);
    expect(s.operators.map((o) => [o.name, o.lateRecordsDropped])).toEqual([
      ['Events', 0],
      ['Timestamps/Watermarks', 0],
      ['Sum per window', 2],
      ['Collect Sink', 0],
    ]);
    // The two on-time windows still fired: 1 and 2 + 16.
    expect(s.collected).toEqual({ collect: 2 });

    const text = await runnel(['run', 'test/fixtures/late-data-job.ts']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Records out {2}Late dropped {2}Rec\/s/);
    expect(text.stdout).toMatch(/Sum per window\s+operator\s+5\s+2\s+2\s+\S+\n/);
    expect(text.stdout).toMatch(/^Late records dropped: 2 \(they arrived after their window had closed/m);
  });

  it('reports malformed lines a file source skipped with ignoreParseErrors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cli-skip-'));
    try {
      // Two good files and one with two malformed lines (one not JSON at all, one cut off).
      writeFileSync(join(dir, 'a.jsonl'), '{"n":1}\n{"n":2}\nnot json\n{"n":3}\n{"n":\n');
      writeFileSync(join(dir, 'b.jsonl'), '{"n":4}\n{"n":5}\n');
      const json = await runnel(['run', 'test/fixtures/malformed-lines-job.ts', '-p', '2', '--json', '--arg', `path=${dir}`]);
      expect(json.stderr).not.toMatch(/error/i);
      expect(json.code).toBe(0);
      const s = JSON.parse(json.stdout) as JobSummary;
      expect(s.sourceRecords).toBe(5);
      expect(s.recordsInErrors).toBe(2);
      expect(s.lateRecordsDropped).toBe(0);
      expect(s.operators.find((o) => o.name === 'Lines')).toMatchObject({ role: 'source', recordsOut: 5, recordsInErrors: 2 });

      const text = await runnel(['run', 'test/fixtures/malformed-lines-job.ts', '-p', '2', '--arg', `path=${dir}`]);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/Lines\s+source\s+0\s+5\s+2\s+\S+\n/);
      expect(text.stdout).toMatch(/^Records skipped: 2 \(records in errors/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
