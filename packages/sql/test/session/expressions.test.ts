// Expression semantics end to end: lazy IF/COALESCE/NULLIF (only the chosen branch runs), exact BIGINT and
// DECIMAL, integer division and overflow as in Flink, three-valued logic.
import { describe, expect, it } from 'vitest';
import { runSelect } from '../support/sql-harness.js';

describe('SQL expressions', () => {
  it('evaluates IF, COALESCE and NULLIF lazily', async () => {
    const out = await runSelect(`SELECT IF(x <> 0, 10 / x, -1), COALESCE(y, 100 / x), NULLIF(x, 0) FROM (VALUES (0, 5), (2, CAST(NULL AS INT))) AS t(x, y);`);
    expect(out.rows.map((r) => r.map(String)).sort()).toEqual([['-1', '5', 'null'], ['5', '50', '2']]);
  });

  it('keeps BIGINT and DECIMAL exact and wraps INT like Java', async () => {
    const out = await runSelect(`SELECT 9223372036854775807 - a, CAST('12345678901234567.89' AS DECIMAL(20, 2)) + 0.01, 2147483647 + b, 7 / 2, -7 / 2, 7 % -3 FROM (VALUES (CAST(1 AS BIGINT), 1)) AS t(a, b);`);
    expect(out.rows[0]!.map(String)).toEqual(['9223372036854775806', '1234567890123456790', '-2147483648', '3', '-3', '1']);
  });

  it('applies three-valued logic in WHERE', async () => {
    const out = await runSelect(`SELECT a FROM (VALUES (1, TRUE), (2, FALSE), (3, CAST(NULL AS BOOLEAN))) AS t(a, b) WHERE NOT b OR b IS NULL AND a > 2;`);
    expect(out.rows.map((r) => r[0]).sort()).toEqual([2, 3]);
  });
});

describe('common subexpressions', () => {
  it('does not confuse two IN lists over the same column', async () => {
    const out = await runSelect(`SELECT a, a IN (1, 2), a IN (3, 4), a IN (1, 2) OR a IN (3, 4) FROM (VALUES (1), (3), (5)) AS t(a);`);
    expect(out.rows.map((r) => r.map(String)).sort()).toEqual([
      ['1', 'true', 'false', 'true'],
      ['3', 'false', 'true', 'true'],
      ['5', 'false', 'false', 'false'],
    ]);
  });
});

describe('sink string lengths', () => {
  it("keeps a string's length in a VARCHAR(n) sink column by default, cuts it with TRIM_PAD", async () => {
    const { mkdtempSync, readdirSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { runScript } = await import('../support/sql-harness.js');
    const read = (dir: string): string[] => readdirSync(dir).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
    for (const [mode, want] of [['IGNORE', 'abcdef'], ['TRIM_PAD', 'ab']] as const) {
      const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-length-'));
      await runScript(`SET 'table.exec.sink.type-length-enforcer' = '${mode}';
CREATE TABLE out_t (s VARCHAR(2)) WITH ('connector' = 'filesystem', 'path' = '${dir}', 'format' = 'json');
INSERT INTO out_t SELECT CAST(x AS STRING) FROM (VALUES ('abcdef')) AS t(x);`);
      expect(read(dir).map((l) => (JSON.parse(l) as { s: string }).s)).toEqual([want]);
    }
  });
});

describe('constant folding and fields fixed by the filter', () => {
  it('folds calls of literals, uses a field the filter fixed, and keeps an error of a branch that never runs', async () => {
    const out = await runSelect(`SELECT a, b + 1, CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE UPPER('other') END, CASE WHEN b = 2 THEN CONCAT('x', 'y') END,
  a IN (1, 2), CASE WHEN a = 3 THEN 1 / 0 ELSE a END, CASE WHEN c = 1 THEN 'c1' ELSE 'c?' END
FROM (VALUES (2, CAST(2 AS BIGINT), 1), (3, CAST(2 AS BIGINT), 1), (2, CAST(5 AS BIGINT), 1), (2, CAST(2 AS BIGINT), 7)) AS t(a, b, c) WHERE a = 2 AND b = 2;`);
    expect(out.rows.map((r) => r.map(String)).sort()).toEqual([
      ['2', '3', 'two', 'xy', 'true', '2', 'c1'],
      ['2', '3', 'two', 'xy', 'true', '2', 'c?'],
    ]);
    // the field fixed by `b = 2` keeps its type: BIGINT stays a bigint
    expect(out.rows.every((r) => typeof r[1] === 'bigint')).toBe(true);
  });

  it('reuses what an earlier WHEN computed in later WHENs, with NULL and every branch', async () => {
    const out = await runSelect(`SELECT s, CASE WHEN LOWER(s) = 'a' THEN 1 WHEN LOWER(s) = 'b' THEN 2 WHEN LOWER(s) IS NULL THEN 3 ELSE 4 END
FROM (VALUES ('A'), ('b'), (CAST(NULL AS STRING)), ('z')) AS t(s);`);
    expect(out.rows.map((r) => r.map(String)).sort()).toEqual([['A', '1'], ['b', '2'], ['null', '3'], ['z', '4']]);
  });
});
