#!/usr/bin/env node
// Scaffolds a workspace package with the project's conventions:
//   node scripts/new-package.mjs packages/state-heap @runnel/state-heap "Keyed state in JS memory" [subpath ...]
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [dir, name, description, ...subpaths] = process.argv.slice(2);
if (!dir || !name) { console.error('usage: new-package <dir> <@runnel/name> <description> [subpath ...]'); process.exit(2); }
const depth = dir.split('/').length;
const up = '../'.repeat(depth);
const entry = (sub) => {
  const base = sub ? `${sub}/index` : 'index';
  return { '@runnel/source': `./src/${base}.ts`, types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` };
};
const exportsMap = { '.': entry('') };
for (const s of subpaths) exportsMap[`./${s}`] = entry(s);
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
// Published exports: the same without the source condition (see docs/architecture.md, Packaging and publishing).
const publishedExports = Object.fromEntries(Object.entries(exportsMap).map(([k, { '@runnel/source': _, ...rest }]) => [k, rest]));
const pkg = {
  name, version: '0.1.0', description, type: 'module', license: 'Apache-2.0',
  exports: exportsMap, files: ['dist', '!dist/api-temp', 'src', 'README.md'],
  publishConfig: { access: 'public', exports: publishedExports },
  scripts: {
    build: 'rm -rf dist && tsc -p tsconfig.build.json',
    typecheck: 'tsc -p tsconfig.json --noEmit',
    test: `vitest run --config ${up}vitest.config.ts`,
  },
};
if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: `${up}tsconfig.base.json`, compilerOptions: { noEmit: true }, include: ['src', 'test'] }, null, 2) + '\n');
writeFileSync(join(dir, 'tsconfig.build.json'), JSON.stringify({ extends: `${up}tsconfig.base.json`, compilerOptions: { outDir: 'dist', rootDir: 'src', noEmit: false }, include: ['src'] }, null, 2) + '\n');
console.log(`scaffolded ${name} in ${dir}`);
