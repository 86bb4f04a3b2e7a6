// The ClickHouse sink's benchmark: the same rows into the same local ClickHouse 18.16 server (started here, stopped
// at the end) through (A) a plain `@clickhouse/client` insert loop — `client.insert({ values, format: 'JSONEachRow' })`
// in batches, the client serialising the row objects — and (B) the Runnel sink's writer driven as the runtime drives
// it (write per row, back-pressure through isAvailable, flush), at-least-once, same batch size. A and B alternate for
// several rounds; each round truncates the table first. The figure is rows per CPU-second of this process (user +
// system: what the writer costs the job; the server's CPU is its own), with wall-clock rows/s alongside; medians over
// the rounds. Targets (issue 15): B >= 80 % of A, and B >= 200 000 rows per CPU-second.
// Usage: pnpm bench clickhouse [--rows N] [--rounds R] [--batch B]
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient } from '@clickhouse/client';
import { testSinkWriterContext } from '@runnel/testing';
import { ClickHouseSink } from '../src/sink/clickhouse-sink.js';
import { startClickHouse } from '../test/support/clickhouse-server.js';

const args = process.argv.slice(2);
const opt = (name: string, d: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const ROWS = opt('rows', 500_000);
const ROUNDS = opt('rounds', 3);
const BATCH = opt('batch', 10_000);
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'results', 'clickhouse-latest.json');

interface Ev {
  readonly id: number;
  readonly app: string;
  /** Exact decimal text. */
  readonly amount: string;
  /** Epoch seconds. */
  readonly ts: number;
  readonly n: number;
}

const APPS = ['shop', 'news', 'mail', 'maps', 'chat'];
const rows: Ev[] = Array.from({ length: ROWS }, (_, i) => ({
  id: i,
  app: APPS[i % 5]!,
  amount: `${(i * 7919) % 100_000}.${String(i % 100).padStart(2, '0')}`,
  ts: 1_700_000_000 + Math.floor(i / 10),
  n: (i * 31) % 1000,
}));

// The plain client serialises its objects with JSON.stringify: the decimal goes as a JSON number (18.16 reads no
// quoted decimals); its shortest representation is the same decimal text.
const plainRows = rows.map((e) => ({ id: e.id, app: e.app, amount: Number(e.amount), ts: e.ts, n: e.n }));

const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

interface Measure {
  readonly rowsPerCpuSecond: number;
  readonly rowsPerSecond: number;
  readonly cpuSeconds: number;
  readonly wallSeconds: number;
}

async function measure(run: () => Promise<void>): Promise<Measure> {
  const c0 = cpu();
  const t0 = performance.now();
  await run();
  const wall = (performance.now() - t0) / 1000;
  const c = cpu() - c0;
  return { rowsPerCpuSecond: Math.round(ROWS / c), rowsPerSecond: Math.round(ROWS / wall), cpuSeconds: +c.toFixed(3), wallSeconds: +wall.toFixed(3) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : Math.round((s[s.length / 2 - 1]! + s[s.length / 2]!) / 2);
};

const server = await startClickHouse();
try {
  await server.query("CREATE TABLE bench (id UInt64, app String, amount Decimal(18, 2), ts DateTime('UTC'), n Int32) ENGINE = MergeTree ORDER BY id");
  const client = createClient({ url: server.url, compression: { request: false, response: false } });

  const plain = async (): Promise<void> => {
    for (let i = 0; i < ROWS; i += BATCH) {
      await client.insert({ table: 'bench', values: plainRows.slice(i, i + BATCH), format: 'JSONEachRow' });
    }
  };

  const sink = ClickHouseSink.builder<Ev>()
    .url(server.url)
    .table('bench')
    .column('id', (e) => e.id)
    .column('app', (e) => e.app)
    .column('amount', (e) => e.amount)
    .column('ts', (e) => e.ts * 1000)
    .column('n', (e) => e.n)
    .with({ batchSize: BATCH, flushIntervalMs: 0 })
    .build();
  const runnel = async (): Promise<void> => {
    const w = sink.createWriter(testSinkWriterContext());
    const ctx = { timestamp: Number.NEGATIVE_INFINITY, currentWatermark: Number.NEGATIVE_INFINITY };
    for (let i = 0; i < ROWS; i++) {
      const wait = w.isAvailable?.();
      if (wait !== undefined) await wait;
      w.write(rows[i]!, ctx);
    }
    await w.flush(true);
    await w.close();
  };

  const results: Record<'plain-client' | 'runnel-sink', Measure[]> = { 'plain-client': [], 'runnel-sink': [] };
  // A warm-up of each, not counted.
  for (const [name, run] of [['plain-client', plain], ['runnel-sink', runnel]] as const) {
    await server.query('TRUNCATE TABLE bench');
    await run();
    void name;
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, run] of (r % 2 === 0 ? [['plain-client', plain], ['runnel-sink', runnel]] : [['runnel-sink', runnel], ['plain-client', plain]]) as [keyof typeof results, () => Promise<void>][]) {
      await server.query('TRUNCATE TABLE bench');
      const m = await measure(run);
      const [count] = await server.rows<{ n: string }>('SELECT count() AS n FROM bench');
      if (Number(count!.n) !== ROWS) throw new Error(`${name}: ${count!.n} rows in the table, expected ${ROWS}`);
      results[name].push(m);
      console.log(`round ${r + 1} ${name}: ${m.rowsPerCpuSecond} rows/CPU-s, ${m.rowsPerSecond} rows/s`);
    }
  }
  // The same rows arrive identically: spot-check one row written by the sink.
  const [row] = await server.rows<Record<string, unknown>>('SELECT id, app, toString(amount) AS amount, toUInt32(ts) AS ts, n FROM bench WHERE id = 12345');
  await client.close();

  const summary = Object.fromEntries(
    Object.entries(results).map(([k, ms]) => [k, { rowsPerCpuSecond: median(ms.map((m) => m.rowsPerCpuSecond)), rowsPerSecond: median(ms.map((m) => m.rowsPerSecond)), rounds: ms.length }]),
  ) as Record<keyof typeof results, { rowsPerCpuSecond: number; rowsPerSecond: number; rounds: number }>;
  const ratio = summary['runnel-sink'].rowsPerCpuSecond / summary['plain-client'].rowsPerCpuSecond;
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model },
    server: `clickhouse-server ${(await server.query('SELECT version()')).trim()}`,
    options: { rows: ROWS, rounds: ROUNDS, batch: BATCH },
    summary,
    runnelVsPlain: +ratio.toFixed(3),
    targets: { ratio: 0.8, rowsPerCpuSecond: 200_000, met: ratio >= 0.8 && summary['runnel-sink'].rowsPerCpuSecond >= 200_000 },
    sampleRow: row,
    rounds: results,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify({ summary, runnelVsPlain: report.runnelVsPlain, targets: report.targets }, null, 2));
  console.log(`written to ${OUT}`);
} finally {
  await server.destroy();
}
