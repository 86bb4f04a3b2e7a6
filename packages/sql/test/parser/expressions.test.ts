import { describe, expect, it } from 'vitest';
import type { CastExpr, FuncCall, IntervalLiteral, LiteralExpr } from '../../src/parser/ast.js';
import { parseExpression } from '../../src/parser/parser.js';
import { parseError, select, showExpr } from './helpers.js';

describe('operator precedence', () => {
  it('OR < AND < NOT < comparison < additive < multiplicative < unary < postfix', () => {
    expect(showExpr('a OR b AND c')).toBe('(OR a (AND b c))');
    expect(showExpr('a AND b OR c')).toBe('(OR (AND a b) c)');
    expect(showExpr('NOT a = b')).toBe('(NOT (= a b))');
    expect(showExpr('NOT a AND b')).toBe('(AND (NOT a) b)');
    expect(showExpr('a = b + c * d')).toBe('(= a (+ b (* c d)))');
    expect(showExpr('a * b + c')).toBe('(+ (* a b) c)');
    expect(showExpr('-a * b')).toBe('(* (- a) b)');
    expect(showExpr('-a[1]')).toBe('(- ([] a 1))');
    expect(showExpr('a + b = c OR d < e AND NOT f')).toBe('(OR (= (+ a b) c) (AND (< d e) (NOT f)))');
  });

  it('is left-associative within a level', () => {
    expect(showExpr('a - b - c')).toBe('(- (- a b) c)');
    expect(showExpr('a / b * c % d')).toBe('(% (* (/ a b) c) d)');
    expect(showExpr('a || b || c')).toBe('(|| (|| a b) c)');
    expect(showExpr("a || 'x' + 1")).toBe("(+ (|| a 'x') 1)");
  });

  it('parentheses override precedence', () => {
    expect(showExpr('(a OR b) AND c')).toBe('(AND (OR a b) c)');
    expect(showExpr('a * (b + c)')).toBe('(* a (+ b c))');
  });

  it('reads all comparison operators, != as <>', () => {
    expect(['a = b', 'a <> b', 'a != b', 'a < b', 'a <= b', 'a > b', 'a >= b'].map(showExpr)).toEqual([
      '(= a b)', '(<> a b)', '(<> a b)', '(< a b)', '(<= a b)', '(> a b)', '(>= a b)',
    ]);
  });

  it('IS [NOT] NULL/TRUE/FALSE/UNKNOWN and IS [NOT] DISTINCT FROM', () => {
    expect(showExpr('a IS NULL')).toBe('(is null a)');
    expect(showExpr('a IS NOT NULL AND b IS NOT TRUE')).toBe('(AND (is not null a) (is not true b))');
    expect(showExpr('a IS FALSE OR a IS UNKNOWN')).toBe('(OR (is false a) (is unknown a))');
    expect(showExpr('a IS DISTINCT FROM b + 1')).toBe('(IS DISTINCT FROM a (+ b 1))');
    expect(showExpr('a IS NOT DISTINCT FROM b')).toBe('(IS NOT DISTINCT FROM a b)');
  });

  it('[NOT] LIKE with ESCAPE, SIMILAR TO', () => {
    expect(showExpr("name LIKE 'a%'")).toBe("(like name 'a%')");
    expect(showExpr("name NOT LIKE 'a!%%' ESCAPE '!'")).toBe("(not like name 'a!%%' '!')");
    expect(showExpr("name SIMILAR TO '(a|b)%'")).toBe("(similar to name '(a|b)%')");
    expect(showExpr("a LIKE 'x' AND b")).toBe("(AND (like a 'x') b)");
  });

  it('[NOT] IN with a list or a subquery', () => {
    expect(showExpr("lower(channel) in ('apple', 'google')")).toBe("(in (call LOWER channel) 'apple' 'google')");
    expect(showExpr('a NOT IN (1, 2) OR b')).toBe('(OR (not in a 1 2) b)');
    expect(showExpr('a IN (SELECT id FROM t)')).toBe('(in a query)');
  });

  it('[NOT] BETWEEN [SYMMETRIC]: the bounds stop before AND', () => {
    expect(showExpr('a BETWEEN 1 AND 2 AND c')).toBe('(AND (between a 1 2) c)');
    expect(showExpr('b.ts BETWEEN a.ts AND a.expires')).toBe('(between b.ts a.ts a.expires)');
    expect(showExpr("t BETWEEN s - INTERVAL '10' SECOND AND s")).toBe("(between t (- s (interval '10' SECOND)) s)");
    const e = parseExpression('x NOT BETWEEN SYMMETRIC 5 AND 1');
    expect(e).toMatchObject({ type: 'between', not: true, symmetric: true });
  });

  it('postfix subscripts and field access', () => {
    expect(showExpr("m['k']")).toBe("([] m 'k')");
    expect(showExpr('a[1].f')).toBe('(. ([] a 1) f)');
    expect(showExpr('f(x).g')).toBe('(. (call F x) g)');
    expect(showExpr('(r).f')).toBe('(. r f)');
    expect(showExpr('t.col.nested')).toBe('t.col.nested');
    expect(showExpr('person.`dateTime`')).toBe('person.dateTime');
  });
});

describe('literals', () => {
  const lit = (text: string) => parseExpression(text) as LiteralExpr;

  it('numbers keep their text; strings are unescaped', () => {
    expect(lit('0.908')).toMatchObject({ kind: 'number', text: '0.908' });
    expect(lit('1e-3')).toMatchObject({ kind: 'number', text: '1e-3' });
    expect(lit('.5')).toMatchObject({ kind: 'number', text: '.5' });
    expect(lit("'it''s'")).toMatchObject({ kind: 'string', text: "it's" });
    expect(lit("X'0aFF'")).toMatchObject({ kind: 'binary', text: '0aFF' });
    expect(lit('TRUE')).toMatchObject({ kind: 'bool', text: 'TRUE' });
    expect(lit('false')).toMatchObject({ kind: 'bool', text: 'FALSE' });
    expect(lit('NULL')).toMatchObject({ kind: 'null' });
  });

  it('DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ literals', () => {
    expect(lit("DATE '2020-01-01'")).toMatchObject({ kind: 'date', text: '2020-01-01' });
    expect(lit("TIME '12:00:00'")).toMatchObject({ kind: 'time', text: '12:00:00' });
    expect(lit("TIMESTAMP '2020-01-01 00:00:00.000'")).toMatchObject({ kind: 'timestamp', text: '2020-01-01 00:00:00.000' });
    expect(lit("TIMESTAMP_LTZ '2020-01-01 00:00:00'")).toMatchObject({ kind: 'timestamp_ltz' });
    expect(lit("timestamp with local time zone '2020-01-01 00:00:00'")).toMatchObject({ kind: 'timestamp_ltz', text: '2020-01-01 00:00:00' });
  });

  it('date, time and timestamp alone are columns', () => {
    expect(showExpr('date + 1')).toBe('(+ date 1)');
    expect(showExpr('timestamp > time')).toBe('(> timestamp time)');
  });

  it('INTERVAL literals: singular and plural units, precision, TO qualifiers, sign', () => {
    const iv = (text: string) => parseExpression(text) as IntervalLiteral;
    expect(iv("INTERVAL '5' SECOND")).toMatchObject({ type: 'interval', text: '5', from: 'SECOND', negative: false });
    expect(iv("INTERVAL '10' MINUTES")).toMatchObject({ text: '10', from: 'MINUTE' });
    expect(iv("INTERVAL '2' DAYS")).toMatchObject({ from: 'DAY' });
    expect(iv("INTERVAL '1' HOURS").from).toBe('HOUR');
    expect(iv("INTERVAL '3' MONTHS").from).toBe('MONTH');
    expect(iv("INTERVAL '1' YEARS").from).toBe('YEAR');
    expect(iv("INTERVAL '2' DAY(3)")).toMatchObject({ from: 'DAY' });
    expect(iv("INTERVAL '1:30' HOUR TO MINUTE")).toMatchObject({ text: '1:30', from: 'HOUR', to: 'MINUTE' });
    expect(iv("INTERVAL '1-2' YEAR TO MONTH")).toMatchObject({ from: 'YEAR', to: 'MONTH' });
    expect(iv("INTERVAL '1 10:00:00.5' DAY TO SECOND(3)")).toMatchObject({ from: 'DAY', to: 'SECOND' });
    expect(iv("INTERVAL -'5' SECOND")).toMatchObject({ negative: true, text: '5' });
    expect(iv("INTERVAL '0.001' SECOND")).toMatchObject({ text: '0.001' });
    expect(iv('INTERVAL 5 SECOND')).toMatchObject({ text: '5', from: 'SECOND' });
    expect(showExpr("-INTERVAL '1' DAY")).toBe("(- (interval '1' DAY))");
    const e = parseError("INTERVAL '1' SECOND TO MINUTE", parseExpression);
    expect(e.what).toBe('an interval cannot range from SECOND to MINUTE');
    expect(e.col).toBe(24);
  });
});

describe('special forms', () => {
  it('CAST and TRY_CAST with any type', () => {
    const c = parseExpression('CAST(price AS DECIMAL(10, 2))') as CastExpr;
    expect(c).toMatchObject({ type: 'cast', try: false, target: { name: 'DECIMAL', params: [10, 2] } });
    expect(parseExpression("TRY_CAST('x' AS INT)")).toMatchObject({ type: 'cast', try: true, target: { name: 'INT' } });
    expect(parseExpression('CAST(r AS ROW<a INT, b ARRAY<STRING>>)')).toMatchObject({
      target: { name: 'ROW', fields: [{ name: 'a', type: { name: 'INT' } }, { name: 'b', type: { name: 'ARRAY', element: { name: 'STRING' } } }] },
    });
    expect(parseExpression('CAST(ts AS TIMESTAMP(3) WITH LOCAL TIME ZONE)')).toMatchObject({ target: { name: 'TIMESTAMP_LTZ', params: [3] } });
  });

  it('CASE, searched and simple', () => {
    expect(showExpr("CASE WHEN a > 1 THEN 'x' WHEN a < 0 THEN 'y' ELSE 'z' END")).toBe("(case ((> a 1) 'x') ((< a 0) 'y') (else 'z'))");
    expect(showExpr("CASE event_type WHEN 0 THEN 'p' END")).toBe("(case event_type (0 'p'))");
  });

  it('EXTRACT(unit FROM x)', () => {
    expect(showExpr('EXTRACT(YEAR FROM ts)')).toBe('(extract YEAR ts)');
    expect(showExpr('extract(dow from ts) + 1')).toBe('(+ (extract DOW ts) 1)');
  });

  it('SUBSTRING, POSITION, TRIM, OVERLAY become calls', () => {
    expect(showExpr('SUBSTRING(s FROM 2 FOR 3)')).toBe('(call SUBSTRING s 2 3)');
    expect(showExpr('SUBSTRING(s FROM 2)')).toBe('(call SUBSTRING s 2)');
    expect(showExpr('SUBSTRING(s, 2, 3)')).toBe('(call SUBSTRING s 2 3)');
    expect(showExpr("POSITION('b' IN s)")).toBe("(call POSITION 'b' s)");
    expect(showExpr('TRIM(s)')).toBe('(call TRIM trim=BOTH s)');
    expect(showExpr("TRIM(LEADING 'x' FROM s)")).toBe("(call TRIM trim=LEADING s 'x')");
    expect(showExpr('TRIM(TRAILING FROM s)')).toBe('(call TRIM trim=TRAILING s)');
    expect(showExpr("TRIM(' ' FROM s)")).toBe("(call TRIM trim=BOTH s ' ')");
    expect(showExpr("OVERLAY(s PLACING 'ab' FROM 2 FOR 3)")).toBe("(call OVERLAY s 'ab' 2 3)");
  });

  it('FLOOR/CEIL TO a unit; TIMESTAMPADD/TIMESTAMPDIFF with the unit first', () => {
    expect(showExpr('FLOOR(ts TO HOUR)')).toBe('(call FLOOR unit=HOUR ts)');
    expect(showExpr('CEIL(ts TO DAY)')).toBe('(call CEIL unit=DAY ts)');
    expect(showExpr('FLOOR(x)')).toBe('(call FLOOR x)');
    expect(showExpr('TIMESTAMPADD(MINUTE, 5, ts)')).toBe('(call TIMESTAMPADD unit=MINUTE 5 ts)');
    expect(showExpr('TIMESTAMPDIFF(SECOND, a, b)')).toBe('(call TIMESTAMPDIFF unit=SECOND a b)');
    expect(showExpr('timestampdiff(SQL_TSI_DAY, a, b)')).toBe('(call TIMESTAMPDIFF unit=DAY a b)');
  });

  it('ARRAY[...], MAP[...], ROW(...) and (a, b)', () => {
    expect(showExpr('ARRAY[1, 2]')).toBe('(array 1 2)');
    expect(showExpr("MAP['a', 1, 'b', 2]")).toBe("(map 'a' 1 'b' 2)");
    expect(showExpr('ROW(a, 1)')).toBe('(row a 1)');
    expect(showExpr('(a, 1)')).toBe('(row a 1)');
    expect(showExpr('ARRAY[]')).toBe('(array)');
  });

  it('niladic functions without parentheses; CURRENT_ROW_TIMESTAMP() with them', () => {
    for (const f of ['CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME']) {
      expect(showExpr(f.toLowerCase())).toBe(`(call ${f} noparens)`);
    }
    expect(showExpr('CURRENT_ROW_TIMESTAMP()')).toBe('(call CURRENT_ROW_TIMESTAMP)');
    expect(showExpr('PROCTIME()')).toBe('(call PROCTIME)');
  });

  it('EXISTS and scalar subqueries', () => {
    expect(showExpr('NOT EXISTS (SELECT 1 FROM t WHERE t.a = b)')).toBe('(NOT (exists))');
    expect(showExpr('a = (SELECT max(x) FROM t)')).toBe('(= a (subquery))');
  });

  it('? parameters', () => {
    expect(showExpr('a = ?')).toBe('(= a ?)');
  });
});

describe('function calls', () => {
  const call = (text: string) => parseExpression(text) as FuncCall;

  it('upper-cases the name and keeps it as written', () => {
    expect(call('count_char(extra, \'c\')')).toMatchObject({ name: 'COUNT_CHAR', qualifiedName: { parts: ['count_char'] } });
    expect(call('mycat.mydb.f(1)')).toMatchObject({ name: 'MYCAT.MYDB.F', qualifiedName: { parts: ['mycat', 'mydb', 'f'] } });
    expect(call('`my func`(1)')).toMatchObject({ name: 'MY FUNC' });
  });

  it('COUNT(*), COUNT(DISTINCT x), t.*', () => {
    expect(showExpr('count(*)')).toBe('(call COUNT *)');
    expect(showExpr('COUNT(DISTINCT bidder)')).toBe('(call COUNT distinct bidder)');
    expect(showExpr('SUM(ALL x)')).toBe('(call SUM x)');
    expect(showExpr('t.*')).toBe('t.*');
  });

  it('FILTER (WHERE ...)', () => {
    expect(showExpr('count(distinct bidder) filter (where price >= 10000 and price < 1000000)')).toBe(
      '(call COUNT distinct bidder filter=(AND (>= price 10000) (< price 1000000)))',
    );
  });

  it('OVER (...) with frames, OVER w, WITHIN GROUP, IGNORE NULLS', () => {
    const over = call('SUM(amount) OVER (PARTITION BY product ORDER BY order_time RANGE BETWEEN INTERVAL \'1\' HOUR PRECEDING AND CURRENT ROW)');
    expect(over.over).toMatchObject({
      partitionBy: [{ type: 'column' }],
      orderBy: [{ desc: false }],
      frame: { unit: 'RANGE', start: { kind: 'PRECEDING', offset: { type: 'interval', text: '1', from: 'HOUR' } }, end: { kind: 'CURRENT ROW' } },
    });
    const rows = call('AVG(price) OVER (PARTITION BY seller ORDER BY ts ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)');
    expect(rows.over?.frame).toMatchObject({ unit: 'ROWS', start: { kind: 'PRECEDING', offset: { text: '10' } }, end: { kind: 'CURRENT ROW' } });
    expect(call('SUM(x) OVER (ORDER BY ts ROWS UNBOUNDED PRECEDING)').over?.frame).toEqual(expect.objectContaining({ start: { kind: 'UNBOUNDED PRECEDING' } }));
    expect(call('SUM(x) OVER (ORDER BY ts ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)').over?.frame?.end).toEqual({ kind: 'UNBOUNDED FOLLOWING' });
    expect(call('SUM(x) OVER (ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)').over?.frame?.end).toMatchObject({ kind: 'FOLLOWING' });
    expect(call('SUM(amount) OVER w').over).toMatchObject({ ref: 'w', partitionBy: [], orderBy: [] });
    expect(call('SUM(amount) OVER (w ORDER BY ts)').over).toMatchObject({ ref: 'w', orderBy: [{}] });
    expect(call("LISTAGG(x, ',') WITHIN GROUP (ORDER BY x DESC)").withinGroup).toMatchObject([{ desc: true }]);
    expect(call('LAST_VALUE(x) IGNORE NULLS OVER (ORDER BY ts)')).toMatchObject({ nullTreatment: 'IGNORE', over: {} });
  });

  it('ROW_NUMBER() OVER (PARTITION BY ... ORDER BY ... DESC)', () => {
    const rn = call('ROW_NUMBER() OVER (PARTITION BY A.id, A.seller ORDER BY B.price DESC, B.`dateTime` ASC NULLS LAST)');
    expect(rn).toMatchObject({ name: 'ROW_NUMBER', args: [] });
    expect(rn.over?.partitionBy).toHaveLength(2);
    expect(rn.over?.orderBy).toMatchObject([{ desc: true }, { desc: false, nullsFirst: false }]);
  });

  it('named arguments', () => {
    expect(call('f(a => 1, `B` => x)')).toMatchObject({ argNames: ['A', 'B'], args: [{ text: '1' }, { type: 'column' }] });
  });

  it('LEFT and RIGHT are functions before (', () => {
    expect(showExpr("LEFT(s, 3) || RIGHT(s, 2)")).toBe('(|| (call LEFT s 3) (call RIGHT s 2))');
  });

  it('JSON functions without keyword clauses are plain calls', () => {
    expect(showExpr("JSON_VALUE(payload, '$.a.b')")).toBe("(call JSON_VALUE payload '$.a.b')");
  });

  it('IF, MOD, HOUR, DATE_FORMAT, REGEXP_EXTRACT and the like are plain calls', () => {
    expect(showExpr("IF(a > 1, 'x', 'y')")).toBe("(call IF (> a 1) 'x' 'y')");
    expect(showExpr('MOD(auction, 123) = 0')).toBe('(= (call MOD auction 123) 0)');
    expect(showExpr('HOUR(`dateTime`) >= 8')).toBe('(>= (call HOUR dateTime) 8)');
  });
});

describe('names', () => {
  it('non-reserved keywords are column names', () => {
    const names = [
      'timestamp', 'date', 'time', 'value', 'key', 'data', 'window_start', 'window_end', 'dateTime', 'type', 'comment', 'name',
      'url', 'price', 'channel', 'extra', 'bidder', 'auction', 'ts', 'count', 'year', 'month', 'day', 'hour', 'minute', 'second',
      'user', 'final', 'language', 'position', 'result', 'rank', 'session', 'hop', 'tumble', 'state', 'current', 'first', 'last',
    ];
    const s = select(`SELECT ${names.join(', ')} FROM t WHERE ${names.map((n) => `${n} IS NOT NULL`).join(' AND ')}`);
    expect(s.items.map((i) => (i.expr.type === 'column' ? i.expr.name.parts[0] : i.expr.type))).toEqual(names);
  });

  it('reserved words need back quotes', () => {
    const e = parseError('SELECT from FROM t');
    expect([e.line, e.col]).toEqual([1, 8]);
    expect(select('SELECT `from`, `select`.`order` FROM t').items.map((i) => i.expr)).toMatchObject([
      { name: { parts: ['from'] } },
      { name: { parts: ['select', 'order'] } },
    ]);
  });

  it('keywords are case-insensitive, names keep their case', () => {
    const s = select('select Price FrOm Bid wHeRe PRICE > 1');
    expect(s.items[0]!.expr).toMatchObject({ name: { parts: ['Price'] } });
    expect(s.from).toMatchObject({ name: { parts: ['Bid'] } });
  });
});
