// Driver errors translated at the boundary into Runnel's error kinds, so the connector (and a restart strategy)
// decides by kind and never by mysql2's codes:
//  - retriable: the connection refused, reset or lost, the server shutting down or restarting, too many
//    connections, a deadlock (1213), a lock wait timeout (1205), a query interrupted by a server restart;
//  - configuration: access denied (1044/1045/1142/1143/1227), unknown database (1049), table (1146) or column
//    (1054), unknown host, a bad URL or option: retrying cannot help, the user must change an option;
//  - fatal: everything else (a value that does not fit a column, a constraint violated, a syntax error).
// Messages are redacted: the password (and anything else marked secret) is replaced by `***` wherever a driver
// or server message might echo it.

/**
 * The kinds of connector errors.
 *
 * @public
 */
export type MySqlErrorKind = 'retriable' | 'fatal' | 'configuration';

/**
 * An error of the MySQL connector, with its kind; the driver's error is the `cause`.
 *
 * @public
 */
export class MySqlConnectorError extends Error {
  override readonly name = 'MySqlConnectorError';
  constructor(
    message: string,
    readonly kind: MySqlErrorKind,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const RETRIABLE_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ER_LOCK_DEADLOCK',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_QUERY_INTERRUPTED',
  'ER_CONNECTION_KILLED',
  'ER_CLIENT_INTERACTION_TIMEOUT',
  'ER_NET_READ_ERROR',
  'ER_NET_READ_INTERRUPTED',
  'ER_NET_ERROR_ON_WRITE',
  'ER_NET_WRITE_INTERRUPTED',
  'ER_LOCK_TABLE_FULL',
]);
const RETRIABLE_ERRNOS = new Set([1040, 1053, 1205, 1213, 1317, 1927, 2002, 2003, 2006, 2013, 4031]);

const CONFIGURATION_CODES = new Set([
  'ER_ACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_COLUMNACCESS_DENIED_ERROR',
  'ER_SPECIFIC_ACCESS_DENIED_ERROR',
  'ER_ACCESS_DENIED_NO_PASSWORD_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_NO_SUCH_TABLE',
  'ER_BAD_FIELD_ERROR',
  'ER_NOT_SUPPORTED_AUTH_MODE',
  'ENOTFOUND',
  'HANDSHAKE_NO_SSL_SUPPORT',
]);
const CONFIGURATION_ERRNOS = new Set([1044, 1045, 1049, 1054, 1142, 1143, 1146, 1227, 1698]);

interface DriverError {
  readonly code?: string;
  readonly errno?: number;
  readonly message?: string;
  readonly sqlState?: string;
  readonly fatal?: boolean;
}

/**
 * The kind of a driver error (see the module comment).
 *
 * @public
 */
export function mysqlErrorKind(error: unknown): MySqlErrorKind {
  if (error instanceof MySqlConnectorError) return error.kind;
  const e = (error ?? {}) as DriverError;
  if ((e.code !== undefined && CONFIGURATION_CODES.has(e.code)) || (e.errno !== undefined && CONFIGURATION_ERRNOS.has(e.errno))) return 'configuration';
  if ((e.code !== undefined && RETRIABLE_CODES.has(e.code)) || (e.errno !== undefined && RETRIABLE_ERRNOS.has(e.errno))) return 'retriable';
  // A connection-level failure without a known code (the socket closed under a query).
  if (e.fatal === true && e.sqlState === undefined) return 'retriable';
  if (typeof e.message === 'string' && /Connection lost|closed state|Can't add new command when connection is in closed state/i.test(e.message)) return 'retriable';
  return 'fatal';
}

/**
 * Replaces every occurrence of each secret by `***`.
 *
 * @public
 */
export function redact(message: string, secrets: readonly (string | undefined)[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

/**
 * Wraps a driver error into a {@link MySqlConnectorError} saying what was being done, with its kind, the driver's
 * code, and secrets redacted.
 *
 * @public
 */
export function toMySqlError(error: unknown, action: string, secrets: readonly (string | undefined)[] = []): MySqlConnectorError {
  if (error instanceof MySqlConnectorError) return error;
  const e = (error ?? {}) as DriverError;
  const detail = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  const code = e.code !== undefined ? ` [${e.code}${e.errno !== undefined ? ` ${e.errno}` : ''}]` : '';
  return new MySqlConnectorError(redact(`${action}: ${detail}${code}`, secrets), mysqlErrorKind(error), { cause: error });
}
