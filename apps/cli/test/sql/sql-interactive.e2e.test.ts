// `runnel sql` without -f: statements typed line by line (a statement may span lines and ends with `;`), results in
// the configured mode, an error that does not end the client, QUIT.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliDir } from '../helpers/run-cli.js';
import { statementComplete } from '../../src/sql-interactive.js';
import { tableauRows } from './fake-io.js';

function session(input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${cliDir}/bin/runnel.mjs`, 'sql'], { cwd: cliDir, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, HOME: '/tmp' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('runnel sql (interactive)', () => {
  it('knows when a statement is complete', () => {
    expect(statementComplete('SELECT 1')).toBe(false);
    expect(statementComplete('SELECT 1;')).toBe(true);
    expect(statementComplete("SELECT ';")).toBe(false);
    expect(statementComplete("SELECT ';';")).toBe(true);
    expect(statementComplete('SELECT 1; -- done')).toBe(true);
    expect(statementComplete('SELECT 1 /* ; */')).toBe(false);
    expect(statementComplete('SELECT `a;b`')).toBe(false);
  });

  it('runs statements typed over several lines, keeps going after an error, and quits', async () => {
    const r = await session(
      [
        "SET 'sql-client.execution.result-mode' = 'changelog';",
        'SELECT a, COUNT(*) AS n',
        '  FROM (VALUES (1), (1), (2)) AS t(a)',
        '  GROUP BY a;',
        'SELEC 1;',
        "SET 'sql-client.execution.result-mode' = 'table';",
        'SELECT 40 + 2 AS answer;',
        'QUIT;',
      ].join('\n') + '\n',
    );
    expect(r.code).toBe(0);
    const rows = tableauRows(r.stdout);
    expect(rows.slice(0, 4)).toEqual([
      ['+I', '1', '1'],
      ['-U', '1', '1'],
      ['+U', '1', '2'],
      ['+I', '2', '1'],
    ]);
    expect(rows.slice(4)).toEqual([['answer'], ['42']]);
    expect(r.stderr).toContain("found 'SELEC', did you mean SELECT?");
    expect(r.stdout).toContain('Goodbye!');
  });
});
