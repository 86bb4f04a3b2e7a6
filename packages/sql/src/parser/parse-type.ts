// Data types as written in column definitions and CAST: `INT`, `DECIMAL(10, 2)`, `VARCHAR(20) NOT NULL`,
// `TIMESTAMP(3) WITH LOCAL TIME ZONE`, `ARRAY<INT>`, `INT ARRAY`, `MAP<STRING, BIGINT>`, `ROW<a INT 'doc', b
// STRING>`, `ROW(a INT, b STRING)`, `INTERVAL DAY TO SECOND(3)`, `RAW('class', 'snapshot')`. Synonyms are
// canonicalised (INTEGER is INT, NUMERIC is DECIMAL, CHARACTER VARYING is VARCHAR); a name the parser does not know
// is kept upper case for the binder to reject or resolve.
import type { TypeSpec } from './ast.js';
import { INTERVAL_RANGES, INTERVAL_UNITS } from './keywords.js';
import { parseIdentifier, parseNamePart, parseString } from './parse-names.js';
import type { TokenStream } from './token-stream.js';

/** Single-word synonyms and their canonical names. */
const SYNONYMS: Readonly<Record<string, string>> = {
  INTEGER: 'INT',
  DEC: 'DECIMAL',
  NUMERIC: 'DECIMAL',
  CHARACTER: 'CHAR',
  REAL: 'FLOAT',
};

/**
 * A data type, with `NOT NULL`/`NULL` and postfix `ARRAY`/`MULTISET`.
 *
 * @internal
 */
export function parseTypeSpec(ts: TokenStream): TypeSpec {
  ts.enter();
  let type = parseNullable(ts, parseBaseType(ts));
  // `INT ARRAY`, `INT NOT NULL ARRAY MULTISET`: the collection wraps what precedes it.
  while (ts.isWord('ARRAY') || ts.isWord('MULTISET')) {
    const t = ts.next();
    type = parseNullable(ts, { pos: type.pos, name: t.upper, params: [], notNull: false, element: type });
  }
  ts.leave();
  return type;
}

function parseNullable(ts: TokenStream, type: TypeSpec): TypeSpec {
  if (ts.isWord('NOT')) {
    ts.next();
    ts.expectWord('NULL');
    return { ...type, notNull: true };
  }
  if (ts.isWord('NULL')) ts.next();
  return type;
}

function parseBaseType(ts: TokenStream): TypeSpec {
  ts.expecting('a data type');
  const first = ts.peek();
  if (first.kind !== 'word' && first.kind !== 'quoted') ts.fail();
  const pos = ts.pos(first);
  ts.next();
  let name = first.kind === 'word' ? first.upper : first.value;
  name = SYNONYMS[name] ?? name;
  switch (name) {
    case 'DOUBLE':
      ts.acceptWord('PRECISION');
      return { pos, name, params: [], notNull: false };
    case 'CHAR':
    case 'BINARY':
      // `CHARACTER VARYING(n)`, `CHAR VARYING(n)`, `BINARY VARYING(n)`.
      if (ts.acceptWord('VARYING')) name = name === 'CHAR' ? 'VARCHAR' : 'VARBINARY';
      return { pos, name, params: parseParams(ts), notNull: false };
    case 'TIME': {
      const params = parseParams(ts);
      if (ts.isWords('WITHOUT', 'TIME', 'ZONE')) skip(ts, 3);
      return { pos, name, params, notNull: false };
    }
    case 'TIMESTAMP': {
      const params = parseParams(ts);
      if (ts.isWords('WITHOUT', 'TIME', 'ZONE')) skip(ts, 3);
      else if (ts.isWords('WITH', 'LOCAL', 'TIME', 'ZONE')) {
        skip(ts, 4);
        name = 'TIMESTAMP_LTZ';
      } else if (ts.isWords('WITH', 'TIME', 'ZONE')) {
        ts.unsupported('TIMESTAMP WITH TIME ZONE (use TIMESTAMP_LTZ or TIMESTAMP WITH LOCAL TIME ZONE)', first);
      }
      return { pos, name, params, notNull: false };
    }
    case 'ARRAY':
    case 'MULTISET': {
      const element = parseAngleTypes(ts, 1)[0]!;
      return { pos, name, params: [], notNull: false, element };
    }
    case 'MAP': {
      const [key, element] = parseAngleTypes(ts, 2);
      return { pos, name, params: [], notNull: false, key: key!, element: element! };
    }
    case 'ROW':
      return { pos, name, params: [], notNull: false, fields: parseRowFields(ts) };
    case 'RAW':
      return parseRaw(ts, pos);
    case 'INTERVAL':
      return parseIntervalType(ts, pos);
    default: {
      // A user-defined type may be qualified: `cat.db.MyType`.
      while (ts.isOp('.')) {
        ts.next();
        const part = ts.peek();
        const text = parseNamePart(ts, 'a type name');
        name += `.${part.kind === 'word' ? text.toUpperCase() : text}`;
      }
      return { pos, name, params: parseParams(ts), notNull: false };
    }
  }
}

function skip(ts: TokenStream, n: number): void {
  for (let i = 0; i < n; i++) ts.next();
}

/** `(10, 2)`: numeric type parameters, when present. */
function parseParams(ts: TokenStream): number[] {
  // Not recorded as expected: after every type, "expected '('" would only be noise.
  if (!ts.isOp('(')) return [];
  const open = ts.next();
  const params: number[] = [];
  do {
    ts.expecting('a number');
    const t = ts.peek();
    if (t.kind !== 'number' || !/^\d+$/.test(t.value)) ts.fail();
    params.push(Number(ts.next().value));
  } while (ts.acceptOp(','));
  ts.expectClose(open);
  return params;
}

/** `<T>` or `<K, V>`: `count` types in angle brackets. */
function parseAngleTypes(ts: TokenStream, count: number): TypeSpec[] {
  const open = ts.expectOp('<');
  const types = [parseTypeSpec(ts)];
  while (types.length < count) {
    ts.expectOp(',');
    types.push(parseTypeSpec(ts));
  }
  if (!ts.acceptOp('>')) ts.fail(`missing '>' to close the '<' at line ${open.line}, column ${open.col}; ${ts.describe(ts.peek())}`);
  return types;
}

/** `<a INT 'doc', b STRING>` or `(a INT, b STRING)`; possibly empty (`ROW<>`). */
function parseRowFields(ts: TokenStream): { name: string; type: TypeSpec; description?: string }[] {
  // `ROW<>` lexes as the operator `<>`.
  if (ts.isOp('<>')) {
    ts.next();
    return [];
  }
  const angle = ts.isOp('<');
  ts.expecting("'<'");
  const open = ts.expectOp(angle ? '<' : '(');
  const close = angle ? '>' : ')';
  const fields: { name: string; type: TypeSpec; description?: string }[] = [];
  if (ts.acceptOp(close)) return fields;
  do {
    const name = parseIdentifier(ts, 'a field name');
    const type = parseTypeSpec(ts);
    const field: { name: string; type: TypeSpec; description?: string } = { name, type };
    if (ts.peek().kind === 'string') field.description = ts.next().value;
    fields.push(field);
  } while (ts.acceptOp(','));
  if (!ts.acceptOp(close)) {
    ts.fail(`missing '${close}' to close the '${open.value}' at line ${open.line}, column ${open.col}; ${ts.describe(ts.peek())}`);
  }
  return fields;
}

/** `RAW('class')` or `RAW('class', 'snapshot')`. */
function parseRaw(ts: TokenStream, pos: TypeSpec['pos']): TypeSpec {
  const open = ts.expectOp('(');
  const rawParams = [parseString(ts)];
  if (ts.acceptOp(',')) rawParams.push(parseString(ts));
  ts.expectClose(open);
  return { pos, name: 'RAW', params: [], notNull: false, rawParams };
}

/** `INTERVAL YEAR(2) TO MONTH`, `INTERVAL DAY TO SECOND(3)`, `INTERVAL SECOND`; precisions go to `params`. */
function parseIntervalType(ts: TokenStream, pos: TypeSpec['pos']): TypeSpec {
  const { from, to, params } = parseIntervalQualifier(ts);
  const type: TypeSpec = { pos, name: 'INTERVAL', params, notNull: false, intervalFrom: from };
  return to === undefined ? type : { ...type, intervalTo: to };
}

/**
 * An interval qualifier: `DAY`, `MINUTES`, `DAY(3) TO SECOND(3)`, `YEAR TO MONTH`; units singular upper case,
 * the precisions in the order written.
 *
 * @internal
 */
export function parseIntervalQualifier(ts: TokenStream): { from: string; to?: string; params: number[] } {
  const params: number[] = [];
  const from = parseIntervalUnit(ts);
  params.push(...parseParams(ts));
  if (!ts.isWord('TO')) return { from, params };
  ts.next();
  const toToken = ts.peek();
  const to = parseIntervalUnit(ts);
  if (!INTERVAL_RANGES.has(`${from} TO ${to}`)) ts.failAt(toToken, `an interval cannot range from ${from} to ${to}`);
  params.push(...parseParams(ts));
  return { from, to, params };
}

/**
 * An interval unit, singular or plural (`MINUTE`, `MINUTES`), returned singular upper case.
 *
 * @internal
 */
export function parseIntervalUnit(ts: TokenStream): string {
  ts.expecting('an interval unit (YEAR, MONTH, DAY, HOUR, MINUTE, SECOND)');
  const t = ts.peek();
  if (t.kind === 'word') {
    const unit = t.upper.endsWith('S') && INTERVAL_UNITS.has(t.upper.slice(0, -1)) ? t.upper.slice(0, -1) : t.upper;
    if (INTERVAL_UNITS.has(unit)) {
      ts.next();
      return unit;
    }
  }
  return ts.fail();
}
