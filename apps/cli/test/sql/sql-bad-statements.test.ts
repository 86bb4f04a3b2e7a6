// Bad input to the SQL client: malformed, ill-typed and unsupported statements. Each must fail with a precise error
// (the line and column, and what was expected or what is not supported), exit with 1, print no stack trace and
// start no job.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { fakeIo } from './fake-io.js';

const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-bad-'));

// Three lines of tables; each bad statement is line 4 of its script.
const SETUP = `CREATE TABLE t (a INT, b STRING, c BIGINT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '1' SECOND) WITH ('connector'='datagen','number-of-rows'='10');
CREATE TABLE out_t (a INT, b STRING) WITH ('connector'='blackhole');
CREATE TABLE files (a INT, b STRING) WITH ('connector'='filesystem','path'='${join(dir, 'files-out')}','format'='json');
`;

/** [statement (line 4 of the script), a fragment of the expected message]. */
const CASES: [string, string][] = [
  ["SELEC a FROM t;", "found 'SELEC', did you mean SELECT?"],
  ["SELECT a FORM t;", "found 'FORM', did you mean FROM?"],
  ["SELECT a, FROM t;", "remove the trailing ',' of the select list"],
  ["SELECT (a FROM t;", "missing ')' to close the '('"],
  ["SELECT 'abc FROM t;", "unterminated string literal starting at line 4, column 8"],
  ["SELECT a FROM t WHERE;", "found ';' (expected an expression)"],
  ["CREATE TABLE x (a INT,) WITH ('connector'='datagen');", "expected a column definition"],
  ["CREATE TABLE x (a INT) WITH ('connector');", "(expected '=')"],
  ["CREATE TABLE x (a INT, WATERMARK FOR a) WITH ('connector'='datagen');", "expected AS after the column name of a WATERMARK"],
  ["INSERT out_t SELECT a, b FROM t;", "(expected one of: OVERWRITE, INTO)"],
  ["SELECT nope FROM t;", "Column 'nope' not found in any table"],
  ["SELECT a FROM nope;", "Object 'nope' not found"],
  ["SELECT A FROM t;", "did you mean 'a'? (names are case-sensitive)"],
  ["SELECT a + b FROM t;", "cannot apply '+' to INT and STRING"],
  ["SELECT UPPER(b, b) FROM t;", "UPPER takes 1 argument, got 2"],
  ["SELECT NOFUNC(a) FROM t;", "No match found for function signature NOFUNC"],
  ["SELECT a, COUNT(*) FROM t;", "Expression 'a' is not being grouped"],
  ["SELECT a FROM t WHERE COUNT(*) > 1;", "aggregate function COUNT is not allowed in WHERE"],
  ["SELECT a FROM t GROUP BY b;", "Expression 'a' is not being grouped"],
  ["SELECT SUM(b) FROM t;", "SUM: cannot be applied to STRING"],
  ["SELECT CAST(a AS DATE) FROM t;", "cannot cast INT to DATE"],
  ["SELECT * FROM t JOIN out_t ON t.a = out_t.a;", "not supported: INNER JOIN"],
  ["SELECT a, ROW_NUMBER() OVER (ORDER BY ts) FROM t;", "not supported: ROW_NUMBER() OVER (...)"],
  ["SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(c), INTERVAL '1' MINUTE));", "requires the timecol is a time attribute type, but is BIGINT"],
  ["SELECT * FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), 5));", "SIZE of TUMBLE must be a constant interval"],
  ["SELECT * FROM TABLE(HOP(TABLE t, DESCRIPTOR(ts), INTERVAL '7' SECOND, INTERVAL '10' SECOND));", "not supported: HOP window whose size (10000 ms) is not a multiple of its slide (7000 ms)"],
  ["INSERT INTO out_t SELECT a FROM t;", "the query has 1 columns [a], the table 2 [a, b]"],
  ["INSERT INTO out_t SELECT b, a FROM t;", "incompatible types for sink column 'a' at position 0: query STRING, sink INTEGER"],
  ["INSERT INTO files SELECT CAST(COUNT(*) AS INT), b FROM t GROUP BY b;", "Table sink 'files' doesn't support consuming update and delete changes"],
  ["CREATE TABLE t (x INT) WITH ('connector'='datagen');", "Table 't' already exists"],
  ["DROP TABLE nope;", "Table with identifier 'default_catalog.default_database.nope' does not exist."],
  ["SET 'parallelism.defualt' = '2';", "unknown option 'parallelism.defualt' (did you mean 'parallelism.default'?)"],
  ["SET 'table.local-time-zone' = 'Mars/Base';", "unknown time zone 'Mars/Base'"],
  ["CREATE FUNCTION f AS 'com.x.F';", "not supported: CREATE FUNCTION"],
  ["SELECT a FROM t LIMIT -1;", "LIMIT must be a non-negative integer"],
  ["CREATE TABLE y (a INT) WITH ('connector'='nosuch'); SELECT * FROM y;", "unknown connector 'nosuch'"],
  ["CREATE TABLE z (a INT) WITH ('connector'='datagen','rows-per-secnd'='5'); SELECT * FROM z;", "unknown option 'rows-per-secnd' (did you mean 'rows-per-second'?)"],
  ["CREATE TABLE w (a INT, PRIMARY KEY (b) NOT ENFORCED) WITH ('connector'='datagen');", "Primary key column 'b' is not defined"],
  ["CREATE TABLE w (a DECIMAL(40, 2)) WITH ('connector'='datagen');", "the precision of DECIMAL must be between 1 and 38, got 40"],
  ["CREATE TABLE w (a INT, a STRING) WITH ('connector'='datagen');", "Column 'a' is defined twice"],
  ["CREATE TABLE w (a INT, ts TIMESTAMP(3), WATERMARK FOR nope AS ts) WITH ('connector'='datagen');", "The rowtime attribute field 'nope' is not defined in the table schema"],
  ["CREATE TABLE w (a INT, WATERMARK FOR a AS a) WITH ('connector'='datagen');", "Invalid data type of time field for watermark definition"],
  ["SELECT ?, a FROM t;", "not supported: dynamic parameters (?)"],
  ["SELECT a FROM t INTERSECT SELECT a FROM t;", "not supported: INTERSECT"],
  ["SELECT * FROM t, out_t;", "not supported: comma JOIN"],
  ["SHOW CREATE TABLE nope;", "Object 'nope' not found"],
  ["SELECT a FROM t GROUP BY ROLLUP(a), CUBE(b);", "not supported: more than one GROUPING SETS, ROLLUP or CUBE"],
  ["SELECT TUMBLE_START(ts, INTERVAL '1' MINUTE) FROM t GROUP BY a;", "TUMBLE_START needs a TUMBLE group window in GROUP BY"],
  ["SELECT x'abc' FROM t;", "needs an even number of hexadecimal digits"],
  ["SELECT DATE '2024-02-30' FROM t;", "invalid DATE literal '2024-02-30': no such day"],
  ["SELECT a FROM t WHERE b;", "WHERE must be a BOOLEAN expression, not VARCHAR"],
  ["SELECT CASE WHEN a THEN 1 END FROM t;", "a WHEN condition must be a BOOLEAN expression, not INT"],
  ["SELECT a FROM t ORDER BY a + 1;", "not supported: ORDER BY an expression that is not in the select list"],
  ["INSERT INTO nope SELECT a, b FROM t;", "Object 'nope' not found"],
  ["SELECT window_start FROM TABLE(TUMBLE(TABLE t, DESCRIPTOR(ts), INTERVAL '1' MINUTE)) GROUP BY window_start;", "window aggregation must GROUP BY both window_start and window_end"],
  ["CREATE TABLE v2 (a INT) WITH ('connector'='filesystem','path'='/tmp/none','format'='nosuchformat'); SELECT * FROM v2;", "unknown format 'nosuchformat'"],
  ["SELECT a FROM t WHERE a IN (SELECT a FROM t);", "not supported: IN with a subquery"],
  ["SELECT MATCH_RECOGNIZE FROM t;", "found 'MATCH_RECOGNIZE'"]
];

describe('runnel sql -f: bad statements', () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });
  CASES.forEach(([statement, fragment], i) => {
    it(`${i + 1}: ${statement}`, async () => {
      const file = join(dir, `bad-${i + 1}.sql`);
      writeFileSync(file, SETUP + statement + '\n');
      const io = fakeIo(dir);
      const code = await main(['sql', '-f', file], io);
      const err = io.errors();
      expect(code).toBe(1);
      expect(err).toContain('[ERROR] Could not execute SQL statement');
      expect(err).toContain(fragment);
      // A position: line 4 (the statement's line) and a column.
      expect(err).toMatch(/line 4, column \d+/);
      expect(err).not.toMatch(/\n\s+at /);
      expect(io.text()).not.toContain('Submitting');
    });
  });
});
