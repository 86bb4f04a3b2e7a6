#!/usr/bin/env node
// The `runnel` command. Registers tsx so that job modules (and, in the repository, the CLI itself) can be
// TypeScript, then runs the CLI from its sources (`../src/main.ts`, in the workspace) or its build
// (`../dist/main.js`, in a published package).
//
// From source, workspace packages must resolve with the `@runnel/source` export condition. Rather than spawning
// node again with `--conditions=@runnel/source` (a second process, whose signals and exit code the first would
// have to relay), a resolve hook adds the condition in this process (`register.mjs`); worker threads of the
// runtime get the flag from the runtime itself. When node already runs with the flag, the hook is not needed.
import { fromSource } from './register.mjs';

const { main } = await import(new URL(fromSource ? '../src/main.ts' : '../dist/main.js', import.meta.url).href);
const code = await main(process.argv.slice(2));
// Exit explicitly once the output is flushed: a job's sources or libraries may leave handles open (sockets,
// timers) that would otherwise keep the command alive after the job ended.
const flush = (stream) => new Promise((r) => stream.write('', r));
await Promise.all([flush(process.stdout), flush(process.stderr)]);
process.exit(code);
