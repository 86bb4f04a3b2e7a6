// End-to-end: errors of the user's code before the job runs — building the graph, loading the module — name the
// job file, line and column, without the runtime's stack; a job file outside a project gets a hint.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobSummary } from '../src/summary.js';
import { runnel } from './helpers/run-cli.js';

const HEADLINE = "error while building the job graph in test/fixtures/missing-arg-job.ts:6:29: TypeError: Cannot read properties of undefined (reading 'split')";

describe('runnel run: errors in the job code', () => {
  it('names the job file, line and column when the job function throws while building the graph', async () => {
    const r = await runnel(['run', 'test/fixtures/missing-arg-job.ts']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toEqual([HEADLINE, "  the job function's args: none (pass them with --arg KEY=VALUE)", '']);
    // No internal stack without --verbose.
    expect(r.stderr).not.toMatch(/packages\/runtime|run-job|node:internal/);

    const json = await runnel(['run', 'test/fixtures/missing-arg-job.ts', '--json', '--arg', 'word=x']);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as JobSummary).error).toBe(HEADLINE);
    expect(json.stderr).toContain(`the job function's args: {"word":"x"}`);

    const verbose = await runnel(['run', 'test/fixtures/missing-arg-job.ts', '--verbose']);
    expect(verbose.stderr.startsWith(`${HEADLINE}\n`)).toBe(true);
    expect(verbose.stderr).toMatch(/at submitJob \(.*run-job\.ts:\d+:\d+\)/);
  });

  it('says that loading the module failed, and where', async () => {
    const r = await runnel(['run', 'test/fixtures/load-error-job.ts']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error while loading the job module in test/fixtures/load-error-job.ts:6:21: TypeError: Cannot read properties of null (reading 'n')\n");
  });

  it('places a syntax error, and explains a job file outside a project', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-cli-load-'));
    try {
      writeFileSync(join(dir, 'job.ts'), "import { defineJob } from '@runnel/runtime';\nexport default defineJob((env) => {\n  env.fromCollection([1, 2).collect();\n});\n");
      // Without "type": "module" the file is CommonJS to node, and tsx fails with a require() cycle.
      const cjs = await runnel(['run', 'job.ts'], undefined, dir);
      expect(cjs.code).toBe(1);
      expect(cjs.stderr).toMatch(/^error while loading the job module in job\.ts: Cannot require\(\) ES Module/);
      expect(cjs.stderr).toContain(`hint: job.ts is loaded as CommonJS because no package.json above it says "type": "module"; create a project with 'runnel new <dir>'`);

      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      const syntax = await runnel(['run', 'job.ts'], undefined, dir);
      expect(syntax.stderr).toBe('error while loading the job module in job.ts:3:27: syntax error: Expected "]" but found ")"\n');

      writeFileSync(join(dir, 'job.ts'), "import { defineJob } from '@runnel/runtime';\nexport default defineJob((env) => env.fromCollection([1]).collect());\n");
      const missing = await runnel(['run', 'job.ts'], undefined, dir);
      expect(missing.stderr).toMatch(/^error while loading the job module in job\.ts: Cannot find package '@runnel\/runtime'/);
      expect(missing.stderr).toContain("hint: @runnel/runtime is not installed where job.ts can import it (node_modules of its directory or above): create a project with 'runnel new <dir>'");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
