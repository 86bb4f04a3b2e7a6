import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
// @ts-expect-error plain JS module without types
import { findViolations, loadWorkspace } from '../check-deps.mjs';

const pkg = (name: string, deps: string[] = [], sources: { file: string; text: string }[] = [], entry?: string) => ({
  name,
  dir: name,
  deps: Object.fromEntries(deps.map((d) => [d, 'workspace:*'])),
  runtimeDeps: {},
  sources,
  entry,
});

describe('architecture check', () => {
  it('accepts the real workspace', () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    expect(findViolations(loadWorkspace(root))).toEqual([]);
  });

  it('fails a plugin that depends on or imports the runtime', () => {
    const v = findViolations([
      pkg('@runnel/runtime'),
      pkg('@runnel/connector-x', ['@runnel/runtime']),
      pkg('@runnel/state-y', [], [{ file: 'a.ts', text: "import { X } from '@runnel/runtime/internal';" }]),
    ]);
    expect(v.join('\n')).toMatch(/connector-x is a plugin/);
    expect(v.join('\n')).toMatch(/a.ts: plugin @runnel\/state-y imports @runnel\/runtime/);
  });

  it('fails dependency cycles and export *', () => {
    const v = findViolations([pkg('@runnel/a', ['@runnel/b']), pkg('@runnel/b', ['@runnel/a']), pkg('@runnel/c', [], [], "export * from './x.js';")]);
    expect(v.join('\n')).toMatch(/dependency cycle: @runnel\/a -> @runnel\/b -> @runnel\/a/);
    expect(v.join('\n')).toMatch(/@runnel\/c: its entry point uses 'export \*'/);
  });
});
