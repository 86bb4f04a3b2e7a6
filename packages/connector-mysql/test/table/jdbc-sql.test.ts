// The `jdbc` connector from SQL, found through the package's manifest: a retracting aggregation upserted into a
// MySQL table (exactly-once, the planner dropping -U), a nested aggregation whose changelog deletes rows, a scan of
// a MySQL table partitioned into ranges joined back, options checked (unknown keys, the password never in EXPLAIN).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TableFactoryContext } from '@runnel/api/table';
import { SqlSession } from '@runnel/sql';
import { JdbcTableSource } from '../../src/table/jdbc-table-source.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type MariaDb } from '../support/mariadb.js';
import { jdbcUrl } from '../support/mysql-fixtures.js';
import { pluginPath } from '../support/plugin-path.js';

let db: MariaDb;
let plugins: string;
beforeAll(async () => {
  db = await startMariaDb({ binlog: false });
  await db.query("CREATE DATABASE q; CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY 'Pa55-word!'; GRANT ALL ON q.* TO 'app'@'127.0.0.1'");
  plugins = pluginPath();
}, 120_000);
afterAll(async () => {
  await db?.stop();
});

function withOptions(table: string, extra = ''): string {
  return `'connector' = 'jdbc', 'url' = '${jdbcUrl(db, 'q')}', 'table-name' = '${table}', 'username' = 'app', 'password' = 'Pa55-word!'${extra}`;
}

async function run(script: string, config: Record<string, string> = {}): Promise<void> {
  const session = new SqlSession({ config: { 'parallelism.default': '2', 'execution.checkpointing.interval': '100 ms', 'state.checkpoints.dir': join(mkdtempSync(join(tmpdir(), 'runnel-mysql-sql-')), 'cp'), ...config }, pluginSearchPath: [plugins] });
  await session.executeScript(script, async (_s, r) => {
    if (r.kind === 'job') await r.client.getJobExecutionResult();
  });
}

describe('jdbc connector (SQL)', () => {
  it('upserts a retracting aggregation and applies the deletes of a nested one', async () => {
    await db.query('CREATE TABLE q.totals (k VARCHAR(10) PRIMARY KEY, c BIGINT, s DECIMAL(20,2)); CREATE TABLE q.hist (c BIGINT PRIMARY KEY, n BIGINT)');
    const values = Array.from({ length: 400 }, (_, i) => `('k${i % 37}', CAST(${(i * 7) % 101}.25 AS DECIMAL(10, 2)))`).join(', ');
    await run(`
      CREATE TEMPORARY VIEW events AS SELECT * FROM (VALUES ${values}) AS t(k, v);
      CREATE TABLE totals (k STRING, c BIGINT, s DECIMAL(20, 2), PRIMARY KEY (k) NOT ENFORCED) WITH (${withOptions('totals')});
      CREATE TABLE hist (c BIGINT, n BIGINT, PRIMARY KEY (c) NOT ENFORCED) WITH (${withOptions('hist')});
      EXECUTE STATEMENT SET BEGIN
        INSERT INTO totals SELECT k, COUNT(*), SUM(v) FROM events GROUP BY k;
        INSERT INTO hist SELECT c, COUNT(*) FROM (SELECT k, COUNT(*) AS c FROM events GROUP BY k) GROUP BY c;
      END;`);
    const want = new Map<string, { c: number; s: number }>();
    for (let i = 0; i < 400; i++) {
      const k = `k${i % 37}`;
      const e = want.get(k) ?? { c: 0, s: 0 };
      e.c++;
      e.s += ((i * 7) % 101) * 100 + 25;
      want.set(k, e);
    }
    const got = await db.query<{ k: string; c: number; s: string }>('SELECT k, c, CAST(s AS CHAR) AS s FROM q.totals');
    expect(new Map(got.map((r) => [r.k, { c: Number(r.c), s: Math.round(Number(r.s) * 100) }]))).toEqual(want);
    const hist = new Map<number, number>();
    for (const e of want.values()) hist.set(e.c, (hist.get(e.c) ?? 0) + 1);
    const gotHist = await db.query<{ c: number; n: number }>('SELECT c, n FROM q.hist');
    expect(new Map(gotHist.map((r) => [Number(r.c), Number(r.n)]))).toEqual(hist);
  }, 120_000);

  it('scans a table partitioned into ranges', async () => {
    await db.query('CREATE TABLE q.src (id BIGINT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(30,4), ts DATETIME(3))');
    const rows = Array.from({ length: 1000 }, (_, i) => [i + 1, `n${i}`, `${i}123456789012345.${String(i % 10000).padStart(4, '0')}`, `2024-01-01 00:00:${String(i % 60).padStart(2, '0')}.123`]);
    await db.query('INSERT INTO q.src VALUES ?', [rows]);
    await db.query('CREATE TABLE q.copy (id BIGINT PRIMARY KEY, name VARCHAR(20), amount DECIMAL(30,4), ts DATETIME(3))');
    await run(`
      CREATE TABLE src (id BIGINT, name STRING, amount DECIMAL(30, 4), ts TIMESTAMP(3)) WITH (${withOptions('src', `, 'scan.partition.column' = 'id', 'scan.partition.num' = '4', 'scan.partition.lower-bound' = '1', 'scan.partition.upper-bound' = '1000', 'scan.fetch-size' = '64'`)});
      CREATE TABLE copy (id BIGINT, name STRING, amount DECIMAL(30, 4), ts TIMESTAMP(3), PRIMARY KEY (id) NOT ENFORCED) WITH (${withOptions('copy', `, 'sink.delivery-guarantee' = 'at-least-once'`)});
      INSERT INTO copy SELECT * FROM src;`);
    const diff = await db.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM q.src s LEFT JOIN q.copy c ON c.id = s.id AND c.name = s.name AND c.amount = s.amount AND c.ts = s.ts WHERE c.id IS NULL',
    );
    expect(diff).toEqual([{ n: 0 }]);
    expect(await db.query('SELECT COUNT(*) AS n FROM q.copy')).toEqual([{ n: 1000 }]);
  }, 120_000);

  it('reads only the columns a query needs (a user allowed to SELECT only those columns can run it)', async () => {
    await db.query(
      "CREATE DATABASE cp; CREATE TABLE cp.wide (id BIGINT PRIMARY KEY, name VARCHAR(20), secret VARCHAR(20)); INSERT INTO cp.wide VALUES (1, 'a', 's1'), (2, 'b', 's2'), (3, 'c', 's3');" +
        "CREATE USER 'narrow'@'127.0.0.1' IDENTIFIED BY 'Narrow-1'; GRANT SELECT (id, name) ON cp.wide TO 'narrow'@'127.0.0.1';" +
        'CREATE TABLE q.names (id BIGINT PRIMARY KEY, name VARCHAR(20))',
    );
    const wide = `'connector' = 'jdbc', 'url' = '${jdbcUrl(db, 'cp')}', 'table-name' = 'wide', 'username' = 'narrow', 'password' = 'Narrow-1'`;
    await run(`
      CREATE TABLE wide (id BIGINT, name STRING, secret STRING) WITH (${wide});
      CREATE TABLE names (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (${withOptions('names', `, 'sink.delivery-guarantee' = 'at-least-once'`)});
      INSERT INTO names SELECT id, UPPER(name) FROM wide WHERE id > 1;`, { 'restart-strategy.type': 'none' });
    expect(await db.query('SELECT id, name FROM q.names ORDER BY id')).toEqual([
      { id: 2, name: 'B' },
      { id: 3, name: 'C' },
    ]);
    // the column it may not read, asked for, is refused by the server: the scan did read only id and name above
    await expect(
      run(`
      CREATE TABLE wide (id BIGINT, name STRING, secret STRING) WITH (${wide});
      CREATE TABLE names (id BIGINT, name STRING, PRIMARY KEY (id) NOT ENFORCED) WITH (${withOptions('names', `, 'sink.delivery-guarantee' = 'at-least-once'`)});
      INSERT INTO names SELECT id, secret FROM wide;`, { 'restart-strategy.type': 'none' }),
    ).rejects.toThrow(/secret/);
  }, 120_000);

  it('refuses unknown options and keeps the password out of EXPLAIN and errors', async () => {
    const session = new SqlSession({ pluginSearchPath: [plugins] });
    await session.executeScript(`CREATE TABLE a (k STRING, PRIMARY KEY (k) NOT ENFORCED) WITH (${withOptions('a', `, 'sink.bufer-flush.max-rows' = '5'`)});
      CREATE TABLE b (k STRING) WITH (${withOptions('b')});`, () => undefined);
    await expect(session.executeScript('INSERT INTO a SELECT k FROM b', () => undefined)).rejects.toThrow(/unknown option 'sink.bufer-flush.max-rows' \(did you mean 'sink.buffer-flush.max-rows'\?\)/);
    const s2 = new SqlSession({ pluginSearchPath: [plugins] });
    let explained = '';
    await s2.executeScript(
      `CREATE TABLE a (k STRING, PRIMARY KEY (k) NOT ENFORCED) WITH (${withOptions('a')});
       CREATE TABLE b (k STRING) WITH ('connector' = 'jdbc', 'url' = 'jdbc:mysql://app:Url-Secret@${db.host}:${db.port}/q', 'table-name' = 'b');
       EXPLAIN INSERT INTO a SELECT k FROM b;`,
      (_s, r) => {
        explained += JSON.stringify(r);
      },
    );
    expect(explained).toContain('TableSourceScan');
    expect(explained).not.toContain('Pa55-word!');
    expect(explained).not.toContain('Url-Secret');
    const context = { tableName: 'b', options: { connector: 'jdbc', url: 'jdbc:mysql://app:Url-Secret@h/q?password=P2', 'table-name': 'b' }, schema: { columns: [], watermarkSpecs: [] }, config: {} };
    const summary = new JdbcTableSource(context as unknown as TableFactoryContext).summary();
    expect(summary).toBe('jdbc(url=jdbc:mysql://app:***@h/q?password=***, table=b)');
  }, 60_000);
});
