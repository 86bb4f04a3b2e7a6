// The Table API in a job module: SQL over a DataStream registered as a view, results back as a changelog stream.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runJob } from '@runnel/runtime';
import type { Row } from '@runnel/api/table';
import { MaterializedResult } from '../../src/index.js';

describe('StreamTableEnvironment', () => {
  it('runs SQL over a DataStream and returns the changelog and insert-only rows', async () => {
    const job = fileURLToPath(new URL('./fixtures/table-api-job.ts', import.meta.url));
    const r = await runJob(job, { options: { 'parallelism.default': 2 } });
    const changes = (r.collected.get('changes') ?? []) as Row[];
    const m = new MaterializedResult();
    for (const c of changes) m.apply(c);
    expect(m.inconsistencies).toBe(0);
    expect(new Map(m.current().map((f) => [f[0], f[1]]))).toEqual(new Map([['a', 3n], ['b', 2n], ['c', 1n]]));
    expect(changes.some((c) => c.kind === 1)).toBe(true);
    const big = ((r.collected.get('big') ?? []) as Row[]).map((x) => x.fields[0]).sort();
    expect(big).toEqual([30, 40, 50, 60]);
  });
});
