// Throwaway ClickHouse servers for the tests: Debian's `clickhouse-server` (18.16) started with its own config.xml
// and users.xml in a temp dir (listen_host 127.0.0.1, free http/tcp/interserver ports, every path under the dir),
// ready when `/ping` answers, stopped by pid (in afterAll, and on process exit as a last resort). Several servers
// with the same `remote_servers` section make a small cluster: `startClickHouseCluster` lays out shards of
// replicas (plain MergeTree local tables: replication needs ZooKeeper, which these machines do not have).
// A `default` user with an empty password and a `writer` user with a password (to check redaction) exist; LowCardinality
// (experimental on 18.16) is allowed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The binary; `CLICKHOUSE_SERVER` overrides it. */
export const CLICKHOUSE_SERVER_BIN = process.env['CLICKHOUSE_SERVER'] ?? '/usr/sbin/clickhouse-server';

/** The password of the `writer` user of every test server. */
export const WRITER_PASSWORD = 's3cr3t-p@ss';

/** Whether the binary is installed (scripts/setup.sh installs it). */
export function clickhouseAvailable(): boolean {
  return existsSync(CLICKHOUSE_SERVER_BIN);
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running server. */
export interface ClickHouseServer {
  readonly httpPort: number;
  readonly tcpPort: number;
  readonly url: string;
  readonly dir: string;
  readonly pid: number;
  /** Runs a statement over HTTP (POST) and returns the response text; throws with the server's message. */
  query(sql: string): Promise<string>;
  /** Rows of a SELECT as objects (FORMAT JSONEachRow is appended). */
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); keeps the data dir for a restart. */
  stop(): Promise<void>;
  /** Starts it again on the same ports and data dir after `stop`. */
  restart(): Promise<void>;
  /** Stops it and removes its dir. */
  destroy(): Promise<void>;
  /** The last lines of its error log. */
  log(): string;
}

/** A shard of the cluster: its replicas. */
export interface ClusterLayout {
  /** Servers per shard, e.g. `[2, 2]`: two shards of two replicas. */
  readonly shards: readonly number[];
  /** The cluster's name in `remote_servers`. */
  readonly name?: string;
}

const running = new Set<ChildProcess>();
let exitHook = false;
function registerExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  const killAll = (): void => {
    for (const c of running) {
      try {
        c.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  process.on('exit', killAll);
  // A test process stopped by a signal runs no exit hooks: stop the servers, then die of the signal as before.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function configXml(dir: string, http: number, tcp: number, interserver: number, remoteServers: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <interserver_http_port>${interserver}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>256</max_connections>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>${remoteServers}</remote_servers>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
`;
}

function usersXml(): string {
  const user = (password: string): string =>
    `<password>${xmlEscape(password)}</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota>`;
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><load_balancing>in_order</load_balancing><allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type></default></profiles>
  <users><default>${user('')}</default><writer>${user(WRITER_PASSWORD)}</writer></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function ping(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/ping`, { signal: AbortSignal.timeout(1_000) });
    return r.ok;
  } catch {
    return false;
  }
}

interface Ports {
  readonly http: number;
  readonly tcp: number;
  readonly interserver: number;
}

async function ports(seen = new Set<number>()): Promise<Ports> {
  // Distinct ports (across the servers of a cluster too, which share `seen`): freePort can return one port twice when
  // asked in a row after it was closed. CI once gave two cluster servers one HTTP port: the second's /ping was answered
  // by the first, and the test's CREATE TABLE on it failed with 'already exists'.
  const next = async (): Promise<number> => {
    for (;;) {
      const p = await freePort();
      if (!seen.has(p)) {
        seen.add(p);
        return p;
      }
    }
  };
  return { http: await next(), tcp: await next(), interserver: await next() };
}

/** Starts a server on free ports in a temp dir; `remoteServers` is the inner XML of `<remote_servers>`. */
async function launch(p: Ports, remoteServers = ''): Promise<ClickHouseServer> {
  registerExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'runnel-clickhouse-'));
  for (const d of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'config.xml'), configXml(dir, p.http, p.tcp, p.interserver, remoteServers));
  writeFileSync(join(dir, 'users.xml'), usersXml());
  const url = `http://127.0.0.1:${p.http}`;
  let child: ChildProcess | undefined;
  let stderr = '';

  const start = async (): Promise<void> => {
    stderr = '';
    const c = spawn(CLICKHOUSE_SERVER_BIN, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    child = c;
    running.add(c);
    c.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-8_000);
    });
    let exited = false;
    c.once('exit', () => {
      exited = true;
      running.delete(c);
    });
    const deadline = Date.now() + 30_000;
    while (!(await ping(url))) {
      if (exited) throw new Error(`clickhouse-server exited at start (${dir}): ${stderr}${tail(join(dir, 'log', 'error.log'))}`);
      if (Date.now() > deadline) {
        c.kill('SIGKILL');
        throw new Error(`clickhouse-server did not answer /ping within 30 s (${dir}): ${stderr}`);
      }
      await sleep(50);
    }
  };

  const stop = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5_000);
    await gone;
    clearTimeout(timer);
  };

  const query = async (sql: string): Promise<string> => {
    const r = await fetch(`${url}/`, { method: 'POST', body: sql });
    const text = await r.text();
    if (!r.ok) throw new Error(`ClickHouse (${url}) answered ${r.status} to ${sql.slice(0, 200)}: ${text}`);
    return text;
  };

  await start();
  return {
    httpPort: p.http,
    tcpPort: p.tcp,
    url,
    dir,
    get pid() {
      return child?.pid ?? -1;
    },
    query,
    async rows<T>(sql: string): Promise<T[]> {
      const text = await query(`${sql} FORMAT JSONEachRow`);
      return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
    },
    stop,
    restart: start,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => tail(join(dir, 'log', 'error.log')),
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-3_000);
  } catch {
    return '';
  }
}

/** Starts one throwaway server. */
export async function startClickHouse(): Promise<ClickHouseServer> {
  return launch(await ports());
}

/** A running cluster: servers by shard, and the `remote_servers` cluster name. */
export interface ClickHouseCluster {
  readonly name: string;
  /** `shards[s][r]`: replica r of shard s. */
  readonly shards: readonly (readonly ClickHouseServer[])[];
  readonly servers: readonly ClickHouseServer[];
  /** The sink's `url` for the layout: shards separated by `;`, replicas by `,`. */
  readonly url: string;
  destroy(): Promise<void>;
}

/** Starts `shards.length` shards of the given replica counts, all knowing the cluster in `remote_servers`. */
export async function startClickHouseCluster(layout: ClusterLayout): Promise<ClickHouseCluster> {
  const name = layout.name ?? 'runnel_test';
  const all: Ports[][] = [];
  const seen = new Set<number>();
  for (const n of layout.shards) {
    const shard: Ports[] = [];
    for (let r = 0; r < n; r++) shard.push(await ports(seen));
    all.push(shard);
  }
  const remote =
    `<${name}>` +
    all
      .map((shard) => `<shard><internal_replication>false</internal_replication>${shard.map((p) => `<replica><host>127.0.0.1</host><port>${p.tcp}</port></replica>`).join('')}</shard>`)
      .join('') +
    `</${name}>`;
  const shards: ClickHouseServer[][] = [];
  const started: ClickHouseServer[] = [];
  try {
    for (const shard of all) {
      const servers: ClickHouseServer[] = [];
      for (const p of shard) {
        const s = await launch(p, remote);
        started.push(s);
        servers.push(s);
      }
      shards.push(servers);
    }
  } catch (e) {
    await Promise.all(started.map((s) => s.destroy()));
    throw e;
  }
  return {
    name,
    shards,
    servers: started,
    url: shards.map((s) => s.map((x) => x.url).join(',')).join(';'),
    async destroy() {
      await Promise.all(started.map((s) => s.destroy()));
    },
  };
}
