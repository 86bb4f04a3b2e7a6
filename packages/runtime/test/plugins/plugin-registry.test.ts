// The plugin registry finds plugins in installed packages by the `runnel` manifest of their package.json — without
// Runnel naming them — imports a plugin's module only when asked for its identifier, checks what it imports, and
// says what is available when a name is unknown. Packages are written into a temporary node_modules folder.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginRegistry, pluginRegistry } from '../../src/plugins/plugin-registry.js';
import { resolvePackageSubpath } from '../../src/plugins/package-exports.js';

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

/** Writes a package into `<root>/node_modules/<name>` with a package.json and files. */
function writePackage(root: string, name: string, pkg: Record<string, unknown>, files: Record<string, string>): string {
  const dir = join(root, 'node_modules', ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', ...pkg }));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'runnel-plugins-'));
  roots.push(root);
  return root;
}

const memBackend = (identifier: string, apiVersion = '^0.1.0') => `
export const backend = {
  kind: 'state-backend',
  identifier: '${identifier}',
  apiVersion: '${apiVersion}',
  description: 'test backend',
  options: [],
  create() { return { name: '${identifier}' }; },
};
export default backend;
`;

describe('plugin registry', () => {
  it('finds a state backend by the manifest of an installed package and imports it only when asked for', async () => {
    const root = project();
    writePackage(root, '@acme/runnel-mem', { exports: { '.': './dist/index.js' }, runnel: { stateBackends: { mem: '.#backend' } } }, { 'dist/index.js': memBackend('mem') });
    // A package without a manifest, and one whose module would throw when imported: never imported.
    writePackage(root, 'left-pad', { main: 'index.js' }, { 'index.js': 'export default 1;' });
    writePackage(root, 'broken-plugin', { exports: './index.js', runnel: { stateBackends: { broken: '.' } } }, { 'index.js': "throw new Error('imported');" });
    const r = new PluginRegistry([root], new Set(['import', 'default']));
    const f = await r.find('stateBackends', 'MEM');
    expect(f.identifier).toBe('mem');
    expect(r.available('stateBackends')).toEqual([
      { identifier: 'broken', source: 'broken-plugin' },
      { identifier: 'mem', source: '@acme/runnel-mem' },
    ]);
    await expect(r.find('stateBackends', 'broken')).rejects.toThrow(/cannot load the state backend 'broken' of broken-plugin from .*: imported/);
  });

  it('says what is available, with the closest name, when an identifier is unknown', async () => {
    const root = project();
    writePackage(root, 'runnel-mem', { exports: './i.js', runnel: { stateBackends: { mem: '.#backend' } } }, { 'i.js': memBackend('mem') });
    const r = new PluginRegistry([root], new Set(['import', 'default']));
    await expect(r.find('stateBackends', 'men')).rejects.toThrow(
      /^unknown state backend 'men' \(state\.backend\.type\); did you mean 'mem'\?; available: mem \(runnel-mem\)\. A state backend from another package is found when/,
    );
  });

  it('refuses a plugin built for another API version, one that exports something else, and two packages with one name', async () => {
    const root = project();
    writePackage(root, 'old-plugin', { exports: './i.js', runnel: { stateBackends: { old: '.#backend' } } }, { 'i.js': memBackend('old', '^0.9.0') });
    writePackage(root, 'liar', { exports: './i.js', runnel: { stateBackends: { liar: '.#backend' } } }, { 'i.js': memBackend('someone-else') });
    writePackage(root, 'twin-a', { exports: './i.js', runnel: { stateBackends: { twin: '.#backend' } } }, { 'i.js': memBackend('twin') });
    writePackage(root, 'twin-b', { exports: './i.js', runnel: { stateBackends: { twin: '.#backend' } } }, { 'i.js': memBackend('twin') });
    const r = new PluginRegistry([root], new Set(['import', 'default']));
    await expect(r.find('stateBackends', 'old')).rejects.toThrow(/built for @runnel\/api \^0\.9\.0, and this runtime provides 0\.1\.0/);
    await expect(r.find('stateBackends', 'liar')).rejects.toThrow(/the factory it exports is the state-backend 'someone-else'/);
    await expect(r.find('stateBackends', 'twin')).rejects.toThrow(/provided by more than one installed package \(twin-a, twin-b\)/);
  });

  it('finds a checkpoint storage by URI scheme; file is built in', async () => {
    const root = project();
    const storage = `export default { kind: 'checkpoint-storage', identifier: 'memfs', schemes: ['mem'], apiVersion: '^0.1.0', description: 't', options: [], create() {}, open() {} };`;
    writePackage(root, 'memfs', { exports: './i.js', runnel: { checkpointStorages: { memfs: { module: '.', schemes: ['mem'] } } } }, { 'i.js': storage });
    const r = pluginRegistry(join(root, 'job.ts'));
    expect((await r.findByScheme('mem')).identifier).toBe('memfs');
    expect((await r.findByScheme('file')).identifier).toBe('filesystem');
    await expect(r.findByScheme('s3')).rejects.toThrow(/no checkpoint storage serves the scheme 's3:'/);
  });

  it('finds the LevelDB backend of the workspace through its package manifest (nothing in the runtime names it)', async () => {
    const f = await pluginRegistry().find('stateBackends', 'level');
    expect(f).toMatchObject({ kind: 'state-backend', identifier: 'level' });
  });

  it('resolves package subpaths like Node: conditions in the order of the exports object, exact subpaths, main', () => {
    const pkg = { exports: { '.': { '@runnel/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' }, './plugin': './dist/plugin.js' } };
    expect(resolvePackageSubpath('/p', pkg, '.', new Set(['import', 'default']))).toBe('/p/dist/index.js');
    expect(resolvePackageSubpath('/p', pkg, '.', new Set(['@runnel/source', 'import']))).toBe('/p/src/index.ts');
    expect(resolvePackageSubpath('/p', pkg, './plugin', new Set(['import']))).toBe('/p/dist/plugin.js');
    expect(resolvePackageSubpath('/p', pkg, './missing', new Set(['import']))).toBeUndefined();
    expect(resolvePackageSubpath('/p', { main: 'lib/main.js' }, '.', new Set())).toBe('/p/lib/main.js');
  });
});
