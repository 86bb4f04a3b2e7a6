import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CreateTable, FuncCall, Insert, JoinRef, ParsedStatement, Select, Statement, TvfRef } from '../../src/parser/ast.js';
import { parseScript } from '../../src/parser/parser.js';
import { show } from './helpers.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'nexmark');

/** A fixture's text with the runner's `${NEXMARK_TABLE}` placeholder (a table name) filled in. */
function fixture(name: string): string {
  return readFileSync(join(dir, `${name}.sql`), 'utf8').replaceAll('${NEXMARK_TABLE}', 'datagen');
}

const parsed = (name: string): ParsedStatement[] => parseScript(fixture(name));
const kinds = (statements: ParsedStatement[]) => statements.map((s) => (s.statement.type === 'other' ? `other:${s.statement.what}` : s.statement.type));
const insertOf = (name: string): Insert => parsed(name).map((s) => s.statement).find((s): s is Insert => s.type === 'insert')!;
const selectOf = (name: string): Select => insertOf(name).query.body as Select;

describe('Nexmark (nexmark/nexmark, Flink SQL)', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).map((f) => f.slice(0, -4));

  it('has the DDL and q0 to q23', () => {
    for (let q = 0; q <= 23; q++) expect(files).toContain(`q${q}`);
    expect(files).toEqual(expect.arrayContaining(['ddl_gen', 'ddl_kafka', 'ddl_views', 'insert_kafka']));
  });

  it.each(files)('%s parses', (name) => {
    const statements = parsed(name);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      // Each statement's text is exactly the source slice it came from, and parses to the same tree again.
      expect(fixture(name).slice(s.pos.offset, s.pos.offset + s.text.length)).toBe(s.text);
      expect(parseScript(s.text).map((x) => x.statement.type)).toEqual([s.statement.type]);
    }
  });

  it('statement kinds per file', () => {
    expect(kinds(parsed('ddl_gen'))).toEqual(['create-table']);
    expect(kinds(parsed('ddl_views'))).toEqual(['create-view', 'create-view', 'create-view']);
    expect(kinds(parsed('q12'))).toEqual(['create-table', 'create-view', 'insert']);
    expect(kinds(parsed('q13'))).toEqual(['create-table', 'create-table', 'insert']);
    expect(kinds(parsed('q14'))).toEqual(['other:CREATE FUNCTION', 'create-table', 'insert']);
    for (const q of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 21, 22, 23]) expect(kinds(parsed(`q${q}`))).toEqual(['create-table', 'insert']);
  });

  it('the generator DDL: nested ROW columns, a CASE computed column, the watermark, options with placeholders', () => {
    const t = parsed('ddl_gen')[0]!.statement as CreateTable;
    expect(t.columns.map((c) => `${c.kind}:${c.name}`)).toEqual(['physical:event_type', 'physical:person', 'physical:auction', 'physical:bid', 'computed:dateTime']);
    expect(t.columns[1]).toMatchObject({ dataType: { name: 'ROW', fields: [{ name: 'id' }, { name: 'name' }, { name: 'emailAddress' }, { name: 'creditCard' }, { name: 'city' }, { name: 'state' }, { name: 'dateTime', type: { name: 'TIMESTAMP', params: [3] } }, { name: 'extra' }] } });
    expect(t.watermark).toMatchObject({ column: 'dateTime', exprText: "`dateTime` - INTERVAL '4' SECOND" });
    expect(t.options).toContainEqual(expect.objectContaining({ key: 'first-event.rate', value: '${TPS}' }));
  });

  it('q4 and q9: comma joins, BETWEEN, a column named final, ROW_NUMBER', () => {
    const inner = (selectOf('q4').from as { query: { body: Select } }).query.body;
    expect(inner.items[0]).toMatchObject({ alias: 'final' });
    expect(inner.from).toMatchObject({ type: 'join', comma: true });
    expect(show(inner.where!)).toBe('(AND (= A.id B.auction) (between B.dateTime A.dateTime A.expires))');
    const q9 = (selectOf('q9').from as { query: { body: Select } }).query.body;
    expect(q9.items[0]!.expr).toMatchObject({ type: 'star', qualifier: { parts: ['A'] } });
  });

  it('q5 and q7: HOP and TUMBLE window TVFs joined on window bounds', () => {
    const join = selectOf('q5').from as JoinRef;
    expect(join).toMatchObject({ kind: 'INNER', left: { type: 'subquery', alias: 'AuctionBids' }, right: { type: 'subquery', alias: 'MaxBids' } });
    const hop = ((join.left as { query: { body: Select } }).query.body.from as TvfRef);
    expect(hop).toMatchObject({ type: 'tvf', name: 'HOP', args: [{ value: { kind: 'table' } }, { value: { kind: 'descriptor', columns: ['dateTime'] } }, {}, {}] });
    const q7 = selectOf('q7');
    expect(show(q7.where!)).toBe("(between B.dateTime (- B1.dateTime (interval '10' SECOND)) B1.dateTime)");
  });

  it('q6: an OVER window with ROWS BETWEEN 10 PRECEDING AND CURRENT ROW', () => {
    const avg = selectOf('q6').items[1]!.expr as FuncCall;
    expect(avg.over?.frame).toMatchObject({ unit: 'ROWS', start: { kind: 'PRECEDING', offset: { text: '10' } }, end: { kind: 'CURRENT ROW' } });
  });

  it('q10: PARTITIONED BY; q11: the legacy SESSION group window as a call; q12: PROCTIME in a view', () => {
    expect((parsed('q10')[0]!.statement as CreateTable).partitionedBy).toEqual(['dt', 'hm']);
    const q11 = selectOf('q11');
    expect(q11.groupBy![1]).toMatchObject({ kind: 'expr', expr: { type: 'call', name: 'SESSION' } });
    expect(q11.items[2]).toMatchObject({ alias: 'starttime', expr: { name: 'SESSION_START' } });
  });

  it('q13: a lookup join with FOR SYSTEM_TIME AS OF and a column named key', () => {
    const from = selectOf('q13').from as JoinRef;
    expect(from.right).toMatchObject({ type: 'table', name: { parts: ['side_input'] }, alias: 'S', forSystemTime: { name: { parts: ['B', 'p_time'] } } });
    expect(show(from.on!)).toBe('(= (call MOD B.auction 10000) S.key)');
  });

  it('q15 to q17: COUNT(DISTINCT ...) FILTER (WHERE ...)', () => {
    const items = selectOf('q15').items;
    expect(items[0]).toMatchObject({ alias: 'day' });
    expect(show(items[6]!.expr)).toBe('(call COUNT distinct bidder filter=(< price 10000))');
  });

  it('q18/q19: deduplication and Top-N over a subquery without alias', () => {
    const q19 = selectOf('q19');
    expect(q19.from).toMatchObject({ type: 'subquery' });
    expect(q19.from).not.toHaveProperty('alias');
    expect(show(q19.where!)).toBe('(<= rank_number 10)');
  });

  it('q21 and q22: CASE with REGEXP_EXTRACT, IN list, SPLIT_INDEX', () => {
    expect(show(selectOf('q21').where!)).toBe("(OR (is not null (call REGEXP_EXTRACT url '(&|^)channel_id=([^&]*)' 2)) (in (call LOWER channel) 'apple' 'google' 'facebook' 'baidu'))");
    expect(selectOf('q22').items.map((i) => i.alias)).toEqual([undefined, undefined, undefined, undefined, 'dir1', 'dir2', 'dir3']);
  });

  it('q23: a three-way join with unquoted dateTime', () => {
    expect(selectOf('q23').from).toMatchObject({ type: 'join', left: { type: 'join' } });
  });

  // A guard against pathological slowness (backtracking), not a performance goal: the bound is far above the ~5 ms it
  // takes, so that a loaded CI machine does not fail it.
  it('parses all of Nexmark (DDL and 24 queries) without pathological slowness', () => {
    const all = files.map(fixture).join(';\n');
    let statements: Statement[] = [];
    parseScript(all); // warm-up
    const t0 = performance.now();
    const rounds = 10;
    for (let i = 0; i < rounds; i++) statements = parseScript(all).map((s) => s.statement);
    const ms = (performance.now() - t0) / rounds;
    expect(statements.length).toBeGreaterThan(50);
    expect(ms).toBeLessThan(1000);
  });
});
