// Seeded fuzzing: random token soup, truncations and token-level mutations of valid statements. Whatever the
// input, the parser returns or throws a SqlParseError/SqlUnsupportedError with a position inside the text; never
// a TypeError, a RangeError or a hang.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/parser/lexer.js';
import { SqlParseError, SqlUnsupportedError } from '../../src/parser/parse-error.js';
import { parseExpression, parseScript, parseType } from '../../src/parser/parser.js';

/** mulberry32: a small seeded PRNG, so that a failure replays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VOCABULARY = [
  // Keywords of every part of the grammar.
  'SELECT', 'FROM', 'WHERE', 'GROUP', 'BY', 'HAVING', 'ORDER', 'LIMIT', 'OFFSET', 'FETCH', 'FIRST', 'NEXT', 'ROWS', 'ROW', 'ONLY',
  'UNION', 'INTERSECT', 'EXCEPT', 'MINUS', 'ALL', 'DISTINCT', 'AS', 'WITH', 'VALUES', 'JOIN', 'LEFT', 'RIGHT', 'FULL', 'OUTER',
  'INNER', 'CROSS', 'ON', 'USING', 'LATERAL', 'TABLE', 'UNNEST', 'ORDINALITY', 'DESCRIPTOR', 'TUMBLE', 'HOP', 'SESSION', 'PARTITION',
  'FOR', 'SYSTEM_TIME', 'OF', 'AND', 'OR', 'NOT', 'IS', 'NULL', 'TRUE', 'FALSE', 'UNKNOWN', 'IN', 'LIKE', 'SIMILAR', 'TO', 'ESCAPE',
  'BETWEEN', 'SYMMETRIC', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'CAST', 'TRY_CAST', 'EXTRACT', 'SUBSTRING', 'POSITION', 'TRIM',
  'BOTH', 'LEADING', 'OVERLAY', 'PLACING', 'FLOOR', 'CEIL', 'TIMESTAMPADD', 'INTERVAL', 'DAY', 'HOUR', 'MINUTES', 'SECOND', 'YEAR',
  'MONTH', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP_LTZ', 'LOCAL', 'ZONE', 'ARRAY', 'MAP', 'MULTISET', 'EXISTS', 'OVER', 'WINDOW',
  'RANGE', 'PRECEDING', 'FOLLOWING', 'CURRENT', 'UNBOUNDED', 'FILTER', 'WITHIN', 'IGNORE', 'NULLS', 'ASC', 'DESC', 'GROUPING',
  'SETS', 'ROLLUP', 'CUBE', 'CREATE', 'TEMPORARY', 'VIEW', 'IF', 'EXISTS', 'WATERMARK', 'PRIMARY', 'KEY', 'ENFORCED',
  'CONSTRAINT', 'METADATA', 'VIRTUAL', 'COMMENT', 'PARTITIONED', 'INCLUDING', 'EXCLUDING', 'OVERWRITING', 'OPTIONS', 'DROP', 'ALTER',
  'RESET', 'RENAME', 'INSERT', 'INTO', 'OVERWRITE', 'EXPLAIN', 'PLAN', 'CHANGELOG_MODE', 'SET', 'SHOW', 'TABLES', 'DESCRIBE',
  'EXECUTE', 'STATEMENT', 'BEGIN', 'USE', 'CATALOG', 'FUNCTION', 'INT', 'BIGINT', 'STRING', 'DECIMAL', 'VARCHAR', 'ROW<', 'MATCH_RECOGNIZE',
  'CURRENT_TIMESTAMP', 'COUNT', 'SUM',
  // Names, literals, operators, punctuation, hints and comments.
  'a', 'b', 't', 'price', '`dateTime`', '`a``b`', 'x1', "'s'", "'it''s'", "''", "X'0a'", '1', '0.5', '.5', '1e3', '42',
  '(', ')', '(', ')', '[', ']', ',', ',', ';', '.', '*', '+', '-', '/', '%', '||', '=', '<>', '!=', '<', '<=', '>', '>=',
  '=>', '?', '<', '>', '/*+ OPTIONS(\'k\'=\'v\') */', '/*+ BROADCAST(t) */', '/* c */', '-- c\n', '\n', '::', '$', '"q"', '{',
];

function soup(next: () => number): string {
  const n = 1 + Math.floor(next() * 40);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(VOCABULARY[Math.floor(next() * VOCABULARY.length)]!);
  return parts.join(next() < 0.1 ? '' : ' ');
}

/** Valid statements: the Nexmark files and one statement per construct. */
function corpus(): string[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'nexmark');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => readFileSync(join(dir, f), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen'));
  return [
    ...files,
    "SELECT /*+ BROADCAST(t) */ a, b AS c, t.*, COUNT(DISTINCT x) FILTER (WHERE y > 1) FROM t /*+ OPTIONS('k'='v') */ JOIN u USING (id) WHERE a IS NOT DISTINCT FROM b GROUP BY GROUPING SETS ((a), ()) HAVING SUM(x) > 1 ORDER BY a DESC NULLS LAST LIMIT 10",
    "SELECT * FROM TABLE(SESSION(DATA => TABLE Bid PARTITION BY item, TIMECOL => DESCRIPTOR(bidtime), GAP => INTERVAL '5' MINUTES)) CROSS JOIN UNNEST(arr) WITH ORDINALITY AS u (v, n)",
    "SELECT CASE WHEN a THEN CAST(b AS DECIMAL(10, 2)) ELSE TRY_CAST(c AS ROW<x INT, y ARRAY<STRING>>) END, EXTRACT(DAY FROM ts), SUBSTRING(s FROM 1 FOR 2), TRIM(LEADING 'x' FROM s), FLOOR(ts TO HOUR), TIMESTAMPDIFF(SECOND, a, b), ARRAY[1], MAP['a', 1], ROW(1, 2), m['k'].f, INTERVAL '1:30' HOUR TO MINUTE, DATE '2020-01-01'",
    "SELECT SUM(x) OVER w, ROW_NUMBER() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) FROM t WINDOW w AS (ORDER BY ts RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)",
    '(SELECT 1 UNION ALL SELECT 2) INTERSECT VALUES (3), (4) EXCEPT SELECT 5 OFFSET 1 ROWS FETCH FIRST 2 ROWS ONLY',
    "CREATE TEMPORARY TABLE IF NOT EXISTS t (a INT PRIMARY KEY NOT ENFORCED, b AS a + 1 COMMENT 'c', m TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '5' SECOND) COMMENT 't' PARTITIONED BY (a) WITH ('connector' = 'x') LIKE s (INCLUDING ALL OVERWRITING OPTIONS)",
    'CREATE VIEW v (a) AS SELECT 1; DROP TEMPORARY VIEW IF EXISTS v; ALTER TABLE t SET (\'a\' = \'b\'); ALTER TABLE t RENAME TO u',
    "INSERT OVERWRITE t PARTITION (p = 1) (a, b) SELECT 1, 2; EXPLAIN CHANGELOG_MODE, ESTIMATED_COST SELECT 1; SET 'a' = 'b'; SET a.b = c; RESET; SHOW TABLES LIKE 'x'; DESC t",
    'EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END; BEGIN STATEMENT SET; INSERT INTO a SELECT 1; END;',
    "CREATE FUNCTION f AS 'x'; USE CATALOG c; LOAD MODULE hive; SELECT a FROM t FOR SYSTEM_TIME AS OF t.ts AS x LEFT JOIN LATERAL TABLE(f(a)) AS y (z) ON TRUE",
  ];
}

/** Parses `text`; fails the test unless it returns or throws one of the parser's errors at a sane position. */
function check(text: string, parse: (t: string) => unknown = parseScript): 'ok' | 'error' {
  const t0 = performance.now();
  try {
    parse(text);
    return 'ok';
  } catch (e) {
    if (!(e instanceof SqlParseError) && !(e instanceof SqlUnsupportedError)) {
      throw new Error(`${String(e)} for input ${JSON.stringify(text)}`, { cause: e });
    }
    if (!(e.line >= 1 && e.col >= 1 && e.offset >= 0 && e.offset <= text.length)) {
      throw new Error(`bad position ${e.line}:${e.col} (${e.offset}) for input ${JSON.stringify(text)}`);
    }
    return 'error';
  } finally {
    const ms = performance.now() - t0;
    if (ms > 1000) throw new Error(`took ${ms} ms for input ${JSON.stringify(text)}`);
  }
}

describe('fuzzing', () => {
  it('random token soup (4000 inputs, seeded)', () => {
    const next = rng(20240611);
    const outcomes = { ok: 0, error: 0 };
    for (let i = 0; i < 4000; i++) {
      const text = soup(next);
      outcomes[check(text)]++;
      if (i % 4 === 0) check(text, parseExpression);
      if (i % 8 === 0) check(text, parseType);
    }
    expect(outcomes.error).toBeGreaterThan(3000);
  });

  it('every truncation of the construct corpus, and random truncations of Nexmark', () => {
    const next = rng(7);
    let inputs = 0;
    for (const text of corpus()) {
      expect(check(text)).toBe('ok');
      const cuts = text.length < 2000 ? Array.from({ length: text.length }, (_, i) => i) : Array.from({ length: 150 }, () => Math.floor(next() * text.length));
      for (const cut of cuts) {
        check(text.slice(0, cut));
        inputs++;
      }
    }
    expect(inputs).toBeGreaterThan(3000);
  });

  it('token-level mutations of valid statements (deleted, duplicated, swapped and replaced tokens; 3000 inputs)', () => {
    const next = rng(99);
    const texts = corpus();
    for (let i = 0; i < 3000; i++) {
      const text = texts[Math.floor(next() * texts.length)]!;
      const tokens = tokenize(text).slice(0, -1);
      const k = Math.floor(next() * tokens.length);
      const t = tokens[k]!;
      const before = text.slice(0, t.offset);
      const after = text.slice(t.end);
      const own = text.slice(t.offset, t.end);
      const other = VOCABULARY[Math.floor(next() * VOCABULARY.length)]!;
      const mutated = [`${before}${after}`, `${before}${own} ${own}${after}`, `${before}${other}${after}`, `${before}${other} ${own}${after}`][Math.floor(next() * 4)]!;
      check(mutated);
    }
  });
});
