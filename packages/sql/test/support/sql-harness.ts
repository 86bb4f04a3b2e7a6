// Runs SQL through a Runnel session as a user would (jobs on worker threads), and returns a SELECT's changelog and
// its final result (the changelog applied).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogicalType, Row } from '@runnel/api/table';
import { MaterializedResult, SqlSession, type StatementResult } from '../../src/index.js';

/** A SELECT's outcome. */
export interface QueryOutcome {
  readonly changelog: readonly Row[];
  readonly rows: unknown[][];
  readonly types: readonly LogicalType[];
  readonly names: readonly string[];
  readonly inconsistencies: number;
  /** The sum of a counter over all operators and subtasks. */
  counter(name: string): number;
}

/** Executes statements; the last one must be a SELECT, whose result is returned once its job ends. */
export async function runSelect(script: string, config: Record<string, string> = {}): Promise<QueryOutcome> {
  const session = new SqlSession({ config: { 'parallelism.default': '1', ...config } });
  let last: StatementResult | undefined;
  await session.executeScript(script, (_s, r) => {
    last = r;
  });
  if (!last || last.kind !== 'job' || !last.columns) throw new Error('the script does not end with a SELECT');
  const result = await last.client.getJobExecutionResult();
  const changelog = last.client.collected('sql-select') as Row[];
  const m = new MaterializedResult();
  for (const r of changelog) m.apply(r);
  return { changelog, rows: m.current(), types: last.columns.map((c) => c.type), names: last.columns.map((c) => c.name), inconsistencies: m.inconsistencies, counter: (name) => result.metrics.filter((x) => x.name === name && typeof x.value === 'number').reduce((a, x) => a + (x.value as number), 0) };
}

/** Executes statements and waits for every job they start. */
export async function runScript(script: string, config: Record<string, string> = {}): Promise<StatementResult[]> {
  const session = new SqlSession({ config: { 'parallelism.default': '1', ...config } });
  const results: StatementResult[] = [];
  await session.executeScript(script, async (_s, r) => {
    results.push(r);
    if (r.kind === 'job') await r.client.getJobExecutionResult();
  });
  return results;
}

/** Writes JSON lines into a new temp directory; returns the file's path. */
export function writeJsonLines(rows: readonly Record<string, unknown>[], name = 'data.json'): string {
  const dir = mkdtempSync(join(tmpdir(), 'runnel-sql-'));
  const file = join(dir, name);
  writeFileSync(file, rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))).join('\n') + '\n');
  return file;
}

/** A seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
