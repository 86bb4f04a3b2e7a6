// Mini-batch group aggregation and checkpoints: a bundle is flushed before every barrier, so a checkpoint or savepoint
// taken while the bundle holds rows has them in its state and their results in front of the barrier. The job runs
// with an allow-latency of one hour and a size no input reaches, so the rows can only come out through a barrier (or
// the end of the input): each step waits until the aggregation has taken the rows (its numRecordsIn) and checks that
// nothing was emitted yet, i.e. that the bundle holds them, before the checkpoint is taken. The savepoint is then
// restored at another parallelism with more input; the final result must equal the counts and sums computed here,
// with no row lost or counted twice.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Row } from '@runnel/api/table';
import type { JobClient } from '@runnel/runtime';
import { MaterializedResult, SqlSession } from '../../src/index.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function until(check: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function start(script: string, config: Record<string, string>): Promise<JobClient> {
  const session = new SqlSession({ config: { 'metrics.reporter.interval': '50 ms', ...config } });
  let client: JobClient | undefined;
  await session.executeScript(script, (_s, r) => {
    if (r.kind === 'job') client = r.client;
  });
  return client!;
}

/** Rows the group aggregation has taken in, over its subtasks (from the reported metrics). */
function aggregated(client: JobClient): number {
  let n = 0;
  for (const m of client.operatorMetrics()) if (m.name === 'numRecordsIn' && (m.variables['<operator_name>'] ?? '').startsWith('GroupAggregate')) n += m.sum;
  return n;
}

/** JSON lines of `n` events of `app` with ids from `from`; adds them to the expected result. */
function events(expected: Map<string, [bigint, bigint]>, app: string, n: number, from: number): string {
  let s = '';
  const e = expected.get(app) ?? [0n, 0n];
  for (let i = 0; i < n; i++) {
    s += JSON.stringify({ id: from + i, app }) + '\n';
    e[0] += 1n;
    e[1] += BigInt(from + i);
  }
  expected.set(app, e);
  return s;
}

function result(rows: readonly Row[]): { table: Map<unknown, [unknown, unknown]>; inconsistencies: number } {
  const m = new MaterializedResult();
  for (const r of rows) m.apply(r);
  return { table: new Map(m.current().map((f) => [f[0], [f[1], f[2]]])), inconsistencies: m.inconsistencies };
}

describe('mini-batch group aggregation and checkpoints', () => {
  for (const [backend, from, to] of [['heap', 2, 1], ['level', 1, 2]] as const) {
    it(`a checkpoint and a savepoint taken while the bundle holds rows lose and repeat nothing (${backend}, parallelism ${from} -> ${to})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-mini-batch-'));
      dirs.push(dir);
      const input = join(dir, 'in');
      mkdirSync(input);
      const expected = new Map<string, [bigint, bigint]>();
      writeFileSync(join(input, 'a.json'), events(expected, 'shop', 30, 0) + events(expected, 'news', 20, 100));
      const script = `SET 'table.exec.mini-batch.enabled' = 'true';
SET 'table.exec.mini-batch.allow-latency' = '1 h';
SET 'table.exec.mini-batch.size' = '1000000';
CREATE TABLE events (id BIGINT, app STRING) WITH ('connector' = 'filesystem', 'path' = '${input}', 'format' = 'json', 'source.monitor-interval' = '50 ms');
SELECT app, COUNT(*) AS n, SUM(id) AS total FROM events GROUP BY app;`;
      const config = { 'state.backend.type': backend, 'state.checkpoints.dir': join(dir, 'checkpoints') };
      const a = await start(script, { ...config, 'parallelism.default': String(from) });
      const out = (): Row[] => a.collected('sql-select') as Row[];

      // 1. All 50 rows are in the bundle (taken in, nothing emitted); a checkpoint flushes them.
      await until(() => aggregated(a) >= 50, 'the aggregation to take the first file');
      expect(out()).toEqual([]);
      await a.triggerCheckpoint();
      await until(() => result(out()).table.size === 2, 'the rows flushed by the checkpoint');
      expect(result(out()).table).toEqual(new Map([['shop', [30n, 435n]], ['news', [20n, 2190n]]]));
      const afterCheckpoint = out().length;

      // 2. More rows into the bundle, then stop with a savepoint: its barrier flushes them.
      writeFileSync(join(input, 'b.json'), events(expected, 'shop', 5, 1000) + events(expected, 'mail', 7, 2000));
      await until(() => aggregated(a) >= 62, 'the aggregation to take the second file');
      expect(out().length).toBe(afterCheckpoint);
      const savepoint = await a.stopWithSavepoint(join(dir, 'savepoint'));
      await a.getJobExecutionResult().catch(() => undefined);
      const first = out();
      expect(result(first).table.get('mail')).toEqual([7n, 14021n]);

      // 3. Restored at another parallelism, with a third file; checkpoints every 100 ms emit its bundles.
      writeFileSync(join(input, 'c.json'), events(expected, 'shop', 4, 3000) + events(expected, 'news', 3, 4000));
      const b = await start(script, { ...config, 'parallelism.default': String(to), 'execution.savepoint.path': savepoint, 'execution.checkpointing.interval': '100 ms' });
      expect(b.restoredCheckpointId()).toBeDefined();
      const want = new Map([...expected].map(([k, v]) => [k, v]));
      await until(() => {
        const t = result([...first, ...(b.collected('sql-select') as Row[])]).table;
        return [...want].every(([k, [n, s]]) => {
          const got = t.get(k);
          return got !== undefined && got[0] === n && got[1] === s;
        });
      }, 'the restored job to count the third file');
      await b.cancel();
      await b.getJobExecutionResult().catch(() => undefined);
      const second = b.collected('sql-select') as Row[];
      // The restored job updates the counts it restored (shop 35, news 20) instead of starting from 0.
      expect(second.some((r) => r.kind === 1 && r.fields[0] === 'shop' && r.fields[1] === 35n)).toBe(true);
      expect(second.some((r) => r.kind === 1 && r.fields[0] === 'news' && r.fields[1] === 20n)).toBe(true);
      expect(second.some((r) => r.fields[0] === 'mail')).toBe(false);
      const all = result([...first, ...second]);
      expect(all.inconsistencies).toBe(0);
      expect(all.table).toEqual(want);
    }, 120_000);
  }
});
