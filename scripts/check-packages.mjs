#!/usr/bin/env node
// Packaging check of every published package (`pnpm check:packages`, run by .ci/run after `pnpm build`): packs each
// non-private package under packages/ with pnpm, as `pnpm publish` would, and checks the tarball:
//  - our own checks (scripts/packaging.mjs): no `workspace:` ranges left, no `@runnel/source` condition in the
//    published exports, every exports target is a built file in the tarball with its .d.ts next to it, every
//    relative import of dist/ resolves inside the tarball and every package import is a declared dependency,
//    source maps point at shipped sources, no tests, no API Extractor temp files, nothing compiled into src/;
//  - publint (strict: warnings fail);
//  - Are the Types Wrong (`attw --profile esm-only`: the packages are ES modules only, so node10 and
//    require-from-CJS resolutions are not checked; `--no-definitely-typed`, so nothing is fetched).
// Needs a build (`pnpm build`). Prints each tarball's size and file count.
// `publishConfig.exports` repeats `exports` without the source condition (pnpm publishes it in place of `exports`);
// `--fix` rewrites it from `exports` after an entry point was added.
//   node scripts/check-packages.mjs [--keep] [--fix] [package-name ...]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { checkPackedPackage, checkWorkspaceManifest, pack, publishablePackages, readTarball, withPublishedExports } from './packaging.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const only = args.filter((a) => !a.startsWith('--'));
const started = Date.now();

const pkgs = publishablePackages(root).filter((p) => only.length === 0 || only.includes(p.name));
if (pkgs.length === 0) {
  console.error(`check-packages: no published package matches ${only.join(', ')}`);
  process.exit(2);
}
if (args.includes('--fix')) {
  for (const p of pkgs) {
    const file = join(p.dir, 'package.json');
    const text = readFileSync(file, 'utf8');
    const fixed = JSON.stringify(withPublishedExports(JSON.parse(text)), null, 2) + '\n';
    if (fixed !== text) {
      writeFileSync(file, fixed);
      p.manifest = JSON.parse(fixed);
      console.log(`${p.name}: publishConfig.exports rewritten from exports`);
    }
  }
}
const problems = [];
for (const p of pkgs) {
  problems.push(...checkWorkspaceManifest(p.manifest, (f) => existsSync(join(p.dir, f))));
  if (!existsSync(join(p.dir, 'dist', 'index.js'))) problems.push(`${p.name}: ${relative(root, p.dir)}/dist/index.js is missing — run \`pnpm build\` first`);
}
if (problems.length > 0) fail(problems);

const dest = mkdtempSync(join(tmpdir(), 'runnel-pack-'));
const attwBin = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
const results = [];
try {
  const packed = pkgs.map((p) => ({ ...p, ...pack(p.dir, dest) }));
  // attw loads a TypeScript per run (~4 s): two at a time.
  const attw = runLimited(packed.map((p) => () => run(process.execPath, [attwBin, p.filename, '--profile', 'esm-only', '--no-definitely-typed', '--format', 'ascii', '--no-color', '--no-emoji'])), 2);
  for (const p of packed) {
    const files = readTarball(p.filename);
    const manifest = JSON.parse(files.get('package.json').toString('utf8'));
    const own = checkPackedPackage(manifest, files);
    const tarball = readFileSync(p.filename);
    const lint = await publint({ pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) }, level: 'suggestion', strict: true });
    const lintMessages = lint.messages.map((m) => `${p.name}: publint ${m.type} ${m.code}: ${formatMessage(m, lint.pkg, { color: false })}`);
    results.push({ p, files, own, lintErrors: lintMessages.filter((_, i) => lint.messages[i].type !== 'suggestion'), lintSuggestions: lintMessages.filter((_, i) => lint.messages[i].type === 'suggestion') });
  }
  const attwResults = await attw;
  console.log('package                     tarball     unpacked  files  checks');
  for (const [i, r] of results.entries()) {
    const a = attwResults[i];
    const unpacked = [...r.files.values()].reduce((s, b) => s + b.length, 0);
    const bad = [...r.own, ...r.lintErrors];
    if (a.code !== 0) bad.push(`${r.p.name}: attw --profile esm-only failed:\n${a.out.trim()}`);
    console.log(`${r.p.name.padEnd(27)} ${kib(r.p.size).padStart(9)} ${kib(unpacked).padStart(10)}  ${String(r.files.size).padStart(5)}  ${bad.length === 0 ? 'ok' : `${bad.length} problem(s)`}`);
    for (const s of r.lintSuggestions) console.log(`  (suggestion) ${s}`);
    problems.push(...bad);
  }
} finally {
  if (keep) console.log(`tarballs kept in ${dest}`);
  else rmSync(dest, { recursive: true, force: true });
}
if (problems.length > 0) fail(problems);
console.log(`check-packages: ${pkgs.length} packages ok (own checks, publint, attw) in ${((Date.now() - started) / 1000).toFixed(1)} s`);

function fail(list) {
  console.error(`check-packages failed:\n  ${list.join('\n  ')}`);
  process.exit(1);
}

function kib(n) {
  return `${(n / 1024).toFixed(1)} KiB`;
}

function run(cmd, argv) {
  return new Promise((done) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => done({ code, out }));
  });
}

async function runLimited(tasks, limit) {
  const out = new Array(tasks.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]();
    }
  }));
  return out;
}
