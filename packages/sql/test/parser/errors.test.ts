// Malformed statements: each error is a SqlParseError at the exact line and column of the offending token, saying
// what was found and what was expected (or, for the usual mistakes, what is probably wrong).
import { describe, expect, it } from 'vitest';
import { SqlParseError } from '../../src/parser/parse-error.js';
import { parseExpression, parseScript } from '../../src/parser/parser.js';
import { parseError, unsupported } from './helpers.js';

/** [statement, line, column, the error's `what`, the expected list (when checked)]. */
type Case = [string, number, number, string, string[]?];

const CLAUSES_AFTER_SELECT_ITEM = [',', 'FROM', 'WHERE', 'GROUP BY', 'HAVING', 'WINDOW', 'INTERSECT', 'UNION', 'EXCEPT', 'ORDER BY', 'LIMIT', 'OFFSET', 'FETCH', "';'", 'end of input'].map((x) => (x === ',' ? "','" : x));

const CASES: Case[] = [
  // Misspelt keywords, found where they are, with a suggestion.
  ['SELECT a FORM t', 1, 10, "found 'FORM', did you mean FROM?", CLAUSES_AFTER_SELECT_ITEM],
  ['SELECT a, b FORM t', 1, 13, "found 'FORM', did you mean FROM?"],
  ['SELECT * FORM t', 1, 10, "found 'FORM', did you mean FROM?"],
  ['SELECT a\nFROM t\nWHER a = 1', 3, 1, "found 'WHER', did you mean WHERE?"],
  ['SELECT a FROM t WHERE a = 1 GRUOP BY a', 1, 29, "found 'GRUOP', did you mean GROUP?"],
  ['SELEC a FROM t', 1, 1, "found 'SELEC', did you mean SELECT?"],
  ['CREATE TABL t (a INT)', 1, 8, "found 'TABL', did you mean TABLE?"],
  ['DROP TABLES t', 1, 6, "found 'TABLES', did you mean TABLE?"],
  ['SHOW TABLE', 1, 6, "found 'TABLE', did you mean TABLES?"],
  // Missing or extra punctuation.
  ['SELECT a, FROM t', 1, 11, "found 'FROM' after ',' (remove the trailing ',' of the select list)", ['an expression']],
  ['SELECT FROM t', 1, 8, "found 'FROM'", ['DISTINCT', 'ALL', "'*'", 'an expression']],
  ['SELECT (a + b FROM t', 1, 15, "missing ')' to close the '(' at line 1, column 8; found 'FROM'", ["','", "')'"]],
  ['SELECT count(*\nFROM t', 2, 1, "missing ')' to close the '(' at line 1, column 13; found 'FROM'", ["')'"]],
  ["SELECT * FROM TABLE(\n  TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)", 2, 64, "missing ')' to close the '(' at line 1, column 20; found end of input", ["')'"]],
  ["SELECT * FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime) INTERVAL '10' MINUTES))", 1, 59, "missing ')' to close the '(' at line 1, column 27; found 'INTERVAL'"],
  ['INSERT INTO t VALUES (1, 2', 1, 27, "missing ')' to close the '(' at line 1, column 22; found end of input"],
  ['INSERT INTO t (a, b SELECT 1', 1, 21, "missing ')' to close the '(' at line 1, column 15; found 'SELECT'"],
  ['SELECT ARRAY[1, 2 FROM t', 1, 19, "missing ']' to close the '[' at line 1, column 13; found 'FROM'"],
  ['CREATE TABLE t (a INT,) WITH ()', 1, 23, "found ')' after ',' (remove the trailing ',')"],
  ["CREATE TABLE t (\n  a INT,\n  b STRING\nWITH ('connector' = 'x')", 4, 1, "missing ')' to close the '(' at line 1, column 16; found 'WITH'"],
  ["CREATE TABLE t (a INT) WITH ('connector' 'kafka')", 1, 42, "found 'kafka'", ["'='"]],
  ['CREATE TABLE t (a ARRAY<INT) WITH ()', 1, 28, "missing '>' to close the '<' at line 1, column 24; found ')'"],
  // Missing keywords.
  ['SELECT a FROM t GROUP a', 1, 23, "found 'a'", ['BY']],
  ['SELECT a FROM t ORDER a', 1, 23, "found 'a'", ['BY']],
  ['SELECT a FROM t JOIN u', 1, 23, 'a JOIN needs a condition; found end of input', ['AS', 'ON', 'USING']],
  ['SELECT a FROM t LEFT JOIN u WHERE x = 1', 1, 29, "a LEFT JOIN needs a condition; found 'WHERE'"],
  ['SELECT CASE WHEN a THEN 1 FROM t', 1, 27, "missing END to close the CASE at line 1, column 8; found 'FROM'", ['WHEN', 'ELSE', 'END']],
  ['SELECT CAST(a INT) FROM t', 1, 15, "found 'INT'", ['AS']],
  ['SELECT a BETWEEN 1 FROM t', 1, 20, "found 'FROM'", ['AND']],
  ["CREATE TABLE t (ts TIMESTAMP(3), WATERMARK FOR ts ts - INTERVAL '5' SECOND) WITH ()", 1, 51, "expected AS after the column name of a WATERMARK; found 'ts'", ['AS']],
  ['CREATE TABLE t (ts TIMESTAMP(3), WATERMARK ts AS ts) WITH ()', 1, 44, "expected FOR after WATERMARK; found 'ts'", ['FOR']],
  ['CREATE VIEW v SELECT 1', 1, 15, "found 'SELECT'", ['COMMENT', 'AS']],
  ['WITH a AS SELECT 1 SELECT * FROM a', 1, 11, "found 'SELECT'", ["'('"]],
  ['INSERT t SELECT 1', 1, 8, "found 't'", ['OVERWRITE', 'INTO']],
  ['SELECT * FROM t FOR SYSTEM_TIME AS t2', 1, 36, "found 't2'", ['OF']],
  ["SET 'a'", 1, 8, "expected '=' after the key of SET; found end of input", ["'='"]],
  // Missing operands and truncated statements.
  ['SELECT a FROM t WHERE', 1, 22, 'found end of input', ['an expression']],
  ["SELECT a\nFROM t\nWHERE b = 'x' AND", 3, 18, 'found end of input', ['an expression']],
  ['SELECT * FROM', 1, 14, 'found end of input', ['a table name', "'('", 'TABLE', 'LATERAL', 'UNNEST']],
  ['SELECT a FROM t UNION', 1, 22, 'found end of input', ['ALL', 'DISTINCT', 'SELECT', 'VALUES', "'('"]],
  ['SELECT * FROM t WHERE a IN ()', 1, 29, "found ')'", ['an expression']],
  ['SELECT * FROM t WHERE a IN 1, 2', 1, 28, "found '1'", ["'('"]],
  ['ALTER TABLE t', 1, 14, 'found end of input', ['SET', 'RESET', 'RENAME TO', 'ADD', 'MODIFY', 'DROP']],
  ['DESCRIBE', 1, 9, 'found end of input', ['a table name']],
  ["SET 'a' =", 1, 10, 'found end of input', ['a value']],
  ['CREATE TABLE t (a INT, b INT METADATA FROM) WITH ()', 1, 43, "found ')'", ["a metadata key ('key')"]],
  ['CREATE TABLE t (a DECIMAL(10,) WITH ()', 1, 30, "found ')'", ['a number']],
  // Wrong tokens in expressions.
  ['SELECT a IS 5 FROM t', 1, 13, "found '5'", ['NOT', 'NULL', 'TRUE', 'FALSE', 'UNKNOWN', 'DISTINCT FROM']],
  ["SELECT INTERVAL '5' FROM t", 1, 21, "found 'FROM'", ['an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)']],
  ["SELECT INTERVAL '5' WEEKS FROM t", 1, 21, "found 'WEEKS'"],
  ['SELECT EXTRACT(FOO FROM ts) FROM t', 1, 16, "found 'FOO'", ['a time unit (SECOND, MINUTE, HOUR, DAY, ...)']],
  ['SELECT SUM(x) OVER (ORDER BY b ROWS BETWEEN 10 AND CURRENT ROW) FROM t', 1, 48, "found 'AND'", ['PRECEDING', 'FOLLOWING']],
  ['SELECT TRIM(BOTH x) FROM t', 1, 19, "found ')'", ['FROM']],
  ['SELECT MAP[1] FROM t', 1, 8, 'MAP[...] takes key, value pairs: an even number of items'],
  ['SELECT f(a => 1, 2) FROM t', 1, 18, 'after a named argument, every argument is named (name => value)'],
  ['SELECT a::int FROM t', 1, 9, "found '::': casts are written CAST(x AS type) in Flink SQL"],
  ['SELECT "a" FROM t', 1, 8, "found a double-quoted text: write 'text' for a string or `name` for a name in Flink SQL"],
  ['SELECT * FROM t WHERE a = 1 $', 1, 29, "unexpected character '$'"],
  // Reserved words, misplaced hints, malformed hints and options.
  ['SELECT a FROM select', 1, 15, "found 'select', a reserved word (write `select` to use it as a name)"],
  ['SELECT a AS from FROM t', 1, 13, "found 'from', a reserved word (write `from` to use it as a name)", ['an alias']],
  ['SELECT a /*+ X */ FROM t', 1, 10, "found a hint '/*+ ... */' where none is allowed"],
  ['SELECT * FROM t /*+ OPTIONS(a=) */', 1, 31, "found ')'", ['a string literal', 'a name']],
  ["CREATE TABLE t (a INT) WITH ('connector' = kafka)", 1, 44, "found 'kafka': option values are string literals ('connector' = 'kafka')"],
  ["CREATE TABLE t (a INT) WITH (connector = 'kafka')", 1, 30, "found 'connector': option keys are string literals ('connector' = '...')"],
  // Semantic mistakes the grammar catches.
  ['CREATE TABLE t (a INT PRIMARY KEY NOT ENFORCED, PRIMARY KEY (a) NOT ENFORCED) WITH ()', 1, 49, 'a table has at most one PRIMARY KEY'],
  ["CREATE TABLE t (ts TIMESTAMP(3), WATERMARK FOR ts AS ts, WATERMARK FOR ts AS ts) WITH ()", 1, 58, 'a table has at most one WATERMARK'],
  ['CREATE TABLE b LIKE a (OVERWRITING ALL)', 1, 24, 'OVERWRITING does not apply to ALL (only to GENERATED, METADATA, OPTIONS and WATERMARKS)'],
  ["SELECT INTERVAL '1' SECOND TO MINUTE", 1, 31, 'an interval cannot range from SECOND to MINUTE'],
  ['EXPLAIN DROP TABLE t', 1, 9, 'EXPLAIN takes a query, an INSERT, a CREATE TABLE ... AS or a statement set'],
  // Statement boundaries.
  ['SELECT a FROM t\nINSERT INTO x SELECT 1', 2, 1, "found 'INSERT' (is a ';' missing before it?)"],
  ['SELECT a FROM t\nSET x = 1', 2, 1, "found 'SET' (is a ';' missing before it?)"],
  ['SELECT 1;\n\n  SELEC b FROM u', 3, 3, "found 'SELEC', did you mean SELECT?"],
  ['END', 1, 1, "found 'END'"],
  ['BEGIN STATEMENT SET;\nINSERT INTO a SELECT 1;\nSELECT 2;\nEND;', 3, 1, "found 'SELECT': a statement set holds INSERT statements only"],
  ['EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1', 1, 51, 'found end of input'],
  // Unterminated text, named where it starts.
  ["SELECT 'abc FROM t", 1, 8, 'unterminated string literal starting at line 1, column 8'],
  ['SELECT a\nFROM t /* unterminated\n', 2, 8, 'unterminated comment starting at line 2, column 8'],
  ['SELECT `abc FROM t', 1, 8, 'unterminated quoted identifier starting at line 1, column 8'],
  ["SELECT 1 FROM t /*+ OPTIONS('a'='b')", 1, 17, 'unterminated hint starting at line 1, column 17'],
];

describe('malformed statements', () => {
  it('has at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s', (sql, line, col, what, expected) => {
    const e = parseError(sql);
    expect({ line: e.line, col: e.col, what: e.what }).toEqual({ line, col, what });
    if (expected !== undefined) expect(e.expected).toEqual(expected);
    // The message is the position, the problem and the expected list.
    expect(e.message.startsWith(`SQL parse error at line ${line}, column ${col}: ${what}`)).toBe(true);
    const offset = sql.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1;
    expect(e.offset).toBe(offset);
  });

  it('formats the expected list', () => {
    expect(parseError('SELECT a FROM t GROUP a').message).toBe("SQL parse error at line 1, column 23: found 'a' (expected BY)");
    expect(parseError('INSERT t SELECT 1').message).toBe("SQL parse error at line 1, column 8: found 't' (expected one of: OVERWRITE, INTO)");
  });

  it('parseExpression rejects what follows a complete expression', () => {
    const e = parseError('a + b c', parseExpression);
    expect([e.col, e.what, e.expected]).toEqual([7, "found 'c'", ['end of input']]);
  });

  it('reports Flink SQL Runnel does not support as SqlUnsupportedError, not as a parse error', () => {
    const cases: [string, string, number, number][] = [
      ['SELECT * FROM t MATCH_RECOGNIZE (PARTITION BY a)', 'MATCH_RECOGNIZE', 1, 17],
      ['SELECT * FROM a NATURAL JOIN b', 'NATURAL JOIN (write the join condition with ON or USING)', 1, 17],
      ['SELECT * FROM t WHERE a = ANY (SELECT b FROM u)', 'quantified comparisons (ANY (subquery)); use IN or EXISTS', 1, 27],
      ['SELECT ARRAY(SELECT 1)', 'ARRAY(subquery)', 1, 8],
      ['WITH RECURSIVE r AS (SELECT 1) SELECT 1', 'WITH RECURSIVE', 1, 6],
      ['SELECT a FROM t LIMIT 1, 2', 'LIMIT offset, count (write LIMIT count OFFSET offset)', 1, 24],
      ['CREATE TABLE t (a TIMESTAMP(3) WITH TIME ZONE)', 'TIMESTAMP WITH TIME ZONE (use TIMESTAMP_LTZ or TIMESTAMP WITH LOCAL TIME ZONE)', 1, 19],
      ["SELECT JSON_VALUE(j, '$.a' RETURNING INT) FROM t", 'the keyword clauses of JSON_VALUE (RETURNING, ON EMPTY, ON ERROR, KEY ... VALUE, ... ON NULL)', 1, 28],
    ];
    for (const [sql, what, line, col] of cases) {
      const e = unsupported(sql);
      expect({ what: e.what, line: e.line, col: e.col }).toEqual({ what, line, col });
      expect(e.message).toBe(`not supported: ${what} (line ${line}, column ${col})`);
      expect(e).not.toBeInstanceOf(SqlParseError);
    }
  });

  it('an error in a later statement is reported after the earlier ones parsed, with its own position', () => {
    const e = parseError("CREATE TABLE a (x INT) WITH ('connector' = 'datagen');\nINSERT INTO b\nSELECT x + FROM a;");
    expect([e.line, e.col, e.what]).toEqual([3, 12, "found 'FROM'"]);
  });

  it('a deeply nested expression is refused with a parse error, not a stack overflow', () => {
    const deep = `SELECT ${'('.repeat(5000)}1${')'.repeat(5000)}`;
    const e = parseError(deep);
    expect(e.what).toBe('the statement nests deeper than 200 levels');
    expect(parseScript(`SELECT ${'('.repeat(150)}1${')'.repeat(150)}`)).toHaveLength(1);
    for (const text of [
      `SELECT * FROM ${'('.repeat(100_000)}t`,
      `SELECT CAST(x AS ${'ARRAY<'.repeat(20_000)}INT)`,
      `SELECT * FROM t WHERE a IN ${'(SELECT a FROM t WHERE a IN '.repeat(5000)}`,
      `SELECT ${'- '.repeat(50_000)}1`,
      `SELECT ${'NOT '.repeat(50_000)}a`,
    ]) {
      const t0 = performance.now();
      expect(parseError(text).what).toBe('the statement nests deeper than 200 levels');
      expect(performance.now() - t0).toBeLessThan(2000);
    }
  });
});
