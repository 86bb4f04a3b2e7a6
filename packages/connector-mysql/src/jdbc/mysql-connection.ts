// Opening connections: the settings every part of the connector shares (`MySqlConnectionSettings`, from the table
// options or the DataStream builders), mysql2 with the driver options the type readers expect, the session time
// zone +00:00 (TIMESTAMP values travel as UTC text, see mysql-types.ts), and retries while the server is not
// reachable (up to `connection.max-retry-timeout`). Errors come out as `MySqlConnectorError`s with the password
// redacted.
import { createConnection, type Connection } from 'mysql2/promise';
import { MYSQL_DRIVER_TYPE_OPTIONS, MYSQL_SESSION_TIME_ZONE } from '../types/mysql-types.js';
import { mysqlErrorKind, toMySqlError } from './mysql-errors.js';

/**
 * How to reach the database.
 *
 * @public
 */
export interface MySqlConnectionSettings {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password?: string;
  readonly connectTimeoutMs?: number;
  /** The zone of local date-times where they meet instants (see mysql-types.ts); default UTC. */
  readonly timeZone?: string;
  readonly ssl?: boolean;
  /** How long to retry opening a connection that fails for a retriable reason (default 60 s). */
  readonly maxRetryTimeoutMs?: number;
}

/**
 * `user@host:port/database`, for messages (no password).
 *
 * @public
 */
export function describeConnection(s: MySqlConnectionSettings): string {
  return `${s.user}@${s.host}:${s.port}/${s.database}`;
}

/**
 * Opens a connection (retrying retriable failures until `maxRetryTimeoutMs`), sets the session time zone.
 *
 * @throws MySqlConnectorError with the error's kind
 * @internal
 */
export async function openConnection(s: MySqlConnectionSettings, purpose: string): Promise<Connection> {
  const deadline = Date.now() + (s.maxRetryTimeoutMs ?? 60_000);
  let delay = 100;
  for (;;) {
    try {
      const c = await createConnection({
        host: s.host,
        port: s.port,
        database: s.database,
        user: s.user,
        password: s.password ?? '',
        connectTimeout: s.connectTimeoutMs ?? 10_000,
        ssl: s.ssl === true ? {} : undefined,
        charset: 'utf8mb4',
        ...MYSQL_DRIVER_TYPE_OPTIONS,
      });
      // An error on an idle connection must not crash the process: the next query reports it.
      c.on('error', () => undefined);
      await c.query(`SET time_zone = '${MYSQL_SESSION_TIME_ZONE}'`);
      return c;
    } catch (e) {
      if (mysqlErrorKind(e) !== 'retriable' || Date.now() > deadline) {
        throw toMySqlError(e, `${purpose}: cannot connect to ${describeConnection(s)}`, [s.password]);
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 2000);
    }
  }
}

/**
 * Runs `op`, retrying up to `retries` times when it fails for a retriable reason (with a growing pause); `onRetry`
 * runs before each retry (e.g. to reconnect).
 *
 * @internal
 */
export async function withRetries<R>(retries: number, op: () => Promise<R>, onRetry: (error: unknown, attempt: number) => Promise<void> | void): Promise<R> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await op();
    } catch (e) {
      if (attempt >= retries || mysqlErrorKind(e) !== 'retriable') throw e;
      await onRetry(e, attempt + 1);
      await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, 5000)));
    }
  }
}

/**
 * Closes a connection, ignoring errors (it may be broken already).
 *
 * @internal
 */
export async function closeQuietly(c: Connection | undefined): Promise<void> {
  if (c === undefined) return;
  try {
    await c.end();
  } catch {
    c.destroy();
  }
}
