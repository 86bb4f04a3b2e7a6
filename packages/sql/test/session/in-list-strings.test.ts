// IN over strings compares the whole text: the literals' CHAR(n) types must not narrow the operand (a common type of
// VARCHAR(8) cut 'channel-2505' to 'channel-', so it was IN ('channel-', ...) although '=' said no).
import { describe, expect, it } from 'vitest';
import { runSelect } from '../support/sql-harness.js';

describe('IN with string literals', () => {
  it('compares the whole string, as =', async () => {
    const out = await runSelect(`SELECT s, lower(s) IN ('channel-', 'x'), lower(s) = 'channel-', s IN ('ab', 'abc'), s NOT IN ('channel-') FROM (SELECT CAST(v AS STRING) AS s FROM (VALUES ('channel-2505'), ('channel-'), ('abc'), ('x')) AS t0(v)) AS t;`);
    expect(out.rows.map((r) => r.map(String)).sort()).toEqual([
      ['abc', 'false', 'false', 'true', 'true'],
      ['channel-', 'true', 'true', 'false', 'false'],
      ['channel-2505', 'false', 'false', 'false', 'true'],
      ['x', 'true', 'false', 'false', 'true'],
    ]);
  });
});
