// Nexmark in Flink SQL, as a job module: every worker thread imports it and builds the query with @runnel/sql's
// Table API. The script is nexmark-flink's: its DDL (the `nexmark` connector's `datagen` table and the person/auction/
// bid views) and query texts, read from packages/sql/test/nexmark/queries (verbatim there but for the sink), with the
// `${...}` placeholders filled in as nexmark-flink's runner does. Each query is written, as in nexmark-flink, by
// `INSERT INTO nexmark_qN` into a table of the query's columns; here that table's connector is `nexmark-digest`
// (sql-digest-connector.ts, a blackhole that digests the changelog for the result check) instead of `blackhole`.
// The sink tables' column types are those nexmark-flink declares.
//
// q12 is not run: it windows on processing time (PROCTIME()), so its result depends on the wall clock and cannot be
// checked against a baseline.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineJob, registerPlugin } from '@runnel/runtime';
import { StreamTableEnvironment } from '@runnel/sql';
import { digestConnectorFactory } from './sql-digest-connector.js';

// At the top level, so that the connector is registered in every thread that imports the job module.
registerPlugin(digestConnectorFactory);

const QUERY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'packages', 'sql', 'test', 'nexmark', 'queries');

/**
 * The sink table of each query run in SQL: its columns, with nexmark-flink's types, except that computed strings
 * are STRING where nexmark-flink writes VARCHAR. `VARCHAR` without a length is VARCHAR(1), in Flink as here; Flink's
 * sinks do not trim longer strings into it (`table.exec.sink.type-length-enforcer` is IGNORE by default), but
 * Runnel's sink casts them, which trims them to one character. Columns read from the `datagen` table (channel,
 * extra) are VARCHAR there too, so they reach a VARCHAR column without a cast.
 */
const SINKS: Readonly<Record<string, string>> = {
  q0: 'auction BIGINT, bidder BIGINT, price BIGINT, `dateTime` TIMESTAMP(3), extra VARCHAR',
  q1: 'auction BIGINT, bidder BIGINT, price DECIMAL(23, 3), `dateTime` TIMESTAMP(3), extra VARCHAR',
  q2: 'auction BIGINT, price BIGINT',
  q11: 'bidder BIGINT, bid_count BIGINT, starttime TIMESTAMP(3), endtime TIMESTAMP(3)',
  q15: [
    '`day` STRING, total_bids BIGINT, rank1_bids BIGINT, rank2_bids BIGINT, rank3_bids BIGINT',
    'total_bidders BIGINT, rank1_bidders BIGINT, rank2_bidders BIGINT, rank3_bidders BIGINT',
    'total_auctions BIGINT, rank1_auctions BIGINT, rank2_auctions BIGINT, rank3_auctions BIGINT',
  ].join(', '),
  q16: [
    'channel VARCHAR, `day` STRING, `minute` STRING, total_bids BIGINT, rank1_bids BIGINT, rank2_bids BIGINT, rank3_bids BIGINT',
    'total_bidders BIGINT, rank1_bidders BIGINT, rank2_bidders BIGINT, rank3_bidders BIGINT',
    'total_auctions BIGINT, rank1_auctions BIGINT, rank2_auctions BIGINT, rank3_auctions BIGINT',
  ].join(', '),
  q17: [
    'auction BIGINT, `day` STRING, total_bids BIGINT, rank1_bids BIGINT, rank2_bids BIGINT, rank3_bids BIGINT',
    'min_price BIGINT, max_price BIGINT, avg_price BIGINT, sum_price BIGINT',
  ].join(', '),
  q21: 'auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, channel_id STRING',
  q22: 'auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, dir1 STRING, dir2 STRING, dir3 STRING',
};

/** The queries the benchmark runs in SQL. */
export const SQL_QUERIES = Object.keys(SINKS);

/** Arguments of the SQL job: the query, and the event count and parallelism of its DataStream counterpart. */
export interface SqlQueryArgs {
  readonly query: string;
  readonly events: number;
  readonly parallelism?: number;
  /** Events per second of event time (`first-event.rate`); the benchmark keeps the generator's default, 10 M/s. */
  readonly firstEventRate?: number;
  /** The memory benchmark's sizes (`memory` query, see memoryScript). */
  readonly keys?: number;
  /** Nexmark's own Flink configuration for mini-batch (NEXMARK_MINI_BATCH); false: every change emitted at once. */
  readonly miniBatch?: boolean;
}

/**
 * The mini-batch options of nexmark-flink's `flink-conf.yaml`, with which Nexmark runs every query in Flink: group
 * aggregations buffer up to 50 000 rows per bundle for at most 2 s and touch state and emit once per group and
 * bundle. (nexmark-flink also sets `table.optimizer.distinct-agg.split.enabled`, which Runnel does not have: its
 * DISTINCT aggregates are not split into two phases.)
 */
export const NEXMARK_MINI_BATCH: Readonly<Record<string, string>> = {
  'table.exec.mini-batch.enabled': 'true',
  'table.exec.mini-batch.allow-latency': '2 s',
  'table.exec.mini-batch.size': '50000',
};

/** A query file with its placeholders filled in. */
function sqlFile(name: string, values: Readonly<Record<string, string>>): string {
  return readFileSync(join(QUERY_DIR, `${name}.sql`), 'utf8').replace(/\$\{(\w+)\}/g, (m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`${name}.sql: no value for ${m}`);
    return v;
  });
}

/**
 * The whole script of a query: DDL, views, the sink table and `INSERT INTO` the query. The generator options are
 * those of the DataStream runs' NexmarkSource: `events` events, 10 M events per second of event time, Nexmark's
 * 1 : 3 : 46 mix.
 */
export function nexmarkScript(args: SqlQueryArgs): string {
  if (args.query === 'memory') return memoryScript(args.events, args.keys ?? args.events / 2);
  const sink = SINKS[args.query];
  if (sink === undefined) throw new Error(`no SQL version of ${args.query} (SQL queries: ${SQL_QUERIES.join(', ')})`);
  const rate = String(args.firstEventRate ?? 10_000_000);
  const values = { TPS: rate, EVENTS_NUM: String(args.events), PERSON_PROPORTION: '1', AUCTION_PROPORTION: '3', BID_PROPORTION: '46', NEXMARK_TABLE: 'datagen' };
  return [
    ...(args.miniBatch ? Object.entries(NEXMARK_MINI_BATCH).map(([k, v]) => `SET '${k}' = '${v}';`) : []),
    sqlFile('ddl_gen', values),
    sqlFile('ddl_views', values),
    `CREATE TABLE nexmark_${args.query} (${sink}) WITH ('connector' = 'nexmark-digest');`,
    `INSERT INTO nexmark_${args.query}\n${stripComments(sqlFile(args.query, values))}`,
  ].join('\n');
}

/** The text without its `--` comment lines (the query files start with a header). */
const stripComments = (text: string): string => text.split('\n').filter((l) => !l.trimStart().startsWith('--')).join('\n').trim();

/**
 * The memory benchmark (not Nexmark): a retracting group aggregation over `keys` distinct keys on the `level` state
 * backend. `rows` sequence numbers 1..rows, keyed by `id % keys`, are counted and summed per key; every key is seen
 * again after all keys were (rows = 2 × keys: the second row of each key comes after `keys` others), so its count
 * updates (-U/+U) and the outer aggregation, grouping the keys by their count, retracts. Its final result is one row
 * per count: `(2, keys, rows·(rows+1)/2)` when rows = 2 × keys.
 */
export function memoryScript(rows: number, keys: number): string {
  return `
SET 'state.backend.type' = 'level';
CREATE TABLE seq (id BIGINT) WITH (
  'connector' = 'datagen', 'rows-per-second' = '0',
  'fields.id.kind' = 'sequence', 'fields.id.start' = '1', 'fields.id.end' = '${rows}'
);
CREATE TABLE memory_result (cnt BIGINT, keys_num BIGINT, total BIGINT) WITH ('connector' = 'nexmark-digest');
INSERT INTO memory_result
SELECT cnt, COUNT(*) AS keys_num, SUM(total) AS total
FROM (SELECT id % ${keys} AS k, COUNT(*) AS cnt, SUM(id) AS total FROM seq GROUP BY id % ${keys})
GROUP BY cnt;
`;
}

/**
 * The runtime options a script sets (`SET 'key' = 'value'`): the runner passes them to the job. The planner's
 * `table.*` options are not the runtime's: the script's SETs give them to the planner in every worker.
 */
export function scriptOptions(script: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of script.matchAll(/^\s*SET\s+'([^']+)'\s*=\s*'([^']*)'\s*;/gim)) if (!m[1]!.startsWith('table.')) out[m[1]!] = m[2]!;
  return out;
}

/** Builds the query's dataflow into the job's environment (in every worker). */
export default defineJob<SqlQueryArgs>(async (env, args) => {
  if (args.parallelism) env.setParallelism(args.parallelism);
  const tEnv = StreamTableEnvironment.create(env, { from: import.meta.url });
  await tEnv.executeSql(nexmarkScript(args));
});
