// Generated input of the differential tests: orders of a few apps over a few minutes, shuffled within 3 seconds
// (less than the table's 5-second watermark delay, so no row is late and the streaming result must equal the batch
// oracle's), with NULLs in some columns. The same rows go to Runnel (a JSON-lines file) and to DuckDB.
import { rng, writeJsonLines } from '../support/sql-harness.js';
import type { Oracle } from '../support/oracle.js';

const APPS = ['shop', 'news', 'mail', 'maps', 'chat'];

function ts(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

/** The orders table: DDL for Runnel, loaded into the oracle. */
export async function ordersTable(oracle: Oracle, seed: number, n = 3000): Promise<string> {
  const r = rng(seed);
  const base = Date.UTC(2024, 0, 1, 10, 0, 0);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const t = base + i * 97 + Math.floor(r() * 3000);
    rows.push({
      id: i + 1,
      app: r() < 0.03 ? null : APPS[Math.floor(r() * APPS.length)]!,
      user_id: Math.floor(r() * 50),
      qty: r() < 0.05 ? null : Math.floor(r() * 20) - 2,
      amount: (Math.floor(r() * 100000) / 100).toFixed(2),
      price: Math.round(r() * 10000) / 100,
      big: 9007199254740000 + Math.floor(r() * 1000),
      ts: ts(t),
    });
  }
  // Shuffle within 3 s: rows are written in time order of (ts rounded to 3 s) but random inside.
  rows.sort((a, b) => Math.floor(Date.parse(`${a.ts as string}Z`) / 3000) - Math.floor(Date.parse(`${b.ts as string}Z`) / 3000) || r() - 0.5);
  const file = writeJsonLines(rows.map((x) => ({ ...x, amount: Number(x.amount) })), 'orders.json');
  await oracle.load('orders', [['id', 'BIGINT'], ['app', 'VARCHAR'], ['user_id', 'INTEGER'], ['qty', 'INTEGER'], ['amount', 'DECIMAL(10,2)'], ['price', 'DOUBLE'], ['big', 'BIGINT'], ['ts', 'TIMESTAMP']], rows.map((x) => [x.id, x.app, x.user_id, x.qty, x.amount, x.price, x.big, x.ts]));
  return `CREATE TABLE orders (
  id BIGINT,
  app STRING,
  user_id INT,
  qty INT,
  amount DECIMAL(10, 2),
  price DOUBLE,
  big BIGINT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND
) WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json');
`;
}

/** The ticks table: one row per 200 ms, each time unique, shuffled within 2 s (for OVER windows, ROWS frames need a total order). */
export async function ticksTable(oracle: Oracle, seed: number, n = 1500): Promise<string> {
  const r = rng(seed);
  const base = Date.UTC(2024, 0, 1, 12, 0, 0);
  const rows = Array.from({ length: n }, (_, i) => ({ id: i + 1, k: Math.floor(r() * 4), v: Math.floor(r() * 1000) - 100, ts: ts(base + i * 200) }));
  rows.sort((a, b) => Math.floor((a.id - 1) / 10) - Math.floor((b.id - 1) / 10) || r() - 0.5);
  const file = writeJsonLines(rows, 'ticks.json');
  await oracle.load('ticks', [['id', 'BIGINT'], ['k', 'INTEGER'], ['v', 'INTEGER'], ['ts', 'TIMESTAMP']], rows.map((x) => [x.id, x.k, x.v, x.ts]));
  return `CREATE TABLE ticks (id BIGINT, k INT, v INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '3' SECOND)
WITH ('connector' = 'filesystem', 'path' = '${file}', 'format' = 'json');
`;
}
