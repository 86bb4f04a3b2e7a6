// Shared fixtures of the connector's tests: connection settings for a throwaway MariaDB and small helpers.
import type { MySqlConnectionSettings } from '../../src/jdbc/mysql-connection.js';
import type { MariaDb } from './mariadb.js';

/** Connection settings for a database of the throwaway server (root, empty password). */
export function settingsFor(db: MariaDb, database: string, extra: Partial<MySqlConnectionSettings> = {}): MySqlConnectionSettings {
  return { host: db.host, port: db.port, database, user: db.user, password: db.password, maxRetryTimeoutMs: 5_000, ...extra };
}

/** `jdbc:mysql://127.0.0.1:port/database`. */
export function jdbcUrl(db: MariaDb, database: string): string {
  return `jdbc:mysql://${db.host}:${db.port}/${database}`;
}

/** Polls `check` until it returns true (generous timeout: the machine is shared). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
