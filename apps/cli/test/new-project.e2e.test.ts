// Acceptance of `runnel new`: a project scaffolded into a temporary directory, outside the repository, installs,
// runs its job and passes its test with exactly the commands its README gives — with npm offline, since the Runnel
// packages are links into this repository. The repository README's example is checked to be the same job and the
// same commands.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnel } from './helpers/run-cli.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** The commands of the first ```sh block after `heading` in a README (comments stripped). */
function shellBlock(readme: string, heading: string): string[] {
  const at = readme.indexOf(heading);
  expect(at, heading).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  expect(block, `a sh block after ${heading}`).not.toBeNull();
  return block![1]!
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l !== '');
}

/** The user's shell: no npm/pnpm settings inherited from the test runner; npm offline, so nothing is downloaded. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(npm_|pnpm_|PNPM_|VITEST|NODE_OPTIONS$)/i.test(k)) env[k] = v;
  return { ...env, npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
}

function sh(command: string, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env: userEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('runnel new', () => {
  it('scaffolds a project that installs offline, runs its job and passes its test with the commands of its README', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'runnel-new-')));
    try {
      const created = await runnel(['new', 'my-job'], undefined, dir);
      expect(created.stderr).toBe('');
      expect(created.code).toBe(0);
      const project = join(dir, 'my-job');
      const readme = readFileSync(join(project, 'README.md'), 'utf8');
      const commands = shellBlock(readme, '## Commands');
      expect(commands).toEqual(['npm install', 'npx runnel run src/word-count.ts -p 2', 'npm test']);
      // What `runnel new` told the user to do next: the same commands, after the cd.
      expect(created.stdout).toContain(['Next:', '  cd my-job', ...commands.map((c) => `  ${c}`)].join('\n'));

      const install = await sh(commands[0]!, project);
      expect(install.code, install.out).toBe(0);
      // Links into this repository: nothing was downloaded.
      for (const [pkg, dirInRepo] of [['runtime', 'packages/runtime'], ['cli', 'apps/cli']]) {
        expect(lstatSync(join(project, 'node_modules/@runnel', pkg!)).isSymbolicLink()).toBe(true);
        expect(realpathSync(join(project, 'node_modules/@runnel', pkg!))).toBe(realpathSync(join(repo, dirInRepo!)));
      }

      const run = await sh(commands[1]!, project);
      expect(run.code, run.out).toBe(0);
      const printed = run.out
        .split('\n')
        .filter((l) => /^\d+> /.test(l))
        .map((l) => l.replace(/^\d+> /, ''))
        .sort();
      expect(printed).toEqual(['{"word":"be","count":1}', '{"word":"be","count":1}', '{"word":"not","count":1}', '{"word":"or","count":1}', '{"word":"to","count":2}']);
      expect(run.out).toMatch(/^Job 'runnel-job' finished in /m);

      const test = await sh(commands[2]!, project);
      expect(test.code, test.out).toBe(0);
      // node --test reports in TAP when not on a terminal (Node 20), in its spec format on newer versions.
      expect(test.out).toMatch(/^(?:# |ℹ )pass 3$/m);
      expect(test.out).toMatch(/^(?:# |ℹ )fail 0$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("keeps the repository README's example true: the template's job and the project's commands", () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const job = readFileSync(fileURLToPath(new URL('../template/src/word-count.ts', import.meta.url)), 'utf8');
    expect(readme).toContain('```ts\n' + job + '```');
    const template = readFileSync(fileURLToPath(new URL('../template/README.md', import.meta.url)), 'utf8');
    const project = shellBlock(template, '## Commands');
    expect(shellBlock(readme, '## A DataStream job')).toEqual(['npm run setup', 'npx runnel new ../my-job', 'cd ../my-job', ...project]);
  });
});
