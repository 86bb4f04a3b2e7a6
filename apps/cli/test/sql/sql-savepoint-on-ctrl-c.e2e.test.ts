// `runnel sql -f`: Ctrl-C during an INSERT stops the job with a savepoint when `state.savepoints.dir` is set, and
// the same script restarted with `execution.savepoint.path` restores from it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliDir } from '../helpers/run-cli.js';

function run(script: string, interruptAfter?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${cliDir}/bin/runnel.mjs`, 'sql', '-f', script], { cwd: cliDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (interruptAfter && !sent && interruptAfter.test(stdout)) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 1500);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('runnel sql -f: Ctrl-C with a savepoint directory', () => {
  it('stops an INSERT with a savepoint, and the script restores from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-ctrl-c-'));
    const tables = `SET 'state.savepoints.dir' = '${join(dir, 'savepoints')}';
SET 'state.checkpoints.dir' = '${join(dir, 'checkpoints')}';
CREATE TABLE numbers (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '2000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '100000000');
CREATE TABLE counts (k BIGINT, n BIGINT) WITH ('connector' = 'print');
`;
    const first = join(dir, 'first.sql');
    writeFileSync(first, `${tables}INSERT INTO counts SELECT id % 3, COUNT(*) FROM numbers GROUP BY id % 3;\n`);
    const a = await run(first, /Job ID: /);
    expect(a.code).toBe(0);
    const m = /stopped with a savepoint: (\S+)/.exec(a.stderr);
    expect(m, a.stderr).not.toBeNull();
    const savepoint = m![1]!;
    expect(existsSync(savepoint)).toBe(true);

    const second = join(dir, 'second.sql');
    writeFileSync(second, `SET 'execution.savepoint.path' = '${savepoint}';\n${tables}INSERT INTO counts SELECT id % 3, COUNT(*) FROM numbers GROUP BY id % 3;\n`);
    const b = await run(second, /Job ID: /);
    expect(b.code).toBe(0);
    expect(b.stderr).toContain(`restoring from savepoint ${savepoint}`);
    // The restored counts go on from the savepoint's (a group's first change after the restore retracts a count > 0).
    expect(b.stdout).toMatch(/-U\[\d, [1-9]\d*\]/);
  }, 60_000);
});
