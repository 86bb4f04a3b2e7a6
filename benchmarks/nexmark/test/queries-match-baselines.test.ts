// The result check of the benchmark, small: every query with a baseline, run as a DataStream job in this thread,
// produces the rows of its baseline (same count and checksum), at parallelism 1 and 2. At the benchmark's event rate
// (10 M events per second of event time) these events span a few milliseconds, inside one window; at 100 events/s
// they span 500 s: many tumbling, sliding and session windows (and sessions that touch, which merge), and joins
// across them.
import { describe, expect, it } from 'vitest';
import { StreamExecutionEnvironment } from '@runnel/runtime';
import { baselines } from '../src/baselines.js';
import { QUERIES } from '../src/queries.js';
import { combineDigests, DIGEST_CHANNEL, type SubtaskDigest } from '../src/result-digest.js';

const EVENTS = 50_000;

describe('Nexmark queries against their baselines', () => {
  for (const q of Object.keys(baselines) as (keyof typeof QUERIES)[]) {
    for (const [parallelism, rate] of [[1, undefined], [2, undefined], [1, 100], [2, 100]] as const) {
      it(`${q} at parallelism ${parallelism}, ${rate ?? 'the benchmark\'s'} events/s`, async () => {
        const env = StreamExecutionEnvironment.create({});
        QUERIES[q](env, { events: EVENTS, parallelism, firstEventRate: rate });
        const result = await env.execute();
        const got = combineDigests((result.collected.get(DIGEST_CHANNEL) ?? []) as SubtaskDigest[]);
        const expected = baselines[q]!(EVENTS, rate);
        expect(got).toEqual(expected);
        expect(expected.rows).toBeGreaterThan(0);
      });
    }
  }
  it('keyedcount has no baseline (it is not a Nexmark query)', () => {
    expect(Object.keys(baselines).sort()).toEqual(['q0', 'q1', 'q11', 'q2', 'q3', 'q5', 'q7', 'q8']);
  });
});
