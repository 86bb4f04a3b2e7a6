#!/usr/bin/env node
// The `runnel` command. Registers tsx so that job modules (and, in the repository, the CLI itself) can be
// TypeScript, then runs the CLI from its sources (`../src/main.ts`, in the workspace) or its build
// (`../dist/main.js`, in a published package).
//
// From source, workspace packages must resolve with the `@runnel/source` export condition. Rather than spawning
// node again with `--conditions=@runnel/source` (a second process, whose signals and exit code the first would
// have to relay), a resolve hook adds the condition in this process; worker threads of the runtime get the flag
// from the runtime itself. When node already runs with the flag, the hook is not needed.
import { existsSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { register as registerTsx } from 'tsx/esm/api';

const sourceMain = new URL('../src/main.ts', import.meta.url);
const fromSource = existsSync(fileURLToPath(sourceMain));

registerTsx();
if (fromSource && !process.execArgv.some((a) => a === '--conditions=@runnel/source' || a === '-C=@runnel/source')) {
  // Registered after tsx, so it runs first and tsx resolves with the added condition.
  registerHooks(new URL('./source-conditions.mjs', import.meta.url));
}

const { main } = await import(fromSource ? sourceMain.href : new URL('../dist/main.js', import.meta.url).href);
const code = await main(process.argv.slice(2));
// Exit explicitly once the output is flushed: a job's sources or libraries may leave handles open (sockets,
// timers) that would otherwise keep the command alive after the job ended.
const flush = (stream) => new Promise((r) => stream.write('', r));
await Promise.all([flush(process.stdout), flush(process.stderr)]);
process.exit(code);
