// CREATE TABLE: physical, computed (`c AS expr`) and metadata (`c TYPE METADATA [FROM 'key'] [VIRTUAL]`) columns,
// column comments and inline `PRIMARY KEY NOT ENFORCED`, `WATERMARK FOR col AS expr`, a table-level primary key,
// COMMENT, PARTITIONED BY, WITH options, `LIKE source (INCLUDING ALL ...)` and `AS query` (CTAS).
import type { ColumnDef, CreateTable, Pos } from './ast.js';
import type { Token } from './lexer.js';
import { parseIdentifier, parseIdentifierList, parseOptionList, parseQualifiedName, parseString } from './parse-names.js';
import { parseTypeSpec } from './parse-type.js';
import type { TokenStream } from './token-stream.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What LIKE options may name, and which of them OVERWRITING applies to. */
const LIKE_FEATURES = new Set(['ALL', 'CONSTRAINTS', 'DISTRIBUTION', 'GENERATED', 'METADATA', 'OPTIONS', 'PARTITIONS', 'WATERMARKS']);
const OVERWRITABLE = new Set(['GENERATED', 'METADATA', 'OPTIONS', 'WATERMARKS']);

/**
 * The rest of `CREATE [OR REPLACE] [TEMPORARY] TABLE`, at the token after TABLE.
 *
 * @internal
 */
export function parseCreateTable(ts: TokenStream, start: Token, temporary: boolean, orReplace: boolean): CreateTable {
  const ifNotExists = ts.isWords('IF', 'NOT', 'EXISTS');
  if (ifNotExists) for (let i = 0; i < 3; i++) ts.next();
  const name = parseQualifiedName(ts, 'a table name');
  const table: Mutable<CreateTable> = { type: 'create-table', pos: ts.pos(start), name, temporary, ifNotExists, columns: [], options: [] };
  if (orReplace) table.orReplace = true;
  if (ts.isOp('(')) parseTableElements(ts, table);
  if (ts.acceptWord('COMMENT')) table.comment = parseString(ts);
  if (ts.isWord('DISTRIBUTED')) ts.unsupported('DISTRIBUTED BY / DISTRIBUTED INTO');
  if (ts.acceptPhrase('PARTITIONED', 'BY')) table.partitionedBy = parseIdentifierList(ts);
  if (ts.acceptWord('WITH')) table.options = parseOptionList(ts);
  if (ts.acceptWord('LIKE')) table.like = parseLike(ts);
  if (ts.acceptWord('AS')) table.asQuery = ts.grammar.query(ts);
  if (orReplace && table.asQuery === undefined) ts.fail('CREATE OR REPLACE TABLE needs AS followed by a query', ['AS']);
  return table;
}

/** `( element, ... )`: columns, the watermark and the primary key, in any order. */
function parseTableElements(ts: TokenStream, table: Mutable<CreateTable>): void {
  const open = ts.next();
  const columns: ColumnDef[] = [];
  do {
    if (ts.isOp(')') && ts.previous().value === ',') ts.fail("found ')' after ',' (remove the trailing ',')", ['a column definition']);
    if (ts.isWord('WATERMARK') && ts.isWord('FOR', 1)) parseWatermark(ts, table);
    else if (ts.isWord('WATERMARK') && ts.isIdentifier(1) && ts.isWord('AS', 2)) {
      // `WATERMARK ts AS ...` would otherwise read as a column named watermark of type ts.
      ts.next();
      ts.fail(`expected FOR after WATERMARK; ${ts.describe(ts.peek())}`, ['FOR']);
    }
    else if (ts.isWord('CONSTRAINT') || (ts.isWord('PRIMARY') && ts.isWord('KEY', 1))) parseTableKey(ts, table);
    else if (ts.isWord('UNIQUE') && ts.isOp('(', 1)) ts.unsupported('UNIQUE constraints');
    else columns.push(parseColumn(ts, table));
  } while (ts.acceptOp(','));
  ts.expectClose(open);
  table.columns = columns;
}

function parseWatermark(ts: TokenStream, table: Mutable<CreateTable>): void {
  const start = ts.next();
  if (table.watermark !== undefined) ts.failAt(start, 'a table has at most one WATERMARK');
  ts.next(); // FOR
  const column = parseIdentifier(ts, 'the name of the time attribute column');
  if (!ts.acceptWord('AS')) ts.fail(`expected AS after the column name of a WATERMARK; ${ts.describe(ts.peek())}`, ['AS']);
  const first = ts.peek();
  const expr = ts.grammar.expression(ts);
  table.watermark = { pos: ts.pos(start), column, expr, exprText: ts.textFrom(first) };
}

/** `[CONSTRAINT name] PRIMARY KEY (a, b) [NOT] ENFORCED` as a table element. */
function parseTableKey(ts: TokenStream, table: Mutable<CreateTable>): void {
  const start = ts.peek();
  const constraintName = ts.acceptWord('CONSTRAINT') ? parseIdentifier(ts, 'a constraint name') : undefined;
  if (ts.isWord('UNIQUE')) ts.unsupported('UNIQUE constraints');
  ts.expectWord('PRIMARY');
  ts.expectWord('KEY');
  const columns = parseIdentifierList(ts);
  setPrimaryKey(ts, table, start, constraintName, columns, parseEnforced(ts));
}

function setPrimaryKey(ts: TokenStream, table: Mutable<CreateTable>, start: Token, name: string | undefined, columns: string[], enforced: boolean): void {
  if (table.primaryKey !== undefined) ts.failAt(start, 'a table has at most one PRIMARY KEY');
  const pos: Pos = ts.pos(start);
  table.primaryKey = name === undefined ? { pos, columns, enforced } : { pos, name, columns, enforced };
}

/** `NOT ENFORCED` (false), `ENFORCED` or nothing (true: Flink refuses it, the planner says so). */
function parseEnforced(ts: TokenStream): boolean {
  if (ts.acceptPhrase('NOT', 'ENFORCED')) return false;
  ts.acceptWord('ENFORCED');
  return true;
}

function parseColumn(ts: TokenStream, table: Mutable<CreateTable>): ColumnDef {
  const start = ts.peek();
  const pos = ts.pos(start);
  const name = parseIdentifier(ts, 'a column name');
  if (ts.acceptWord('AS')) {
    const first = ts.peek();
    const expr = ts.grammar.expression(ts);
    const exprText = ts.textFrom(first);
    const comment = parseColumnComment(ts);
    return { kind: 'computed', pos, name, expr, exprText, ...comment };
  }
  const dataType = parseTypeSpec(ts);
  if (ts.acceptWord('METADATA')) {
    const from = ts.acceptWord('FROM') ? parseString(ts, "a metadata key ('key')") : undefined;
    const virtual = ts.acceptWord('VIRTUAL');
    const comment = parseColumnComment(ts);
    return { kind: 'metadata', pos, name, dataType, virtual, ...(from === undefined ? {} : { from }), ...comment };
  }
  let primaryKey = false;
  const keyStart = ts.peek();
  const constraintName = ts.acceptWord('CONSTRAINT') ? parseIdentifier(ts, 'a constraint name') : undefined;
  if (constraintName !== undefined || ts.isWords('PRIMARY', 'KEY')) {
    ts.expectWord('PRIMARY');
    ts.expectWord('KEY');
    primaryKey = true;
    setPrimaryKey(ts, table, keyStart, constraintName, [name], parseEnforced(ts));
  } else {
    ts.expecting('PRIMARY KEY');
  }
  const comment = parseColumnComment(ts);
  return { kind: 'physical', pos, name, dataType, ...(primaryKey ? { primaryKey } : {}), ...comment };
}

function parseColumnComment(ts: TokenStream): { comment?: string } {
  return ts.acceptWord('COMMENT') ? { comment: parseString(ts, 'a comment (a string literal)') } : {};
}

/** `LIKE source [( INCLUDING ALL OVERWRITING OPTIONS EXCLUDING WATERMARKS ... )]`. */
function parseLike(ts: TokenStream): NonNullable<CreateTable['like']> {
  const pos = ts.pos(ts.previous());
  const name = parseQualifiedName(ts, 'a table name');
  const options: { action: 'INCLUDING' | 'EXCLUDING' | 'OVERWRITING'; what: string }[] = [];
  if (ts.isOp('(')) {
    const open = ts.next();
    do {
      const actionToken = ts.peek();
      let action: 'INCLUDING' | 'EXCLUDING' | 'OVERWRITING';
      if (ts.acceptWord('INCLUDING')) action = 'INCLUDING';
      else if (ts.acceptWord('EXCLUDING')) action = 'EXCLUDING';
      else if (ts.acceptWord('OVERWRITING')) action = 'OVERWRITING';
      else if (options.length > 0) break;
      else return ts.fail();
      const whatToken = ts.peek();
      for (const f of LIKE_FEATURES) ts.expecting(f);
      if (whatToken.kind !== 'word' || !LIKE_FEATURES.has(whatToken.upper)) ts.fail();
      ts.next();
      if (action === 'OVERWRITING' && !OVERWRITABLE.has(whatToken.upper)) {
        ts.failAt(actionToken, `OVERWRITING does not apply to ${whatToken.upper} (only to GENERATED, METADATA, OPTIONS and WATERMARKS)`);
      }
      options.push({ action, what: whatToken.upper });
      ts.acceptOp(',');
    } while (!ts.isOp(')'));
    ts.expectClose(open);
  }
  return { pos, name, options };
}
