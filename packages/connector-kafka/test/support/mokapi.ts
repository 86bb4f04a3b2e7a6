// A throwaway Kafka-protocol server for end-to-end tests: Mokapi (npm `go-mokapi` 0.52.0, the binary from
// `@go-mokapi/linux-x64` 0.52.0, both pinned devDependencies of this package), running in a private network
// namespace because it binds all interfaces and has no option to bind one. Everything that talks to it must run in
// the same namespace, so the test process (which cannot enter a namespace itself: Node has no setns) runs its Kafka
// code as scripts through `run`/`spawn`, which start `node --import tsx --conditions=@runnel/source <script>` there.
//
// `startMokapi` creates the namespace (`unshare --net=FILE`: the namespace lives as long as FILE is bind-mounted, with
// no process in it; `ip link set lo up` inside), writes the AsyncAPI 3 spec that declares the topics (Mokapi creates
// no topic at runtime; channels without `messages` accept any payload) alone in its own directory (Mokapi watches that
// directory and tries to load every file in it), starts Mokapi with a temp working directory, and waits until its
// Kafka port accepts connections. `stop` kills what it started by pid, unmounts and deletes the namespace file and
// the temp directory; an exit hook does the same if the test process ends without calling it.
//
// Requirements: Linux x64, root, util-linux's `unshare`/`nsenter` and iproute2's `ip` (scripts/setup.sh installs
// iproute2 when `ip` is missing). When one is missing, `startMokapi` throws saying which: tests must fail, not skip,
// since CI runs as root and has them.
//
// Known Mokapi 0.52 gaps (see the package README): no transactions, GZIP batches silently lost, no ListOffsets by
// timestamp, no DescribeGroups/LeaveGroup, offsets readable/committable only by a connection that joined the group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A topic to declare. */
export interface MokapiTopic {
  readonly name: string;
  readonly partitions: number;
}

/** Options of {@link startMokapi}. */
export interface MokapiOptions {
  readonly topics: readonly MokapiTopic[];
  /** The Kafka port inside the namespace (default 9092: the namespace is new, so every port is free). */
  readonly port?: number;
  /** Mokapi's log level (default `warn`: at `info` it logs every commit and group event). */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** How long to wait for the Kafka port (default 30 s). */
  readonly startTimeoutMs?: number;
}

/** How a script or command ended, with its output. */
export interface RunResult {
  /** The exit code; null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of `run`, `spawn` and `exec`. */
export interface RunOptions {
  /** Killed (SIGKILL) after this long (default 5 min); the result then has `signal: 'SIGKILL'`. */
  readonly timeoutMs?: number;
  /** Working directory (default: this package's directory, from where `tsx` resolves). */
  readonly cwd?: string;
}

/** A script started with `spawn`. */
export interface MokapiChild {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when it ended (never rejects). */
  readonly result: Promise<RunResult>;
  kill(signal?: NodeJS.Signals): void;
}

/** A running Mokapi in its network namespace. */
export interface Mokapi {
  /** `127.0.0.1:<port>`, reachable only inside the namespace; also in scripts' env as `RUNNEL_KAFKA_BROKERS`. */
  readonly brokers: string;
  /** The network namespace file (`nsenter --net=<netns> <command>` runs a command inside). */
  readonly netns: string;
  /** Mokapi's process id. */
  readonly pid: number;
  /**
   * Runs `node --import tsx --conditions=@runnel/source <script> ...args` inside the namespace, with `env` added to
   * this process's environment and `RUNNEL_KAFKA_BROKERS` set.
   */
  run(script: string, args?: readonly string[], env?: Readonly<Record<string, string>>, options?: RunOptions): Promise<RunResult>;
  /** As `run`, but returns at once with the child (to kill it while it runs: kill tests). */
  spawn(script: string, args?: readonly string[], env?: Readonly<Record<string, string>>, options?: RunOptions): MokapiChild;
  /** Runs any command inside the namespace. */
  exec(command: string, args?: readonly string[], env?: Readonly<Record<string, string>>, options?: RunOptions): Promise<RunResult>;
  /** Mokapi's log so far (for diagnostics in failing tests). */
  log(): string;
  /** Stops Mokapi and every script still running, removes the namespace and the temp directory. Idempotent. */
  stop(): Promise<void>;
}

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_RUN_TIMEOUT_MS = 300_000;

/** Starts Mokapi with these topics in a new network namespace. */
export async function startMokapi(options: MokapiOptions): Promise<Mokapi> {
  const tools = requireEnvironment();
  const binary = mokapiBinary();
  validateTopics(options.topics);
  const port = options.port ?? 9092;
  const brokers = `127.0.0.1:${port}`;

  const dir = mkdtempSync(join(tmpdir(), 'runnel-mokapi-'));
  const netns = join(dir, 'netns');
  const specDir = join(dir, 'spec');
  const workDir = join(dir, 'work');
  const logFile = join(dir, 'mokapi.log');
  mkdirSync(specDir);
  mkdirSync(workDir);
  writeFileSync(join(specDir, 'asyncapi.json'), JSON.stringify(asyncApiSpec(options.topics, brokers), null, 2));

  const children = new Set<ChildProcess>();
  let mokapi: ChildProcess | undefined;
  let mounted = false;
  let stopped = false;

  // Synchronous: also used by the exit hook, where nothing asynchronous runs any more.
  const cleanUpSync = (): void => {
    for (const child of children) killQuietly(child, 'SIGKILL');
    if (mokapi !== undefined) killQuietly(mokapi, 'SIGKILL');
    if (mounted) spawnSync(tools.umount, [netns], { stdio: 'ignore' });
    mounted = false;
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUpSync);

  try {
    writeFileSync(netns, '');
    runSync(tools.unshare, [`--net=${netns}`, 'true'], 'create the network namespace');
    mounted = true;
    runSync(tools.nsenter, [`--net=${netns}`, tools.ip, 'link', 'set', 'lo', 'up'], 'bring up lo in the namespace');

    const logFd = openSync(logFile, 'a');
    try {
      // nsenter execs Mokapi after entering the namespace (no fork for a network namespace): the pid is Mokapi's.
      mokapi = spawn(
        tools.nsenter,
        [
          `--net=${netns}`,
          binary,
          '--api-dashboard=false',
          '--api-search-enabled=false',
          `--log-level=${options.logLevel ?? 'warn'}`,
          `--providers-file-directory=${specDir}`,
        ],
        { cwd: workDir, stdio: ['ignore', logFd, logFd] },
      );
    } finally {
      closeSync(logFd);
    }
    const started = mokapi;
    const exited = new Promise<void>((resolveExit) => started.once('exit', () => resolveExit()));
    const readLog = (): string => readLogFile(logFile);
    await waitForPort(tools.nsenter, netns, port, options.startTimeoutMs ?? 30_000, exited, readLog);

    const env = (extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv => ({
      ...process.env,
      RUNNEL_KAFKA_BROKERS: brokers,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...extra,
    });
    const startChild = (command: string, args: readonly string[], extraEnv: Readonly<Record<string, string>> | undefined, runOptions: RunOptions | undefined): MokapiChild => {
      if (stopped) throw new Error('Mokapi was stopped');
      const child = spawn(tools.nsenter, [`--net=${netns}`, command, ...args], {
        cwd: runOptions?.cwd ?? PACKAGE_DIR,
        env: env(extraEnv),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.add(child);
      const result = collect(child, runOptions?.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS).finally(() => children.delete(child));
      return { pid: child.pid ?? -1, child, result, kill: (signal = 'SIGKILL') => killQuietly(child, signal) };
    };
    const nodeArgs = (script: string, args: readonly string[] | undefined): string[] => [
      '--import',
      'tsx',
      '--conditions=@runnel/source',
      script,
      ...(args ?? []),
    ];

    return {
      brokers,
      netns,
      pid: started.pid ?? -1,
      run: (script, args, extraEnv, runOptions) => startChild(process.execPath, nodeArgs(script, args), extraEnv, runOptions).result,
      spawn: (script, args, extraEnv, runOptions) => startChild(process.execPath, nodeArgs(script, args), extraEnv, runOptions),
      exec: (command, args, extraEnv, runOptions) => startChild(command, args ?? [], extraEnv, runOptions).result,
      log: readLog,
      stop: async () => {
        if (stopped) return;
        stopped = true;
        for (const child of children) killQuietly(child, 'SIGKILL');
        killQuietly(started, 'SIGTERM');
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5_000).unref());
        if ((await Promise.race([exited, timer])) === 'timeout') {
          killQuietly(started, 'SIGKILL');
          await exited;
        }
        mokapi = undefined;
        process.removeListener('exit', cleanUpSync);
        cleanUpSync();
      },
    };
  } catch (error) {
    process.removeListener('exit', cleanUpSync);
    cleanUpSync();
    throw error;
  }
}

/** The AsyncAPI 3 document: one Kafka server, one channel per topic with its partition count and no message schema. */
function asyncApiSpec(topics: readonly MokapiTopic[], brokers: string): unknown {
  return {
    asyncapi: '3.0.0',
    info: { title: 'runnel-test', version: '1.0.0' },
    servers: { broker: { host: brokers, protocol: 'kafka' } },
    channels: Object.fromEntries(
      topics.map((t, i) => [`channel${i}`, { address: t.name, bindings: { kafka: { partitions: t.partitions } } }]),
    ),
  };
}

function validateTopics(topics: readonly MokapiTopic[]): void {
  if (topics.length === 0) throw new Error('startMokapi: declare at least one topic (Mokapi creates none at runtime)');
  for (const t of topics) {
    if (!/^[A-Za-z0-9._-]{1,249}$/.test(t.name)) throw new Error(`startMokapi: invalid Kafka topic name '${t.name}'`);
    if (!Number.isInteger(t.partitions) || t.partitions < 1) throw new Error(`startMokapi: topic '${t.name}' needs partitions >= 1`);
  }
}

interface Tools {
  readonly unshare: string;
  readonly nsenter: string;
  readonly ip: string;
  readonly umount: string;
}

function requireEnvironment(): Tools {
  const problems: string[] = [];
  if (process.platform !== 'linux' || process.arch !== 'x64') problems.push(`Linux x64 (this is ${process.platform} ${process.arch})`);
  if (process.getuid?.() !== 0) problems.push('root (network namespaces need CAP_SYS_ADMIN)');
  const find = (name: string, from: string): string => {
    const found = which(name);
    if (found === undefined) problems.push(`\`${name}\` (${from})`);
    return found ?? name;
  };
  const tools = {
    unshare: find('unshare', 'util-linux'),
    nsenter: find('nsenter', 'util-linux'),
    ip: find('ip', 'iproute2: apt-get install -y iproute2, as scripts/setup.sh does'),
    umount: find('umount', 'util-linux'),
  };
  if (problems.length > 0) {
    throw new Error(`startMokapi needs ${problems.join(', ')}; Kafka end-to-end tests cannot run without them`);
  }
  return tools;
}

function which(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** The pinned binary's path (the platform package exports it), made executable if the install lost the mode. */
function mokapiBinary(): string {
  const require = createRequire(import.meta.url);
  let path: string;
  try {
    path = require('@go-mokapi/linux-x64') as string;
  } catch (error) {
    throw new Error(`startMokapi: @go-mokapi/linux-x64 is not installed (run pnpm install): ${(error as Error).message}`);
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    chmodSync(path, 0o755);
  }
  return path;
}

function runSync(command: string, args: readonly string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`startMokapi: could not ${what} (${command} ${args.join(' ')}): ${result.error?.message ?? result.stderr.trim()}`);
  }
}

/** Waits until the port accepts TCP connections, probing from inside the namespace with one small node process. */
async function waitForPort(
  nsenter: string,
  netns: string,
  port: number,
  timeoutMs: number,
  exited: Promise<void>,
  log: () => string,
): Promise<void> {
  const probe = `
    const net = require('node:net');
    const deadline = Date.now() + ${timeoutMs};
    const attempt = () => {
      const socket = net.connect(${port}, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); process.exit(0); });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) process.exit(1);
        setTimeout(attempt, 25);
      });
    };
    attempt();`;
  const child = spawn(nsenter, [`--net=${netns}`, process.execPath, '-e', probe], { stdio: 'ignore' });
  const probed = collect(child, timeoutMs + 5_000);
  const outcome = await Promise.race([probed.then((r) => (r.code === 0 ? 'up' : 'timeout')), exited.then(() => 'exited' as const)]);
  if (outcome !== 'up') {
    killQuietly(child, 'SIGKILL');
    const tail = log().split('\n').slice(-20).join('\n');
    throw new Error(
      outcome === 'exited'
        ? `startMokapi: Mokapi exited before its Kafka port ${port} opened; its log:\n${tail}`
        : `startMokapi: Mokapi's Kafka port ${port} did not open within ${timeoutMs} ms; its log:\n${tail}`,
    );
  }
}

function collect(child: ChildProcess, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolveResult) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => killQuietly(child, 'SIGKILL'), timeoutMs);
    const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
      clearTimeout(timer);
      const err = Buffer.concat(stderr).toString('utf8');
      resolveResult({
        code,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: error === undefined ? err : `${err}${error.message}\n`,
      });
    };
    child.once('error', (error) => finish(null, null, error));
    child.once('close', (code, signal) => finish(code, signal));
  });
}

function killQuietly(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    child.kill(signal);
  } catch {
    // Already gone.
  }
}

function readLogFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
