// End-to-end: the real `bin/runnel.mjs` in a child process, running TypeScript job modules on worker threads.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSummary } from '../src/summary.js';
import { runnel } from './helpers/run-cli.js';

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

  it('exits with 2 on an unknown runtime option, naming the closest one', async () => {
    const r = await runnel(['run', 'test/fixtures/word-count.ts', '-D', 'execution.checkpointing.intervall=1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^runnel: unknown option 'execution\.checkpointing\.intervall' \(did you mean 'execution\.checkpointing\.interval'\?\); valid options: parallelism\.default, /,
    );
    expect(r.stderr).toMatch(/Run 'runnel run --help' for usage/);
  });

  it('exits with 1 on a misspelled option of the chosen state backend, which the backend checks when the job starts', async () => {
    const r = await runnel(['run', 'test/fixtures/word-count.ts', '--state-backend', 'level', '-D', 'state.backend.level.cache-sise=10']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/unknown option 'state\.backend\.level\.cache-sise' \(did you mean 'state\.backend\.level\.cache-size'\?\)/);
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

  it('stops with a savepoint on SIGINT and resumes from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cli-sp-'));
    const chk = join(dir, 'chk');
    const sp = join(dir, 'sp');
    const rows = 20_000;
    // A completed checkpoint is the evidence that the job runs with state (its _metadata is written last).
    const completedCheckpoint = (): boolean =>
      existsSync(chk) && readdirSync(chk).some((d) => /^chk-\d+$/.test(d) && existsSync(join(chk, d, '_metadata')));
    try {
      // 2,000 rows/s: the 20,000 rows would take 10 s, so the job is stopped long before it ends.
      const first = await runnel(
        ['run', 'test/fixtures/checkpointed-job.ts', '-p', '2', '--checkpoint-interval', '200ms', '--checkpoint-dir', chk, '--savepoint-on-stop', sp, '--json', '--arg', `rows=${rows}`, '--arg', 'rate=2000'],
        (child) => {
          const poll = setInterval(() => {
            if (completedCheckpoint()) {
              clearInterval(poll);
              child.kill('SIGINT');
            }
          }, 50);
          child.on('close', () => clearInterval(poll));
        },
      );
      expect(first.signal).toBeNull();
      expect(first.code).toBe(0);
      expect(first.stderr).toMatch(/SIGINT: stopping the job with a savepoint/);
      const s1 = JSON.parse(first.stdout) as JobSummary;
      expect(s1.status).toBe('finished');
      expect(s1.checkpoints.completed).toBeGreaterThanOrEqual(1);
      expect(s1.checkpoints.last?.path).toMatch(/chk-\d+$/);
      // The savepoint is a new directory under the one given, with its metadata.
      expect(s1.savepointPath).toBeDefined();
      const savepoint = s1.savepointPath!;
      expect(readdirSync(sp)).toEqual([savepoint.slice(sp.length + 1)]);
      expect(existsSync(join(savepoint, '_metadata'))).toBe(true);
      expect(first.stderr).toContain(`stopped with a savepoint: ${savepoint}`);
      expect(s1.sourceRecords).toBeGreaterThan(0);
      expect(s1.sourceRecords).toBeLessThan(rows);

      const second = await runnel(['run', 'test/fixtures/checkpointed-job.ts', '-p', '2', '--from-savepoint', savepoint, '--json', '--arg', `rows=${rows}`, '--arg', 'rate=50000']);
      expect(second.code).toBe(0);
      const s2 = JSON.parse(second.stdout) as JobSummary;
      expect(s2.status).toBe('finished');
      expect(s2.events.filter((e) => e.type === 'restored').map((e) => e.message)).toEqual([`restoring from savepoint ${savepoint}`]);
      expect('savepointPath' in s2).toBe(false);
      // The source resumed where the savepoint left it: both runs together emitted every row exactly once.
      expect(s1.sourceRecords + s2.sourceRecords).toBe(rows);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
