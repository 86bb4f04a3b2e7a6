// The seeds' metric end to end in SQL against a real ClickHouse 18.16: events from JSON files → a CUMULATE window
// ("today's cumulative count per app, per hour") into an append table, a retracting GROUP BY into a
// ReplacingMergeTree, and a HAVING whose rows are deleted as apps grow; the connector is found by
// `'connector' = 'clickhouse'` through the package manifest. The documented queries (FINAL, `_is_deleted = 0`)
// equal the oracle. Also: the planner refuses an updating query into an `append` table, and EXPLAIN shows no password;
// a `replacing` table with a 'sink.parallelism' other than the query's is refused when the planner's keyed shuffle is
// off ('table.exec.sink.keyed-shuffle' = 'NONE': the rows of a key would be spread round-robin over the sink's
// subtasks), and with it (AUTO, the default) a retracting GROUP BY at parallelism 1 through two exactly-once sink
// subtasks with checkpoints equals the oracle with no delete row written and no version shared within a key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlSession, type StatementResult } from '@runnel/sql';
import { clickhouseAvailable, startClickHouse, WRITER_PASSWORD, type ClickHouseServer } from '../support/clickhouse-server.js';
import { clickhouseTables, oracle, packagePluginPath, removeTempDirs, RESULT_QUERIES, seedEvents, seedsScript, writeEvents, type SeedResults } from '../support/seeds-metric.js';

const run = clickhouseAvailable() ? describe : describe.skip;

async function runScript(script: string, config: Record<string, string> = {}): Promise<StatementResult[]> {
  const results: StatementResult[] = [];
  const session = new SqlSession({
    config: { 'parallelism.default': '2', 'execution.target': 'local', 'table.local-time-zone': 'UTC', ...config },
    pluginSearchPath: [packagePluginPath()],
  });
  await session.executeScript(script, async (_s, r) => {
    results.push(r);
    if (r.kind === 'job') await r.client.getJobExecutionResult();
  });
  return results;
}

async function read(ch: ClickHouseServer): Promise<SeedResults> {
  const q = async (sql: string): Promise<string[]> => (await ch.rows<{ r: string }>(sql)).map((x) => x.r);
  return { cumulative: await q(RESULT_QUERIES.cumulative), totals: await q(RESULT_QUERIES.totals), small: await q(RESULT_QUERIES.small) };
}

run('clickhouse SQL connector: the seeds metric end to end (ClickHouse 18.16)', () => {
  let ch: ClickHouseServer;
  beforeAll(async () => {
    ch = await startClickHouse();
  });
  afterAll(async () => {
    await ch?.destroy();
    removeTempDirs();
  });

  it('CUMULATE per app per hour, a retracting GROUP BY and a deleting HAVING: the documented queries equal the oracle', async () => {
    for (const ddl of clickhouseTables()) await ch.query(ddl);
    const events = seedEvents(3_000);
    const expected = oracle(events);
    expect(expected.small.length).toBeGreaterThan(0);
    expect(expected.totals.length).toBeGreaterThan(expected.small.length); // some apps were deleted from app_small
    await runScript(seedsScript(writeEvents(events, 2), ch.url, { username: 'writer', password: WRITER_PASSWORD, 'sink.batch-size': '500' }));
    expect(await read(ch)).toEqual(expected);
    // Deletes were written (is_deleted rows), not skipped.
    expect(await ch.rows('SELECT count() AS n FROM app_small WHERE _is_deleted = 1')).not.toEqual([{ n: '0' }]);
  });

  it("replacing: a 'sink.parallelism' other than the query's is refused without the keyed shuffle; with it each key's rows stay in one subtask", async () => {
    await ch.query('CREATE TABLE per_app (app String, cnt UInt64, total Decimal(18, 0), _version UInt64, _is_deleted UInt8) ENGINE = ReplacingMergeTree(_version) ORDER BY app');
    const N = 3_000;
    const script = (sinkParallelism: string): string => `
CREATE TABLE gen (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '6000', 'fields.id.kind' = 'sequence', 'fields.id.start' = '0', 'fields.id.end' = '${N - 1}');
CREATE TABLE per_app (app STRING, cnt BIGINT, total DECIMAL(38, 0), PRIMARY KEY (app) NOT ENFORCED) WITH ('connector' = 'clickhouse', 'url' = '${ch.url}',
  'table-name' = 'per_app', 'sink.update-strategy' = 'replacing', 'sink.delivery-guarantee' = 'exactly-once', 'sink.parallelism' = '${sinkParallelism}');
INSERT INTO per_app SELECT CONCAT('app', CAST(MOD(id, 5) AS STRING)), COUNT(*), SUM(CAST(MOD(id * 7919, 1000) AS DECIMAL(10, 0))) FROM gen
  GROUP BY CONCAT('app', CAST(MOD(id, 5) AS STRING));`;
    const dir = mkdtempSync(join(tmpdir(), 'runnel-ch-sql-'));
    try {
      const config = { 'execution.checkpointing.interval': '100 ms', 'state.checkpoints.dir': dir };
      // One aggregation subtask feeding two sink subtasks round-robin: a -U (a delete row) and its +U reached
      // different subtasks with equal versions, and FINAL read back no row at all (2 of 2 runs before the check).
      await expect(runScript(script('2'), { ...config, 'parallelism.default': '1', 'table.exec.sink.keyed-shuffle': 'NONE' })).rejects.toThrow(
        /clickhouse table 'per_app': 'sink\.parallelism' = 2 differs from the query's parallelism 1 \(parallelism\.default\) and 'table\.exec\.sink\.keyed-shuffle' = 'NONE'.*Set 'table\.exec\.sink\.keyed-shuffle' to AUTO/,
      );
      expect(await ch.rows('SELECT count() AS n FROM per_app')).toEqual([{ n: '0' }]);
      // The same layout with the planner's keyed shuffle (the default): the rows of each key reach one sink subtask.
      await runScript(script('2'), { ...config, 'parallelism.default': '1' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const expected = new Map<string, [number, number]>();
    for (let i = 0; i < N; i++) {
      const [n, t] = expected.get(`app${i % 5}`) ?? [0, 0];
      expected.set(`app${i % 5}`, [n + 1, t + ((i * 7919) % 1000)]);
    }
    expect(await ch.rows('SELECT app, cnt, toString(total) AS total FROM per_app FINAL WHERE _is_deleted = 0 ORDER BY app')).toEqual(
      [...expected].sort().map(([app, [cnt, total]]) => ({ app, cnt: String(cnt), total: String(total) })),
    );
    // Every -U was followed by its +U in the same subtask (dropped, never a delete row), and no two rows of a key
    // share a version.
    expect(await ch.rows('SELECT count() AS n FROM per_app WHERE _is_deleted = 1')).toEqual([{ n: '0' }]);
    expect(await ch.rows('SELECT app, _version FROM per_app GROUP BY app, _version HAVING count() > 1')).toEqual([]);
  }, 120_000);

  it('an updating query into an append table is refused before the job starts; EXPLAIN shows no password', async () => {
    const script = (strategy: string): string => `
CREATE TABLE src (app STRING, v INT) WITH ('connector' = 'datagen', 'number-of-rows' = '10');
CREATE TABLE out (app STRING, n BIGINT) WITH ('connector' = 'clickhouse', 'url' = '${ch.url}', 'table-name' = 'whatever',
  'username' = 'writer', 'password' = '${WRITER_PASSWORD}', 'sink.update-strategy' = '${strategy}');
`;
    await expect(runScript(`${script('append')}INSERT INTO out SELECT app, COUNT(*) FROM src GROUP BY app;`)).rejects.toThrow(/out|clickhouse/i);
    const explained = await runScript(`${script('replacing')}EXPLAIN INSERT INTO out SELECT app, COUNT(*) FROM src GROUP BY app;`);
    const text = JSON.stringify(explained.filter((r) => r.kind !== 'job'));
    expect(text).toMatch(/Sink\(table=\[default_catalog\.default_database\.out\]/);
    expect(text).not.toContain(WRITER_PASSWORD);
  });
});
