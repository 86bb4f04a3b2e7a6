import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types
import { findImportCycles, importGraph, KNOWN_CYCLES, partitionKnown, valueImports, workspaceSourceDirs } from '../check-import-cycles.mjs';

const SCRIPT = fileURLToPath(new URL('../check-import-cycles.mjs', import.meta.url));
const dirs: string[] = [];

/** A temp `src/` directory holding `files` (name -> text). */
function srcDir(files: Record<string, string>): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'runnel-cycles-')), 'src');
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const cyclesIn = (dir: string): string[][] =>
  (findImportCycles(importGraph([dir])) as string[][]).map((c) => c.map((f) => f.slice(dir.length + 1)));

const run = (dir: string) => spawnSync(process.execPath, [SCRIPT, dir], { encoding: 'utf8' });

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(join(d, '..'), { recursive: true, force: true });
});

describe('import-cycle check', () => {
  it('fails a cycle through value imports and lists its file chain', () => {
    const dir = srcDir({
      'a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'b.ts': "import { c } from './sub/c.js';\nexport const b = c;\n",
      'sub/c.ts': "import { a } from '../a.js';\nexport const c = () => a;\n",
      'd.ts': "import { a } from './a.js';\nexport const d = a;\n", // imports the cycle, is not on it
    });
    expect(cyclesIn(dir)).toEqual([['a.ts', 'b.ts', 'sub/c.ts', 'a.ts']]);
    const r = run(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/1 cycle\(s\) of value imports/);
    expect(r.stderr).toMatch(/a\.ts\n\s+-> .*b\.ts\n\s+-> .*sub\/c\.ts\n\s+-> .*a\.ts/);
  });

  it('passes the same cycle when one of its imports is type-only', () => {
    const variants = [
      "import type { A } from '../a.js';",
      "import { type A } from '../a.js';",
      "import { type A, type a } from '../a.js';",
      "export type { A } from '../a.js';",
      "export { type A } from '../a.js';",
    ];
    for (const typeOnly of variants) {
      const dir = srcDir({
        'a.ts': "import { b } from './b.js';\nexport interface A { n: number }\nexport const a = () => b;\n",
        'b.ts': "import { c } from './sub/c.js';\nexport const b = c;\n",
        'sub/c.ts': `${typeOnly}\nexport const c = (x: A) => x;\n`,
      });
      expect(cyclesIn(dir), typeOnly).toEqual([]);
      if (typeOnly === variants[0]) expect(run(dir).status).toBe(0);
    }
  });

  it('counts side-effect imports, re-exports and mixed imports as value imports', () => {
    const text = [
      "import './side-effect.js';",
      "import { type A, a } from './mixed.js';",
      "import * as ns from './namespace.js';",
      "import def from './default.js';",
      "export { x } from './reexport.js';",
      "export * from './star.js';",
      "import type { T } from './type.js';",
      "export type { U } from './type-export.js';",
      "const lazy = () => import('./dynamic.js');",
    ].join('\n');
    expect(valueImports('x.ts', text)).toEqual(['./side-effect.js', './mixed.js', './namespace.js', './default.js', './reexport.js', './star.js']);
  });

  it('finds a self-import and separate cycles', () => {
    const dir = srcDir({
      'self.ts': "export * from './self.js';\n",
      'p.ts': "export { q } from './q.js';\nexport const p = 1;\n",
      'q.ts': "import { p } from './p.js';\nexport const q = p;\n",
    });
    expect(cyclesIn(dir)).toEqual([['p.ts', 'q.ts', 'p.ts'], ['self.ts', 'self.ts']]);
  });

  it('the workspace has no cycles beyond the known ones, and every known one still exists', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const { unknown, stale } = partitionKnown(findImportCycles(importGraph(workspaceSourceDirs(root))), KNOWN_CYCLES, root);
    expect(unknown).toEqual([]);
    expect(stale).toEqual([]);
  });
});
