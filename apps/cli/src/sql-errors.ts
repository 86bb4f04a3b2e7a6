// How `runnel sql` reports a failed statement: Flink's `[ERROR] Could not execute SQL statement. Reason:` and the
// error's own message (which names the line and column for parse and validation errors). No stack trace unless
// --verbose: a user's SQL mistake is not a program crash.
import { ConfigurationError } from '@runnel/api/config';

/** The text of a statement's error. @internal */
export function sqlErrorText(e: unknown, verbose: boolean, source?: string, statementPos?: { readonly line: number; readonly col: number }): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const known = ['SqlParseError', 'SqlValidationError', 'SqlNotSupportedError', 'ConfigurationError', 'FormatError', 'SqlRuntimeError'];
  const kind = err instanceof ConfigurationError ? 'ConfigurationError' : err.name;
  const where = source !== undefined && ((err as { line?: number }).line !== undefined || statementPos) ? ` in ${source}` : '';
  // Errors found after binding (a sink that does not fit, a connector's options) have no position of their own.
  const at = (err as { line?: number }).line === undefined && statementPos ? ` (in the statement at line ${statementPos.line}, column ${statementPos.col})` : '';
  let text = `[ERROR] Could not execute SQL statement${where}. Reason:\n${known.includes(kind) ? '' : `${kind}: `}${err.message}${at}`;
  if (verbose) text += `\n${(err as { remoteStack?: string }).remoteStack ?? err.stack ?? ''}`;
  return text;
}
