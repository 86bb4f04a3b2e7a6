// docs/options.md is generated from the option declarations (scripts/options-doc.ts); this fails when the committed
// file differs from what the declarations generate, i.e. when an option changed without the reference.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS_DOC, renderOptionsDoc } from '../options-doc.ts';
import { RUNTIME_OPTIONS } from '../../packages/runtime/src/execution/runtime-options.ts';
import { LEVEL_STATE_BACKEND_OPTIONS } from '../../packages/state-level/src/options.ts';
import { FILE_OPTIONS } from '../../packages/connector-files/src/options.ts';

describe('docs/options.md', () => {
  it('is what the option declarations generate', () => {
    const committed = readFileSync(OPTIONS_DOC, 'utf8');
    const rendered = renderOptionsDoc();
    if (committed !== rendered) {
      expect.fail('docs/options.md is out of date with the option declarations: run `pnpm options:doc` and commit the result');
    }
    expect(committed).toBe(rendered);
  });

  it('lists every declared key with its type and default, and the keys it is also read as', () => {
    const doc = renderOptionsDoc();
    for (const o of [...RUNTIME_OPTIONS, ...LEVEL_STATE_BACKEND_OPTIONS, ...FILE_OPTIONS]) {
      expect(doc).toContain('key' in o ? `| \`${o.key}\` |` : `| \`${o.prefix}*\` | prefix |`);
    }
    expect(doc).toContain('| `taskmanager.memory.segment-size` | memory, ≥ 1 b | `32 kb` |');
    expect(doc).toContain('| `state.backend.type` | string | `heap` | Where keyed state lives: the identifier of a state backend plugin');
    expect(doc).toMatch(/\| `state\.checkpoints\.dir` \|.*\| `execution\.checkpointing\.dir` \|\n/);
    expect(doc).toMatch(/\| `state\.backend\.type` \|.*\| `state\.backend` \(deprecated\) \|\n/);
    expect(doc).toContain('| `state.backend.level.prefetch.read-parallelism` | int, 1 to 64 | `2` |');
    // Grouped by area.
    const areas = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(areas).toEqual(['Runtime', 'Checkpointing', 'State backends', 'Connectors', 'SQL']);
  });
});
