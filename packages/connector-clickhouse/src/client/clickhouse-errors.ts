// The sink's errors, translated at the client boundary into Runnel's kinds: `retriable` (connection refused or reset,
// timeouts, a server that is starting or overloaded: the batch is retried, on another replica when there is one),
// `fatal` (the server refused the statement: unknown column, bad data, no such table; retrying cannot help) and
// `configuration` (the table does not fit the options). Messages name the table and the batch, never the password.

/**
 * The kinds of failure the sink distinguishes.
 *
 * @public
 */
export type ClickHouseErrorKind = 'retriable' | 'fatal' | 'configuration';

/**
 * A failure of the ClickHouse sink, with its kind and the server's error code when there is one.
 *
 * @public
 */
export class ClickHouseSinkError extends Error {
  override readonly name = 'ClickHouseSinkError';
  constructor(
    message: string,
    readonly kind: ClickHouseErrorKind,
    /** ClickHouse's numeric error code (as text), when the server answered with one. */
    readonly code?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A value the target column cannot hold (out of range, not a date, not a number, NULL in a non-Nullable column).
 * The message names the table, the row and the column.
 *
 * @public
 */
export class ClickHouseValueError extends Error {
  override readonly name = 'ClickHouseValueError';
  constructor(
    message: string,
    /** The column the value was for. */
    readonly column: string,
  ) {
    super(message);
  }
}

// Server error codes that a retry (on the same or another replica) can cure: timeouts, network, too many parts or
// queries, readonly replica, table is shutting down, ... (ClickHouse's ErrorCodes).
const RETRIABLE_CODES = new Set([
  '159', // TIMEOUT_EXCEEDED
  '164', // READONLY
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '203', // NO_FREE_CONNECTION
  '209', // SOCKET_TIMEOUT
  '210', // NETWORK_ERROR
  '242', // TABLE_IS_READ_ONLY
  '252', // TOO_MANY_PARTS
  '285', // TOO_FEW_LIVE_REPLICAS
  '319', // UNKNOWN_STATUS_OF_INSERT
  '425', // SYSTEM_ERROR
  '999', // KEEPER_EXCEPTION
]);

const NETWORK = /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|socket hang up|Timeout error|other side closed|fetch failed|aborted/i;

/**
 * Removes a password (and basic-auth credentials in URLs) from a text.
 *
 * @public
 */
export function redact(text: string, password: string | undefined): string {
  let s = text.replace(/(\/\/)[^/@\s:]+:[^/@\s]*@/g, '$1***:***@');
  if (password !== undefined && password !== '') s = s.split(password).join('***');
  return s;
}

/**
 * Translates a driver error into a {@link ClickHouseSinkError}: its kind from the server's code or the network
 * failure, its message prefixed with `where` (table, batch, node) and the password redacted.
 *
 * @public
 */
export function translateClickHouseError(e: unknown, where: string, password: string | undefined): ClickHouseSinkError {
  if (e instanceof ClickHouseSinkError) return e;
  const err = e as { message?: string; code?: string; cause?: { code?: string; message?: string } };
  const message = redact(String(err?.message ?? e), password);
  const code = typeof err?.code === 'string' && /^\d+$/.test(err.code) ? err.code : /^Code: (\d+)[,.]/.exec(message.trim())?.[1];
  const causeText = `${err?.cause?.code ?? ''} ${err?.cause?.message ?? ''}`;
  let kind: ClickHouseErrorKind;
  if (code !== undefined) kind = RETRIABLE_CODES.has(code) ? 'retriable' : 'fatal';
  else if (NETWORK.test(message) || NETWORK.test(causeText)) kind = 'retriable';
  else if (/Authentication failed|password is incorrect|Code: 516|Code: 192/.test(message)) kind = 'configuration';
  else kind = 'retriable';
  return new ClickHouseSinkError(`${where}: ${message.trim()}${code === undefined ? '' : ` (code ${code})`}`, kind, code, { cause: redactedCause(e, password) });
}

/** The cause without the password in its message (the original error may carry the request URL). */
function redactedCause(e: unknown, password: string | undefined): unknown {
  if (!(e instanceof Error)) return e;
  const copy = new Error(redact(e.message, password));
  copy.name = e.name;
  return copy;
}
