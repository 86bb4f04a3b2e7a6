// End-to-end: when the file sink commits the files of a bounded input's tail (its end-of-input files), as
// docs/architecture.md ("Final checkpoint") and packages/connector-files/README.md ("Guarantees") describe it: with a
// checkpoint directory only when the job's final checkpoint completes, i.e. once every task of the job has ended
// its input; without one as soon as the sink's own input ends.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSummary } from '../src/summary.js';
import { runnel } from './helpers/run-cli.js';

const ROWS = 1000;

/** Lines in the sink directory's hidden (in-progress or pending) and visible (committed) part files. */
function lines(out: string): { hidden: number; visible: number; visibleFiles: string[] } {
  let hidden = 0;
  let visible = 0;
  const visibleFiles: string[] = [];
  for (const f of existsSync(out) ? readdirSync(out) : []) {
    const n = readFileSync(join(out, f), 'utf8').split('\n').filter((l) => l !== '').length;
    if (f.startsWith('.')) hidden += n;
    else {
      visible += n;
      visibleFiles.push(f);
    }
  }
  return { hidden, visible, visibleFiles: visibleFiles.sort() };
}

/** Resolves when `done()` holds, polling every 50 ms; rejects after `ms`. */
function until(done: () => boolean, ms: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = setInterval(() => {
      if (done()) {
        clearInterval(poll);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(poll);
        reject(new Error(`timed out waiting for ${what}`));
      }
    }, 50);
  });
}

describe('file sink: the commit of the end-of-input files', () => {
  it('with a checkpoint directory, waits for the final checkpoint while other tasks still run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cli-tail-'));
    const out = join(dir, 'out');
    try {
      let observed: ReturnType<typeof lines> | undefined;
      const r = await runnel(['run', 'test/fixtures/file-sink-tail-job.ts', '-p', '2', '--json', '--checkpoint-dir', join(dir, 'chk'), '--arg', `out=${out}`, '--arg', `rows=${ROWS}`], (child) => {
        // Every row is written (the bounded branch ended its input) while the other branch still runs; the
        // sink's finish() has had ample time to commit, were it to commit on its own.
        void until(() => lines(out).hidden === ROWS, 20_000, 'the rows')
          .then(() => new Promise((resolve) => setTimeout(resolve, 1500)))
          .then(() => {
            observed = lines(out);
            child.kill('SIGINT');
          }, () => child.kill('SIGINT'));
      });
      expect(r.code).toBe(130);
      expect(observed).toEqual({ hidden: ROWS, visible: 0, visibleFiles: [] });
      // Canceled before the final checkpoint completed: nothing was published.
      expect(lines(out).visible).toBe(0);
      expect((JSON.parse(r.stdout) as JobSummary).operators.find((o) => o.name === 'Files')?.recordsIn).toBe(ROWS);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with a checkpoint directory, commits them when the job ends (its final checkpoint completes)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cli-tail-'));
    const out = join(dir, 'out');
    try {
      const r = await runnel(['run', 'test/fixtures/file-sink-tail-job.ts', '-p', '2', '-q', '--checkpoint-dir', join(dir, 'chk'), '--arg', `out=${out}`, '--arg', `rows=${ROWS}`, '--arg', 'bounded=true']);
      expect(r.code).toBe(0);
      expect(lines(out)).toEqual({ hidden: 0, visible: ROWS, visibleFiles: ['part-0-end-0.jsonl', 'part-1-end-0.jsonl'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without a checkpoint directory, commits them as soon as the sink ends its input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cli-tail-'));
    const out = join(dir, 'out');
    try {
      let observed: ReturnType<typeof lines> | undefined;
      const r = await runnel(['run', 'test/fixtures/file-sink-tail-job.ts', '-p', '2', '-q', '--arg', `out=${out}`, '--arg', `rows=${ROWS}`], (child) => {
        void until(() => lines(out).visible === ROWS, 20_000, 'the committed files').then(
          () => {
            observed = lines(out);
            child.kill('SIGINT');
          },
          () => child.kill('SIGINT'),
        );
      });
      // The job still ran (the other branch is unbounded) when the files were committed.
      expect(r.code).toBe(130);
      expect(observed).toEqual({ hidden: 0, visible: ROWS, visibleFiles: ['part-0-end-0.jsonl', 'part-1-end-0.jsonl'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
