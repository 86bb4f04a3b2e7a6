// The result check of the SQL runs, small: every query the benchmark runs in SQL (sql-queries.ts, nexmark-flink's SQL
// text into the digest sink), run in this thread, produces the result of its SQL baseline (sql-baselines.ts): the
// same table once the changelog is applied, and as many changelog messages. At parallelism 1 and 2, at the
// benchmark's event rate (10 M events per second of event time: a few milliseconds, one day) and at 0.2 events/s
// (about 28 hours: two days for q15–q17, q11 sessions of several bids and gaps).
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '@runnel/runtime';
import buildSqlJob, { memoryScript, scriptOptions, SQL_QUERIES } from '../src/sql-queries.js';
import { sqlBaselines } from '../src/sql-baselines.js';
import { checksumHex, combineDigests, DIGEST_CHANNEL, sqlRowHash, type SubtaskDigest } from '../src/result-digest.js';

const EVENTS = 20_000;

async function runSql(query: string, events: number, parallelism: number, firstEventRate?: number, options: Record<string, string> = {}) {
  const env = StreamExecutionEnvironment.create(options);
  await buildSqlJob(env, { query, events, parallelism, firstEventRate });
  const result = await env.execute();
  return combineDigests((result.collected.get(DIGEST_CHANNEL) ?? []) as SubtaskDigest[]);
}

describe('Nexmark SQL queries against their baselines', () => {
  it('runs every query with a SQL baseline but q12 (processing time)', () => {
    expect([...SQL_QUERIES].sort()).toEqual(Object.keys(sqlBaselines).sort());
    expect(SQL_QUERIES).not.toContain('q12');
  });
  for (const q of SQL_QUERIES) {
    for (const [parallelism, rate] of [[1, undefined], [2, undefined], [1, 0.2], [2, 0.2]] as const) {
      it(`${q} at parallelism ${parallelism}, ${rate ?? 'the benchmark\'s'} events/s`, async () => {
        const got = await runSql(q, EVENTS, parallelism, rate);
        const expected = sqlBaselines[q]!(EVENTS, rate);
        expect(got.rows).toBe(expected.rows);
        expect(got.checksum).toBe(expected.checksum);
        if (expected.changes !== undefined) expect(got.changes).toBe(expected.changes);
        expect(expected.rows).toBeGreaterThan(0);
      });
    }
  }
  it('the memory benchmark sets the level backend and ends in one row (2, keys, 1 + … + rows)', async () => {
    const options = scriptOptions(memoryScript(2000, 1000));
    expect(options).toEqual({ 'state.backend.type': 'level' });
    const got = await runSql('memory', 2000, 2, undefined, options);
    expect(got.rows).toBe(1);
    expect(got.checksum).toBe(checksumHex(sqlRowHash([2, 1000, (2000 * 2001) / 2])));
  });
});
