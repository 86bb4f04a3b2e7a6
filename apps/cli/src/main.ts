// Entry of the `runnel` command: parses the command line and dispatches. `bin/runnel.mjs` imports this module and
// calls `main`; importing it has no side effects, so tests can drive `main` with fake I/O.
import { parseCommandLine, UsageError } from './args.js';
import { cliVersion, MAIN_HELP, NEW_HELP, RUN_HELP, SQL_HELP } from './help.js';
import { sqlCommand } from './sql-command.js';
import { newCommand } from './new-command.js';
import { processIo, runCommand, type CliIo } from './run-command.js';

/**
 * Runs the CLI with the arguments after `runnel` and returns the exit code.
 *
 * @public
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`runnel: ${e.message}\nRun 'runnel ${e.topic ? `${e.topic} ` : ''}--help' for usage.\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help':
      io.stdout.write(command.topic === 'run' ? RUN_HELP : command.topic === 'new' ? NEW_HELP : command.topic === 'sql' ? SQL_HELP : MAIN_HELP);
      return 0;
    case 'version':
      io.stdout.write(`${cliVersion()}\n`);
      return 0;
    case 'run':
      return runCommand(command.run, io);
    case 'new':
      return newCommand(command.new, io);
    case 'sql':
      return sqlCommand(command.sql, io);
  }
}
