#!/usr/bin/env node
// Architecture check, run by `pnpm run check` (and so by the test command): fails when
//  - @runnel/api has dependencies (it holds contracts only),
//  - a plugin package (connectors, formats, state backends, metric reporters, codec, metrics) depends on or
//    imports @runnel/runtime (plugins build against @runnel/api only),
//  - workspace packages form a dependency cycle,
//  - a package entry point uses `export *` (entry points list their exports by name).
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Packages that must never reach the runtime. */
export const isPlugin = (name) =>
  /^@runnel\/(api|codec|metrics|formats|connector-[\w-]+|state-[\w-]+|metrics-[\w-]+)$/.test(name);

/**
 * @param {{name: string, dir: string, deps: Record<string,string>, sources: {file: string, text: string}[], entry?: string}[]} pkgs
 * @returns {string[]} violations
 */
export function findViolations(pkgs) {
  const out = [];
  const names = new Set(pkgs.map((p) => p.name));
  for (const p of pkgs) {
    if (p.name === '@runnel/api') {
      const deps = Object.keys(p.runtimeDeps ?? {});
      if (deps.length > 0) out.push(`@runnel/api must have no runtime dependencies, has: ${deps.join(', ')}`);
    }
    if (isPlugin(p.name)) {
      if ('@runnel/runtime' in p.deps) out.push(`${p.name} is a plugin and must not depend on @runnel/runtime (build against @runnel/api)`);
      for (const s of p.sources) {
        if (/(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]@runnel\/runtime(?:\/[^'"]*)?['"]/.test(s.text)) {
          out.push(`${s.file}: plugin ${p.name} imports @runnel/runtime`);
        }
      }
    }
    if (p.entry !== undefined && /^\s*export\s+\*/m.test(p.entry)) out.push(`${p.name}: its entry point uses 'export *'; list exports by name`);
  }
  // Cycles among workspace packages (dependencies, peer and dev dependencies alike).
  const graph = new Map(pkgs.map((p) => [p.name, Object.keys(p.deps).filter((d) => names.has(d) && d !== p.name)]));
  const state = new Map();
  const stack = [];
  const visit = (n) => {
    state.set(n, 1);
    stack.push(n);
    for (const d of graph.get(n) ?? []) {
      if (state.get(d) === 1) out.push(`dependency cycle: ${[...stack.slice(stack.indexOf(d)), d].join(' -> ')}`);
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(n, 2);
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return out;
}

function walk(dir, acc = []) {
  if (!existsSync(dir)) return acc;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p, acc);
    else if (/\.(ts|mts|js|mjs)$/.test(f)) acc.push(p);
  }
  return acc;
}

export function loadWorkspace(root) {
  const pkgs = [];
  for (const group of ['packages', 'apps', 'benchmarks']) {
    const gdir = join(root, group);
    if (!existsSync(gdir)) continue;
    for (const d of readdirSync(gdir)) {
      const dir = join(gdir, d);
      const pj = join(dir, 'package.json');
      if (!existsSync(pj)) continue;
      const j = JSON.parse(readFileSync(pj, 'utf8'));
      const deps = { ...j.dependencies, ...j.peerDependencies, ...j.devDependencies };
      const sources = walk(join(dir, 'src')).map((file) => ({ file: relative(root, file), text: readFileSync(file, 'utf8') }));
      const entryFile = join(dir, 'src', 'index.ts');
      pkgs.push({ name: j.name, dir, deps, runtimeDeps: j.dependencies ?? {}, sources, entry: existsSync(entryFile) ? readFileSync(entryFile, 'utf8') : undefined });
    }
  }
  return pkgs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const pkgs = loadWorkspace(root);
  const v = findViolations(pkgs);
  if (v.length > 0) {
    console.error(`architecture check failed:\n  ${v.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`architecture check: ${pkgs.length} packages, no violations`);
}
