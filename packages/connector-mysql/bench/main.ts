// `pnpm bench mysql [--rows N] [--scan-rows N] [--rounds N] [--checkpoint-rows N] [--out FILE]`: the MySQL
// connector's benchmark against a throwaway local MariaDB 10.11 (test/support/mariadb.ts). Steps, alternated
// round by round (A B A B ...) and reported as medians:
//  - sink-upsert-runnel: the exactly-once upsert sink (writer + committer with the fence row per checkpoint);
//  - sink-upsert-at-least-once-runnel: the at-least-once sink (flushes of 1000 rows);
//  - sink-upsert-mysql2: plain mysql2, the same multi-row upserts, one transaction per checkpoint's rows;
//  - scan-runnel / scan-mysql2: a whole table read through the scan source and through a plain mysql2 stream.
// Target: the upsert sink at least 50 000 rows/s. Results: bench/results/mysql-latest.json. Then, when it exists,
// bench/cdc.ts (the mysql-cdc source's benchmark) runs as a child process with the same arguments.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
const options = {
  rows: opt('rows', 200_000),
  scanRows: opt('scan-rows', 500_000),
  rounds: opt('rounds', 3),
  checkpointRows: opt('checkpoint-rows', 50_000),
  out: outIndex >= 0 ? argv[outIndex + 1]! : join(HERE, 'results', 'mysql-latest.json'),
};

const db = await startMariaDb({ binlog: false, bufferPool: '512M' });
const results: Record<string, Measured[]> = {};
const add = (step: string, m: Measured): void => {
  (results[step] ??= []).push(m);
  console.log(`${step}: ${Math.round((m.rows * 1000) / m.wallMs)} rows/s (${Math.round(m.wallMs)} ms wall, ${Math.round(m.cpuMs)} ms CPU of this process)`);
};
try {
  await db.query(`CREATE DATABASE b; CREATE TABLE b.runnel (${DDL}); CREATE TABLE b.alo (${DDL}); CREATE TABLE b.plain (${DDL}); CREATE TABLE b.scan (${DDL})`);
  await db.query(
    `INSERT INTO b.scan SELECT seq, CONCAT('name-', seq), seq / 100, TIMESTAMP'2024-01-01 00:00:00' + INTERVAL seq SECOND, seq % 1000 FROM b.seq_1_to_${options.scanRows}`,
  );
  const connection = { host: db.host, port: db.port, database: 'b', user: db.user, password: db.password };
  const sink = { connection, rows: options.rows, checkpointRows: options.checkpointRows };
  for (let round = 0; round < options.rounds; round++) {
    add('sink-upsert-runnel', await runnelSinkRound(sink, 'runnel', round, 'exactly-once'));
    add('sink-upsert-mysql2', await plainSinkRound(sink, 'plain', round));
    add('sink-upsert-at-least-once-runnel', await runnelSinkRound(sink, 'alo', round, 'at-least-once'));
    add('scan-runnel', await runnelScanRound(connection, 'scan', options.scanRows));
    add('scan-mysql2', await plainScanRound(connection, 'scan', options.scanRows));
  }
  const [same] = await db.query<{ n: number }>(
    'SELECT COUNT(*) AS n FROM b.runnel r JOIN b.plain p ON p.id = r.id AND p.name = r.name AND p.amount = r.amount AND p.ts = r.ts AND p.qty = r.qty',
  );
  if (Number(same!.n) !== options.rows) throw new Error(`the Runnel sink's table differs from plain mysql2's: ${same!.n} of ${options.rows} rows equal`);
} finally {
  await db.stop();
}

const steps: Record<string, { rowsPerSecond: number; rowsPerCpuSecond: number; rounds: number }> = {};
for (const [step, ms] of Object.entries(results)) {
  steps[step] = {
    rowsPerSecond: Math.round(median(ms.map((m) => (m.rows * 1000) / m.wallMs))),
    rowsPerCpuSecond: Math.round(median(ms.map((m) => (m.rows * 1000) / m.cpuMs))),
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
mkdirSync(dirname(options.out), { recursive: true });
writeFileSync(options.out, JSON.stringify({ date: new Date().toISOString(), node: process.version, options, summary, rounds: results }, null, 2) + '\n');
console.log(JSON.stringify(summary, null, 2));
console.log(`results: ${options.out}`);

const cdc = join(HERE, 'cdc.ts');
if (existsSync(cdc)) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--conditions=@runnel/source', cdc, ...argv.filter((a, i) => a !== '--out' && argv[i - 1] !== '--out')], { stdio: 'inherit', cwd: join(HERE, '..') });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
if (!summary.sinkUpsertTarget.met) console.log(`the upsert sink is below its target of 50 000 rows/s`);
