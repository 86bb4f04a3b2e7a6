// Benchmark of the mysql-cdc source against a throwaway MariaDB (test/support/mariadb.ts):
//   snapshot: rows per CPU-second of this process reading one table, alternated rounds, medians:
//             - plain: a plain mysql2 streaming SELECT of the table (mysql2's usual row objects, same process);
//             - job: the source as a user runs it: a SQL job `INSERT INTO blackhole SELECT * FROM <mysql-cdc table>`,
//               parallelism 1, in this thread (`execution.target` local); rows and CPU are taken between the job's
//               first metric report with rows and the report that reaches the table's size (setup and planning are
//               reported apart, as `setupCpuS`: once per job, not per row);
//             - driver: the source through the test harness (@runnel/testing's SourceDriver), which keeps every
//               record in an output array until the bench clears it: more per record than a job, kept for comparison;
//   binlog:   row changes per second the source follows (changes written first, then read from the position before
//             them, so the figure is the reader's, not the writer's);
//   memory:   peak RSS while snapshotting a large table (VmHWM of this process).
// Standalone: node --import tsx --conditions=@runnel/source bench/cdc.ts; JSON to bench/results/cdc-latest.json.
// Sizes: RUNNEL_CDC_BENCH_ROWS (default 1 000 000), RUNNEL_CDC_BENCH_MEMORY_ROWS (default 5 000 000),
// RUNNEL_CDC_BENCH_CHANGES (default 200 000), RUNNEL_CDC_BENCH_ROUNDS (default 5: the plain SELECT's figure moves by a third between rounds). Steps: RUNNEL_CDC_BENCH_STEPS
// (default `snapshot,binlog,memory`); snapshot variants: RUNNEL_CDC_BENCH_SIDES (default `plain,job,driver`; e.g.
// `job` alone under `node --cpu-prof`); RUNNEL_CDC_BENCH_CHUNK: the job's `scan.incremental.snapshot.chunk.size` (default:
// the option's default); RUNNEL_CDC_BENCH_OUT: another results file (none is written when only some
// steps run and this is not set).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2';
import { SqlSession } from '@runnel/sql';
import { SourceDriver } from '@runnel/testing';
import type { Row } from '@runnel/api/table';
import { MySqlCdcSource, StartupOptions } from '../src/index.js';
import { startMariaDb, type MariaDb } from '../test/support/mariadb.js';

const ROWS = Number(process.env['RUNNEL_CDC_BENCH_ROWS'] ?? 1_000_000);
const MEMORY_ROWS = Number(process.env['RUNNEL_CDC_BENCH_MEMORY_ROWS'] ?? 5_000_000);
const CHANGES = Number(process.env['RUNNEL_CDC_BENCH_CHANGES'] ?? 200_000);
const ROUNDS = Number(process.env['RUNNEL_CDC_BENCH_ROUNDS'] ?? 5);
const STEPS = new Set((process.env['RUNNEL_CDC_BENCH_STEPS'] ?? 'snapshot,binlog,memory').split(','));
const SIDES = (process.env['RUNNEL_CDC_BENCH_SIDES'] ?? 'plain,job,driver').split(',');
const HERE = dirname(fileURLToPath(import.meta.url));
const ALL_STEPS = ['snapshot', 'binlog', 'memory'].every((x) => STEPS.has(x)) && SIDES.length === 3;
const OUT = process.env['RUNNEL_CDC_BENCH_OUT'] ?? (ALL_STEPS ? join(HERE, 'results', 'cdc-latest.json') : undefined);

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const peakRssMiB = (): number => {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};

async function fill(db: MariaDb, table: string, rows: number): Promise<void> {
  await db.query(`CREATE TABLE bench.${table} (id BIGINT PRIMARY KEY, v INT NOT NULL, s VARCHAR(40), d DECIMAL(12,2), ts DATETIME(3)) ENGINE=InnoDB`);
  const c = await db.connect('bench');
  try {
    for (let from = 1; from <= rows; from += 100_000) {
      const to = Math.min(rows, from + 99_999);
      await c.query(`INSERT INTO ${table} SELECT seq, seq % 1000, CONCAT('row-', seq), seq / 100, TIMESTAMPADD(SECOND, seq, '2024-01-01 00:00:00.123') FROM seq_${from}_to_${to}`);
    }
  } finally {
    await c.end();
  }
}

function source(db: MariaDb, table: string, startup = StartupOptions.initial()): MySqlCdcSource<Row> {
  return MySqlCdcSource.builder().hostname(db.host).port(db.port).username('root').password('').databaseList('bench').tableList(`bench\\.${table}`).serverId('7000-7010').startupOptions(startup).build();
}

/** Runs the source until `n` records were emitted; returns them counted, discarding them as they come. */
async function drain(src: MySqlCdcSource<Row>, n: number, onRound?: () => void): Promise<number> {
  const d = await SourceDriver.start(src, { parallelism: 1 });
  let count = 0;
  let rounds = 0;
  try {
    while (count < n) {
      const st = await d.pollAll();
      for (const e of d.context.events.splice(0)) d.reader(e.subtask).sourceEvent(e.event);
      const out = d.reader(0).output();
      count += out.length;
      d.reader(0).clearOutput();
      if (++rounds % 200 === 0) {
        // The binlog split goes out after a checkpoint that follows the snapshot.
        const cp = await d.checkpoint();
        await d.complete(cp.checkpointId);
        d.reader(0).clearOutput();
        onRound?.();
      }
      if (st[0] !== 'more-available') await Promise.race([d.reader(0).reader.isAvailable(), new Promise((r) => setTimeout(r, 5))]);
    }
  } finally {
    await d.close();
  }
  return count;
}

/**
 * A plugin directory for SQL jobs: the package (and the blackhole connector) in a `node_modules`, as users install
 * them.
 */
function pluginPath(): { path: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runnel-cdc-bench-'));
  const pkg = resolve(HERE, '..');
  mkdirSync(join(dir, 'node_modules', '@runnel'), { recursive: true });
  symlinkSync(pkg, join(dir, 'node_modules', '@runnel', 'connector-mysql'), 'dir');
  symlinkSync(resolve(pkg, 'node_modules', '@runnel', 'connector-datagen'), join(dir, 'node_modules', '@runnel', 'connector-datagen'), 'dir');
  return { path: join(dir, 'bench.sql'), dir };
}

interface JobRun {
  /** Rows and CPU seconds between the first metric report with rows and the one reaching the table's size. */
  readonly rows: number;
  readonly cpuS: number;
  /** CPU seconds from the script's submission to the first report with rows (planning, start, first rows). */
  readonly setupCpuS: number;
}

/** The snapshot read by a SQL job into a blackhole table, parallelism 1, in this thread (see the header). */
async function snapshotJob(db: MariaDb, table: string, n: number, plugins: string): Promise<JobRun> {
  const session = new SqlSession({ config: { 'parallelism.default': '1', 'execution.target': 'local', 'metrics.reporter.interval': '50 ms' }, pluginSearchPath: [plugins] });
  const cols = 'id BIGINT, v INT, s STRING, d DECIMAL(12, 2), ts TIMESTAMP(3)';
  const script = `CREATE TABLE src (${cols}, PRIMARY KEY (id) NOT ENFORCED) WITH ('connector' = 'mysql-cdc', 'hostname' = '${db.host}', 'port' = '${db.port}',
      'username' = 'root', 'password' = '', 'database-name' = 'bench', 'table-name' = '${table}', 'server-id' = '7000-7010'${process.env['RUNNEL_CDC_BENCH_CHUNK'] ? `, 'scan.incremental.snapshot.chunk.size' = '${process.env['RUNNEL_CDC_BENCH_CHUNK']}'` : ''});
    CREATE TABLE sink (${cols}) WITH ('connector' = 'blackhole');
    INSERT INTO sink SELECT * FROM src;`;
  const c0 = cpu();
  let run: JobRun | undefined;
  await session.executeScript(script, async (_stmt, result) => {
    if (result.kind !== 'job') return;
    const client = result.client;
    let first: { rows: number; cpu: number } | undefined;
    await new Promise<void>((done) =>
      client.onMetrics(() => {
        if (run !== undefined) return;
        const now = cpu();
        let rows = 0;
        for (const m of client.metrics()) if (m.name === 'snapshotRecords' && typeof m.value === 'number') rows += m.value;
        if (rows === 0) return;
        if (first === undefined) {
          // The whole table in the first report (a fast machine, a small table): the job's CPU from its submission.
          if (rows >= n) {
            run = { rows, cpuS: now - c0, setupCpuS: 0 };
            done();
          } else first = { rows, cpu: now };
        } else if (rows >= n) {
          run = { rows: rows - first.rows, cpuS: now - first.cpu, setupCpuS: first.cpu - c0 };
          done();
        }
      }),
    );
    await client.cancel();
  });
  if (run === undefined) throw new Error('the snapshot job ended without reading the table');
  return run;
}

async function plainSelect(db: MariaDb, table: string): Promise<number> {
  const c = mysql.createConnection({ host: db.host, port: db.port, user: 'root', password: '', database: 'bench' });
  let n = 0;
  await new Promise<void>((resolve, reject) => {
    c.query(`SELECT * FROM ${table}`).on('result', () => n++).on('error', reject).on('end', () => resolve());
  });
  c.destroy();
  return n;
}

const db = await startMariaDb({ bufferPool: '1G' });
const result: Record<string, unknown> = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, rows: ROWS, rounds: ROUNDS };
try {
  await db.query('CREATE DATABASE bench');
  if (STEPS.has('snapshot')) await fill(db, 'snap', ROWS);
  // Snapshot: plain SELECT vs the source (as a job, and through the test harness), alternated.
  if (STEPS.has('snapshot')) {
    const plugins = pluginPath();
    const runs: Record<string, number[]> = { plain: [], job: [], driver: [] };
    const setup: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const line: string[] = [];
      for (const side of SIDES) {
        let rate: number;
        if (side === 'plain') {
          const c0 = cpu();
          rate = (await plainSelect(db, 'snap')) / (cpu() - c0);
        } else if (side === 'job') {
          const j = await snapshotJob(db, 'snap', ROWS, plugins.path);
          rate = j.rows / j.cpuS;
          setup.push(j.setupCpuS);
        } else if (side === 'driver') {
          const c0 = cpu();
          rate = (await drain(source(db, 'snap'), ROWS)) / (cpu() - c0);
        } else throw new Error(`RUNNEL_CDC_BENCH_SIDES: unknown side '${side}' (plain, job, driver)`);
        runs[side]!.push(rate);
        line.push(`${side} ${Math.round(rate)}`);
      }
      console.log(`round ${r + 1} (rows/CPU-s, load ${(await import('node:os')).loadavg()[0]!.toFixed(2)}): ${line.join(', ')}`);
    }
    rmSync(plugins.dir, { recursive: true, force: true });
    const med = (k: string): number | undefined => (runs[k]!.length > 0 ? median(runs[k]!) : undefined);
    const plain = med('plain');
    const job = med('job');
    const driver = med('driver');
    result['snapshot'] = {
      plainRowsPerCpuS: plain === undefined ? undefined : Math.round(plain),
      jobRowsPerCpuS: job === undefined ? undefined : Math.round(job),
      jobSetupCpuS: setup.length > 0 ? median(setup) : undefined,
      driverRowsPerCpuS: driver === undefined ? undefined : Math.round(driver),
      ratio: plain !== undefined && job !== undefined ? job / plain : undefined,
      driverRatio: plain !== undefined && driver !== undefined ? driver / plain : undefined,
      rounds: runs,
      goal: 'ratio (job / plain) >= 0.8',
    };
  }

  // Binlog follow: changes written first, read from the position before them.
  if (STEPS.has('binlog')) {
  await db.query('CREATE TABLE bench.follow (id BIGINT PRIMARY KEY, v INT NOT NULL, s VARCHAR(40), d DECIMAL(12,2), ts DATETIME(3)) ENGINE=InnoDB');
  const [status] = await db.query<{ File: string; Position: number }>('SHOW MASTER STATUS');
  const c = await db.connect('bench');
  let changes = 0;
  for (let from = 1; changes < CHANGES; from += 10_000) {
    await c.query(`INSERT INTO follow SELECT seq, 1, 'x', 1.5, NOW(3) FROM seq_${from}_to_${from + 9_999}`);
    await c.query(`UPDATE follow SET v = v + 1 WHERE id BETWEEN ${from} AND ${from + 9_999}`);
    changes += 30_000; // 10 000 inserts + 10 000 updates (-U and +U)
  }
  await c.end();
  const t0 = performance.now();
  const c0 = cpu();
  await drain(source(db, 'follow', StartupOptions.specificOffset(status!.File, Number(status!.Position))), changes);
  const s = (performance.now() - t0) / 1000;
  result['binlog'] = { changelogRecords: changes, seconds: s, recordsPerS: Math.round(changes / s), rowChangesPerS: Math.round((changes * 2) / 3 / s), cpuS: cpu() - c0, goal: '>= 20 000 row changes/s' };
  console.log(`binlog: ${Math.round((changes * 2) / 3 / s)} row changes/s (${Math.round(changes / s)} changelog records/s)`);
  }

  // Memory: snapshot of a large table.
  if (STEPS.has('memory')) {
  await fill(db, 'big', MEMORY_ROWS);
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const tm = performance.now();
  await drain(source(db, 'big'), MEMORY_ROWS);
  clearInterval(timer);
  result['memory'] = { rows: MEMORY_ROWS, peakRssMiB: Math.round(Math.max(peak / 2 ** 20, peakRssMiB())), seconds: (performance.now() - tm) / 1000, goal: '< 1024 MiB' };
  console.log(`memory: ${MEMORY_ROWS} rows snapshotted, peak RSS ${Math.round(peakRssMiB())} MiB`);
  }
} finally {
  await db.stop();
}
if (OUT !== undefined) {
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
}
console.log(JSON.stringify(result));
