// Projection push-down: what a job reads of each scan (over every INSERT of a statement set, through views and fused
// Calcs, with the rowtime's fields), the pruned type a source is asked for, and the results of nexmark queries with
// and without the push-down (the Table API's incremental translation pushes nothing down).
import { describe, expect, it } from 'vitest';
import type { Rel, ScanRel } from '../../src/plan/rel.js';
import { parseStatement } from '../../src/parser/parser.js';
import { bindJob } from '../../src/session/plan-job.js';
import { pushDownProjection, scanUses } from '../../src/planner/projection-pushdown.js';
import { SqlSession } from '../../src/index.js';
import { runSelect } from '../support/sql-harness.js';

const DDL = `
CREATE TABLE src (
  k INT,
  r ROW<a BIGINT, b STRING, c ROW<x INT, y INT>, ts TIMESTAMP(3)>,
  unused STRING,
  s ROW<p INT, q INT>,
  ts AS r.ts,
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH ('connector' = 'datagen');
CREATE TABLE src_pt (k INT, r ROW<a BIGINT, b STRING>, pt AS PROCTIME()) WITH ('connector' = 'datagen');
CREATE TABLE plain (k INT, r ROW<a BIGINT>, s STRING) WITH ('connector' = 'datagen');
CREATE TABLE out1 (a BIGINT, k INT) WITH ('connector' = 'blackhole');
CREATE TABLE out2 (v INT) WITH ('connector' = 'blackhole');
CREATE TABLE out3 (n BIGINT) WITH ('connector' = 'blackhole');
CREATE VIEW v AS SELECT k, r.a AS a, r.c.y AS y, s FROM src WHERE k > 0;
`;

async function plan(statement: string): Promise<Rel[]> {
  const session = new SqlSession();
  await session.executeScript(DDL, () => undefined);
  const parsed = parseStatement(statement);
  const job = bindJob(parsed.statement as Parameters<typeof bindJob>[0], session.catalog, session.functionContext());
  return [...job.inserts.map((i) => i.rel), ...(job.select ? [job.select] : [])];
}

function scansOf(roots: readonly Rel[]): ScanRel[] {
  const scans = new Set<ScanRel>();
  const stack = [...roots];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if (r.kind === 'scan') scans.add(r);
    else if (r.kind === 'union') stack.push(...r.inputs);
    else if ('input' in r) stack.push(r.input);
  }
  return [...scans];
}

const scanOf = (roots: readonly Rel[]): ScanRel => scansOf(roots)[0]!;

/** The columns requested from each scan, ROWs as name<fields>; `*` for every column as declared. */
async function requested(statement: string): Promise<string> {
  const roots = await plan(statement);
  const uses = scanUses(roots);
  return scansOf(roots)
    .map((scan) => {
      const pushed = pushDownProjection(scan, uses, 'nested');
      if (!pushed) return '*';
      return pushed.columns
        .map((c) => `${scan.rawFields[c.index]!.name}${c.type.root === 'ROW' ? `<${(c.type.fields ?? []).map((f) => f.name).join(',')}>` : ''}`)
        .join(' ');
    })
    .sort()
    .join(' | ');
}

describe('projection push-down', () => {
  it('asks for the columns and ROW fields read, and the rowtime fields', async () => {
    expect(await requested('INSERT INTO out1 SELECT r.a, k FROM src')).toBe('k r<a,ts>');
    // through a view with a filter, a nested ROW field kept whole (its own fields are not pruned)
    expect(await requested('INSERT INTO out2 SELECT y FROM v')).toBe('k r<c,ts>');
  });

  it('keeps a ROW whole where it is read whole', async () => {
    expect(await requested('INSERT INTO out2 SELECT s.p FROM v WHERE s IS NOT NULL')).toBe('k r<ts> s<p,q>');
    expect(await requested('INSERT INTO out2 SELECT s.p FROM src WHERE s.q > 0')).toBe('r<ts> s<p,q>');
    // COUNT(*) reads no column: the rowtime's field is all that is built
    expect(await requested('INSERT INTO out3 SELECT COUNT(*) FROM src')).toBe('r<ts>');
    // nothing read at all: the first column (no source is asked for rows without columns)
    expect(await requested('INSERT INTO out3 SELECT COUNT(*) FROM src_pt')).toBe('*');
    expect(await requested('INSERT INTO out3 SELECT COUNT(*) FROM plain')).toBe('k');
    // a scan whose computed columns are not fused (PROCTIME()) is read as declared
    expect(await requested('INSERT INTO out1 SELECT r.a, k FROM src_pt')).toBe('*');
  });

  it('prunes each scan of a statement set by its readers, and a scan read twice by the union of both', async () => {
    const set = 'EXECUTE STATEMENT SET BEGIN INSERT INTO out1 SELECT r.a, k FROM src; INSERT INTO out2 SELECT s.q FROM src; END';
    expect(await requested(set)).toBe('k r<a,ts> | r<ts> s<q>');
    const twice = 'INSERT INTO out2 WITH w AS (SELECT * FROM src) SELECT CAST(r.a AS INT) FROM w UNION ALL SELECT s.q FROM w';
    expect(await requested(twice)).toBe('r<a,ts> s<q>');
  });

  it('rewrites the expressions over the pruned row', async () => {
    const roots = await plan('INSERT INTO out1 SELECT r.a + 1, k FROM src WHERE r.c.x = 1');
    const scan = scanOf(roots);
    const pushed = pushDownProjection(scan, scanUses(roots), 'nested')!;
    // r<a,c,ts> is raw field 1 of the pruned row (k, r): r.a is its field 0, r.c its field 1
    const a = pushed.remap({ kind: 'call', name: '.a', call: { type: scan.rawFields[1]!.type.fields![0]!.type, impl: () => null, strictNulls: true, deterministic: true }, operands: [{ kind: 'input', index: 1, type: scan.rawFields[1]!.type }], type: scan.rawFields[1]!.type.fields![0]!.type });
    expect(a.kind === 'call' && a.call.impl([5n, null, 0])).toBe(5n);
    const c = pushed.remap({ kind: 'call', name: '.c', call: { type: scan.rawFields[1]!.type.fields![2]!.type, impl: () => null, strictNulls: true, deterministic: true }, operands: [{ kind: 'input', index: 1, type: scan.rawFields[1]!.type }], type: scan.rawFields[1]!.type.fields![2]!.type });
    expect(c.kind === 'call' && c.call.impl([5n, [1, 2], 0])).toEqual([1, 2]);
    // a pruned column read whole is an internal error, never a wrong value
    expect(() => pushed.remap({ kind: 'input', index: 2, type: scan.rawFields[2]!.type })).toThrow(/pruned/);
  });

  it('gives nexmark queries the same results as without push-down', async () => {
    const ddl = `CREATE TABLE nx (
      event_type INT,
      person ROW<id BIGINT, name VARCHAR, \`dateTime\` TIMESTAMP(3), extra VARCHAR>,
      auction ROW<id BIGINT, itemName VARCHAR, \`dateTime\` TIMESTAMP(3), seller BIGINT, category BIGINT>,
      bid ROW<auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, \`dateTime\` TIMESTAMP(3), extra VARCHAR>,
      \`dateTime\` AS CASE WHEN event_type = 0 THEN person.\`dateTime\` WHEN event_type = 1 THEN auction.\`dateTime\` ELSE bid.\`dateTime\` END,
      WATERMARK FOR \`dateTime\` AS \`dateTime\` - INTERVAL '4' SECOND
    ) WITH ('connector' = 'nexmark', 'events.num' = '20000');`;
    const query = `SELECT event_type, bid.price, auction.category, person.name, \`dateTime\` FROM nx WHERE MOD(COALESCE(bid.auction, auction.id, person.id), 7) = 1`;
    const pushed = await runSelect(`${ddl}\n${query};`);
    // The same rows through a plan that reads the whole row: the view reads every ROW whole (bid IS NOT NULL ...).
    const whole = await runSelect(`${ddl}\nSELECT event_type, price, category, name, \`dateTime\` FROM (SELECT event_type, bid.price, auction.category, person.name, \`dateTime\`, bid AS b, auction AS a, person AS p, COALESCE(bid.auction, auction.id, person.id) AS id FROM nx) WHERE MOD(id, 7) = 1 AND (b IS NULL OR b IS NOT NULL) AND (a IS NULL OR a IS NOT NULL) AND (p IS NULL OR p IS NOT NULL);`);
    expect(pushed.rows.length).toBeGreaterThan(1000);
    const sort = (rows: unknown[][]): string[] => rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).sort();
    expect(sort(pushed.rows)).toEqual(sort(whole.rows));
  });
});
