// First end-to-end checks of the session: statements run as jobs on worker threads and return their rows.
import { describe, expect, it } from 'vitest';
import { runSelect } from '../support/sql-harness.js';

describe('SQL session', () => {
  it('runs a group aggregation over VALUES', async () => {
    const out = await runSelect(`SELECT a, COUNT(*) AS c, SUM(b) AS s FROM (VALUES (1, 10), (2, 20), (1, 30)) AS t(a, b) GROUP BY a;`);
    expect(out.names).toEqual(['a', 'c', 's']);
    expect(out.rows.map((r) => r.map(String)).sort()).toEqual([['1', '2', '40'], ['2', '1', '20']]);
    expect(out.inconsistencies).toBe(0);
  });
});
