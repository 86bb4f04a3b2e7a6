// Benchmark of the mysql-cdc source against a throwaway MariaDB (test/support/mariadb.ts):
//   snapshot: rows per CPU-second of this process, the source (one reader, default chunk size, records discarded)
//             against a plain mysql2 streaming SELECT of the same table, runs alternated, medians;
//   binlog:   row changes per second the source follows (changes written first, then read from the position before
//             them, so the figure is the reader's, not the writer's);
//   memory:   peak RSS while snapshotting a large table (VmHWM of this process).
// Standalone: node --import tsx --conditions=@runnel/source bench/cdc.ts; JSON to bench/results/cdc-latest.json.
// Sizes: RUNNEL_CDC_BENCH_ROWS (default 1 000 000), RUNNEL_CDC_BENCH_MEMORY_ROWS (default 5 000 000),
// RUNNEL_CDC_BENCH_CHANGES (default 200 000), RUNNEL_CDC_BENCH_ROUNDS (default 3).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2';
import { SourceDriver } from '@runnel/testing';
import type { Row } from '@runnel/api/table';
import { MySqlCdcSource, StartupOptions } from '../src/index.js';
import { startMariaDb, type MariaDb } from '../test/support/mariadb.js';

const ROWS = Number(process.env['RUNNEL_CDC_BENCH_ROWS'] ?? 1_000_000);
const MEMORY_ROWS = Number(process.env['RUNNEL_CDC_BENCH_MEMORY_ROWS'] ?? 5_000_000);
const CHANGES = Number(process.env['RUNNEL_CDC_BENCH_CHANGES'] ?? 200_000);
const ROUNDS = Number(process.env['RUNNEL_CDC_BENCH_ROUNDS'] ?? 3);
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'results', 'cdc-latest.json');

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
  await fill(db, 'snap', ROWS);
  // Snapshot: plain SELECT vs the source, alternated.
  const plain: number[] = [];
  const ours: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    let c0 = cpu();
    const n1 = await plainSelect(db, 'snap');
    plain.push(n1 / (cpu() - c0));
    c0 = cpu();
    const n2 = await drain(source(db, 'snap'), ROWS);
    ours.push(n2 / (cpu() - c0));
    console.log(`round ${r + 1}: plain SELECT ${Math.round(plain[r]!)} rows/CPU-s, mysql-cdc snapshot ${Math.round(ours[r]!)} rows/CPU-s`);
  }
  result['snapshot'] = { plainRowsPerCpuS: Math.round(median(plain)), sourceRowsPerCpuS: Math.round(median(ours)), ratio: median(ours) / median(plain), goal: '>= 0.8' };

  // Binlog follow: changes written first, read from the position before them.
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

  // Memory: snapshot of a large table.
  await fill(db, 'big', MEMORY_ROWS);
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const tm = performance.now();
  await drain(source(db, 'big'), MEMORY_ROWS);
  clearInterval(timer);
  result['memory'] = { rows: MEMORY_ROWS, peakRssMiB: Math.round(Math.max(peak / 2 ** 20, peakRssMiB())), seconds: (performance.now() - tm) / 1000, goal: '< 1024 MiB' };
  console.log(`memory: ${MEMORY_ROWS} rows snapshotted, peak RSS ${Math.round(peakRssMiB())} MiB`);
} finally {
  await db.stop();
}
mkdirSync(dirname(OUT), { recursive: true });
writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
console.log(JSON.stringify(result));
