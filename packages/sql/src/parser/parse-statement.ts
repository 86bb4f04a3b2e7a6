// One statement, dispatched on its first keywords: queries, INSERT, the DDL (./parse-ddl.ts), EXPLAIN, statement
// sets, the SQL client's SET/RESET/SHOW/DESCRIBE, and the Flink statements Runnel does not run (OtherStatement).
import type { Explain, Expr, Insert, ResetStatement, SetStatement, Show, Statement, StatementSet } from './ast.js';
import { STATEMENT_KEYWORDS } from './keywords.js';
import type { Token } from './lexer.js';
import { parseAlter, parseCreate, parseDrop } from './parse-ddl.js';
import { parseHintsIfAny } from './parse-hints.js';
import { parseIdentifier, parseIdentifierList, parseQualifiedName, parseString } from './parse-names.js';
import { parseOther } from './parse-other.js';
import type { TokenStream } from './token-stream.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The details EXPLAIN may ask for. */
const EXPLAIN_DETAILS = ['ESTIMATED_COST', 'CHANGELOG_MODE', 'JSON_EXECUTION_PLAN', 'PLAN_ADVICE'];

/** Statements recognised by their first words and refused by the planner: [words..., what]. */
const OTHER_STATEMENTS: readonly (readonly string[])[] = [
  ['USE', 'CATALOG'],
  ['USE', 'MODULES'],
  ['LOAD', 'MODULE'],
  ['UNLOAD', 'MODULE'],
  ['ANALYZE', 'TABLE'],
  ['TRUNCATE', 'TABLE'],
  ['ADD', 'JAR'],
  ['REMOVE', 'JAR'],
  ['STOP', 'JOB'],
  ['COMPILE', 'PLAN'],
  ['COMPILE', 'AND', 'EXECUTE', 'PLAN'],
  ['CALL'],
  ['DELETE'],
  ['UPDATE'],
  ['USE'],
];

/**
 * A statement at the current token (up to, not including, its `;`).
 *
 * @internal
 */
export function parseOneStatement(ts: TokenStream): Statement {
  const start = ts.peek();
  if (start.kind === 'op' && start.value === '(') return { type: 'query-statement', pos: ts.pos(start), query: ts.grammar.query(ts) };
  if (start.kind === 'word') {
    switch (start.upper) {
      case 'SELECT':
      case 'WITH':
      case 'VALUES':
        return { type: 'query-statement', pos: ts.pos(start), query: ts.grammar.query(ts) };
      case 'INSERT':
        return parseInsert(ts);
      case 'CREATE':
        return parseCreate(ts);
      case 'DROP':
        return parseDrop(ts);
      case 'ALTER':
        return parseAlter(ts);
      case 'EXPLAIN':
        return parseExplain(ts);
      case 'SET':
        return parseSet(ts);
      case 'RESET':
        return parseReset(ts);
      case 'SHOW':
        return parseShow(ts);
      case 'DESCRIBE':
      case 'DESC':
        return parseDescribe(ts);
      case 'EXECUTE':
        return parseExecute(ts);
    }
    for (const words of OTHER_STATEMENTS) {
      if (ts.isWords(...words)) return parseOther(ts, start, words.join(' '));
    }
  }
  for (const k of STATEMENT_KEYWORDS) ts.expecting(k);
  return ts.fail();
}

/**
 * `INSERT INTO|OVERWRITE t [hints] [PARTITION (k = v, ...)] [(cols)] query` (PARTITION and the columns in either
 * order).
 *
 * @internal
 */
export function parseInsert(ts: TokenStream): Insert {
  const start = ts.next();
  let overwrite = false;
  if (ts.acceptWord('OVERWRITE')) overwrite = true;
  else ts.expectWord('INTO');
  const table = parseQualifiedName(ts, 'a table name');
  const insert: Mutable<Insert> = { type: 'insert', pos: ts.pos(start), overwrite, table, query: undefined as never };
  const hints = parseHintsIfAny(ts);
  if (hints !== undefined) insert.hints = hints;
  for (let i = 0; i < 2; i++) {
    if (insert.partition === undefined && ts.acceptWord('PARTITION')) insert.partition = parsePartitionSpec(ts);
    else if (insert.columns === undefined && ts.isOp('(') && !['SELECT', 'WITH', 'VALUES'].some((w) => ts.isWord(w, 1))) {
      insert.columns = parseIdentifierList(ts);
    }
  }
  insert.query = ts.grammar.query(ts);
  return insert;
}

/** `(k = v, ...)` of a static partition. */
function parsePartitionSpec(ts: TokenStream): { key: string; value: Expr }[] {
  const open = ts.expectOp('(');
  const spec: { key: string; value: Expr }[] = [];
  do {
    const key = parseIdentifier(ts, 'a partition column');
    ts.expectOp('=');
    spec.push({ key, value: ts.grammar.expression(ts) });
  } while (ts.acceptOp(','));
  ts.expectClose(open);
  return spec;
}

/** `EXPLAIN [PLAN FOR | detail, ...] statement`. */
function parseExplain(ts: TokenStream): Explain {
  const start = ts.next();
  const details: string[] = [];
  if (!ts.acceptPhrase('PLAN', 'FOR')) {
    for (;;) {
      for (const d of EXPLAIN_DETAILS) ts.expecting(d);
      const t = ts.peek();
      if (t.kind !== 'word' || !EXPLAIN_DETAILS.includes(t.upper)) {
        if (details.length > 0) ts.fail();
        break;
      }
      details.push(ts.next().upper);
      if (!ts.acceptOp(',')) break;
    }
  }
  const first = ts.peek();
  let statement: Statement;
  if (ts.isWords('STATEMENT', 'SET')) {
    ts.next();
    ts.next();
    statement = parseStatementSetBody(ts, first, ts.expectWord('BEGIN'));
  } else {
    statement = parseOneStatement(ts);
    const explainable =
      statement.type === 'query-statement' ||
      statement.type === 'insert' ||
      statement.type === 'statement-set' ||
      (statement.type === 'create-table' && statement.asQuery !== undefined);
    if (!explainable) ts.failAt(first, 'EXPLAIN takes a query, an INSERT, a CREATE TABLE ... AS or a statement set');
  }
  return { type: 'explain', pos: ts.pos(start), details, statement };
}

/** `EXECUTE STATEMENT SET BEGIN ... END`, `EXECUTE PLAN ...`, `EXECUTE INSERT ...`/`EXECUTE SELECT ...`. */
function parseExecute(ts: TokenStream): Statement {
  const start = ts.next();
  if (ts.acceptPhrase('STATEMENT', 'SET')) return parseStatementSetBody(ts, start, ts.expectWord('BEGIN'));
  if (ts.isWord('PLAN')) return parseOther(ts, start, 'EXECUTE PLAN');
  ts.expecting('INSERT');
  ts.expecting('SELECT');
  if (['INSERT', 'SELECT', 'WITH', 'VALUES'].some((w) => ts.isWord(w))) return parseOneStatement(ts);
  return ts.fail();
}

/**
 * The INSERTs of a statement set after its BEGIN, each ended by `;`, up to END.
 *
 * @internal
 */
export function parseStatementSetBody(ts: TokenStream, start: Token, begin: Token): StatementSet {
  const inserts: Insert[] = [];
  for (;;) {
    while (ts.isOp(';')) ts.next();
    if (ts.acceptWord('END')) break;
    ts.expecting('INSERT');
    const t = ts.peek();
    if (t.kind === 'eof') ts.fail(`missing END of the statement set begun at line ${begin.line}, column ${begin.col}`);
    if (!(t.kind === 'word' && t.upper === 'INSERT')) {
      ts.fail(`${ts.describe(t)}: a statement set holds INSERT statements only`);
    }
    inserts.push(parseInsert(ts));
    if (!ts.acceptOp(';')) {
      ts.expectWord('END');
      break;
    }
  }
  if (inserts.length === 0) ts.failAt(begin, 'a statement set needs at least one INSERT');
  return { type: 'statement-set', pos: ts.pos(start), inserts };
}

/**
 * The raw text of the tokens from the current one up to (not including) `stop` or the statement's end: the
 * unquoted keys and values of `SET execution.runtime-mode = streaming`, which are not single tokens.
 */
function rawText(ts: TokenStream, stop?: string): string {
  const first = ts.peek();
  while (!ts.atStatementEnd() && !(stop !== undefined && ts.isOp(stop))) ts.next();
  return ts.peek() === first ? '' : ts.textFrom(first).trim();
}

/** `SET`, `SET 'k' = 'v'`, `SET k.k2 = v` (unquoted, as the SQL client accepts). */
function parseSet(ts: TokenStream): SetStatement {
  const start = ts.next();
  const pos = ts.pos(start);
  if (ts.atStatementEnd()) return { type: 'set', pos };
  let key: string;
  if (ts.peek().kind === 'string') key = ts.next().value;
  else {
    key = rawText(ts, '=');
    if (key === '') ts.fail(undefined, ['a key']);
  }
  if (!ts.acceptOp('=')) ts.fail(`expected '=' after the key of SET; ${ts.describe(ts.peek())}`, ["'='"]);
  let value: string;
  if (ts.peek().kind === 'string') {
    value = ts.next().value;
    if (!ts.atStatementEnd()) ts.fail(undefined, ["';'", 'end of input']);
  } else {
    value = rawText(ts);
    if (value === '') ts.fail(undefined, ['a value']);
  }
  return { type: 'set', pos, key, value };
}

/** `RESET`, `RESET 'k'`, `RESET k.k2`. */
function parseReset(ts: TokenStream): ResetStatement {
  const start = ts.next();
  const pos = ts.pos(start);
  if (ts.atStatementEnd()) return { type: 'reset', pos };
  if (ts.peek().kind === 'string') {
    const key = ts.next().value;
    if (!ts.atStatementEnd()) ts.fail(undefined, ["';'", 'end of input']);
    return { type: 'reset', pos, key };
  }
  return { type: 'reset', pos, key: rawText(ts) };
}

/** SHOW targets without a name, and whether they take `FROM|IN db`. */
const SHOW_LISTS: readonly [Show['what'], boolean][] = [
  ['TABLES', true],
  ['VIEWS', true],
  ['FUNCTIONS', true],
  ['CATALOGS', false],
  ['DATABASES', true],
  ['JOBS', false],
  ['MODULES', false],
];

/** SHOW targets Flink has and Runnel refuses. */
const SHOW_OTHER: readonly (readonly string[])[] = [
  ['FULL', 'MODULES'],
  ['USER', 'FUNCTIONS'],
  ['PARTITIONS'],
  ['JARS'],
  ['PROCEDURES'],
  ['MATERIALIZED', 'TABLES'],
  ['MODELS'],
  ['CREATE', 'CATALOG'],
  ['CREATE', 'MATERIALIZED', 'TABLE'],
  ['CREATE', 'MODEL'],
  ['CREATE', 'FUNCTION'],
  ['CURRENT', 'MODULES'],
];

function parseShow(ts: TokenStream): Statement {
  const start = ts.next();
  const pos = ts.pos(start);
  for (const words of SHOW_OTHER) {
    if (ts.isWords(...words)) return parseOther(ts, start, `SHOW ${words.join(' ')}`);
  }
  for (const [what, takesFrom] of SHOW_LISTS) {
    if (!ts.acceptWord(what)) continue;
    let show: Show = { type: 'show', pos, what };
    if (takesFrom && (ts.acceptWord('FROM') || ts.acceptWord('IN'))) show = { ...show, name: parseQualifiedName(ts, 'a database name') };
    return parseShowLike(ts, show);
  }
  if (ts.acceptWords('CURRENT', 'CATALOG')) return { type: 'show', pos, what: 'CURRENT CATALOG' };
  if (ts.acceptWords('CURRENT', 'DATABASE')) return { type: 'show', pos, what: 'CURRENT DATABASE' };
  if (ts.acceptWords('CREATE', 'TABLE')) return { type: 'show', pos, what: 'CREATE TABLE', name: parseQualifiedName(ts, 'a table name') };
  if (ts.acceptWords('CREATE', 'VIEW')) return { type: 'show', pos, what: 'CREATE VIEW', name: parseQualifiedName(ts, 'a view name') };
  if (ts.acceptWord('COLUMNS')) {
    if (!ts.acceptWord('FROM')) ts.expectWord('IN');
    return parseShowLike(ts, { type: 'show', pos, what: 'COLUMNS', name: parseQualifiedName(ts, 'a table name') });
  }
  return ts.fail();
}

/** `[NOT] LIKE 'pattern'` or `[NOT] ILIKE 'pattern'` after SHOW TABLES and the like. */
function parseShowLike(ts: TokenStream, show: Show): Show {
  const notLike = ts.isWord('NOT') && (ts.isWord('LIKE', 1) || ts.isWord('ILIKE', 1));
  if (notLike) ts.next();
  if (ts.acceptWord('LIKE')) return { ...show, like: parseString(ts, 'a LIKE pattern'), ...(notLike ? { notLike } : {}) };
  if (ts.acceptWord('ILIKE')) return { ...show, like: parseString(ts, 'a LIKE pattern'), ilike: true, ...(notLike ? { notLike } : {}) };
  return show;
}

/** `DESCRIBE [EXTENDED] name`, `DESC name`; DESCRIBE of catalogs, functions, jobs and the like is refused. */
function parseDescribe(ts: TokenStream): Statement {
  const start = ts.next();
  for (const object of ['CATALOG', 'DATABASE', 'FUNCTION', 'JOB', 'MODEL']) {
    const next = ts.peek(1);
    if (ts.isWord(object) && (next.kind === 'word' || next.kind === 'quoted' || next.kind === 'string' || ts.isWord('EXTENDED', 1))) {
      return parseOther(ts, start, `DESCRIBE ${object}`);
    }
  }
  const extended = ts.isWord('EXTENDED') && ts.isIdentifier(1);
  if (extended) ts.next();
  const name = parseQualifiedName(ts, 'a table name');
  return { type: 'describe', pos: ts.pos(start), name, ...(extended ? { extended } : {}) };
}
