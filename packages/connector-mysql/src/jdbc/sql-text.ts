// Generated SQL text: every identifier quoted with backticks (a backtick inside doubled), every value bound as a
// `?` placeholder (the driver escapes it, strings with quotes, backslashes, NUL and any Unicode included). Nothing
// the user or the data supplies is ever spliced into a statement otherwise. MySQL identifiers cannot hold NUL or
// end with a space, nor characters beyond the Basic Multilingual Plane (emoji); those are refused up front with the
// name shown.
import { ConfigurationError } from '@runnel/api/config';

/**
 * A MySQL identifier quoted with backticks.
 *
 * @throws ConfigurationError for a name MySQL cannot hold (empty, NUL, longer than 64 characters, trailing space)
 * @public
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0) throw new ConfigurationError('an empty name is not a MySQL identifier');
  if (name.includes('\u0000')) throw new ConfigurationError(`the name ${JSON.stringify(name)} holds a NUL character, which MySQL identifiers cannot`);
  if ([...name].length > 64) throw new ConfigurationError(`the name ${JSON.stringify(name)} is longer than MySQL's 64 characters`);
  if (/[\u{10000}-\u{10FFFF}]/u.test(name)) {
    throw new ConfigurationError(`the name ${JSON.stringify(name)} holds a character outside Unicode's Basic Multilingual Plane (an emoji?), which MySQL identifiers cannot`);
  }
  if (name.endsWith(' ')) throw new ConfigurationError(`the name ${JSON.stringify(name)} ends with a space, which MySQL identifiers cannot`);
  return '`' + name.replace(/`/g, '``') + '`';
}

/**
 * `(?, ?, ?)` for `n` values.
 *
 * @internal
 */
export function placeholders(n: number): string {
  return `(${new Array<string>(n).fill('?').join(', ')})`;
}
