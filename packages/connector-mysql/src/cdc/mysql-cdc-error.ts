// The errors of the mysql-cdc source, with the kind the runtime and users act on: `configuration` (the options or
// the server's setup must change: binlog format, privileges, unknown tables), `fatal` (the job cannot continue
// without a decision: a schema change on a captured table, a binlog purged past the checkpoint) and `retriable`
// (the connection dropped: a restart from the last checkpoint recovers). Driver errors are translated here, at the
// boundary, with what to do in the message; passwords never appear in messages.

/**
 * An error of the mysql-cdc source.
 *
 * @public
 */
export class MySqlCdcError extends Error {
  override readonly name = 'MySqlCdcError';
  constructor(
    message: string,
    readonly kind: 'retriable' | 'fatal' | 'configuration',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const RETRIABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/**
 * Translates a driver error met while doing `what` (e.g. `reading chunk db.t[0, 100)`).
 *
 * @internal
 */
export function translateMySqlError(error: unknown, what: string): MySqlCdcError {
  if (error instanceof MySqlCdcError) return error;
  const e = error as { code?: string; errno?: number; sqlMessage?: string; message?: string } | null;
  const code = e?.code ?? '';
  const message = e?.sqlMessage ?? e?.message ?? String(error);
  const where = `mysql-cdc: ${what}`;
  if (code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR' || code === 'ER_TABLEACCESS_DENIED_ERROR' || code === 'ER_DBACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_COLUMNACCESS_DENIED_ERROR') {
    return new MySqlCdcError(
      `${where}: missing privilege (${code}: ${message}). The mysql-cdc user needs SELECT on the captured tables, ` +
        'REPLICATION SLAVE and REPLICATION CLIENT (MariaDB: BINLOG MONITOR) globally: ' +
        "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'user'@'host'",
      'configuration',
      { cause: error },
    );
  }
  if (code === 'ER_MASTER_FATAL_ERROR_READING_BINLOG' || e?.errno === 1236) {
    return new MySqlCdcError(
      `${where}: the server cannot send the binlog from the requested position (${message}). If the binlog was purged ` +
        'past the checkpoint, the job cannot resume without a gap: start it without restoring (a new snapshot, ' +
        "scan.startup.mode = 'initial') and keep binlogs longer (expire_logs_days / binlog_expire_logs_seconds)",
      'fatal',
      { cause: error },
    );
  }
  if (code === 'ER_NO_SUCH_TABLE' || code === 'ER_BAD_DB_ERROR') {
    return new MySqlCdcError(`${where}: ${message}`, 'configuration', { cause: error });
  }
  if (RETRIABLE_CODES.has(code) || e?.message?.includes('Connection lost') === true) {
    return new MySqlCdcError(`${where}: connection failed (${code || message}); the job restarts from its last checkpoint`, 'retriable', { cause: error });
  }
  return new MySqlCdcError(`${where}: ${code ? `${code}: ` : ''}${message}`, 'fatal', { cause: error });
}
