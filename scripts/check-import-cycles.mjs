#!/usr/bin/env node
// Import-cycle check, run by `pnpm lint` and `pnpm run check` (so by `npm test`): fails when the value imports
// between the TypeScript files of the workspace packages' `src/` form a cycle, and lists one file chain per file
// on a cycle. In a cycle of ES modules one module is evaluated before the other has run, so a class or constant
// read at the top level (`extends`, a registry entry, a default value) can be in its temporal dead zone; which
// one depends on which module is imported first.
//
// An edge is a static import or re-export that exists at run time, parsed with the TypeScript compiler:
//  - counted: `import x from`, `import { a } from`, `import * as n from`, side-effect `import './x.js'`,
//    `export { a } from`, `export * from`, `import x = require()`;
//  - ignored: `import type`, `export type { } from`, and imports/re-exports whose every specifier is type-only
//    (`import { type A, type B } from`), which tie types only; dynamic `import()` (evaluated later, not at load).
// Only relative specifiers are followed (`./x.js` is `./x.ts`); packages are imported by name, and cycles between
// packages are `scripts/check-deps.mjs`'s job.
//
// Usage: node scripts/check-import-cycles.mjs [dir ...]   (default: the `src/` of every workspace package)
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Cycles that exist and are not fixed yet, each with the reason; they are printed, not failed. An entry that no
 * longer matches a cycle fails the check, so the list only shrinks. Paths relative to the repository root, in any
 * rotation, without repeating the first file.
 */
export const KNOWN_CYCLES = [];

/** `cycles` (file chains) split into the unknown ones and the known ones, plus the known entries that are stale. */
export function partitionKnown(cycles, known, root) {
  const keyOf = (files) => [...files].sort().join('\n');
  const knownByKey = new Map(known.map((k) => [keyOf(k.cycle.map((f) => resolve(root, f))), k]));
  const unknown = [];
  const matched = [];
  const seen = new Set();
  for (const chain of cycles) {
    const key = keyOf(chain.slice(0, -1));
    const entry = knownByKey.get(key);
    if (entry === undefined) unknown.push(chain);
    else {
      matched.push({ chain, reason: entry.reason });
      seen.add(key);
    }
  }
  const stale = [...knownByKey].filter(([key]) => !seen.has(key)).map(([, k]) => k);
  return { unknown, matched, stale };
}

/**
 * The source directories of the workspace's packages: `src/`, or for a package without one (examples) its
 * directories other than `test/`.
 */
export function workspaceSourceDirs(root) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^packages:\s*\n((?:[ \t]+-.*\n?)*)/m.exec(yaml)?.[1] ?? '';
  const patterns = [...block.matchAll(/^[ \t]+-\s*['"]?([^'"\s#]+)/gm)].map((m) => m[1]);
  const dirs = [];
  for (const pattern of patterns) {
    const pkgDirs = pattern.endsWith('/*')
      ? listDirs(join(root, pattern.slice(0, -2)))
      : [join(root, pattern)];
    for (const dir of pkgDirs) {
      if (!existsSync(join(dir, 'package.json'))) continue;
      if (existsSync(join(dir, 'src'))) dirs.push(join(dir, 'src'));
      else dirs.push(...listDirs(dir).filter((d) => !['test', 'node_modules', 'dist'].includes(basename(d)) && !basename(d).startsWith('.')));
    }
  }
  return dirs;
}

function listDirs(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((d) => join(dir, d))
    .filter((d) => statSync(d).isDirectory());
}

function tsFiles(dir, acc = []) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, acc);
    else if (/\.(ts|mts|cts|tsx)$/.test(name) && !/\.d\.[mc]?ts$/.test(name)) acc.push(p);
  }
  return acc;
}

/** The module specifiers of `text`'s static imports and re-exports that exist at run time. */
export function valueImports(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false);
  const out = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) {
      if (!ts.isStringLiteral(st.moduleSpecifier)) continue;
      const clause = st.importClause;
      if (clause !== undefined) {
        if (clause.isTypeOnly) continue; // import type ...
        const named = clause.namedBindings;
        const onlyTypeSpecifiers =
          clause.name === undefined &&
          named !== undefined &&
          ts.isNamedImports(named) &&
          named.elements.length > 0 &&
          named.elements.every((e) => e.isTypeOnly);
        if (onlyTypeSpecifiers) continue; // import { type A, type B } ...
      }
      out.push(st.moduleSpecifier.text); // value bindings, or a side-effect import
    } else if (ts.isExportDeclaration(st)) {
      if (st.moduleSpecifier === undefined || !ts.isStringLiteral(st.moduleSpecifier)) continue; // export { a }
      if (st.isTypeOnly) continue; // export type { A } from ...
      const clause = st.exportClause;
      if (clause !== undefined && ts.isNamedExports(clause) && clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly)) {
        continue; // export { type A } from ...
      }
      out.push(st.moduleSpecifier.text); // export { a } from, export * from, export * as n from
    } else if (ts.isImportEqualsDeclaration(st)) {
      if (st.isTypeOnly || !ts.isExternalModuleReference(st.moduleReference)) continue;
      const expr = st.moduleReference.expression;
      if (ts.isStringLiteral(expr)) out.push(expr.text);
    }
  }
  return out;
}

/** The file a relative specifier names, if it is one of `known`. */
function resolveRelative(fromFile, specifier, known) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  const candidates = [base];
  const ext = /\.(js|mjs|cjs|jsx)$/.exec(base);
  if (ext !== null) {
    const stem = base.slice(0, -ext[0].length);
    candidates.push(...{ js: ['.ts', '.tsx'], mjs: ['.mts'], cjs: ['.cts'], jsx: ['.tsx'] }[ext[1]].map((e) => stem + e));
  } else {
    candidates.push(`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'));
  }
  return candidates.find((c) => known.has(c));
}

/** The graph of value imports between the TypeScript files under `dirs`: file -> files it imports. */
export function importGraph(dirs) {
  const files = [...new Set(dirs.flatMap((d) => tsFiles(resolve(d))))];
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const targets = new Set();
    for (const spec of valueImports(file, readFileSync(file, 'utf8'))) {
      const target = resolveRelative(file, spec, known);
      if (target !== undefined) targets.add(target);
    }
    graph.set(file, [...targets].sort());
  }
  return graph;
}

/** Strongly connected components (Tarjan) that contain a cycle. */
function cyclicComponents(graph) {
  let next = 0;
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const out = [];
  const connect = (v) => {
    // Iterative, so deep import chains cannot overflow the call stack.
    const work = [[v, 0]];
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, i] = frame;
      const edges = graph.get(node) ?? [];
      if (i < edges.length) {
        frame[1]++;
        const w = edges[i];
        if (!index.has(w)) {
          index.set(w, next);
          low.set(w, next++);
          stack.push(w);
          onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) {
          low.set(node, Math.min(low.get(node), index.get(w)));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent), low.get(node)));
      }
      if (low.get(node) === index.get(node)) {
        const component = [];
        let w;
        do {
          w = stack.pop();
          onStack.delete(w);
          component.push(w);
        } while (w !== node);
        if (component.length > 1 || (graph.get(node) ?? []).includes(node)) out.push(component.sort());
      }
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return out;
}

/** The shortest cycle through `start` inside `members`, as a file chain that ends where it starts. */
function shortestCycle(graph, start, members) {
  const prev = new Map();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of graph.get(v) ?? []) {
      if (!members.has(w)) continue;
      if (w === start) {
        const chain = [v];
        while (chain[0] !== start) chain.unshift(prev.get(chain[0]));
        return [...chain, start];
      }
      if (!prev.has(w)) {
        prev.set(w, v);
        queue.push(w);
      }
    }
  }
  return undefined; // not reached: every member of a cyclic component is on a cycle
}

/**
 * The import cycles of `graph`: for every file on a cycle, the shortest cycle through it (each distinct cycle
 * once, rotated to start at its smallest file), so each file chain that needs breaking is listed.
 * @returns {string[][]} file chains, first file repeated at the end
 */
export function findImportCycles(graph) {
  const cycles = new Map();
  for (const component of cyclicComponents(graph)) {
    const members = new Set(component);
    for (const file of component) {
      const cycle = shortestCycle(graph, file, members);
      if (cycle === undefined) continue;
      const ring = cycle.slice(0, -1);
      const first = ring.indexOf([...ring].sort()[0]);
      const rotated = [...ring.slice(first), ...ring.slice(0, first)];
      const key = rotated.join('\n');
      if (!cycles.has(key)) cycles.set(key, [...rotated, rotated[0]]);
    }
  }
  return [...cycles.values()];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const started = performance.now();
  const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
  const args = process.argv.slice(2);
  const dirs = args.length > 0 ? args.map((a) => resolve(a)) : workspaceSourceDirs(root);
  const graph = importGraph(dirs);
  const { unknown, matched, stale } = partitionKnown(findImportCycles(graph), args.length > 0 ? [] : KNOWN_CYCLES, root);
  const show = (f) => relative(process.cwd(), f) || f;
  const chain = (c) => `  ${c.map(show).join('\n    -> ')}`;
  for (const { chain: c, reason } of matched) console.warn(`import-cycle check: known cycle, not fixed yet:\n${chain(c)}\n  (${reason})`);
  if (unknown.length > 0 || stale.length > 0) {
    if (unknown.length > 0) {
      console.error(
        `import-cycle check failed: ${unknown.length} cycle(s) of value imports (break each by moving the shared ` +
          `declaration into a module both can import, or import what is only a type with 'import type'):\n` +
          unknown.map(chain).join('\n'),
      );
    }
    for (const k of stale) {
      console.error(`import-cycle check failed: KNOWN_CYCLES lists a cycle that no longer exists, remove it: ${k.cycle.join(' -> ')}`);
    }
    process.exit(1);
  }
  const edges = [...graph.values()].reduce((n, targets) => n + targets.length, 0);
  console.log(
    `import-cycle check: ${graph.size} files, ${edges} value imports, no new cycles (${Math.round(performance.now() - started)} ms)`,
  );
}
