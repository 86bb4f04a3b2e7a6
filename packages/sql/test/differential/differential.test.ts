// Differential tests of the SQL layer: each query family runs in Runnel (parallelism 1 and 2, jobs on worker
// threads, the changelog applied) and in DuckDB over the same generated rows; the results must be equal.
import { beforeAll, describe, expect, it } from 'vitest';
import { Oracle, canonRows } from '../support/oracle.js';
import { runSelect } from '../support/sql-harness.js';
import { ordersTable, ticksTable } from './orders-data.js';

interface Case {
  readonly name: string;
  readonly runnel: string;
  readonly duck: string;
  /** An unbounded group aggregation: also run with mini-batch on. */
  readonly grouped?: boolean;
}

const CASES: Case[] = [
  {
    name: 'projection and filter with expressions and three-valued logic',
    runnel: `SELECT id, UPPER(app), amount * 2, qty + 1, CASE WHEN qty > 5 THEN 'big' WHEN qty IS NULL THEN 'none' ELSE 'small' END, price / 2, big + 1
             FROM orders WHERE (price > 10 AND app <> 'mail') OR qty IS NULL`,
    duck: `SELECT id, UPPER(app), amount * 2, qty + 1, CASE WHEN qty > 5 THEN 'big' WHEN qty IS NULL THEN 'none' ELSE 'small' END, price / 2, big + 1
           FROM orders WHERE (price > 10 AND app <> 'mail') OR qty IS NULL`,
  },
  {
    name: 'IN, BETWEEN, LIKE, COALESCE, NULLIF, integer division',
    runnel: `SELECT id, COALESCE(app, 'none'), NULLIF(qty, 0), qty / 3, qty % 3 FROM orders
             WHERE user_id IN (1, 2, 3, 7, 11) OR (price BETWEEN 20 AND 21) OR app LIKE 'ma%'`,
    duck: `SELECT id, COALESCE(app, 'none'), NULLIF(qty, 0), CAST(TRUNC(qty / 3) AS INTEGER), CAST(qty - 3 * TRUNC(qty / 3) AS INTEGER) FROM orders
           WHERE user_id IN (1, 2, 3, 7, 11) OR (price BETWEEN 20 AND 21) OR app LIKE 'ma%'`,
  },
  {
    name: 'unbounded group aggregation (retractions of changed groups)',
    grouped: true,
    runnel: `SELECT app, COUNT(*), COUNT(qty), SUM(amount), MIN(qty), MAX(price), AVG(qty), SUM(big) FROM orders GROUP BY app`,
    duck: `SELECT app, COUNT(*), COUNT(qty), SUM(amount), MIN(qty), MAX(price), CAST(TRUNC(AVG(qty)) AS INTEGER), SUM(big) FROM orders GROUP BY app`,
  },
  {
    name: 'aggregation of an aggregation (retracting input)',
    grouped: true,
    runnel: `SELECT cnt % 7, COUNT(*), SUM(total), MAX(cnt) FROM (SELECT user_id, COUNT(*) AS cnt, SUM(qty) AS total FROM orders GROUP BY user_id) GROUP BY cnt % 7`,
    duck: `SELECT cnt % 7, COUNT(*), SUM(total), MAX(cnt) FROM (SELECT user_id, COUNT(*) AS cnt, SUM(qty) AS total FROM orders GROUP BY user_id) GROUP BY cnt % 7`,
  },
  {
    name: 'HAVING, DISTINCT aggregates, FILTER',
    grouped: true,
    runnel: `SELECT app, COUNT(DISTINCT user_id), SUM(qty) FILTER (WHERE price > 50), COUNT(*) FROM orders GROUP BY app HAVING COUNT(*) > 10`,
    duck: `SELECT app, COUNT(DISTINCT user_id), SUM(qty) FILTER (WHERE price > 50), COUNT(*) FROM orders GROUP BY app HAVING COUNT(*) > 10`,
  },
  {
    name: 'SELECT DISTINCT',
    grouped: true,
    runnel: `SELECT DISTINCT app, user_id % 5 FROM orders`,
    duck: `SELECT DISTINCT app, user_id % 5 FROM orders`,
  },
  {
    name: 'WITH, subquery, UNION ALL',
    runnel: `WITH big AS (SELECT id, app FROM orders WHERE price > 90) SELECT app, id FROM big UNION ALL SELECT 'small', id FROM orders WHERE price < 1`,
    duck: `WITH big AS (SELECT id, app FROM orders WHERE price > 90) SELECT app, id FROM big UNION ALL SELECT 'small', id FROM orders WHERE price < 1`,
  },
  {
    name: 'TUMBLE window aggregation',
    runnel: `SELECT app, window_start, window_end, COUNT(*), SUM(amount), MAX(qty) FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND)) GROUP BY app, window_start, window_end`,
    duck: `SELECT app, time_bucket(INTERVAL '10 seconds', ts) AS ws, time_bucket(INTERVAL '10 seconds', ts) + INTERVAL '10 seconds', COUNT(*), SUM(amount), MAX(qty) FROM orders GROUP BY app, ws`,
  },
  {
    name: 'HOP window aggregation',
    runnel: `SELECT window_start, window_end, COUNT(*), SUM(qty) FROM TABLE(HOP(TABLE orders, DESCRIPTOR(ts), INTERVAL '5' SECOND, INTERVAL '20' SECOND)) GROUP BY window_start, window_end`,
    duck: `SELECT ws, ws + INTERVAL '20 seconds', COUNT(*), SUM(qty) FROM (SELECT *, time_bucket(INTERVAL '5 seconds', ts) - k * INTERVAL '5 seconds' AS ws FROM orders, range(0, 4) t(k)) GROUP BY ws`,
  },
  {
    name: 'CUMULATE window aggregation',
    runnel: `SELECT app, window_start, window_end, COUNT(*), SUM(amount) FROM TABLE(CUMULATE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND, INTERVAL '60' SECOND)) GROUP BY app, window_start, window_end`,
    duck: `SELECT app, ws, we, COUNT(*), SUM(amount) FROM (SELECT *, time_bucket(INTERVAL '60 seconds', ts) AS ws, time_bucket(INTERVAL '60 seconds', ts) + k * INTERVAL '10 seconds' AS we FROM orders, range(1, 7) t(k)) WHERE ts < we GROUP BY app, ws, we`,
  },
  {
    name: 'SESSION window aggregation',
    runnel: `SELECT user_id, window_start, window_end, COUNT(*) FROM TABLE(SESSION(TABLE orders, DESCRIPTOR(ts), INTERVAL '4' SECOND)) GROUP BY user_id, window_start, window_end`,
    duck: `SELECT user_id, MIN(ts), MAX(ts) + INTERVAL '4 seconds', COUNT(*) FROM (SELECT *, SUM(brk) OVER (PARTITION BY user_id ORDER BY ts, id) AS sid FROM (SELECT *, CASE WHEN ts - LAG(ts) OVER (PARTITION BY user_id ORDER BY ts, id) <= INTERVAL '4 seconds' THEN 0 ELSE 1 END AS brk FROM orders)) GROUP BY user_id, sid`,
  },
  {
    name: 'legacy group window with TUMBLE_START / TUMBLE_END',
    runnel: `SELECT app, TUMBLE_START(ts, INTERVAL '30' SECOND), TUMBLE_END(ts, INTERVAL '30' SECOND), COUNT(*) FROM orders GROUP BY app, TUMBLE(ts, INTERVAL '30' SECOND)`,
    duck: `SELECT app, time_bucket(INTERVAL '30 seconds', ts), time_bucket(INTERVAL '30 seconds', ts) + INTERVAL '30 seconds', COUNT(*) FROM orders GROUP BY app, time_bucket(INTERVAL '30 seconds', ts)`,
  },
  {
    name: 'ROLLUP on a window',
    runnel: `SELECT app, window_start, COUNT(*) FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '30' SECOND)) GROUP BY window_start, window_end, ROLLUP (app)`,
    duck: `SELECT app, time_bucket(INTERVAL '30 seconds', ts) AS ws, COUNT(*) FROM orders GROUP BY ws, ROLLUP (app)`,
  },
  {
    name: 'OVER aggregation, RANGE interval frame (peers included)',
    runnel: `SELECT id, k, SUM(v) OVER w, COUNT(*) OVER w, MIN(v) OVER w FROM ticks WINDOW w AS (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL '10' SECOND PRECEDING AND CURRENT ROW)`,
    duck: `SELECT id, k, SUM(v) OVER w, COUNT(*) OVER w, MIN(v) OVER w FROM ticks WINDOW w AS (PARTITION BY k ORDER BY ts RANGE BETWEEN INTERVAL 10 SECONDS PRECEDING AND CURRENT ROW)`,
  },
  {
    name: 'OVER aggregation, ROWS frame',
    runnel: `SELECT id, MAX(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 3 PRECEDING AND CURRENT ROW), AVG(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) FROM ticks`,
    duck: `SELECT id, MAX(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 3 PRECEDING AND CURRENT ROW), CAST(TRUNC(AVG(v) OVER (PARTITION BY k ORDER BY ts ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)) AS INTEGER) FROM ticks`,
  },
  {
    name: 'OVER aggregation, unbounded (running count and sum)',
    runnel: `SELECT id, COUNT(*) OVER (PARTITION BY k ORDER BY ts), SUM(v) OVER (PARTITION BY k ORDER BY ts) FROM ticks`,
    duck: `SELECT id, COUNT(*) OVER (PARTITION BY k ORDER BY ts), SUM(v) OVER (PARTITION BY k ORDER BY ts) FROM ticks`,
  },
];

describe('SQL results equal DuckDB\'s', () => {
  let oracle: Oracle;
  let ddl: string;
  beforeAll(async () => {
    oracle = await Oracle.create();
    ddl = (await ordersTable(oracle, 42)) + (await ticksTable(oracle, 43));
  });
  const runs = [
    { p: 1, backend: 'heap' },
    { p: 2, backend: 'heap' },
    { p: 2, backend: 'level' },
  ];
  for (const { p, backend } of runs) {
    for (const c of CASES) {
      it(`${c.name} (parallelism ${p}, ${backend})`, async () => {
        const out = await runSelect(`${ddl}\n${c.runnel};`, { 'parallelism.default': String(p), 'state.backend.type': backend });
        expect(out.inconsistencies).toBe(0);
        const expected = await oracle.rows(c.duck);
        const actual = canonRows(out.rows, out.types);
        expect(actual.length).toBe(expected.length);
        expect(actual).toEqual(expected);
      });
    }
  }
  // Mini-batch group aggregation (bundles in memory, flushed at `size` rows, after `allow-latency`, before
  // barriers and at the end): a small size makes many flushes within the input, with groups of many rows each.
  const miniBatchRuns = [
    { p: 1, backend: 'heap' },
    { p: 2, backend: 'heap' },
    { p: 1, backend: 'level' },
    { p: 2, backend: 'level' },
    // A cache of a few keys: groups of a bundle are evicted (and reloaded for the flush) while the bundle holds them.
    { p: 2, backend: 'level', cache: '8' },
  ];
  const miniBatch = { 'table.exec.mini-batch.enabled': 'true', 'table.exec.mini-batch.allow-latency': '50 ms', 'table.exec.mini-batch.size': '97' };
  for (const { p, backend, cache } of miniBatchRuns) {
    for (const c of CASES.filter((x) => x.grouped)) {
      it(`${c.name} with mini-batch (parallelism ${p}, ${backend}${cache ? `, cache-size ${cache}` : ''})`, async () => {
        const options = { 'parallelism.default': String(p), 'state.backend.type': backend, ...(cache ? { 'state.backend.level.cache-size': cache } : {}), ...miniBatch };
        const out = await runSelect(`${ddl}\n${c.runnel};`, options);
        expect(out.inconsistencies).toBe(0);
        const expected = await oracle.rows(c.duck);
        const actual = canonRows(out.rows, out.types);
        expect(actual.length).toBe(expected.length);
        expect(actual).toEqual(expected);
      });
    }
  }
});
