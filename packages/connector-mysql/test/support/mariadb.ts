// A throwaway MariaDB server for the connector's tests and benchmarks: Debian's MariaDB 10.11 (`mariadb-server`,
// installed by scripts/setup.sh when missing), with its own data directory, socket and pid file in a temp dir, bound
// to 127.0.0.1 on a free port, the binlog on in ROW format with full row images and metadata (what CDC needs).
//
// `startMariaDb` writes a config file, initialises the data directory with `mariadb-install-db` (root with an empty
// password, no test database), starts `mariadbd` and waits until it accepts connections. `stop` ends it by pid
// (SIGTERM, then SIGKILL after a grace period) and deletes the temp dir; an exit hook does the same if the test
// process ends without calling it. `restart` stops and starts the same data directory (for "server went away").
//
// Durability settings are relaxed (`innodb_flush_log_at_trx_commit=2`, `sync_binlog=0`): the tests kill Runnel, not
// the server, so the server's own crash safety is not what they test, and the relaxed settings make bulk loads of a
// million rows take seconds instead of minutes on this machine.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';

/** Options of {@link startMariaDb}. */
export interface MariaDbOptions {
  /** The binlog (default true). */
  readonly binlog?: boolean;
  /** `binlog_format` (default ROW; tests of the "not ROW" error set STATEMENT or MIXED). */
  readonly binlogFormat?: 'ROW' | 'STATEMENT' | 'MIXED';
  /** `server_id` (default 1). */
  readonly serverId?: number;
  /** `innodb_buffer_pool_size` (default 128M). */
  readonly bufferPool?: string;
  /** Extra `key=value` lines for the `[mariadbd]` section. */
  readonly extraConfig?: readonly string[];
  /** How long to wait for the server to accept connections (default 60 s). */
  readonly startTimeoutMs?: number;
}

/** A running throwaway server. */
export interface MariaDb {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'root';
  readonly password: '';
  /** The unix socket (for the `mariadb` command-line client). */
  readonly socket: string;
  /** The temp directory holding the data dir, config, socket and logs. */
  readonly dir: string;
  /** The server's pid (changes on `restart`). */
  pid(): number;
  /** A new connection as root (multipleStatements on); the caller ends it. */
  connect(database?: string): Promise<Connection>;
  /** Runs statements on a short-lived root connection and returns the last result's rows. */
  query<T = unknown>(sql: string, values?: readonly unknown[]): Promise<T[]>;
  /** Stops the server (SIGTERM, then SIGKILL) and keeps the data dir; `start` starts it again. */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port and data dir after `stopServer`. */
  startServer(): Promise<void>;
  /** Stops the server and deletes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<{ proc: ChildProcess | undefined; dir: string }>();
let hookInstalled = false;

function installExitHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  process.on('exit', () => {
    for (const s of live) {
      if (s.proc?.pid !== undefined && s.proc.exitCode === null) {
        try {
          process.kill(s.proc.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(s.dir, { recursive: true, force: true });
    }
  });
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free when returned, which is what tests can have). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function findBinary(name: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin']) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`${name} not found: install Debian's mariadb-server (scripts/setup.sh does it as root)`);
}

/** Starts a throwaway MariaDB; see the module comment. */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDb> {
  installExitHook();
  const mariadbd = findBinary('mariadbd');
  const installDb = findBinary('mariadb-install-db');
  const dir = mkdtempSync(join(tmpdir(), 'runnel-mariadb-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const port = await freePort();
  const socket = join(dir, 'mysqld.sock');
  const cnf = join(dir, 'my.cnf');
  const lines = [
    '[mariadbd]',
    `datadir=${dataDir}`,
    `socket=${socket}`,
    `pid-file=${join(dir, 'mysqld.pid')}`,
    `log-error=${join(dir, 'error.log')}`,
    `port=${port}`,
    'bind-address=127.0.0.1',
    'user=root',
    'skip-name-resolve',
    `server-id=${options.serverId ?? 1}`,
    `innodb_buffer_pool_size=${options.bufferPool ?? '128M'}`,
    'innodb_flush_log_at_trx_commit=2',
    'sync_binlog=0',
    'max_connections=500',
    'character-set-server=utf8mb4',
    'collation-server=utf8mb4_general_ci',
  ];
  if (options.binlog ?? true) {
    lines.push(
      `log-bin=${join(dir, 'binlog')}`,
      `binlog_format=${options.binlogFormat ?? 'ROW'}`,
      'binlog_row_image=FULL',
      'binlog_row_metadata=FULL',
    );
  }
  lines.push(...(options.extraConfig ?? []));
  writeFileSync(cnf, lines.join('\n') + '\n');
  const init = spawnSync(
    installDb,
    [`--defaults-file=${cnf}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${init.status}): ${init.stderr || init.stdout}`);
  }
  const entry: { proc: ChildProcess | undefined; dir: string } = { proc: undefined, dir };
  live.add(entry);

  const connectOptions = { host: '127.0.0.1', port, user: 'root', password: '', multipleStatements: true, charset: 'utf8mb4' } as const;

  async function startServer(): Promise<void> {
    const proc = spawn(mariadbd, [`--defaults-file=${cnf}`], { stdio: 'ignore' });
    entry.proc = proc;
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    let lastError: unknown;
    for (;;) {
      if (proc.exitCode !== null) {
        throw new Error(`mariadbd exited with ${proc.exitCode} while starting; see ${join(dir, 'error.log')}`);
      }
      try {
        const c = await createConnection(connectOptions);
        await c.end();
        return;
      } catch (e) {
        lastError = e;
      }
      if (Date.now() > deadline) {
        throw new Error(`mariadbd did not accept connections on 127.0.0.1:${port} in time: ${String(lastError)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function stopServer(): Promise<void> {
    const proc = entry.proc;
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }

  await startServer();

  let stopped = false;
  return {
    host: '127.0.0.1',
    port,
    user: 'root',
    password: '',
    socket,
    dir,
    pid: () => entry.proc?.pid ?? -1,
    connect: async (database?: string) =>
      await createConnection(database === undefined ? connectOptions : { ...connectOptions, database }),
    async query<T = unknown>(sql: string, values?: readonly unknown[]): Promise<T[]> {
      const c = await createConnection(connectOptions);
      try {
        const [rows] = await c.query(sql, values as unknown[] | undefined);
        return rows as T[];
      } finally {
        await c.end();
      }
    },
    stopServer,
    startServer,
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopServer();
      live.delete(entry);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
