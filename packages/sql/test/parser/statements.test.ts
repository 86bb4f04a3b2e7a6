import { describe, expect, it } from 'vitest';
import type { Statement } from '../../src/parser/ast.js';
import { parseScript, parseStatement } from '../../src/parser/parser.js';
import { parseError, statementOf } from './helpers.js';

const whatOf = (s: Statement) => (s.type === 'other' ? `other:${s.what}` : s.type);

describe('parseScript', () => {
  it('splits on ;, skips empty statements and keeps each statement\'s exact text and position', () => {
    const script = `-- leading comment
;;
SELECT 1;  /* between */
  INSERT INTO t
  SELECT ';' FROM u -- trailing comment
;

SET 'a' = 'b'`;
    const statements = parseScript(script);
    expect(statements.map((s) => s.text)).toEqual(['SELECT 1', "INSERT INTO t\n  SELECT ';' FROM u", "SET 'a' = 'b'"]);
    expect(statements.map((s) => [s.pos.line, s.pos.col])).toEqual([[3, 1], [4, 3], [8, 1]]);
    expect(statements[1]!.pos.offset).toBe(script.indexOf('INSERT'));
  });

  it('returns nothing for an empty script or one of comments', () => {
    expect(parseScript('')).toEqual([]);
    expect(parseScript('  -- nothing\n /* at all */ ; ;')).toEqual([]);
  });

  it('parseStatement takes exactly one statement', () => {
    expect(parseStatement('SELECT 1;').statement.type).toBe('query-statement');
    expect(parseError('SELECT 1; SELECT 2', parseStatement)).toMatchObject({ line: 1, col: 11, what: 'found a second statement where one was expected' });
    expect(parseError('  -- nothing', parseStatement)).toMatchObject({ line: 1, col: 13, expected: ['a statement'] });
  });
});

describe('INSERT', () => {
  it('INTO and OVERWRITE, column list, static partition, hints, VALUES', () => {
    expect(statementOf('INSERT INTO nexmark_q0 SELECT auction FROM bid', 'insert')).toMatchObject({ overwrite: false, table: { parts: ['nexmark_q0'] } });
    const i = statementOf("INSERT OVERWRITE db.t /*+ OPTIONS('sink.parallelism' = '2') */ PARTITION (dt = '2020-01-01', hr = 10) (a, b) SELECT 1, 2", 'insert');
    expect(i).toMatchObject({
      overwrite: true,
      table: { parts: ['db', 't'] },
      hints: [{ name: 'OPTIONS', options: { 'sink.parallelism': '2' } }],
      partition: [{ key: 'dt', value: { kind: 'string', text: '2020-01-01' } }, { key: 'hr', value: { text: '10' } }],
      columns: ['a', 'b'],
    });
    expect(statementOf('INSERT INTO t (a) PARTITION (p = 1) VALUES (1)', 'insert')).toMatchObject({ columns: ['a'], partition: [{ key: 'p' }], query: { body: { type: 'values' } } });
    expect(statementOf('INSERT INTO t (SELECT 1)', 'insert').columns).toBeUndefined();
    expect(statementOf('INSERT INTO t WITH x AS (SELECT 1) SELECT * FROM x', 'insert').query.with).toHaveLength(1);
  });
});

describe('EXPLAIN', () => {
  it('with PLAN FOR, details, and statement sets', () => {
    expect(statementOf('EXPLAIN PLAN FOR SELECT 1', 'explain')).toMatchObject({ details: [], statement: { type: 'query-statement' } });
    expect(statementOf('EXPLAIN SELECT 1', 'explain').details).toEqual([]);
    const d = statementOf('EXPLAIN ESTIMATED_COST, CHANGELOG_MODE, JSON_EXECUTION_PLAN, PLAN_ADVICE INSERT INTO t SELECT 1', 'explain');
    expect(d.details).toEqual(['ESTIMATED_COST', 'CHANGELOG_MODE', 'JSON_EXECUTION_PLAN', 'PLAN_ADVICE']);
    expect(d.statement.type).toBe('insert');
    const s = statementOf('EXPLAIN STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END', 'explain');
    expect(s.statement).toMatchObject({ type: 'statement-set', inserts: [{}, {}] });
    expect(statementOf("EXPLAIN CREATE TABLE t WITH ('c' = 'x') AS SELECT 1", 'explain').statement.type).toBe('create-table');
    expect(parseError('EXPLAIN DROP TABLE t')).toMatchObject({ col: 9, what: 'EXPLAIN takes a query, an INSERT, a CREATE TABLE ... AS or a statement set' });
  });
});

describe('statement sets', () => {
  it('EXECUTE STATEMENT SET BEGIN ... END is one statement', () => {
    const [s] = parseScript(`EXECUTE STATEMENT SET
BEGIN
  INSERT INTO pageview_pv_sink SELECT page_id, count(1) FROM clicks GROUP BY page_id;
  INSERT INTO pageview_uv_sink SELECT page_id, count(distinct user_id) FROM clicks GROUP BY page_id;
END;`);
    expect(s!.statement).toMatchObject({ type: 'statement-set', inserts: [{ table: { parts: ['pageview_pv_sink'] } }, { table: { parts: ['pageview_uv_sink'] } }] });
    expect(s!.text.endsWith('END')).toBe(true);
  });

  it('BEGIN STATEMENT SET; ... END; spans several ;-separated statements', () => {
    const script = `CREATE TEMPORARY TABLE src (name VARCHAR) WITH ('connector' = 'datagen');
BEGIN STATEMENT SET;
INSERT INTO a SELECT UPPER(name) FROM src;
INSERT INTO b SELECT LOWER(name) FROM src;
END;
SELECT 1;`;
    const statements = parseScript(script);
    expect(statements.map((s) => whatOf(s.statement))).toEqual(['create-table', 'statement-set', 'query-statement']);
    expect(statements[1]!.text).toBe('BEGIN STATEMENT SET;\nINSERT INTO a SELECT UPPER(name) FROM src;\nINSERT INTO b SELECT LOWER(name) FROM src;\nEND');
    expect(statements[1]!.pos).toMatchObject({ line: 2, col: 1 });
  });

  it('holds INSERTs only and needs an END', () => {
    expect(parseError('BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\nSELECT 2;\nEND;')).toMatchObject({
      line: 3, col: 1, what: "found 'SELECT': a statement set holds INSERT statements only",
    });
    expect(parseError('BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\n')).toMatchObject({
      line: 3, col: 1, what: 'missing END of the statement set begun at line 1, column 1',
    });
    expect(parseError('EXECUTE STATEMENT SET BEGIN END')).toMatchObject({ col: 23, what: 'a statement set needs at least one INSERT' });
  });
});

describe('SET, RESET, SHOW, DESCRIBE', () => {
  it('SET with quoted and unquoted keys and values', () => {
    expect(statementOf('SET', 'set')).toEqual({ type: 'set', pos: { line: 1, col: 1, offset: 0 } });
    expect(statementOf("SET 'table.local-time-zone' = 'Europe/Berlin'", 'set')).toMatchObject({ key: 'table.local-time-zone', value: 'Europe/Berlin' });
    expect(statementOf('SET execution.runtime-mode = streaming', 'set')).toMatchObject({ key: 'execution.runtime-mode', value: 'streaming' });
    expect(statementOf('SET pipeline.name=my job 1', 'set')).toMatchObject({ key: 'pipeline.name', value: 'my job 1' });
    expect(statementOf('SET execution.checkpointing.interval = 10s -- ten seconds', 'set')).toMatchObject({ value: '10s' });
    expect(statementOf("SET 'state.checkpoints.dir' = hdfs://namenode:8020/flink/$x", 'set')).toMatchObject({ value: 'hdfs://namenode:8020/flink/$x' });
    expect(parseScript("SET a.b = 1; SET 'c' = 'd'").map((s) => s.statement)).toMatchObject([{ key: 'a.b', value: '1' }, { key: 'c', value: 'd' }]);
  });

  it('RESET', () => {
    expect(statementOf('RESET', 'reset').key).toBeUndefined();
    expect(statementOf("RESET 'table.planner'", 'reset').key).toBe('table.planner');
    expect(statementOf('RESET table.planner', 'reset').key).toBe('table.planner');
  });

  it('SHOW', () => {
    const show = (sql: string) => statementOf(sql, 'show');
    expect(show('SHOW TABLES')).toMatchObject({ what: 'TABLES' });
    expect(show("SHOW TABLES FROM cat.db NOT LIKE 'a%'")).toMatchObject({ what: 'TABLES', name: { parts: ['cat', 'db'] }, like: 'a%', notLike: true });
    expect(show("SHOW VIEWS IN db ILIKE 'v%'")).toMatchObject({ what: 'VIEWS', ilike: true, like: 'v%' });
    for (const w of ['VIEWS', 'FUNCTIONS', 'CATALOGS', 'DATABASES', 'JOBS', 'MODULES'] as const) expect(show(`SHOW ${w}`).what).toBe(w);
    expect(show('SHOW CURRENT CATALOG').what).toBe('CURRENT CATALOG');
    expect(show('SHOW CURRENT DATABASE').what).toBe('CURRENT DATABASE');
    expect(show('SHOW CREATE TABLE db.t')).toMatchObject({ what: 'CREATE TABLE', name: { parts: ['db', 't'] } });
    expect(show('SHOW CREATE VIEW v')).toMatchObject({ what: 'CREATE VIEW' });
    expect(show("SHOW COLUMNS FROM t LIKE '%id'")).toMatchObject({ what: 'COLUMNS', name: { parts: ['t'] }, like: '%id' });
    expect(parseScript('SHOW PARTITIONS t; SHOW FULL MODULES; SHOW JARS; SHOW USER FUNCTIONS').map((s) => whatOf(s.statement))).toEqual([
      'other:SHOW PARTITIONS', 'other:SHOW FULL MODULES', 'other:SHOW JARS', 'other:SHOW USER FUNCTIONS',
    ]);
  });

  it('DESCRIBE and DESC', () => {
    expect(statementOf('DESCRIBE Orders', 'describe')).toMatchObject({ name: { parts: ['Orders'] } });
    expect(statementOf('desc cat.db.Orders', 'describe')).toMatchObject({ name: { parts: ['cat', 'db', 'Orders'] } });
    expect(statementOf('DESCRIBE EXTENDED t', 'describe')).toMatchObject({ extended: true, name: { parts: ['t'] } });
    expect(whatOf(statementOf('DESCRIBE CATALOG c', 'other'))).toBe('other:DESCRIBE CATALOG');
  });
});

describe('other Flink statements', () => {
  it('are parsed as OtherStatement with what they are and their text', () => {
    const statements = parseScript(`
      USE CATALOG my_catalog;
      USE my_db;
      USE MODULES hive, core;
      LOAD MODULE hive WITH ('hive-version' = '3.1.2');
      UNLOAD MODULE core;
      ANALYZE TABLE t COMPUTE STATISTICS FOR ALL COLUMNS;
      CALL sys.compact('t');
      TRUNCATE TABLE t;
      DELETE FROM t WHERE a = 1;
      UPDATE t SET a = 1 WHERE b = 2;
      ADD JAR '/tmp/udf.jar';
      REMOVE JAR '/tmp/udf.jar';
      STOP JOB '228d70913eab60dda85c5e7f78b5782c' WITH SAVEPOINT;
      COMPILE PLAN 'file:///plan.json' FOR INSERT INTO t SELECT 1;
      EXECUTE PLAN 'file:///plan.json';
    `);
    expect(statements.map((s) => whatOf(s.statement))).toEqual([
      'other:USE CATALOG', 'other:USE', 'other:USE MODULES', 'other:LOAD MODULE', 'other:UNLOAD MODULE', 'other:ANALYZE TABLE', 'other:CALL',
      'other:TRUNCATE TABLE', 'other:DELETE', 'other:UPDATE', 'other:ADD JAR', 'other:REMOVE JAR', 'other:STOP JOB', 'other:COMPILE PLAN', 'other:EXECUTE PLAN',
    ]);
    const use = statements[0]!.statement;
    expect(use).toEqual({ type: 'other', pos: { line: 2, col: 7, offset: 7 }, what: 'USE CATALOG', text: 'USE CATALOG my_catalog' });
  });

  it('EXECUTE before an INSERT or a query is that statement', () => {
    expect(statementOf('EXECUTE INSERT INTO t SELECT 1', 'insert').table.parts).toEqual(['t']);
  });
});
