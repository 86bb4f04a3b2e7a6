import { describe, expect, it } from 'vitest';
import type { TypeSpec } from '../../src/parser/ast.js';
import { SqlUnsupportedError } from '../../src/parser/parse-error.js';
import { parseScript, parseType } from '../../src/parser/parser.js';
import { noPos, parseError, show, statementOf, unsupported } from './helpers.js';

describe('CREATE TABLE', () => {
  it('physical, computed and metadata columns, watermark, key, options', () => {
    const sql = `CREATE TEMPORARY TABLE IF NOT EXISTS cat.db.Orders (
      order_id BIGINT NOT NULL COMMENT 'the id',
      price DECIMAL(10, 2),
      cost AS price * quantity COMMENT 'derived',
      \`timestamp\` TIMESTAMP_LTZ(3) METADATA,
      record_time TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
      \`offset\` BIGINT METADATA VIRTUAL,
      order_time TIMESTAMP(3),
      WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND,
      CONSTRAINT pk PRIMARY KEY (order_id) NOT ENFORCED
    ) COMMENT 'orders' PARTITIONED BY (dt, \`hour\`) WITH ('connector' = 'kafka', 'topic' = 'it''s')`;
    const t = statementOf(sql, 'create-table');
    expect(t).toMatchObject({ temporary: true, ifNotExists: true, name: { parts: ['cat', 'db', 'Orders'] }, comment: 'orders', partitionedBy: ['dt', 'hour'] });
    expect(noPos(t.columns)).toMatchObject([
      { kind: 'physical', name: 'order_id', dataType: { name: 'BIGINT', notNull: true }, comment: 'the id' },
      { kind: 'physical', name: 'price', dataType: { name: 'DECIMAL', params: [10, 2], notNull: false } },
      { kind: 'computed', name: 'cost', exprText: 'price * quantity', comment: 'derived' },
      { kind: 'metadata', name: 'timestamp', dataType: { name: 'TIMESTAMP_LTZ', params: [3] }, virtual: false },
      { kind: 'metadata', name: 'record_time', from: 'timestamp', virtual: true },
      { kind: 'metadata', name: 'offset', virtual: true },
      { kind: 'physical', name: 'order_time' },
    ]);
    expect(t.columns[3]).not.toHaveProperty('from');
    expect(t.watermark).toMatchObject({ column: 'order_time', exprText: "order_time - INTERVAL '5' SECOND" });
    expect(show(t.watermark!.expr)).toBe("(- order_time (interval '5' SECOND))");
    expect(t.primaryKey).toEqual({ pos: { line: 10, col: 7, offset: expect.any(Number) }, name: 'pk', columns: ['order_id'], enforced: false });
    expect(t.options.map((o) => [o.key, o.value])).toEqual([['connector', 'kafka'], ['topic', "it's"]]);
    expect(t.options[1]!.pos.line).toBe(11);
  });

  it('inline PRIMARY KEY NOT ENFORCED sets the column and the table key', () => {
    const t = statementOf("CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED, v STRING) WITH ('connector' = 'x')", 'create-table');
    expect(t.columns[0]).toMatchObject({ kind: 'physical', primaryKey: true });
    expect(t.columns[1]).not.toHaveProperty('primaryKey');
    expect(t.primaryKey).toMatchObject({ columns: ['id'], enforced: false });
    const named = statementOf('CREATE TABLE t (id INT CONSTRAINT k PRIMARY KEY NOT ENFORCED) WITH ()', 'create-table');
    expect(named.primaryKey).toMatchObject({ name: 'k', columns: ['id'] });
    const enforced = statementOf('CREATE TABLE t (id INT, PRIMARY KEY (id)) WITH ()', 'create-table');
    expect(enforced.primaryKey?.enforced).toBe(true);
  });

  it('LIKE with merge options, and a table with only a watermark', () => {
    const t = statementOf(`CREATE TABLE Orders_in_kafka (
        -- Add watermark definition
        WATERMARK FOR order_time AS order_time - INTERVAL '5' SECOND
      ) WITH ('connector' = 'kafka')
      LIKE Orders_in_file (
        -- Exclude everything besides the computed columns
        EXCLUDING ALL
        INCLUDING GENERATED
        OVERWRITING OPTIONS
      )`, 'create-table');
    expect(t.columns).toEqual([]);
    expect(t.like).toMatchObject({ name: { parts: ['Orders_in_file'] }, options: [
      { action: 'EXCLUDING', what: 'ALL' },
      { action: 'INCLUDING', what: 'GENERATED' },
      { action: 'OVERWRITING', what: 'OPTIONS' },
    ] });
    expect(statementOf("CREATE TABLE b WITH ('x' = 'y') LIKE a", 'create-table').like?.options).toEqual([]);
    expect(parseError('CREATE TABLE b LIKE a (OVERWRITING ALL)').what).toContain('OVERWRITING does not apply to ALL');
  });

  it('CREATE TABLE AS SELECT, CREATE OR REPLACE TABLE AS SELECT', () => {
    const t = statementOf("CREATE TABLE my_ctas WITH ('connector' = 'blackhole') AS SELECT id, name FROM source", 'create-table');
    expect(t.asQuery?.body).toMatchObject({ type: 'select' });
    expect(t.columns).toEqual([]);
    const r = statementOf("CREATE OR REPLACE TABLE t WITH ('connector' = 'x') AS SELECT 1", 'create-table');
    expect(r.orReplace).toBe(true);
  });

  it('Nexmark-style nested ROW types and a CASE computed column', () => {
    const t = statementOf(`CREATE TABLE datagen (
      event_type int,
      person ROW<id BIGINT, name VARCHAR, \`dateTime\` TIMESTAMP(3), extra VARCHAR>,
      \`dateTime\` AS CASE WHEN event_type = 0 THEN person.\`dateTime\` ELSE NULL END,
      WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND
    ) WITH ('connector' = 'nexmark')`, 'create-table');
    expect(t.columns[1]).toMatchObject({ dataType: { name: 'ROW', fields: [{ name: 'id' }, { name: 'name' }, { name: 'dateTime' }, { name: 'extra' }] } });
    expect(t.columns[2]).toMatchObject({ kind: 'computed', exprText: 'CASE WHEN event_type = 0 THEN person.`dateTime` ELSE NULL END' });
    expect(t.watermark?.column).toBe('dateTime');
  });

  it('refuses DISTRIBUTED BY and UNIQUE as unsupported', () => {
    expect(unsupported("CREATE TABLE t (a INT) DISTRIBUTED BY HASH(a) INTO 4 BUCKETS WITH ('k' = 'v')").what).toContain('DISTRIBUTED');
    expect(unsupported('CREATE TABLE t (a INT, UNIQUE (a))').what).toBe('UNIQUE constraints');
  });
});

describe('data types', () => {
  const type = (text: string): TypeSpec => noPos(parseType(text));

  it('canonical names and synonyms', () => {
    const names = ['BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'INTEGER', 'BIGINT', 'FLOAT', 'REAL', 'DOUBLE', 'DOUBLE PRECISION', 'DECIMAL', 'DEC', 'NUMERIC', 'CHAR', 'CHARACTER', 'VARCHAR', 'CHARACTER VARYING', 'STRING', 'BINARY', 'VARBINARY', 'BINARY VARYING', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'NULL'];
    expect(names.map((n) => parseType(n.toLowerCase()).name)).toEqual([
      'BOOLEAN', 'TINYINT', 'SMALLINT', 'INT', 'INT', 'BIGINT', 'FLOAT', 'FLOAT', 'DOUBLE', 'DOUBLE', 'DECIMAL', 'DECIMAL', 'DECIMAL', 'CHAR', 'CHAR', 'VARCHAR', 'VARCHAR', 'STRING', 'BINARY', 'VARBINARY', 'VARBINARY', 'BYTES', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'NULL',
    ]);
  });

  it('parameters, nullability, time zones', () => {
    expect(type('DECIMAL(23, 3) NOT NULL')).toEqual({ name: 'DECIMAL', params: [23, 3], notNull: true });
    expect(type('VARCHAR(2147483647) NULL')).toEqual({ name: 'VARCHAR', params: [2147483647], notNull: false });
    expect(type('TIMESTAMP(3) WITHOUT TIME ZONE')).toEqual({ name: 'TIMESTAMP', params: [3], notNull: false });
    expect(type('TIMESTAMP(3) WITH LOCAL TIME ZONE')).toEqual({ name: 'TIMESTAMP_LTZ', params: [3], notNull: false });
    expect(type('TIME(0)')).toEqual({ name: 'TIME', params: [0], notNull: false });
  });

  it('collections, maps, rows, raw, intervals, user-defined names', () => {
    expect(type('ARRAY<INT NOT NULL>')).toEqual({ name: 'ARRAY', params: [], notNull: false, element: { name: 'INT', params: [], notNull: true } });
    expect(type('INT ARRAY')).toMatchObject({ name: 'ARRAY', element: { name: 'INT' } });
    expect(type('STRING MULTISET NOT NULL')).toMatchObject({ name: 'MULTISET', notNull: true, element: { name: 'STRING' } });
    expect(type('MAP<STRING, ARRAY<MAP<INT, BIGINT>>>')).toMatchObject({ name: 'MAP', key: { name: 'STRING' }, element: { name: 'ARRAY', element: { name: 'MAP' } } });
    expect(type("ROW<a INT 'first', `b c` STRING>")).toMatchObject({ name: 'ROW', fields: [{ name: 'a', description: 'first' }, { name: 'b c' }] });
    expect(type('ROW(a INT, b ROW(c DOUBLE))')).toMatchObject({ fields: [{ name: 'a' }, { name: 'b', type: { name: 'ROW', fields: [{ name: 'c' }] } }] });
    expect(type('ROW<>')).toMatchObject({ name: 'ROW', fields: [] });
    expect(type("RAW('java.lang.Object', 'c25hcA==')")).toMatchObject({ name: 'RAW', rawParams: ['java.lang.Object', 'c25hcA=='] });
    expect(type('INTERVAL DAY(2) TO SECOND(3)')).toEqual({ name: 'INTERVAL', params: [2, 3], notNull: false, intervalFrom: 'DAY', intervalTo: 'SECOND' });
    expect(type('INTERVAL YEAR TO MONTH')).toMatchObject({ intervalFrom: 'YEAR', intervalTo: 'MONTH' });
    expect(type('INTERVAL MINUTES')).toMatchObject({ intervalFrom: 'MINUTE' });
    expect(type('mycat.mydb.Money(2)')).toEqual({ name: 'MYCAT.MYDB.MONEY', params: [2], notNull: false });
  });

  it('refuses TIMESTAMP WITH TIME ZONE and malformed types', () => {
    expect(() => parseType('TIMESTAMP(3) WITH TIME ZONE')).toThrow(SqlUnsupportedError);
    expect(parseError('DECIMAL(10, )', parseType)).toMatchObject({ col: 13, what: "found ')'", expected: ['a number'] });
    expect(parseError('ARRAY<INT', parseType).what).toBe("missing '>' to close the '<' at line 1, column 6; found end of input");
    expect(parseError('MAP<INT>', parseType)).toMatchObject({ col: 8, expected: ["','"] });
    expect(parseError('INT NOT', parseType).what).toBe('found end of input');
  });
});

describe('CREATE VIEW', () => {
  it('keeps the query and its text, columns and comment', () => {
    const v = statementOf('CREATE TEMPORARY VIEW IF NOT EXISTS v (a, b) COMMENT \'two\' AS SELECT x, y FROM t WHERE x > 1', 'create-view');
    expect(v).toMatchObject({ temporary: true, ifNotExists: true, columns: ['a', 'b'], comment: 'two', queryText: 'SELECT x, y FROM t WHERE x > 1' });
    const plain = statementOf('CREATE VIEW B AS SELECT *, PROCTIME() as p_time FROM bid', 'create-view');
    expect(plain).toMatchObject({ temporary: false, ifNotExists: false, name: { parts: ['B'] } });
    expect(plain).not.toHaveProperty('columns');
  });
});

describe('DROP and ALTER', () => {
  it('DROP of every object kind', () => {
    expect(noPos(statementOf('DROP TABLE IF EXISTS db.t', 'drop'))).toEqual({ type: 'drop', what: 'TABLE', temporary: false, ifExists: true, name: { parts: ['db', 't'] } });
    expect(statementOf('DROP TEMPORARY VIEW v', 'drop')).toMatchObject({ what: 'VIEW', temporary: true, ifExists: false });
    expect(statementOf('DROP TEMPORARY SYSTEM FUNCTION f', 'drop')).toMatchObject({ what: 'FUNCTION', temporary: true });
    expect(statementOf('DROP DATABASE IF EXISTS db CASCADE', 'drop')).toMatchObject({ what: 'DATABASE', cascade: true });
    expect(statementOf('DROP CATALOG c', 'drop')).toMatchObject({ what: 'CATALOG' });
  });

  it('ALTER TABLE SET, RESET, RENAME TO; other actions are marked unsupported', () => {
    expect(statementOf("ALTER TABLE t SET ('a' = 'b', 'c' = 'd')", 'alter-table').action).toMatchObject({ kind: 'set', options: [{ key: 'a', value: 'b' }, { key: 'c', value: 'd' }] });
    expect(statementOf("ALTER TABLE IF EXISTS t RESET ('a', 'c')", 'alter-table')).toMatchObject({ ifExists: true, action: { kind: 'reset', keys: ['a', 'c'] } });
    expect(statementOf('ALTER TABLE t RENAME TO db.u', 'alter-table').action).toMatchObject({ kind: 'rename', to: { parts: ['db', 'u'] } });
    const add = statementOf('ALTER TABLE t ADD (c INT, WATERMARK FOR ts AS ts)', 'alter-table');
    expect(add.action).toEqual({ kind: 'unsupported', what: 'ALTER TABLE ADD', pos: { line: 1, col: 15, offset: 14 } });
    expect(statementOf('ALTER TABLE t RENAME a TO b', 'alter-table').action).toMatchObject({ what: 'ALTER TABLE RENAME <column>' });
    expect(statementOf('ALTER TABLE t MODIFY a BIGINT', 'alter-table').action).toMatchObject({ what: 'ALTER TABLE MODIFY' });
  });

  it('CREATE, ALTER and DROP of functions, catalogs, databases are other statements', () => {
    const kinds = parseScript(`
      CREATE FUNCTION count_char AS 'com.github.nexmark.flink.udf.CountChar';
      CREATE TEMPORARY SYSTEM FUNCTION f AS 'x' LANGUAGE PYTHON;
      CREATE CATALOG c WITH ('type' = 'generic_in_memory');
      CREATE DATABASE IF NOT EXISTS db COMMENT 'x' WITH ('k' = 'v');
      CREATE MATERIALIZED TABLE m AS SELECT 1;
      ALTER DATABASE db SET ('k' = 'v');
      ALTER VIEW v RENAME TO w;
      DROP MATERIALIZED TABLE m;
    `).map((s) => (s.statement.type === 'other' ? s.statement.what : s.statement.type));
    expect(kinds).toEqual([
      'CREATE FUNCTION', 'CREATE FUNCTION', 'CREATE CATALOG', 'CREATE DATABASE', 'CREATE MATERIALIZED TABLE', 'ALTER DATABASE', 'ALTER VIEW', 'DROP MATERIALIZED TABLE',
    ]);
    const f = statementOf("CREATE FUNCTION count_char AS 'com.example.CountChar'", 'other');
    expect(f.text).toBe("CREATE FUNCTION count_char AS 'com.example.CountChar'");
  });
});
