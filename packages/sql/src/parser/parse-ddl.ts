// The DDL statements other than the body of CREATE TABLE (./parse-create-table.ts): which object a CREATE makes,
// CREATE VIEW, DROP and ALTER TABLE. The objects Runnel does not manage (functions, catalogs, databases, models,
// materialized tables) become OtherStatements that the planner refuses by name.
import type { AlterTable, CreateView, Drop, Statement } from './ast.js';
import type { Token } from './lexer.js';
import { parseCreateTable } from './parse-create-table.js';
import { parseIdentifierList, parseOptionList, parseQualifiedName, parseString } from './parse-names.js';
import { parseOther, skipToStatementEnd } from './parse-other.js';
import type { TokenStream } from './token-stream.js';

/** Objects of CREATE/DROP/ALTER that are parsed as OtherStatement. */
const OTHER_OBJECTS = ['FUNCTION', 'CATALOG', 'DATABASE', 'MODEL'];

/**
 * `CREATE ...` at the CREATE keyword.
 *
 * @internal
 */
export function parseCreate(ts: TokenStream): Statement {
  const start = ts.next();
  const orReplace = ts.acceptPhrase('OR', 'REPLACE');
  const temporary = ts.acceptWord('TEMPORARY');
  const system = temporary && ts.acceptWord('SYSTEM');
  if (!system && ts.acceptWord('TABLE')) return parseCreateTable(ts, start, temporary, orReplace);
  if (!system && !orReplace && ts.acceptWord('VIEW')) return parseCreateView(ts, start, temporary);
  if (ts.isWord('FUNCTION')) return parseOther(ts, start, 'CREATE FUNCTION');
  if (!system && ts.isWords('MATERIALIZED', 'TABLE')) return parseOther(ts, start, 'CREATE MATERIALIZED TABLE');
  if (!system && !temporary) {
    for (const object of OTHER_OBJECTS) {
      if (ts.acceptWord(object)) return parseOther(ts, start, `CREATE ${object}`);
    }
  }
  ts.expecting('FUNCTION');
  return ts.fail();
}

function parseCreateView(ts: TokenStream, start: Token, temporary: boolean): CreateView {
  const ifNotExists = ts.isWords('IF', 'NOT', 'EXISTS');
  if (ifNotExists) for (let i = 0; i < 3; i++) ts.next();
  const name = parseQualifiedName(ts, 'a view name');
  const columns = ts.isOp('(') ? parseIdentifierList(ts) : undefined;
  const comment = ts.acceptWord('COMMENT') ? parseString(ts) : undefined;
  ts.expectWord('AS');
  const first = ts.peek();
  const query = ts.grammar.query(ts);
  const view: CreateView = { type: 'create-view', pos: ts.pos(start), name, temporary, ifNotExists, query, queryText: ts.textFrom(first) };
  return { ...view, ...(columns === undefined ? {} : { columns }), ...(comment === undefined ? {} : { comment }) };
}

/**
 * `DROP [TEMPORARY [SYSTEM]] TABLE|VIEW|FUNCTION|DATABASE|CATALOG [IF EXISTS] name [CASCADE|RESTRICT]`.
 *
 * @internal
 */
export function parseDrop(ts: TokenStream): Statement {
  const start = ts.next();
  const temporary = ts.acceptWord('TEMPORARY');
  const system = temporary && ts.acceptWord('SYSTEM');
  if (!system && ts.isWords('MATERIALIZED', 'TABLE')) return parseOther(ts, start, 'DROP MATERIALIZED TABLE');
  if (!system && ts.isWord('MODEL')) return parseOther(ts, start, 'DROP MODEL');
  let what: Drop['what'] | undefined;
  for (const w of system ? (['FUNCTION'] as const) : (['TABLE', 'VIEW', 'FUNCTION', 'DATABASE', 'CATALOG'] as const)) {
    if (ts.acceptWord(w)) {
      what = w;
      break;
    }
  }
  if (what === undefined) return ts.fail();
  const ifExists = ts.isWords('IF', 'EXISTS');
  if (ifExists) {
    ts.next();
    ts.next();
  }
  const name = parseQualifiedName(ts, `a ${what.toLowerCase()} name`);
  const drop: Drop = { type: 'drop', pos: ts.pos(start), what, temporary, ifExists, name };
  if (what === 'DATABASE') {
    if (ts.acceptWord('CASCADE')) return { ...drop, cascade: true };
    if (ts.acceptWord('RESTRICT')) return { ...drop, cascade: false };
  }
  return drop;
}

/**
 * `ALTER TABLE [IF EXISTS] name SET (...) | RESET (...) | RENAME TO name | <other action>`; ALTER of other objects
 * is an OtherStatement.
 *
 * @internal
 */
export function parseAlter(ts: TokenStream): Statement {
  const start = ts.next();
  if (ts.isWords('MATERIALIZED', 'TABLE')) return parseOther(ts, start, 'ALTER MATERIALIZED TABLE');
  for (const object of ['VIEW', ...OTHER_OBJECTS]) {
    if (ts.acceptWord(object)) return parseOther(ts, start, `ALTER ${object}`);
  }
  ts.expectWord('TABLE');
  const ifExists = ts.isWords('IF', 'EXISTS');
  if (ifExists) {
    ts.next();
    ts.next();
  }
  const name = parseQualifiedName(ts, 'a table name');
  const alter = { type: 'alter-table' as const, pos: ts.pos(start), name, ifExists };
  return { ...alter, action: parseAlterAction(ts) };
}

function parseAlterAction(ts: TokenStream): AlterTable['action'] {
  const t = ts.peek();
  if (ts.isWord('SET') && ts.isOp('(', 1)) {
    ts.next();
    return { kind: 'set', options: parseOptionList(ts) };
  }
  if (ts.isWord('RESET') && ts.isOp('(', 1)) {
    ts.next();
    const open = ts.next();
    const keys = [parseString(ts, "an option key ('key')")];
    while (ts.acceptOp(',')) keys.push(parseString(ts, "an option key ('key')"));
    ts.expectClose(open);
    return { kind: 'reset', keys };
  }
  if (ts.isWords('RENAME', 'TO')) {
    ts.next();
    ts.next();
    return { kind: 'rename', to: parseQualifiedName(ts, 'a table name') };
  }
  for (const w of ['SET', 'RESET', 'RENAME TO', 'ADD', 'MODIFY', 'DROP']) ts.expecting(w);
  if (t.kind !== 'word') ts.fail();
  // Everything else (ADD, MODIFY, DROP, RENAME column, COMPACT, ...) is refused by the planner, by name.
  const what = ts.isWord('RENAME') ? 'ALTER TABLE RENAME <column>' : `ALTER TABLE ${t.upper}`;
  skipToStatementEnd(ts);
  return { kind: 'unsupported', what, pos: ts.pos(t) };
}
