// Reads a `jdbc` table's options: validates every key against jdbc-options.ts (unknown keys fail with the valid
// ones listed, values are typed), parses the URL, and resolves the connection settings (user and password from the
// options, else from the URL; the zone from `server-time-zone`, else the URL's `serverTimezone`, else UTC).
import { ConfigurationError, parseOptions, type ParsedOptions } from '@runnel/api/config';
import { JDBC_OPTIONS, JdbcOptions } from '../jdbc/jdbc-options.js';
import { describeJdbcUrl, parseJdbcUrl } from '../jdbc/jdbc-url.js';
import type { MySqlConnectionSettings } from '../jdbc/mysql-connection.js';
import { quoteIdentifier } from '../jdbc/sql-text.js';
import { zoneOffsetMs } from '../types/mysql-types.js';

/**
 * A `jdbc` table's options, read and checked.
 *
 * @public
 */
export interface JdbcTableOptions {
  /** `jdbc table 'name'`, the start of every message about the table. */
  readonly where: string;
  readonly options: ParsedOptions;
  readonly connection: MySqlConnectionSettings;
  /** The MySQL table (`table-name`). */
  readonly table: string;
  /** The URL with its password redacted, for EXPLAIN and messages. */
  readonly describedUrl: string;
}

/**
 * Reads the options of a `jdbc` table.
 *
 * @throws ConfigurationError naming the table and the option
 * @public
 */
export function parseJdbcTableOptions(tableName: string, all: Readonly<Record<string, string>>): JdbcTableOptions {
  const where = `jdbc table '${tableName}'`;
  const own: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) if (k !== 'connector') own[k] = v;
  const options = parseOptions(JDBC_OPTIONS, own, { context: where });
  const url = parseJdbcUrl(options.get(JdbcOptions.url)!, where);
  const table = options.get(JdbcOptions.tableName)!;
  try {
    quoteIdentifier(table);
  } catch (e) {
    throw new ConfigurationError(`${where}: option 'table-name': ${(e as Error).message}`, 'table-name');
  }
  const user = options.getOptional(JdbcOptions.username) ?? url.user;
  if (user === undefined || user === '') {
    throw new ConfigurationError(`${where}: option 'username' is not set (nor a user in the URL)`, 'username');
  }
  const timeZone = options.getOptional(JdbcOptions.serverTimeZone) ?? url.timeZone ?? 'UTC';
  try {
    zoneOffsetMs(timeZone);
  } catch (e) {
    throw new ConfigurationError(`${where}: option 'server-time-zone': ${(e as Error).message}`, 'server-time-zone');
  }
  const connection: MySqlConnectionSettings = {
    host: url.host,
    port: url.port,
    database: url.database,
    user,
    password: options.getOptional(JdbcOptions.password) ?? url.password,
    connectTimeoutMs: url.connectTimeoutMs,
    timeZone,
    ssl: url.ssl,
    maxRetryTimeoutMs: options.get(JdbcOptions.connectionMaxRetryTimeout),
  };
  return { where, options, connection, table, describedUrl: describeJdbcUrl(options.get(JdbcOptions.url)!) };
}
