import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCommandLine, UsageError } from '../src/args.js';
import { main } from '../src/main.js';
import { newCommand, packageNameFor, projectPackageJson, runnelPackages, scaffoldProject } from '../src/new-command.js';

const repo = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

function io(cwd: string): { out: string[]; err: string[]; stdout: { write(t: string): void }; stderr: { write(t: string): void }; cwd: string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: { write: (t) => void out.push(t) }, stderr: { write: (t) => void err.push(t) }, cwd };
}

function withTempDir(f: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'runnel-new-unit-'));
  try {
    f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('runnel new: command line', () => {
  it('takes a directory and an optional package name', () => {
    expect(parseCommandLine(['new', 'my-job'])).toEqual({ kind: 'new', new: { directory: 'my-job', name: undefined } });
    expect(parseCommandLine(['new', 'x', '--name', 'word-count'])).toEqual({ kind: 'new', new: { directory: 'x', name: 'word-count' } });
    expect(parseCommandLine(['new', '--help'])).toEqual({ kind: 'help', topic: 'new' });
    expect(parseCommandLine(['help', 'new'])).toEqual({ kind: 'help', topic: 'new' });
  });

  it('rejects a missing, empty or second directory with a usage error pointing at its help', () => {
    for (const [argv, message] of [
      [['new'], /missing the project directory: runnel new <dir>/],
      [['new', ''], /the project directory is empty/],
      [['new', 'a', 'b'], /expected one project directory, got: a b/],
      [['new', 'a', '--name='], /--name needs a package name/],
    ] as const) {
      expect(() => parseCommandLine([...argv]), argv.join(' ')).toThrow(message);
      try {
        parseCommandLine([...argv]);
      } catch (e) {
        expect((e as UsageError).topic).toBe('new');
      }
    }
  });

  it('is listed in the main help and has its own', async () => {
    const a = { ...io(process.cwd()), onSignal: () => () => {}, exit: () => {}, now: Date.now };
    expect(await main(['--help'], a)).toBe(0);
    expect(a.out.join('')).toMatch(/new <dir> {13}create a job project/);
    const b = { ...io(process.cwd()), onSignal: () => () => {}, exit: () => {}, now: Date.now };
    expect(await main(['new', '--help'], b)).toBe(0);
    expect(b.out.join('')).toMatch(/^Usage: runnel new <dir> \[options\]/);
    expect(b.out.join('')).toContain('npx runnel run src/word-count.ts -p 2');
  });
});

describe('runnel new: the project', () => {
  it('links the Runnel packages of this repository when the CLI runs from it', () => {
    expect(runnelPackages()).toEqual({ kind: 'link', repository: repo });
    const pj = projectPackageJson('my-job', { kind: 'link', repository: '/src/runnel' });
    expect(pj).toMatchObject({
      name: 'my-job',
      type: 'module',
      private: true,
      scripts: { start: 'runnel run src/word-count.ts --parallelism 2', test: 'node --import @runnel/cli/register --test test/word-count.spec.ts test/word-count-window.spec.ts' },
      dependencies: { '@runnel/runtime': 'file:/src/runnel/packages/runtime', '@runnel/cli': 'file:/src/runnel/apps/cli', '@runnel/testing': 'file:/src/runnel/packages/testing' },
    });
  });

  it('depends on the registry at the CLI version elsewhere', () => {
    withTempDir((dir) => {
      // A CLI outside a Runnel repository (a published package).
      expect(runnelPackages(join(dir, 'node_modules/@runnel/cli'))).toMatchObject({ kind: 'registry' });
    });
    expect(projectPackageJson('p', { kind: 'registry', version: '0.3.1' }).dependencies).toEqual({ '@runnel/runtime': '^0.3.1', '@runnel/cli': '^0.3.1', '@runnel/testing': '^0.3.1' });
  });

  it('names the package after the directory', () => {
    expect(packageNameFor('/tmp/My Job')).toBe('my-job');
    expect(packageNameFor('jobs/word_count.v2')).toBe('word_count.v2');
    expect(packageNameFor('/tmp/___')).toBe('runnel-job');
  });

  it('writes the template, with README notes for where the packages come from', () => {
    withTempDir((dir) => {
      const project = join(dir, 'p');
      const files = scaffoldProject(project, 'p', { kind: 'link', repository: '/src/runnel' });
      expect(files.sort()).toEqual(['.gitignore', 'README.md', 'package.json', 'src/word-count.ts', 'test/word-count-window.spec.ts', 'test/word-count.spec.ts', 'tsconfig.json']);
      const readme = readFileSync(join(project, 'README.md'), 'utf8');
      expect(readme).not.toMatch(/\{\{/);
      expect(readme).toMatch(/^# p$/m);
      expect(readme).toContain('"@runnel/runtime": "file:/src/runnel/packages/runtime"');
      expect(readFileSync(join(project, 'src/word-count.ts'), 'utf8')).toBe(readFileSync(new URL('../template/src/word-count.ts', import.meta.url), 'utf8'));
      const registry = join(dir, 'q');
      scaffoldProject(registry, 'q', { kind: 'registry', version: '1.0.0' });
      expect(readFileSync(join(registry, 'README.md'), 'utf8')).toContain('published Runnel packages (`^1.0.0`)');
    });
  });

  it('refuses a non-empty directory and an invalid name, and writes nothing then', () => {
    withTempDir((dir) => {
      mkdirSync(join(dir, 'taken'));
      writeFileSync(join(dir, 'taken', 'notes.txt'), 'mine');
      const a = io(dir);
      expect(newCommand({ directory: 'taken', name: undefined }, a)).toBe(1);
      expect(a.err.join('')).toMatch(/^error: runnel new: .*taken exists and is not empty; choose a new directory/);
      expect(readdirSync(join(dir, 'taken'))).toEqual(['notes.txt']);
      const b = io(dir);
      expect(newCommand({ directory: 'fresh', name: 'Not Valid' }, b)).toBe(1);
      expect(b.err.join('')).toMatch(/'Not Valid' is not a valid npm package name/);
      expect(readdirSync(dir)).toEqual(['taken']);
      // An existing empty directory is fine, and `cd` is left out when it is the working directory.
      mkdirSync(join(dir, 'empty'));
      const c = io(join(dir, 'empty'));
      expect(newCommand({ directory: '.', name: undefined }, c)).toBe(0);
      expect(c.out.join('')).toMatch(/^Created the Runnel job project 'empty' in \.: /);
      expect(c.out.join('')).not.toContain('cd ');
    });
  });
});
