// `pnpm bench mysql [--rows N] [--scan-rows N] [--rounds N] [--checkpoint-rows N] [--only sink|scan] [--out FILE]`: the MySQL
// connector's benchmark against a throwaway local MariaDB 10.11 (test/support/mariadb.ts). Steps, alternated
// round by round (A B A B ...) and reported as medians:
//  - sink-upsert-runnel: the exactly-once upsert sink (writer + committer, the writer's fence row updated per checkpoint);
//  - sink-upsert-at-least-once-runnel: the at-least-once sink (flushes of 1000 rows);
//  - sink-upsert-mysql2: plain mysql2, the same multi-row upserts, one transaction per checkpoint's rows;
//  - scan-runnel / scan-mysql2: a whole table read through the scan source and through a plain mysql2 stream.
// Target: the upsert sink at least 50 000 rows/s. Results: bench/results/mysql-latest.json. Then, when it exists,
// bench/cdc.ts (the mysql-cdc source's benchmark) runs as a child process with the same arguments. `--only sink` or
// `--only scan` runs those steps alone (no CDC benchmark, results written only with an explicit `--out`);
// `--skip-cdc` runs every step here but not bench/cdc.ts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMariaDb } from '../test/support/mariadb.js';
import { DDL, median, type Measured } from './common.js';
import { plainScanRound, runnelScanRound } from './scan.js';
import { plainSinkRound, runnelSinkRound } from './sink.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
function opt(name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
}
const outIndex = argv.indexOf('--out');
const onlyIndex = argv.indexOf('--only');
const only = onlyIndex >= 0 ? argv[onlyIndex + 1] : undefined;
if (only !== undefined && only !== 'sink' && only !== 'scan') throw new Error(`--only takes sink or scan, got ${only}`);
const options = {
  rows: opt('rows', 200_000),
  scanRows: opt('scan-rows', 500_000),
  rounds: opt('rounds', 3),
  checkpointRows: opt('checkpoint-rows', 50_000),
  out: outIndex >= 0 ? argv[outIndex + 1]! : join(HERE, 'results', 'mysql-latest.json'),
};

const db = await startMariaDb({ binlog: false, bufferPool: '512M' });
let server: Record<string, unknown> = {};
const results: Record<string, (Measured & { serverCpuMs: number })[]> = {};
/** The server's CPU time so far, ms (user + system, from /proc; 0 where there is no /proc). */
function serverCpuMs(): number {
  try {
    const f = readFileSync(`/proc/${db.pid()}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}
/** Runs a step, also measuring the server's CPU time during it. */
const add = async (step: string, run: () => Promise<Measured>): Promise<void> => {
  const s0 = serverCpuMs();
  const m = { ...(await run()), serverCpuMs: serverCpuMs() - s0 };
  (results[step] ??= []).push(m);
  console.log(`${step}: ${Math.round((m.rows * 1000) / m.wallMs)} rows/s (${Math.round(m.wallMs)} ms wall, ${Math.round(m.cpuMs)} ms CPU of this process, ${Math.round(m.serverCpuMs)} ms of the server)`);
};
try {
  await db.query(`CREATE DATABASE b; CREATE TABLE b.runnel (${DDL}); CREATE TABLE b.alo (${DDL}); CREATE TABLE b.plain (${DDL}); CREATE TABLE b.scan (${DDL})`);
  await db.query(
    `INSERT INTO b.scan SELECT seq, CONCAT('name-', seq), seq / 100, TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND, seq % 1000 FROM b.seq_1_to_${options.scanRows}`,
  );
  // The server's settings that matter to the sink, recorded with the results (test/support/mariadb.ts sets the
  // buffer pool, flush_log_at_trx_commit=2 and no binlog here; the rest are MariaDB 10.11's defaults).
  const [vars] = await db.query<Record<string, unknown>>(
    'SELECT @@version AS version, @@innodb_buffer_pool_size AS innodb_buffer_pool_size, @@innodb_flush_log_at_trx_commit AS innodb_flush_log_at_trx_commit, ' +
      '@@innodb_log_file_size AS innodb_log_file_size, @@innodb_log_buffer_size AS innodb_log_buffer_size, @@log_bin AS log_bin, @@sync_binlog AS sync_binlog, ' +
      '@@max_allowed_packet AS max_allowed_packet, @@autocommit AS autocommit, @@tx_isolation AS tx_isolation',
  );
  server = vars!;
  const connection = { host: db.host, port: db.port, database: 'b', user: db.user, password: db.password };
  const sink = { connection, rows: options.rows, checkpointRows: options.checkpointRows };
  for (let round = 0; round < options.rounds; round++) {
    if (only !== 'scan') {
      await add('sink-upsert-runnel', () => runnelSinkRound(sink, 'runnel', round, 'exactly-once'));
      await add('sink-upsert-mysql2', () => plainSinkRound(sink, 'plain', round));
      await add('sink-upsert-at-least-once-runnel', () => runnelSinkRound(sink, 'alo', round, 'at-least-once'));
    }
    if (only !== 'sink') {
      await add('scan-runnel', () => runnelScanRound(connection, 'scan', options.scanRows));
      await add('scan-mysql2', () => plainScanRound(connection, 'scan', options.scanRows));
    }
  }
  const [same] = await db.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM b.runnel r JOIN b.plain p ON p.id = r.id AND p.name = r.name AND p.amount = r.amount AND p.ts = r.ts AND p.qty = r.qty',
  );
  if (only !== 'scan' && Number(same!.n) !== options.rows) throw new Error(`the Runnel sink's table differs from plain mysql2's: ${same!.n} of ${options.rows} rows equal`);
} finally {
  await db.stop();
}

const steps: Record<string, { rowsPerSecond: number; rowsPerCpuSecond: number; rowsPerServerCpuSecond: number; rounds: number }> = {};
for (const [step, ms] of Object.entries(results)) {
  steps[step] = {
    rowsPerSecond: Math.round(median(ms.map((m) => (m.rows * 1000) / m.wallMs))),
    rowsPerCpuSecond: Math.round(median(ms.map((m) => (m.rows * 1000) / m.cpuMs))),
    rowsPerServerCpuSecond: Math.round(median(ms.map((m) => (m.rows * 1000) / Math.max(m.serverCpuMs, 1)))),
    rounds: ms.length,
  };
}
const sinkRate = steps['sink-upsert-runnel']?.rowsPerSecond ?? 0;
const summary = {
  steps,
  sinkUpsertTarget: { target: 50_000, rowsPerSecond: sinkRate, met: sinkRate >= 50_000 },
  sinkVsPlainMysql2: Number((sinkRate / (steps['sink-upsert-mysql2']?.rowsPerSecond ?? 1)).toFixed(3)),
  scanVsPlainMysql2: Number(((steps['scan-runnel']?.rowsPerSecond ?? 0) / (steps['scan-mysql2']?.rowsPerSecond ?? 1)).toFixed(3)),
};
if (only === undefined || outIndex >= 0) {
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, JSON.stringify({ date: new Date().toISOString(), node: process.version, options, server, summary, rounds: results }, null, 2) + '\n');
  console.log(`results: ${options.out}`);
}
console.log(JSON.stringify(summary, null, 2));

const cdc = join(HERE, 'cdc.ts');
if (only === undefined && !argv.includes('--skip-cdc') && existsSync(cdc)) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@runnel/source', cdc, ...argv.filter((a, i) => a !== '--out' && argv[i - 1] !== '--out' && a !== '--skip-cdc')], { stdio: 'inherit', cwd: join(HERE, '..') });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!summary.sinkUpsertTarget.met) console.log(`the upsert sink is below its target of 50 000 rows/s`);
