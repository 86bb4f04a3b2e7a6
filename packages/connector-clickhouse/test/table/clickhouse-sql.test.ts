// The seeds' metric end to end in SQL against a real ClickHouse 18.16: events from JSON files → a CUMULATE window
// ("today's cumulative count per app, per hour") into an append table, a retracting GROUP BY into a
// ReplacingMergeTree, and a HAVING whose rows are deleted as apps grow; the connector is found by
// `'connector' = 'clickhouse'` through the package manifest. The documented queries (FINAL, `_is_deleted = 0`)
// equal the oracle. Also: the planner refuses an updating query into an `append` table, and EXPLAIN shows no password.
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
