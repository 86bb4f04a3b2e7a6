// `@runnel/cli/register`: makes the current node process able to run Runnel job code written in TypeScript —
// registers tsx, and, when the CLI runs from the repository's sources, the resolve hook that adds the
// `@runnel/source` export condition (so workspace packages resolve to their TypeScript sources without a build).
// `bin/runnel.mjs` imports it first; a job project's tests load it with `node --import @runnel/cli/register --test`,
// so they import the job and the runtime exactly as `runnel run` does.
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register as registerTsx } from 'tsx/esm/api';

/**
 * The CLI's sources are present: it runs from the repository (or a link into it), not from a build.
 *
 * @internal
 */
export const fromSource = existsSync(fileURLToPath(new URL('../src/main.ts', import.meta.url)));

registerTsx();
if (fromSource && !process.execArgv.some((a) => a === '--conditions=@runnel/source' || a === '-C=@runnel/source')) {
  // Registered after tsx, so it runs first and tsx resolves with the added condition.
  registerHooks(new URL('./source-conditions.mjs', import.meta.url));
}
