// Escaping for the SQL the sink generates. ClickHouse 18.16 has no query parameters, so every identifier and every
// literal that goes into a statement passes through here: identifiers in backquotes with backslash and backquote
// escaped, strings in single quotes with backslash and quote escaped (ClickHouse's own rules for both).

/**
 * A ClickHouse identifier in backquotes: `` `my``table` `` style escaping is not used by ClickHouse; backslash
 * escapes are, so a backquote becomes `` \` `` and a backslash `\\`.
 *
 * @public
 */
export function quoteIdentifier(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/**
 * A ClickHouse string literal: single quotes, backslash escapes (also for control characters).
 *
 * @public
 */
export function quoteString(value: string): string {
  return (
    "'" +
    value
      .replace(/\\/g, '\\\\')
      .replace(/'/g, "\\'")
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(/\t/g, '\\t')
      .replace(/\0/g, '\\0') +
    "'"
  );
}

/**
 * `db`.`table`, escaped.
 *
 * @public
 */
export function qualifiedTable(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}
