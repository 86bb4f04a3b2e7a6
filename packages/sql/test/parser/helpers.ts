// Helpers of the parser tests: parse one statement of a kind, catch a parse error, drop positions, and print an
// expression as a compact S-expression so that precedence tests read like the tree they check.
import { expect } from 'vitest';
import type { Expr, Query, Select, Statement } from '../../src/parser/ast.js';
import { SqlParseError, SqlUnsupportedError } from '../../src/parser/parse-error.js';
import { parseExpression, parseScript } from '../../src/parser/parser.js';

/** The only statement of `sql`. */
export function one(sql: string): Statement {
  const statements = parseScript(sql);
  expect(statements).toHaveLength(1);
  return statements[0]!.statement;
}

/** The statement of `sql`, which must be of type `type`. */
export function statementOf<T extends Statement['type']>(sql: string, type: T): Extract<Statement, { type: T }> {
  const s = one(sql);
  expect(s.type).toBe(type);
  return s as Extract<Statement, { type: T }>;
}

/** The query of a query statement. */
export function query(sql: string): Query {
  return statementOf(sql, 'query-statement').query;
}

/** The SELECT of a query statement that is a plain SELECT. */
export function select(sql: string): Select {
  const q = query(sql);
  expect(q.body.type).toBe('select');
  return q.body as Select;
}

/** The error `parse()` throws, which must be a SqlParseError. */
export function parseError(sql: string, parse: (text: string) => unknown = parseScript): SqlParseError {
  try {
    parse(sql);
  } catch (e) {
    if (!(e instanceof SqlParseError)) throw e;
    return e;
  }
  throw new Error(`expected a parse error for: ${sql}`);
}

/** The error `parseScript()` throws, which must be a SqlUnsupportedError. */
export function unsupported(sql: string): SqlUnsupportedError {
  try {
    parseScript(sql);
  } catch (e) {
    if (!(e instanceof SqlUnsupportedError)) throw e;
    return e;
  }
  throw new Error(`expected an unsupported error for: ${sql}`);
}

/** A deep copy without `pos` fields, for comparing trees. */
export function noPos<T>(value: T): T {
  if (Array.isArray(value)) return value.map(noPos) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'pos' && k !== 'qualifiedName') out[k] = noPos(v);
  return out as T;
}

/** An expression as an S-expression: `(+ a (* b 2))`, `(call UPPER x)`, `(case ...)`. */
export function show(e: Expr): string {
  switch (e.type) {
    case 'literal':
      return e.kind === 'string' ? `'${e.text}'` : e.kind === 'number' || e.kind === 'bool' || e.kind === 'null' ? e.text : `${e.kind}'${e.text}'`;
    case 'interval':
      return `(interval ${e.negative ? '-' : ''}'${e.text}' ${e.from}${e.to === undefined ? '' : ` TO ${e.to}`})`;
    case 'column':
      return e.name.parts.join('.');
    case 'star':
      return e.qualifier === undefined ? '*' : `${e.qualifier.parts.join('.')}.*`;
    case 'unary':
      return `(${e.op} ${show(e.operand)})`;
    case 'binary':
      return `(${e.op} ${show(e.left)} ${show(e.right)})`;
    case 'call': {
      const parts = [e.name];
      if (e.timeUnit !== undefined) parts.push(`unit=${e.timeUnit}`);
      if (e.trim !== undefined) parts.push(`trim=${e.trim}`);
      if (e.distinct === true) parts.push('distinct');
      if (e.noParens === true) parts.push('noparens');
      parts.push(...e.args.map(show));
      if (e.filter !== undefined) parts.push(`filter=${show(e.filter)}`);
      if (e.over !== undefined) parts.push('over');
      return `(call ${parts.join(' ')})`;
    }
    case 'case':
      return `(case${e.operand === undefined ? '' : ` ${show(e.operand)}`}${e.whens.map((w) => ` (${show(w.when)} ${show(w.then)})`).join('')}${e.else === undefined ? '' : ` (else ${show(e.else)})`})`;
    case 'cast':
      return `(${e.try ? 'try_cast' : 'cast'} ${show(e.operand)} ${e.target.name})`;
    case 'in':
      return `(${e.not ? 'not in' : 'in'} ${show(e.operand)}${e.list === undefined ? ' query' : e.list.map((x) => ` ${show(x)}`).join('')})`;
    case 'between':
      return `(${e.not ? 'not between' : 'between'} ${show(e.operand)} ${show(e.low)} ${show(e.high)})`;
    case 'like':
      return `(${e.not ? 'not ' : ''}${e.op.toLowerCase()} ${show(e.operand)} ${show(e.pattern)}${e.escape === undefined ? '' : ` ${show(e.escape)}`})`;
    case 'is':
      return `(is ${e.not ? 'not ' : ''}${e.what.toLowerCase()} ${show(e.operand)})`;
    case 'extract':
      return `(extract ${e.unit} ${show(e.operand)})`;
    case 'array':
    case 'map':
    case 'row':
      return `(${e.type}${e.items.map((x) => ` ${show(x)}`).join('')})`;
    case 'subscript':
      return `([] ${show(e.operand)} ${show(e.index)})`;
    case 'field':
      return `(. ${show(e.operand)} ${e.field})`;
    case 'param':
      return '?';
    case 'scalar-subquery':
      return '(subquery)';
    case 'exists':
      return '(exists)';
  }
}

/** `show` of a parsed expression text. */
export function showExpr(text: string): string {
  return show(parseExpression(text));
}
