// The interactive loop of `runnel sql`: a `Flink SQL>` prompt, multi-line statements ended by `;` (a `;` inside a
// string or comment does not end one), history kept in ~/.runnel/sql-history, `QUIT;`/`EXIT;` or Ctrl-D to leave.
import { createInterface } from 'node:readline';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from './run-command.js';

/** Whether `text` ends with a `;` outside strings, quoted identifiers and comments. @internal */
export function statementComplete(text: string): boolean {
  let inStr = false, inIdent = false, inLine = false, inBlock = false;
  let lastSemicolon = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const n = text[i + 1];
    if (inLine) {
      if (c === '\n') inLine = false;
      continue;
    }
    if (inBlock) {
      if (c === '*' && n === '/') {
        inBlock = false;
        i++;
      }
      continue;
    }
    if (inStr) {
      if (c === "'") inStr = false;
      continue;
    }
    if (inIdent) {
      if (c === '`') inIdent = false;
      continue;
    }
    if (c === '-' && n === '-') inLine = true;
    else if (c === '/' && n === '*') inBlock = true;
    else if (c === "'") inStr = true;
    else if (c === '`') inIdent = true;
    if (c === ';') lastSemicolon = true;
    else if (!/\s/.test(c) && !inLine && !inBlock) lastSemicolon = false;
  }
  return lastSemicolon && !inStr && !inIdent && !inBlock;
}

/** @internal */
export async function interactiveSql(io: CliIo, run: (text: string) => Promise<boolean>, interrupt: () => boolean): Promise<number> {
  const historyFile = join(homedir(), '.runnel', 'sql-history');
  let history: string[] = [];
  try {
    history = readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 500);
  } catch {
    // no history yet
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY, history, historySize: 500, prompt: 'Flink SQL> ' });
  io.stdout.write('Runnel SQL client. End statements with ;  Leave with QUIT; or Ctrl-D.\n\n');
  let buffer = '';
  // Ctrl-C on a terminal reaches readline, not the process: cancel the running query, or drop the typed lines.
  rl.on('SIGINT', () => {
    if (interrupt()) return;
    buffer = '';
    io.stdout.write('\n');
    rl.setPrompt('Flink SQL> ');
    rl.prompt();
  });
  const lines = rl[Symbol.asyncIterator]();
  rl.prompt();
  for (;;) {
    const next = await lines.next();
    if (next.done) break;
    buffer += (buffer ? '\n' : '') + next.value;
    if (!statementComplete(buffer)) {
      rl.setPrompt('> ');
      rl.prompt();
      continue;
    }
    const text = buffer.trim();
    buffer = '';
    rl.setPrompt('Flink SQL> ');
    if (/^(quit|exit)\s*;$/i.test(text)) break;
    try {
      mkdirSync(join(homedir(), '.runnel'), { recursive: true });
      appendFileSync(historyFile, text.replace(/\n/g, ' ') + '\n');
    } catch {
      // history is a convenience
    }
    rl.pause();
    await run(text);
    rl.resume();
    rl.prompt();
  }
  rl.close();
  io.stdout.write('Goodbye!\n');
  return 0;
}
