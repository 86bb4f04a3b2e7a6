// Catalog and client statements: SHOW, DESCRIBE, SHOW CREATE TABLE (secrets hidden), SET/RESET validated as data,
// ALTER TABLE, views, LIKE, and EXPLAIN with changelog modes and operator state.
import { describe, expect, it } from 'vitest';
import { SqlSession, type StatementResult } from '../../src/index.js';

async function exec(session: SqlSession, sql: string): Promise<StatementResult[]> {
  const out: StatementResult[] = [];
  await session.executeScript(sql, (_s, r) => {
    out.push(r);
  });
  return out;
}

const ddl = (extra = ''): string => `CREATE TABLE orders (
  id BIGINT,
  app STRING,
  amount DECIMAL(10, 2),
  ts TIMESTAMP(3),
  cost AS amount * 2,
  file_name STRING METADATA FROM 'file.name' VIRTUAL,
  WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
  PRIMARY KEY (id) NOT ENFORCED
) WITH ('connector' = 'filesystem', 'path' = '/tmp/orders', 'format' = 'json'${extra});`;
// Options are validated by the connector when a job uses the table; SHOW CREATE TABLE only shows them.
const DDL = ddl(", 'secret.password' = 'hunter2'");

describe('catalog and client statements', () => {
  it('SHOW TABLES, DESCRIBE and SHOW CREATE TABLE', async () => {
    const s = new SqlSession();
    await exec(s, DDL + "\nCREATE VIEW big AS SELECT id, app FROM orders WHERE amount > 100;\nCREATE TABLE orders2 WITH ('path' = '/tmp/o2') LIKE orders;");
    const [tables, views] = await exec(s, 'SHOW TABLES; SHOW VIEWS;');
    expect(tables).toEqual({ kind: 'table', columns: ['table name'], rows: [['big'], ['orders'], ['orders2']] });
    expect(views).toEqual({ kind: 'table', columns: ['view name'], rows: [['big']] });
    const [desc] = await exec(s, 'DESCRIBE orders;');
    expect(desc!.kind === 'table' && desc.rows).toEqual([
      ['id', 'BIGINT', 'FALSE', 'PRI(id)', '', ''],
      ['app', 'STRING', 'TRUE', '', '', ''],
      ['amount', 'DECIMAL(10, 2)', 'TRUE', '', '', ''],
      ['ts', 'TIMESTAMP(3) *ROWTIME*', 'TRUE', '', '', "ts - INTERVAL '5' SECOND"],
      ['cost', 'DECIMAL(21, 2)', 'TRUE', '', 'AS amount * 2', ''],
      ['file_name', 'STRING', 'TRUE', '', "METADATA FROM 'file.name' VIRTUAL", ''],
    ]);
    const [create] = await exec(s, 'SHOW CREATE TABLE orders2;');
    expect(create!.kind === 'text' && create.text).toContain("'path' = '/tmp/o2'");
    expect(create!.kind === 'text' && create.text).toContain("'secret.password' = '******'");
    expect(create!.kind === 'text' && create.text).not.toContain('hunter2');
    expect(create!.kind === 'text' && create.text).toContain('WATERMARK FOR `ts` AS');
  });

  it('SET validates keys as data and RESET restores', async () => {
    const s = new SqlSession({ config: { 'parallelism.default': '3' } });
    await exec(s, "SET 'table.exec.state.ttl' = '1 h'; SET 'execution.checkpointing.interval' = '10 s';");
    expect(s.getConfig()).toMatchObject({ 'parallelism.default': '3', 'table.exec.state.ttl': '1 h', 'execution.checkpointing.interval': '10 s' });
    await expect(exec(s, "SET 'table.exec.state.tll' = '1 h';")).rejects.toThrow("did you mean 'table.exec.state.ttl'");
    await expect(exec(s, "SET 'parallelism.default' = 'many';")).rejects.toThrow('parallelism.default');
    await exec(s, "RESET 'table.exec.state.ttl'; SET 'parallelism.default' = '1'; RESET 'parallelism.default';");
    expect(s.getConfig()['table.exec.state.ttl']).toBeUndefined();
    expect(s.getConfig()['parallelism.default']).toBe('3');
  });

  it('ALTER TABLE SET and RENAME, DROP', async () => {
    const s = new SqlSession();
    await exec(s, DDL + "\nALTER TABLE orders SET ('path' = '/tmp/elsewhere');\nALTER TABLE orders RENAME TO orders_v2;");
    const [create] = await exec(s, 'SHOW CREATE TABLE orders_v2;');
    expect(create!.kind === 'text' && create.text).toContain("'path' = '/tmp/elsewhere'");
    await exec(s, 'DROP TABLE orders_v2; DROP TABLE IF EXISTS orders_v2;');
    await expect(exec(s, 'DROP TABLE orders_v2;')).rejects.toThrow("Table with identifier 'default_catalog.default_database.orders_v2' does not exist.");
  });

  it('EXPLAIN shows the plan, changelog modes and state', async () => {
    const s = new SqlSession();
    await exec(s, ddl());
    const [r] = await exec(
      s,
      `EXPLAIN CHANGELOG_MODE SELECT app, COUNT(*) AS n, SUM(amount) AS total FROM orders WHERE amount > 10 GROUP BY app;`,
    );
    expect(r!.kind).toBe('text');
    const text = r!.kind === 'text' ? r.text : '';
    expect(text).toContain('== Abstract Syntax Tree ==');
    expect(text).toContain('== Optimized Physical Plan ==');
    expect(text).toMatch(/GroupAggregate\(groupBy=\[\$f0\], select=\[\$f0, COUNT\(\*\) AS \$a0, SUM\(\$f1\) AS \$a1\], changelogMode=\[I,UB,UA\], state=\[per group: row count/);
    expect(text).toMatch(/TableSourceScan\(table=\[\[default_catalog, default_database, orders\]\].*changelogMode=\[I\]/);
    expect(text).toContain('where=[(amount > 10)]');
  });

  it('EXPLAIN of a window aggregation names the window', async () => {
    const s = new SqlSession();
    await exec(s, ddl());
    const [r] = await exec(s, `EXPLAIN SELECT window_start, COUNT(*) FROM TABLE(HOP(TABLE orders, DESCRIPTOR(ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)) GROUP BY window_start, window_end;`);
    expect(r!.kind === 'text' && r.text).toContain('WindowAggregate(window=[HOP(time_col=[$f0], size=[5 min], slide=[1 min])]');
  });
});
