// Runs the real `bin/runnel.mjs` in a child process (the end-to-end tests' way of invoking the CLI), collecting
// its output and how it exited.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The CLI package's directory: the default working directory of a run. */
export const cliDir = fileURLToPath(new URL('../..', import.meta.url));

/** How a CLI run ended and what it printed. */
export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `runnel <args>` in `cwd` (default: the CLI package); `onSpawn` gets the child, e.g. to signal it. */
export function runnel(args: string[], onSpawn?: (child: ReturnType<typeof spawn>) => void, cwd = cliDir): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${cliDir}/bin/runnel.mjs`, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    onSpawn?.(child);
  });
}
