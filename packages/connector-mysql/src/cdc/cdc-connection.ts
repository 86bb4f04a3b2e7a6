// Connections of the mysql-cdc source: mysql2 connections in a UTC session with the value settings the converters
// rely on (see cdc-column.ts), opened with `connect.timeout` and retried `connect.max-retries` times with a growing
// pause, and the small statements the source needs (binlog status, server checks). Identifiers are always quoted
// with `quoteIdentifier`; values are always bound.
import mysql from 'mysql2';
import type { Connection, ConnectionOptions } from 'mysql2';
import type { BinlogPosition } from './binlog-position.js';
import { MySqlCdcError, translateMySqlError } from './mysql-cdc-error.js';
import type { MySqlCdcSettings } from './mysql-cdc-options.js';

/** Quotes an identifier for MySQL: backticks, doubled inside. @internal */
export function quoteIdentifier(name: string): string {
  if (name.includes('\u0000')) throw new MySqlCdcError(`mysql-cdc: identifier ${JSON.stringify(name)} contains NUL`, 'configuration');
  return '`' + name.replace(/`/g, '``') + '`';
}

/** `db`.`table`. @internal */
export function qualifiedName(database: string, table: string): string {
  return `${quoteIdentifier(database)}.${quoteIdentifier(table)}`;
}

/**
 * The mysql2 options of every connection of the source (the binlog client uses them too). `snapshot`: the snapshot
 * reader's connection, whose values take the cheaper forms its converters parse directly (cdc-column.ts): BIGINT as a
 * number when it fits 2^53 (a string otherwise) and, with the per-query `dateStrings` of the chunk reader, DATE /
 * DATETIME / TIMESTAMP as their text instead of Date objects. The values the converters produce are the same. The
 * snapshot connection also takes several statements in one query: a chunk's snapshot, position and rows go in one
 * round trip (snapshot-chunk-reader.ts); every statement the source generates quotes identifiers and binds values.
 *
 * @internal
 */
export function connectionOptions(s: Pick<MySqlCdcSettings, 'hostname' | 'port' | 'username' | 'password' | 'connectTimeoutMs'>, snapshot = false): ConnectionOptions {
  return {
    host: s.hostname,
    port: s.port,
    user: s.username,
    password: s.password,
    connectTimeout: s.connectTimeoutMs,
    timezone: 'Z',
    supportBigNumbers: true,
    bigNumberStrings: !snapshot,
    dateStrings: false,
    // JSON as the server's text (MariaDB flags JSON columns and mysql2 would parse them into objects): the value is
    // the text the binlog carries too.
    jsonStrings: true,
    charset: 'utf8mb4',
    multipleStatements: snapshot,
  };
}

/** Runs a query (callback API, no per-row promise) and resolves with its rows. @internal */
export function queryRows<T = Record<string, unknown>>(c: Connection, sql: string, values?: unknown[]): Promise<T[]> {
  return new Promise((resolve, reject) => {
    c.query(sql, values, (err, rows) => (err ? reject(err) : resolve(rows as T[])));
  });
}

/**
 * Opens a connection in a UTC session, retrying connection failures (`snapshot`: see `connectionOptions`).
 *
 * @internal
 */
export async function openConnection(s: MySqlCdcSettings, what: string, snapshot = false): Promise<Connection> {
  let attempt = 0;
  for (;;) {
    const c = mysql.createConnection(connectionOptions(s, snapshot));
    try {
      await new Promise<void>((resolve, reject) => c.connect((err) => (err ? reject(err) : resolve())));
      await queryRows(c, "SET time_zone = '+00:00'");
      return c;
    } catch (error) {
      c.destroy();
      const e = translateMySqlError(error, `connecting to ${s.hostname}:${s.port} (${what})`);
      if (e.kind !== 'retriable' || attempt >= s.connectMaxRetries) throw e;
      attempt++;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Ends a connection quietly. @internal */
export function closeConnection(c: Connection | undefined): Promise<void> {
  if (c === undefined) return Promise.resolve();
  // QUIT can race a connection the server already closed ("write after end"): destroying is enough.
  c.on('error', () => undefined);
  c.destroy();
  return Promise.resolve();
}

/** The server's current binlog position (end of the last written event group). @internal */
export async function currentBinlogPosition(c: Connection): Promise<BinlogPosition> {
  const rows = await queryRows<{ File: string; Position: number | string }>(c, 'SHOW MASTER STATUS');
  if (rows.length === 0) throw new MySqlCdcError('mysql-cdc: the server has no binlog (SHOW MASTER STATUS is empty): start it with log-bin and binlog_format=ROW', 'configuration');
  const gtid = await queryRows<{ g: string }>(c, 'SELECT @@GLOBAL.gtid_binlog_pos AS g').catch(() => [] as { g: string }[]);
  const g = gtid[0]?.g;
  return { file: rows[0]!.File, pos: Number(rows[0]!.Position), ...(g ? { gtid: g } : {}) };
}

/** The binlog files the server still has, oldest first. @internal */
export async function binlogFiles(c: Connection): Promise<string[]> {
  const rows = await queryRows<{ Log_name: string }>(c, 'SHOW BINARY LOGS');
  return rows.map((r) => r.Log_name);
}

/**
 * Checks what the source needs of the server: the binlog on in ROW format with full row images, and the
 * privileges. Fails with what to change.
 *
 * @internal
 */
export async function checkServer(c: Connection, s: MySqlCdcSettings): Promise<void> {
  let vars: { log_bin: number | string; fmt: string; img: string | null }[];
  try {
    vars = await queryRows(c, 'SELECT @@GLOBAL.log_bin AS log_bin, @@GLOBAL.binlog_format AS fmt, @@GLOBAL.binlog_row_image AS img');
  } catch (e) {
    throw translateMySqlError(e, 'checking the server configuration');
  }
  const v = vars[0]!;
  if (Number(v.log_bin) !== 1) throw new MySqlCdcError(`mysql-cdc: the binlog is off on ${s.hostname}:${s.port}: start the server with log-bin and binlog_format=ROW`, 'configuration');
  if (String(v.fmt).toUpperCase() !== 'ROW') {
    throw new MySqlCdcError(
      `mysql-cdc: binlog_format is ${v.fmt} on ${s.hostname}:${s.port}, the mysql-cdc source needs ROW: set binlog_format=ROW in the server's configuration (or SET GLOBAL binlog_format = 'ROW' and reconnect the writers)`,
      'configuration',
    );
  }
  if (v.img !== null && String(v.img).toUpperCase() !== 'FULL') {
    throw new MySqlCdcError(`mysql-cdc: binlog_row_image is ${v.img} on ${s.hostname}:${s.port}, the mysql-cdc source needs FULL: set binlog_row_image=FULL`, 'configuration');
  }
  const grants = (await queryRows<Record<string, string>>(c, 'SHOW GRANTS FOR CURRENT_USER()')).map((r) => Object.values(r)[0]!.toUpperCase());
  const global = grants.filter((g) => g.includes(' ON *.* '));
  const has = (p: string): boolean => global.some((g) => g.includes('ALL PRIVILEGES') || g.includes(p));
  const missing: string[] = [];
  if (!has('REPLICATION SLAVE')) missing.push('REPLICATION SLAVE');
  if (!has('REPLICATION CLIENT') && !has('BINLOG MONITOR') && !has('SUPER')) missing.push('REPLICATION CLIENT (MariaDB: BINLOG MONITOR)');
  if (missing.length > 0) {
    throw new MySqlCdcError(
      `mysql-cdc: user '${s.username}' lacks ${missing.join(' and ')} on *.*, which the binlog reader needs: GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO the user (MariaDB 10.5+: BINLOG MONITOR instead of REPLICATION CLIENT)`,
      'configuration',
    );
  }
}
