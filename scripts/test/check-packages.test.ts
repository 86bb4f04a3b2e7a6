import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkPackedPackage,
  checkWorkspaceManifest,
  pack,
  publishablePackages,
  readTarball,
  specifiersOf,
  withPublishedExports,
  // @ts-expect-error plain JS module without types
} from '../packaging.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** A packed package that passes every check; tests break one thing at a time. */
function goodPackage() {
  const manifest = {
    name: '@runnel/x',
    version: '0.1.0',
    type: 'module',
    exports: {
      '.': { types: './dist/index.d.ts', default: './dist/index.js' },
      './sub': { types: './dist/sub/index.d.ts', default: './dist/sub/index.js' },
    },
    dependencies: { '@runnel/api': '^0.1.0' },
    peerDependencies: { level: '^10.0.0' },
  };
  const files = new Map<string, Buffer>(
    Object.entries({
      'package.json': JSON.stringify(manifest),
      'README.md': '# x',
      'dist/index.js': "import { a } from './a.js';\nimport { x } from '@runnel/api/state';\nimport { join } from 'node:path';\n// see import('./gone.js') in a comment\nexport const b = a;",
      'dist/index.d.ts': "export declare const b: typeof import('./a.js').a;\nexport type { X } from '@runnel/api';",
      'dist/index.js.map': JSON.stringify({ version: 3, sources: ['../src/index.ts'] }),
      'dist/a.js': "const level = await import('level');\nexport const a = 1;",
      'dist/a.d.ts': 'export declare const a = 1;',
      'dist/sub/index.js': "export * from '../a.js';",
      'dist/sub/index.d.ts': "export * from '../a.js';",
      'src/index.ts': 'export const b = 1;',
    }).map(([k, v]) => [k, Buffer.from(v)]),
  );
  return { manifest, files };
}

describe('packaging checks of a packed package', () => {
  it('accepts a good package', () => {
    const { manifest, files } = goodPackage();
    expect(checkPackedPackage(manifest, files)).toEqual([]);
  });

  it('flags ranges pnpm did not rewrite and the source condition', () => {
    const { manifest, files } = goodPackage();
    const m = { ...manifest, dependencies: { '@runnel/api': 'workspace:^' }, exports: { '.': { '@runnel/source': './src/index.ts', ...manifest.exports['.'] } } };
    const p = checkPackedPackage(m, files).join('\n');
    expect(p).toMatch(/dependencies.@runnel\/api is 'workspace:\^'/);
    expect(p).toMatch(/still has the '@runnel\/source' condition/);
  });

  it('flags exports targets that are missing, untyped or not built', () => {
    const { manifest, files } = goodPackage();
    files.delete('dist/sub/index.d.ts');
    const m = {
      ...manifest,
      exports: {
        ...manifest.exports,
        './src': { types: './dist/index.d.ts', default: './src/index.ts' },
        './untyped': { default: './dist/a.js' },
      },
    };
    const p = checkPackedPackage(m, files).join('\n');
    expect(p).toMatch(/exports\["\.\/sub"\]\.types: \.\/dist\/sub\/index\.d\.ts is not in the tarball/);
    expect(p).toMatch(/exports\["\.\/src"\] has no "default" condition with a \.js file/);
    expect(p).toMatch(/exports\["\.\/untyped"\] has no "types" condition/);
  });

  it('flags broken relative imports, undeclared packages and dangling source maps', () => {
    const { manifest, files } = goodPackage();
    files.delete('dist/a.js');
    files.delete('src/index.ts');
    files.set('dist/b.js', Buffer.from("import 'tsx';\nexport {};"));
    files.set('dist/b.d.ts', Buffer.from("import type { X } from '@runnel/state-heap';"));
    const p = checkPackedPackage(manifest, files).join('\n');
    expect(p).toMatch(/dist\/index\.js imports \.\/a\.js, which is not in the tarball/);
    expect(p).toMatch(/dist\/b\.js imports tsx, but tsx is not a dependency/);
    expect(p).toMatch(/dist\/b\.d\.ts imports @runnel\/state-heap, but @runnel\/state-heap is not a dependency/);
    expect(p).toMatch(/dist\/index\.js\.map maps to \.\.\/src\/index\.ts, which is not in the tarball/);
    expect(p).not.toMatch(/gone\.js/);
  });

  it('flags tests, API Extractor temp files and compiled files in src/', () => {
    const { manifest, files } = goodPackage();
    for (const f of ['test/a.test.ts', 'dist/api-temp/x.api.md', 'src/index.js', 'src/index.d.ts']) files.set(f, Buffer.from(''));
    files.delete('README.md');
    const p = checkPackedPackage(manifest, files).join('\n');
    expect(p).toMatch(/ships a test or benchmark file: test\/a\.test\.ts/);
    expect(p).toMatch(/ships a build artifact: dist\/api-temp\/x\.api\.md/);
    expect(p).toMatch(/ships a compiled file in src\/: src\/index\.js/);
    expect(p).toMatch(/ships a compiled file in src\/: src\/index\.d\.ts/);
    expect(p).toMatch(/has no README\.md/);
  });

  it('reads specifiers of static, side-effect and dynamic imports, not of comments', () => {
    expect(specifiersOf("import a from './a.js';\nexport { b } from \"../b.js\";\nimport './c.js';\nconst d = await import('d');\n/* import('./e.js') */\n// from './f.js'\nconst conditions = ['import', 'node'];")).toEqual(['./a.js', '../b.js', './c.js', 'd']);
  });
});

describe('workspace manifests of published packages', () => {
  it('publish the exports without the source condition, built files with types, and dist without temp files', () => {
    const problems = publishablePackages(root).flatMap((p: { dir: string; manifest: unknown }) =>
      checkWorkspaceManifest(p.manifest, (f: string) => existsSync(join(p.dir, f))),
    );
    expect(problems).toEqual([]);
  });

  it('flags publishConfig.exports that drifted from exports, and --fix derives it', () => {
    const manifest = {
      name: '@runnel/x',
      exports: {
        '.': { '@runnel/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
        './new': { '@runnel/source': './src/new/index.ts', types: './dist/new/index.d.ts', default: './dist/new/index.js' },
      },
      files: ['dist', '!dist/api-temp', 'src', 'README.md'],
      publishConfig: { access: 'public', exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } } },
    };
    expect(checkWorkspaceManifest(manifest).join('\n')).toMatch(/publishConfig\.exports must equal exports without the '@runnel\/source' condition/);
    const fixed = withPublishedExports(manifest);
    expect(fixed.publishConfig.exports['./new']).toEqual({ types: './dist/new/index.d.ts', default: './dist/new/index.js' });
    expect(checkWorkspaceManifest(fixed)).toEqual([]);
    const { publishConfig: _, ...bare } = manifest;
    expect(Object.keys(withPublishedExports(bare))).toEqual(['name', 'exports', 'files', 'publishConfig']);
  });

  it('flags a source entry that does not correspond to its built files', () => {
    const manifest = withPublishedExports({
      name: '@runnel/x',
      exports: { '.': { '@runnel/source': './src/main.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
      files: ['dist', 'src'],
    });
    const p = checkWorkspaceManifest(manifest).join('\n');
    expect(p).toMatch(/types must be \.\/dist\/main\.d\.ts/);
    expect(p).toMatch(/files must exclude the API Extractor's temp folder/);
  });
});

describe('pnpm pack and the tarball reader', () => {
  it('packs with publishConfig applied and reads long paths back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-pack-test-'));
    try {
      const long = `dist/${'a-rather-long-directory-name/'.repeat(5)}index.js`;
      const pkg = join(dir, 'pkg');
      const files: Record<string, string> = {
        'package.json': JSON.stringify(
          withPublishedExports({
            name: '@runnel/x',
            version: '0.1.0',
            type: 'module',
            exports: { '.': { '@runnel/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
            files: ['dist', '!dist/api-temp', 'src', 'README.md'],
          }),
        ),
        'README.md': '# x',
        'src/index.ts': 'export const x = 1;',
        'dist/index.js': 'export const x = 1;',
        'dist/index.d.ts': 'export declare const x = 1;',
        'dist/api-temp/x.api.md': '',
        [long]: 'export {};',
        'test/x.test.ts': '',
      };
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(dirname(join(pkg, f)), { recursive: true });
        writeFileSync(join(pkg, f), text);
      }
      const packed = pack(pkg, dir);
      const contents = readTarball(packed.filename);
      expect([...contents.keys()].sort()).toEqual(['README.md', 'dist/index.d.ts', 'dist/index.js', long, 'package.json', 'src/index.ts'].sort());
      const manifest = JSON.parse(contents.get('package.json').toString('utf8'));
      expect(manifest.exports).toEqual({ '.': { types: './dist/index.d.ts', default: './dist/index.js' } });
      expect(checkPackedPackage(manifest, contents)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
