import { describe, expect, it } from 'vitest';
import type { FromItem, JoinRef, Query, QueryBody, SetOp, TvfRef } from '../../src/parser/ast.js';
import { noPos, query, select, show, unsupported } from './helpers.js';

/** A FROM tree as text: `(a JOIN[LEFT] b)`, `tvf:TUMBLE`, `(subquery)`, with aliases as `name@alias`. */
function showFrom(f: FromItem): string {
  const alias = 'alias' in f && f.alias !== undefined ? `@${f.alias}` : '';
  switch (f.type) {
    case 'table':
      return f.name.parts.join('.') + alias;
    case 'subquery':
      return `(${f.lateral ? 'lateral ' : ''}subquery)${alias}`;
    case 'tvf':
      return `${f.lateral ? 'lateral ' : ''}tvf:${f.name}${alias}`;
    case 'unnest':
      return `unnest${alias}`;
    case 'join':
      return `(${showFrom(f.left)} ${f.comma === true ? ',' : `JOIN[${f.kind}]`} ${showFrom(f.right)})`;
  }
}

/** A query body's set-operation tree as text. */
function showBody(b: QueryBody): string {
  switch (b.type) {
    case 'select': {
      const first = b.items[0]!.expr;
      return first.type === 'literal' ? first.text : show(first);
    }
    case 'values':
      return 'values';
    case 'query':
      return `[${showBody(b.body)}]`;
    case 'setop':
      return `(${showBody(b.left)} ${b.op}${b.all ? ' ALL' : ''} ${showBody(b.right)})`;
  }
}

describe('SELECT', () => {
  it('select list: *, t.*, expressions, aliases with and without AS', () => {
    const s = select('SELECT *, A.*, price AS p, price * 2 doubled, `dateTime` FROM bid');
    expect(s.items.map((i) => [show(i.expr), i.alias])).toEqual([
      ['*', undefined],
      ['A.*', undefined],
      ['price', 'p'],
      ['(* price 2)', 'doubled'],
      ['dateTime', undefined],
    ]);
    expect(s.items[4]!.pos).toEqual({ line: 1, col: 47, offset: 46 });
  });

  it('ALL and DISTINCT', () => {
    expect(select('SELECT DISTINCT a FROM t').distinct).toBe(true);
    expect(select('SELECT ALL a FROM t').distinct).toBe(false);
  });

  it('SELECT without FROM', () => {
    expect(select("SELECT 1, 'a'").from).toBeUndefined();
  });

  it('WHERE, GROUP BY, HAVING', () => {
    const s = select('SELECT a, count(*) FROM t WHERE b > 1 GROUP BY a HAVING count(*) > 2');
    expect(show(s.where!)).toBe('(> b 1)');
    expect(s.groupBy).toMatchObject([{ kind: 'expr', expr: { type: 'column' } }]);
    expect(show(s.having!)).toBe('(> (call COUNT *) 2)');
  });

  it('GROUP BY GROUPING SETS, ROLLUP, CUBE and ()', () => {
    const s = select('SELECT a FROM t GROUP BY window_start, window_end, GROUPING SETS ((supplier_id), (a, b), ()), ROLLUP (a, b), CUBE (c), ()');
    expect(noPos(s.groupBy)).toMatchObject([
      { kind: 'expr' },
      { kind: 'expr' },
      { kind: 'grouping-sets', sets: [[{ type: 'column' }], [{}, {}], []] },
      { kind: 'rollup', exprs: [{}, {}] },
      { kind: 'cube', exprs: [{}] },
      { kind: 'grouping-sets', sets: [[]] },
    ]);
    expect(unsupported('SELECT a FROM t GROUP BY GROUPING SETS (ROLLUP (a), b)').what).toContain('ROLLUP inside GROUPING SETS');
  });

  it('WINDOW clause', () => {
    const s = select(`SELECT SUM(amount) OVER w AS s FROM Orders
      WINDOW w AS (PARTITION BY product ORDER BY order_time RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)`);
    expect(s.windows).toMatchObject([{ name: 'w', spec: { partitionBy: [{}], orderBy: [{}], frame: { unit: 'RANGE' } } }]);
  });

  it('query hints after SELECT', () => {
    const s = select("SELECT /*+ BROADCAST(t1), STATE_TTL('o' = '1d', 'p' = '12h') */ * FROM t1 JOIN t2 ON t1.id = t2.id");
    expect(s.hints).toEqual([
      { name: 'BROADCAST', options: ['t1'] },
      { name: 'STATE_TTL', options: { o: '1d', p: '12h' } },
    ]);
    // Names are upper-cased, options kept as written; a hint without options has an empty list; hints add up.
    expect(select('SELECT /*+ no_options */ /*+ shuffle_hash(a, `B`) */ 1').hints).toEqual([
      { name: 'NO_OPTIONS', options: [] },
      { name: 'SHUFFLE_HASH', options: ['a', 'B'] },
    ]);
  });
});

describe('FROM', () => {
  const from = (sql: string) => showFrom(select(sql).from!);

  it('tables with qualified names and aliases', () => {
    expect(from('SELECT * FROM cat.db.bid')).toBe('cat.db.bid');
    expect(from('SELECT * FROM bid B')).toBe('bid@B');
    expect(from('SELECT * FROM bid AS B')).toBe('bid@B');
    const t = select('SELECT * FROM bid AS B (a, b, c)').from!;
    expect(t).toMatchObject({ type: 'table', alias: 'B', columnAliases: ['a', 'b', 'c'] });
  });

  it('joins of every kind; JOIN binds tighter than the comma', () => {
    expect(from('SELECT * FROM a JOIN b ON a.x = b.x')).toBe('(a JOIN[INNER] b)');
    expect(from('SELECT * FROM a INNER JOIN b ON true')).toBe('(a JOIN[INNER] b)');
    expect(from('SELECT * FROM a LEFT JOIN b ON true LEFT OUTER JOIN c ON true')).toBe('((a JOIN[LEFT] b) JOIN[LEFT] c)');
    expect(from('SELECT * FROM a RIGHT OUTER JOIN b ON true')).toBe('(a JOIN[RIGHT] b)');
    expect(from('SELECT * FROM a FULL JOIN b USING (id, k)')).toBe('(a JOIN[FULL] b)');
    expect(from('SELECT * FROM a CROSS JOIN b')).toBe('(a JOIN[CROSS] b)');
    expect(from('SELECT * FROM auction A, bid B')).toBe('(auction@A , bid@B)');
    expect(from('SELECT * FROM a, b JOIN c ON true')).toBe('(a , (b JOIN[INNER] c))');
    expect(from('SELECT * FROM (a JOIN b ON true) JOIN c ON true')).toBe('((a JOIN[INNER] b) JOIN[INNER] c)');
    const j = select('SELECT * FROM a FULL JOIN b USING (id, k)').from as JoinRef;
    expect(j.using).toEqual(['id', 'k']);
    const c = select('SELECT * FROM a, b').from as JoinRef;
    expect(c).toMatchObject({ kind: 'CROSS', comma: true });
    expect(unsupported('SELECT * FROM a NATURAL JOIN b').what).toContain('NATURAL JOIN');
  });

  it('subqueries, with and without alias, LATERAL', () => {
    expect(from('SELECT * FROM (SELECT * FROM bid) B')).toBe('(subquery)@B');
    expect(from('SELECT * FROM (SELECT * FROM bid)')).toBe('(subquery)');
    expect(from('SELECT * FROM ((SELECT 1) UNION (SELECT 2)) AS u (x)')).toBe('(subquery)@u');
    expect(from('SELECT * FROM t, LATERAL (SELECT * FROM u WHERE u.a = t.a) AS x')).toBe('(t , (lateral subquery)@x)');
  });

  it('window TVFs with positional and named arguments', () => {
    const tvf = select("SELECT * FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))").from as TvfRef;
    expect(noPos(tvf)).toEqual({
      type: 'tvf',
      name: 'TUMBLE',
      lateral: false,
      args: [
        { value: { kind: 'table', table: { parts: ['Bid'] } } },
        { value: { kind: 'descriptor', columns: ['bidtime'] } },
        { value: { kind: 'expr', expr: { type: 'interval', text: '10', negative: false, from: 'MINUTE' } } },
      ],
    });
    const named = select(`SELECT * FROM TABLE(HOP(DATA => TABLE Bid, TIMECOL => DESCRIPTOR(bidtime),
      SLIDE => INTERVAL '5' MINUTES, SIZE => INTERVAL '10' MINUTES)) AS w`).from as TvfRef;
    expect(named.args.map((a) => a.name)).toEqual(['DATA', 'TIMECOL', 'SLIDE', 'SIZE']);
    expect(named.alias).toBe('w');
    const cumulate = select("SELECT * FROM TABLE(CUMULATE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES))").from as TvfRef;
    expect(cumulate.args).toHaveLength(4);
  });

  it('SESSION with PARTITION BY on the table argument', () => {
    const s = select("SELECT * FROM TABLE(SESSION(TABLE Bid PARTITION BY item, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES))").from as TvfRef;
    expect(s.name).toBe('SESSION');
    expect(s.args[0]).toMatchObject({ value: { kind: 'table' }, partitionBy: [{ type: 'column', name: { parts: ['item'] } }] });
    const named = select("SELECT * FROM TABLE(SESSION(DATA => TABLE Bid PARTITION BY (item, k), TIMECOL => DESCRIPTOR(bidtime), GAP => INTERVAL '5' MINUTES))").from as TvfRef;
    expect(named.args[0]!.partitionBy).toHaveLength(2);
    expect(named.args[0]!.name).toBe('DATA');
  });

  it('a TVF over a subquery', () => {
    const t = select("SELECT * FROM TABLE(TUMBLE((SELECT * FROM Bid), DESCRIPTOR(ts), INTERVAL '1' MINUTE))").from as TvfRef;
    expect(t.args[0]!.value.kind).toBe('query');
  });

  it('LATERAL TABLE table functions', () => {
    expect(from('SELECT * FROM Orders, LATERAL TABLE(split(tags)) AS T(tag)')).toBe('(Orders , lateral tvf:SPLIT@T)');
    const j = select('SELECT * FROM Orders LEFT JOIN LATERAL TABLE(f(order_id)) t(res) ON TRUE').from as JoinRef;
    expect(j.right).toMatchObject({ type: 'tvf', lateral: true, alias: 't', columnAliases: ['res'] });
    expect(j.on).toMatchObject({ type: 'literal', kind: 'bool' });
  });

  it('UNNEST with ORDINALITY and column aliases', () => {
    const j = select('SELECT order_id, tag FROM Orders CROSS JOIN UNNEST(tags) AS t (tag)').from as JoinRef;
    expect(j).toMatchObject({ kind: 'CROSS', right: { type: 'unnest', withOrdinality: false, alias: 't', columnAliases: ['tag'] } });
    const o = select('SELECT * FROM Orders CROSS JOIN UNNEST(a, b) WITH ORDINALITY AS t (x, y, n)').from as JoinRef;
    expect(o.right).toMatchObject({ type: 'unnest', withOrdinality: true, args: [{}, {}], columnAliases: ['x', 'y', 'n'] });
  });

  it('FOR SYSTEM_TIME AS OF and table hints', () => {
    const j = select(`SELECT * FROM orders LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF orders.order_time
      ON orders.currency = currency_rates.currency`).from as JoinRef;
    expect(j.right).toMatchObject({ type: 'table', forSystemTime: { type: 'column', name: { parts: ['orders', 'order_time'] } } });
    const l = select('SELECT * FROM o JOIN Customers FOR SYSTEM_TIME AS OF o.proc_time AS c ON o.customer_id = c.id').from as JoinRef;
    expect(l.right).toMatchObject({ alias: 'c', forSystemTime: {} });
    const h = select("SELECT id FROM kafka_table1 /*+ OPTIONS('scan.startup.mode'='earliest-offset') */ AS k").from!;
    expect(h).toMatchObject({ alias: 'k', hints: [{ name: 'OPTIONS', options: { 'scan.startup.mode': 'earliest-offset' } }] });
  });

  it('refuses MATCH_RECOGNIZE and TABLESAMPLE as unsupported', () => {
    const m = unsupported('SELECT * FROM Ticker\n  MATCH_RECOGNIZE (PARTITION BY symbol)');
    expect([m.what, m.line, m.col]).toEqual(['MATCH_RECOGNIZE', 2, 3]);
    expect(m.message).toBe('not supported: MATCH_RECOGNIZE (line 2, column 3)');
    expect(unsupported('SELECT * FROM t TABLESAMPLE BERNOULLI(10)').what).toBe('TABLESAMPLE');
  });
});

describe('set operations', () => {
  const body = (sql: string) => showBody(query(sql).body);

  it('INTERSECT binds tighter than UNION and EXCEPT; all are left-associative', () => {
    expect(body('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3')).toBe('(1 UNION (2 INTERSECT 3))');
    expect(body('SELECT 1 INTERSECT SELECT 2 UNION ALL SELECT 3')).toBe('((1 INTERSECT 2) UNION ALL 3)');
    expect(body('SELECT 1 EXCEPT SELECT 2 UNION SELECT 3')).toBe('((1 EXCEPT 2) UNION 3)');
    expect(body('SELECT 1 MINUS SELECT 2')).toBe('(1 EXCEPT 2)');
    expect(body('SELECT 1 UNION DISTINCT SELECT 2 INTERSECT ALL SELECT 3')).toBe('(1 UNION (2 INTERSECT ALL 3))');
  });

  it('parentheses group set operations', () => {
    expect(body('(SELECT 1 UNION SELECT 2) INTERSECT SELECT 3')).toBe('([(1 UNION 2)] INTERSECT 3)');
    expect((query('SELECT 1 UNION ALL SELECT 2').body as SetOp).all).toBe(true);
  });

  it('a parenthesised query alone is that query', () => {
    const q = query('((SELECT a FROM t))');
    expect(q.body.type).toBe('select');
  });

  it('VALUES', () => {
    const q = query("VALUES (1, 'a'), (2, 'b'), ROW(3, 'c')");
    expect(q.body).toMatchObject({ type: 'values', rows: [[{ text: '1' }, { text: 'a' }], [{}, {}], [{}, {}]] });
    expect(showBody(query('SELECT 1 UNION VALUES (2)').body)).toBe('(1 UNION values)');
  });
});

describe('WITH, ORDER BY, LIMIT, OFFSET, FETCH', () => {
  it('WITH queries with column lists', () => {
    const q = query('WITH a AS (SELECT 1), b (x, y) AS (SELECT 1, 2) SELECT * FROM a, b');
    expect(q.with).toMatchObject([{ name: 'a' }, { name: 'b', columns: ['x', 'y'] }]);
    expect(unsupported('WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r').what).toBe('WITH RECURSIVE');
  });

  it('ORDER BY with ASC/DESC and NULLS FIRST/LAST, LIMIT, OFFSET, FETCH', () => {
    const q: Query = query('SELECT a FROM t ORDER BY a DESC NULLS FIRST, b ASC, c NULLS LAST LIMIT 10 OFFSET 5');
    expect(q.orderBy).toMatchObject([{ desc: true, nullsFirst: true }, { desc: false }, { desc: false, nullsFirst: false }]);
    expect(q.orderBy![1]!.nullsFirst).toBeUndefined();
    expect(q.limit).toMatchObject({ text: '10' });
    expect(q.offset).toMatchObject({ text: '5' });
    const f = query('SELECT a FROM t ORDER BY a OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY');
    expect([f.limit, f.offset]).toMatchObject([{ text: '3' }, { text: '2' }]);
    expect(query('SELECT a FROM t FETCH NEXT ROW ONLY').limit).toMatchObject({ text: '1' });
  });

  it('ORDER BY applies to the whole set operation', () => {
    const q = query('SELECT a FROM t UNION SELECT a FROM u ORDER BY a LIMIT 3');
    expect(q.body.type).toBe('setop');
    expect(q.orderBy).toHaveLength(1);
  });

  it('nested queries keep their own ORDER BY and LIMIT', () => {
    const q = query('SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 2) x');
    expect(q.body).toMatchObject({ from: { type: 'subquery', query: { orderBy: [{}], limit: { text: '2' } } } });
  });
});
