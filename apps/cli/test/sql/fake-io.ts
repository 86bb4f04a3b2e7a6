// A fake process for driving `runnel sql` in tests: captured stdout/stderr, no signals, no exit.
import type { CliIo } from '../../src/run-command.js';

/** A CliIo that records what is written. */
export function fakeIo(cwd = process.cwd()): CliIo & { out: string[]; err: string[]; text(): string; errors(): string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    text: () => out.join(''),
    errors: () => err.join(''),
    stdout: { write: (t: string) => void out.push(t), isTTY: false },
    stderr: { write: (t: string) => void err.push(t), isTTY: false },
    cwd,
    onSignal: () => () => {},
    exit: () => {
      throw new Error('unexpected exit');
    },
    now: Date.now,
  };
}

/** The rows of a tableau table in the output: cells trimmed, header and borders dropped. */
export function tableauRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.startsWith('| ') && !l.startsWith('| op '))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}
