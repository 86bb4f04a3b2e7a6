// End-to-end: the real `bin/runnel.mjs` in a child process, running TypeScript job modules on worker threads.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { JobSummary } from '../src/summary.js';

const cliDir = fileURLToPath(new URL('..', import.meta.url));

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runnel(args: string[], onSpawn?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/runnel.mjs', ...args], { cwd: cliDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}

describe('runnel run (end to end)', () => {
  it('runs a TypeScript job on 2 worker threads and prints a JSON summary', async () => {
    const r = await runnel(['run', 'test/fixtures/word-count.ts', '--parallelism', '2', '--json', '--arg', 'n=20000', '--arg', 'keys=7']);
    // stderr carries at most progress lines (with --json, progress goes there when the job runs long enough).
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as JobSummary;
    expect(s.status).toBe('finished');
    expect(s.durationMs).toBeGreaterThan(0);
    expect(s.operators.map((o) => [o.name, o.role])).toEqual([
      ['Numbers', 'source'],
      ['To Pair', 'operator'],
      ['Count', 'operator'],
      ['Collect Sink', 'sink'],
    ]);
    const byName = new Map(s.operators.map((o) => [o.name, o]));
    expect(byName.get('Numbers')!.recordsOut).toBe(20_000);
    expect(byName.get('Count')!.recordsIn).toBe(20_000);
    expect(s.sourceRecords).toBe(20_000);
    expect(s.sinkRecords).toBe(20_000);
    // The reduce emits one update per input record.
    expect(s.collected).toEqual({ collect: 20_000 });
  });

  it('prints a table summary without --json', async () => {
    const r = await runnel(['run', 'test/fixtures/word-count.ts', '-p', '2', '--arg', 'n=3000', '-D', 'pipeline.auto-watermark-interval=50ms']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Job 'runnel-job' finished in \d+\.\d{3} s/);
    expect(r.stdout).toMatch(/Numbers\s+source\s+0\s+3,000/);
    expect(r.stdout).toMatch(/Collect Sink\s+sink\s+3,000\s+0/);
  });

  it('exits with 1 and names the operator and record when the job fails', async () => {
    const r = await runnel(['run', 'test/fixtures/failing-job.ts', '--parallelism', '2', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*operator 'explode'.*on record 777: boom at 777/m);
    expect((JSON.parse(r.stdout) as JobSummary).status).toBe('failed');
  });

  it('exits with 1 on an unknown runtime option', async () => {
    const r = await runnel(['run', 'test/fixtures/word-count.ts', '-D', 'no.such.option=1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown option 'no\.such\.option'/);
  });

  it('cancels the job cleanly on SIGINT and exits with 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cli-'));
    const marker = join(dir, 'running');
    try {
      const r = await runnel(['run', 'test/fixtures/endless-job.ts', '-p', '2', '--json', '--arg', `marker=${marker}`], (child) => {
        // Signal once the job demonstrably processes records (the first record writes the marker).
        const poll = setInterval(() => {
          if (existsSync(marker)) {
            clearInterval(poll);
            child.kill('SIGINT');
          }
        }, 50);
        child.on('close', () => clearInterval(poll));
      });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(130);
      expect(r.stderr).toMatch(/canceling the job/);
      const s = JSON.parse(r.stdout) as JobSummary;
      expect(s.status).toBe('canceled');
      expect(s.durationMs).toBeGreaterThan(0);
      expect(r.stderr).toMatch(/Job 'runnel-job' canceled/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
