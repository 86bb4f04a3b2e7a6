// The same SQL script restarted with `execution.savepoint.path` restores its state, at another parallelism: operator
// uids are derived from the plan, so the group aggregation finds its counts and the file source its positions. A
// savepoint whose keyed SQL operators were written in an older SQL state layout is refused with an error that says so.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Row } from '@runnel/api/table';
import type { JobClient } from '@runnel/runtime';
import { MaterializedResult, SqlSession } from '../../src/index.js';
import { SQL_STATE_LAYOUT } from '../../src/planner/state-layout.js';

async function until(check: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function lines(app: string, n: number, from: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += JSON.stringify({ id: from + i, app }) + '\n';
  return s;
}

async function start(script: string, config: Record<string, string>): Promise<JobClient> {
  const session = new SqlSession({ config });
  let client: JobClient | undefined;
  await session.executeScript(script, (_s, r) => {
    if (r.kind === 'job') client = r.client;
  });
  return client!;
}

function counts(rows: readonly Row[]): Map<string, bigint> {
  const m = new MaterializedResult();
  for (const r of rows) m.apply(r);
  return new Map(m.current().map((f) => [f[0] as string, f[1] as bigint]));
}

describe('SQL jobs and savepoints', () => {
  for (const [from, to] of [[2, 1], [1, 2]] as const) {
    it(`restores a group aggregation and a file source from a savepoint (parallelism ${from} -> ${to})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-savepoint-'));
      const input = join(dir, 'in');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(input);
      writeFileSync(join(input, 'a.json'), lines('shop', 30, 0) + lines('news', 20, 100));
      const script = `CREATE TABLE events (id BIGINT, app STRING) WITH ('connector' = 'filesystem', 'path' = '${input}', 'format' = 'json', 'source.monitor-interval' = '100 ms');
SELECT app, COUNT(*) AS n FROM events GROUP BY app;`;
      const checkpoints = join(dir, 'checkpoints');
      const a = await start(script, { 'parallelism.default': String(from), 'state.checkpoints.dir': checkpoints });
      await until(() => counts(a.collected('sql-select') as Row[]).get('shop') === 30n && counts(a.collected('sql-select') as Row[]).get('news') === 20n, 'the first file');
      const savepoint = await a.stopWithSavepoint(join(dir, 'savepoint'));
      await a.getJobExecutionResult().catch(() => undefined);
      const first = a.collected('sql-select') as Row[];

      writeFileSync(join(input, 'b.json'), lines('shop', 5, 1000) + lines('mail', 7, 2000));
      const b = await start(script, { 'parallelism.default': String(to), 'state.checkpoints.dir': checkpoints, 'execution.savepoint.path': savepoint });
      await until(() => {
        const all = counts([...first, ...(b.collected('sql-select') as Row[])]);
        return all.get('shop') === 35n && all.get('mail') === 7n;
      }, 'the second file');
      await new Promise((r) => setTimeout(r, 300));
      await b.cancel();
      await b.getJobExecutionResult().catch(() => undefined);
      const second = b.collected('sql-select') as Row[];
      // The restored job retracts the count it restored (30) instead of starting again from 0, and never saw a.json again.
      expect(second.some((r) => r.kind === 1 && r.fields[0] === 'shop' && r.fields[1] === 30n)).toBe(true);
      expect(second.some((r) => r.fields[0] === 'news')).toBe(false);
      const m = new MaterializedResult();
      for (const r of [...first, ...second]) m.apply(r);
      expect(m.inconsistencies).toBe(0);
      expect(new Map(m.current().map((f) => [f[0], f[1]]))).toEqual(new Map([['shop', 35n], ['news', 20n], ['mail', 7n]]));
    });
  }

  it('refuses a savepoint of an older SQL state layout, naming the operator and the layout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-savepoint-layout-'));
    const input = join(dir, 'in');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(input);
    writeFileSync(join(input, 'a.json'), lines('shop', 3, 0));
    const script = `CREATE TABLE events (id BIGINT, app STRING) WITH ('connector' = 'filesystem', 'path' = '${input}', 'format' = 'json', 'source.monitor-interval' = '100 ms');
SELECT app, COUNT(DISTINCT id) AS n FROM events GROUP BY app;`;
    const checkpoints = join(dir, 'checkpoints');
    const a = await start(script, { 'parallelism.default': '1', 'state.checkpoints.dir': checkpoints });
    await until(() => counts(a.collected('sql-select') as Row[]).get('shop') === 3n, 'the first file');
    const savepoint = await a.stopWithSavepoint(join(dir, 'savepoint'));
    await a.getJobExecutionResult().catch(() => undefined);

    // The savepoint as the previous layout wrote it: the same state, under the unmarked uid `sql-<hash>` it had then.
    const old = join(dir, 'old-savepoint');
    cpSync(savepoint, old, { recursive: true });
    const metaFile = findMetadata(old);
    const text = readFileSync(metaFile, 'latin1');
    const json = text.slice(text.indexOf('\n') + 1);
    const marker = `"sql-s${SQL_STATE_LAYOUT}-`;
    expect(json).toContain(marker);
    const oldJson = Buffer.from(json.split(marker).join('"sql-'), 'latin1');
    const header = text.slice(0, text.indexOf('\n')).split(' ');
    header[2] = `crc32:${(crc32(oldJson) >>> 0).toString(16).padStart(8, '0')}`;
    header[3] = String(oldJson.length);
    writeFileSync(metaFile, Buffer.concat([Buffer.from(header.join(' ') + '\n', 'latin1'), oldJson]));

    const refused = start(script, { 'parallelism.default': '2', 'state.checkpoints.dir': checkpoints, 'execution.savepoint.path': old });
    await expect(refused).rejects.toThrow(/incompatible SQL state layout \(1; .*layout 3.*Operator\(s\): 'GroupAggregate\(groupBy=.*COUNT\(DISTINCT .*\(uid sql-[0-9a-f]{16}, layout 1\)/s);

    // The same savepoint in the current layout restores, at another parallelism.
    writeFileSync(join(input, 'b.json'), lines('shop', 2, 1000));
    const b = await start(script, { 'parallelism.default': '2', 'state.checkpoints.dir': checkpoints, 'execution.savepoint.path': savepoint });
    await until(() => (b.collected('sql-select') as Row[]).some((r) => r.fields[0] === 'shop' && r.fields[1] === 5n), 'the restored count');
    await b.cancel();
    await b.getJobExecutionResult().catch(() => undefined);
    const second = b.collected('sql-select') as Row[];
    expect(second.some((r) => r.kind === 1 && r.fields[0] === 'shop' && r.fields[1] === 3n)).toBe(true);
  });
});

/** The `_metadata` file of a savepoint directory (it may sit in a subdirectory). */
function findMetadata(dir: string): string {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (e === '_metadata') return p;
    if (statSync(p).isDirectory()) {
      try {
        return findMetadata(p);
      } catch {
        // not in this one
      }
    }
  }
  throw new Error(`no _metadata under ${dir}`);
}
