import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { main } from '../src/main.js';
import type { CliIo } from '../src/run-command.js';

function fakeIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (t: string) => void out.push(t), isTTY: false },
    stderr: { write: (t: string) => void err.push(t), isTTY: false },
    cwd: process.cwd(),
    onSignal: () => () => {},
    exit: () => {
      throw new Error('unexpected exit');
    },
    now: Date.now,
  };
}

describe('main', () => {
  it('prints the version from package.json', async () => {
    const io = fakeIo();
    expect(await main(['--version'], io)).toBe(0);
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(io.out.join('')).toBe(`${pkg.version}\n`);
  });

  it('prints help for the CLI and for run', async () => {
    const io = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(io.out.join('')).toMatch(/Usage: runnel <command>[\s\S]*run <job\.ts\|job\.js>/);
    const io2 = fakeIo();
    expect(await main(['run', '--help'], io2)).toBe(0);
    for (const flag of ['--parallelism', '--export', '--arg', '-D', '--quiet', '--json']) expect(io2.out.join('')).toContain(flag);
  });

  it('exits with 2 and a hint on a bad command line', async () => {
    const io = fakeIo();
    expect(await main(['run', 'job.ts', '--parallelism', 'x'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--parallelism expects a positive integer[\s\S]*runnel run --help/);
    expect(io.out).toEqual([]);
  });

  it('exits with 1 when the job module does not exist', async () => {
    const io = fakeIo();
    expect(await main(['run', 'no/such/job.ts'], io)).toBe(1);
    expect(io.err.join('')).toMatch(/job module not found: .*no\/such\/job\.ts/);
  });
});

describe('main --json', () => {
  it('prints a failed JSON summary when nothing could run', async () => {
    const io = fakeIo();
    expect(await main(['run', 'missing.ts', '--json'], io)).toBe(1);
    const s = JSON.parse(io.out.join('')) as { status: string; error: string; operators: unknown[] };
    expect(s.status).toBe('failed');
    expect(s.error).toMatch(/job module not found/);
    expect(s.operators).toEqual([]);
  });
});

describe('main: checkpoint flags', () => {
  it('exits with 2 when --resume has no checkpoint directory', async () => {
    const io = fakeIo();
    expect(await main(['run', 'job.ts', '--resume'], io)).toBe(2);
    expect(io.err.join('')).toMatch(/--resume needs a checkpoint directory[\s\S]*runnel run --help/);
    expect(io.out).toEqual([]);
  });

  it('documents the checkpoint flags in the help of run', async () => {
    const io = fakeIo();
    expect(await main(['run', '--help'], io)).toBe(0);
    for (const flag of ['--from-savepoint', '-s,', '--allow-non-restored-state', '--checkpoint-interval', '--checkpoint-dir', '--resume', '--state-backend', '--savepoint-on-stop']) {
      expect(io.out.join('')).toContain(flag);
    }
  });
});
