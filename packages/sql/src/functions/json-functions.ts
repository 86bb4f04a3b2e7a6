// Built-in JSON functions: JSON_VALUE, JSON_QUERY, JSON_EXISTS, IS_JSON (the `IS JSON` predicate), JSON_STRING,
// JSON_OBJECT and JSON_ARRAY, with Flink's (Calcite's) behaviour: lax paths make a missing value "empty", strict
// paths make it an error; the defaults are NULL ON EMPTY and NULL ON ERROR (FALSE ON ERROR for JSON_EXISTS).
// The clauses come as literal arguments after the path (see each function's comment); a literal path is compiled
// once. Documents are parsed per call (json-text.ts keeps Java's number printing).
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, SqlRuntimeError, type FunctionContext, type ResolvedCall, type ScalarFunctionDefinition } from './function-definition.js';
import { defineFunction, expectString, keywordLiteral, resolved } from './define.js';
import { JsonDouble, JsonSyntaxError, isJsonScalar, parseJson, scalarText, stringifyJson, type JsonValue } from './json-text.js';
import { JsonPathError, compileJsonPath, evaluateJsonPath, type JsonPath } from './json-path.js';
import { javaDoubleToString, javaFloatToString } from './number-text.js';
import { formatIntervalDayTime, formatIntervalYearMonth, resolveCast, toStringConverter } from '../types/cast.js';
import { formatDecimal } from '../types/decimal.js';
import { formatDate, formatTime, formatTimestampIso } from '../types/temporal.js';
import { decimalType, isString, makeType, stringType, typePrecision, typeScale } from '../types/type-rules.js';

/** A path argument: compiled now when literal; a bad runtime path is an error the ON ERROR clause handles. */
function pathSource(literal: unknown): (p: string) => JsonPath | JsonPathError {
  if (typeof literal === 'string') {
    let p: JsonPath;
    try {
      p = compileJsonPath(literal);
    } catch (e) {
      throw new FunctionTypeError((e as Error).message);
    }
    return () => p;
  }
  return (text) => {
    try {
      return compileJsonPath(text);
    } catch (e) {
      if (e instanceof JsonPathError) return e;
      throw e;
    }
  };
}

type Evaluated = { readonly ok: true; readonly found: boolean; readonly value: JsonValue; readonly path: JsonPath } | { readonly ok: false; readonly error: string };

function evaluate(json: string, path: JsonPath | JsonPathError): Evaluated {
  if (path instanceof JsonPathError) return { ok: false, error: path.message };
  let doc: JsonValue;
  try {
    doc = parseJson(json);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return { ok: false, error: e.message };
    throw e;
  }
  const r = evaluateJsonPath(path, doc);
  if (!r.found) {
    if (path.mode === 'strict') return { ok: false, error: `no value at path '${path.text}'` };
    return { ok: true, found: false, value: null, path };
  }
  return { ok: true, found: true, value: r.value, path };
}

// ------------------------------------------------------------------------------------------------ JSON_VALUE

const RETURNING = /^(STRING|VARCHAR(?:\(\d+\))?|CHAR\(\d+\)|BOOLEAN|TINYINT|SMALLINT|INT|INTEGER|BIGINT|FLOAT|DOUBLE|DATE|DECIMAL(?:\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\))?)$/i;

function returningType(name: string): LogicalType {
  const m = RETURNING.exec(name.trim());
  if (!m) throw new FunctionTypeError(`JSON_VALUE: unsupported RETURNING type '${name}'`);
  const u = m[1]!.toUpperCase();
  if (u.startsWith('DECIMAL')) return decimalType(m[2] === undefined ? 10 : Number(m[2]), m[3] === undefined ? 0 : Number(m[3]), true);
  if (u === 'STRING' || u.startsWith('VARCHAR') || u.startsWith('CHAR')) return stringType(true);
  if (u === 'INT') return makeType('INTEGER', true);
  return makeType(u as LogicalType['root'], true);
}

/**
 * The behaviour of JSON_VALUE for an empty result or an error.
 *
 * @internal
 */
export type JsonValueBehavior = 'NULL' | 'ERROR';

/**
 * JSON_VALUE(json, path) returning `returning`, for a binder that has the RETURNING type as a logical type.
 * `literalPath` is the path when it is a literal (compiled now).
 *
 * @internal
 */
export function resolveJsonValue(returning: LogicalType, onEmpty: JsonValueBehavior, onError: JsonValueBehavior, ctx: FunctionContext, literalPath?: string): ResolvedCall {
  const path = pathSource(literalPath);
  const text = !isString(returning);
  const conv = text ? resolveCast(stringType(false), returning, true, ctx) : undefined;
  const empty = (p: string): null => {
    if (onEmpty === 'ERROR') throw new SqlRuntimeError(`JSON_VALUE: empty result for path '${p}'`);
    return null;
  };
  const error = (what: string): null => {
    if (onError === 'ERROR') throw new SqlRuntimeError(`JSON_VALUE: ${what}`);
    return null;
  };
  const type = { ...returning, nullable: true };
  return resolved(type, (json: string, p: string) => {
    const r = evaluate(json, path(p));
    if (!r.ok) return error(r.error);
    if (!r.found || r.value === null) return empty(p);
    const v = r.value;
    if (!isJsonScalar(v)) return r.path.mode === 'lax' ? empty(p) : error(`the value at path '${p}' is not a scalar: ${stringifyJson(v)}`);
    if (!conv) return scalarText(v);
    if (returning.root === 'BOOLEAN' && typeof v !== 'boolean' && typeof v !== 'string') return error(`${stringifyJson(v)} is not a BOOLEAN`);
    const out = conv(scalarText(v));
    return out === null ? error(`cannot convert ${stringifyJson(v)} to ${returning.root}`) : out;
  });
}

// JSON_VALUE(json, path[, returning type name[, ON EMPTY: 'NULL'|'ERROR'[, ON ERROR: 'NULL'|'ERROR']]])
const JSON_VALUE = defineFunction('JSON_VALUE', 2, 5, (types, ctx, literals) => {
  expectString('JSON_VALUE', types, 0);
  expectString('JSON_VALUE', types, 1);
  const lit = (i: number): string | undefined => {
    if (types.length <= i) return undefined;
    const v = literals[i];
    if (typeof v !== 'string') throw new FunctionTypeError('JSON_VALUE: RETURNING, ON EMPTY and ON ERROR must be literals');
    return v;
  };
  const returning = lit(2);
  const onEmpty = types.length > 3 ? (keywordLiteral('JSON_VALUE', literals, 3, ['NULL', 'ERROR']) as JsonValueBehavior) : 'NULL';
  const onError = types.length > 4 ? (keywordLiteral('JSON_VALUE', literals, 4, ['NULL', 'ERROR']) as JsonValueBehavior) : 'NULL';
  // the clause arguments after the path are literals the implementation ignores
  return resolveJsonValue(returning === undefined ? stringType(true) : returningType(returning), onEmpty, onError, ctx, typeof literals[1] === 'string' ? literals[1] : undefined);
});

// ------------------------------------------------------------------------------------------------ JSON_QUERY

const QUERY_BEHAVIORS = ['NULL', 'EMPTY ARRAY', 'EMPTY OBJECT', 'ERROR'];
const WRAPPERS = ['WITHOUT', 'WITHOUT ARRAY', 'CONDITIONAL', 'WITH CONDITIONAL', 'WITH CONDITIONAL ARRAY', 'UNCONDITIONAL', 'WITH UNCONDITIONAL', 'WITH UNCONDITIONAL ARRAY', 'WITH', 'WITH ARRAY'];

function queryBehavior(b: string, what: string): () => string | null {
  switch (b) {
    case 'EMPTY ARRAY':
      return () => '[]';
    case 'EMPTY OBJECT':
      return () => '{}';
    case 'ERROR':
      return () => {
        throw new SqlRuntimeError(`JSON_QUERY: ${what}`);
      };
    default:
      return () => null;
  }
}

// JSON_QUERY(json, path[, wrapper: 'WITHOUT'|'CONDITIONAL'|'UNCONDITIONAL'[, ON EMPTY[, ON ERROR]]]), the behaviours
// being 'NULL', 'EMPTY ARRAY', 'EMPTY OBJECT' or 'ERROR'.
const JSON_QUERY = defineFunction('JSON_QUERY', 2, 5, (types, _ctx, literals) => {
  expectString('JSON_QUERY', types, 0);
  expectString('JSON_QUERY', types, 1);
  const wrapperText = types.length > 2 ? keywordLiteral('JSON_QUERY', literals, 2, WRAPPERS) : 'WITHOUT';
  const wrapper = wrapperText.startsWith('WITHOUT') ? 'WITHOUT' : wrapperText.includes('CONDITIONAL') && !wrapperText.includes('UNCONDITIONAL') ? 'CONDITIONAL' : 'UNCONDITIONAL';
  const onEmpty = queryBehavior(types.length > 3 ? keywordLiteral('JSON_QUERY', literals, 3, QUERY_BEHAVIORS) : 'NULL', 'empty result');
  const onErrorKind = types.length > 4 ? keywordLiteral('JSON_QUERY', literals, 4, QUERY_BEHAVIORS) : 'NULL';
  const path = pathSource(literals[1]);
  return resolved(stringType(true), (json: string, p: string) => {
    const r = evaluate(json, path(p));
    if (!r.ok) return queryBehavior(onErrorKind, r.error)();
    if (!r.found || r.value === null) return onEmpty();
    const v = r.value;
    const value = wrapper === 'WITHOUT' ? v : wrapper === 'CONDITIONAL' && Array.isArray(v) ? v : [v];
    if (isJsonScalar(value)) return r.path.mode === 'lax' ? onEmpty() : queryBehavior(onErrorKind, `the value at path '${p}' is not an array or object: ${stringifyJson(value)}`)();
    return stringifyJson(value);
  });
});

// ------------------------------------------------------------------------------------------------ JSON_EXISTS, IS JSON

// JSON_EXISTS(json, path[, ON ERROR: 'TRUE'|'FALSE'|'UNKNOWN'|'ERROR'])
const JSON_EXISTS = defineFunction('JSON_EXISTS', 2, 3, (types, _ctx, literals) => {
  expectString('JSON_EXISTS', types, 0);
  expectString('JSON_EXISTS', types, 1);
  const onError = types.length > 2 ? keywordLiteral('JSON_EXISTS', literals, 2, ['TRUE', 'FALSE', 'UNKNOWN', 'ERROR']) : 'FALSE';
  const path = pathSource(literals[1]);
  return resolved(makeType('BOOLEAN', true), (json: string, p: string) => {
    const r = evaluate(json, path(p));
    if (!r.ok) {
      if (onError === 'ERROR') throw new SqlRuntimeError(`JSON_EXISTS: ${r.error}`);
      return onError === 'TRUE' ? true : onError === 'FALSE' ? false : null;
    }
    return r.found && r.value !== null;
  });
});

// IS_JSON(text[, 'VALUE'|'SCALAR'|'ARRAY'|'OBJECT']): the `text IS JSON [kind]` predicate; NULL is FALSE
const IS_JSON = defineFunction('IS_JSON', 1, 2, (types, _ctx, literals) => {
  expectString('IS_JSON', types, 0);
  const kind = types.length > 1 ? keywordLiteral('IS_JSON', literals, 1, ['VALUE', 'SCALAR', 'ARRAY', 'OBJECT']) : 'VALUE';
  return resolved(
    makeType('BOOLEAN', false),
    (s: string | null) => {
      if (s === null) return false;
      let v: JsonValue;
      try {
        v = parseJson(s);
      } catch {
        return false;
      }
      switch (kind) {
        case 'SCALAR':
          return isJsonScalar(v);
        case 'ARRAY':
          return Array.isArray(v);
        case 'OBJECT':
          return v instanceof Map;
        default:
          return true;
      }
    },
    { strictNulls: false },
  );
});

// ------------------------------------------------------------------------------------------------ serialization

/**
 * The JSON text of a SQL value of type `t` (JSON_STRING, JSON_OBJECT, JSON_ARRAY): numbers as JSON numbers (DOUBLE as
 * Java prints it), strings quoted, DATE/TIME/TIMESTAMP as ISO-8601 text, BYTES as Base64, ARRAY as an array, MAP and
 * ROW as objects (keys as text, ROW fields by name), NULL as null.
 *
 * @internal
 */
export function jsonWriter(t: LogicalType, ctx: FunctionContext): (v: any) => string {
  const nullOr = (f: (v: any) => string): ((v: any) => string) => (v) => (v === null || v === undefined ? 'null' : f(v));
  switch (t.root) {
    case 'BOOLEAN':
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return nullOr((v: unknown) => String(v));
    case 'FLOAT':
      return nullOr((v: number) => (Number.isFinite(v) ? javaFloatToString(v) : `"${javaFloatToString(v)}"`));
    case 'DOUBLE':
      return nullOr((v: number) => stringifyJson(new JsonDouble(v)));
    case 'DECIMAL': {
      const s = typeScale(t);
      return nullOr((v: bigint) => formatDecimal(v, s));
    }
    case 'CHAR':
    case 'VARCHAR':
      return nullOr((v: string) => JSON.stringify(v));
    case 'DATE':
      return nullOr((v: number) => `"${formatDate(v)}"`);
    case 'TIME': {
      const p = typePrecision(t);
      return nullOr((v: number) => `"${formatTime(v, p)}"`);
    }
    case 'TIMESTAMP':
      return nullOr((v: number) => `"${formatTimestampIso(v)}"`);
    case 'TIMESTAMP_LTZ':
      return nullOr((v: number) => `"${formatTimestampIso(v)}Z"`);
    case 'INTERVAL_YEAR_MONTH':
      return nullOr((v: number) => `"${formatIntervalYearMonth(v)}"`);
    case 'INTERVAL_DAY_TIME':
      return nullOr((v: number) => `"${formatIntervalDayTime(v)}"`);
    case 'BINARY':
    case 'VARBINARY':
      return nullOr((v: Uint8Array) => `"${Buffer.from(v).toString('base64')}"`);
    case 'ARRAY': {
      const e = jsonWriter(t.element!, ctx);
      return nullOr((v: readonly unknown[]) => `[${v.map(e).join(',')}]`);
    }
    case 'MAP':
    case 'MULTISET': {
      const keyType = t.root === 'MAP' ? t.key! : t.element!;
      const k: (x: any) => string = isString(keyType) ? (x: string) => x : toStringConverter(keyType, ctx);
      const e: (x: any) => string = t.root === 'MAP' ? jsonWriter(t.element!, ctx) : (x: number) => String(x);
      return nullOr((v: Map<unknown, unknown>) => {
        const parts: string[] = [];
        for (const [key, value] of v) parts.push(`${JSON.stringify(key === null ? 'null' : k(key))}:${e(value)}`);
        return `{${parts.join(',')}}`;
      });
    }
    case 'ROW': {
      const names = (t.fields ?? []).map((f) => JSON.stringify(f.name));
      const ws = (t.fields ?? []).map((f) => jsonWriter(f.type, ctx));
      return nullOr((v: readonly unknown[]) => {
        let s = '{';
        for (let i = 0; i < ws.length; i++) s += `${i > 0 ? ',' : ''}${names[i]!}:${ws[i]!(v[i])}`;
        return `${s}}`;
      });
    }
    case 'NULL':
      return () => 'null';
    default:
      throw new FunctionTypeError(`cannot serialize ${t.root} to JSON`);
  }
}

const JSON_STRING = defineFunction('JSON_STRING', 1, 1, (types, ctx) => {
  const w = jsonWriter(types[0]!, ctx);
  return resolved(stringType(types[0]!.nullable), w);
});

function onNullMode(name: string, literals: readonly unknown[]): 'NULL' | 'ABSENT' {
  return keywordLiteral(name, literals, 0, ['NULL', 'ABSENT']) as 'NULL' | 'ABSENT';
}

// JSON_OBJECT(ON NULL: 'NULL'|'ABSENT', key1, value1, key2, value2, ...)
const JSON_OBJECT = defineFunction('JSON_OBJECT', 1, Infinity, (types, ctx, literals) => {
  const mode = onNullMode('JSON_OBJECT', literals);
  if ((types.length - 1) % 2 !== 0) throw new FunctionTypeError('JSON_OBJECT takes key, value pairs after the ON NULL mode');
  const writers: ((v: unknown) => string)[] = [];
  for (let i = 1; i < types.length; i += 2) {
    expectString('JSON_OBJECT', types, i);
    writers.push(jsonWriter(types[i + 1]!, ctx));
  }
  return resolved(
    stringType(false),
    (_m: string, ...kv: unknown[]) => {
      let s = '{';
      let first = true;
      for (let i = 0; i < kv.length; i += 2) {
        const k = kv[i];
        if (k === null) throw new SqlRuntimeError('JSON_OBJECT: a key is NULL');
        const v = kv[i + 1];
        if (v === null && mode === 'ABSENT') continue;
        s += `${first ? '' : ','}${JSON.stringify(k)}:${writers[i / 2]!(v)}`;
        first = false;
      }
      return `${s}}`;
    },
    { strictNulls: false },
  );
});

// JSON_ARRAY(ON NULL: 'NULL'|'ABSENT', value1, value2, ...)
const JSON_ARRAY = defineFunction('JSON_ARRAY', 1, Infinity, (types, ctx, literals) => {
  const mode = onNullMode('JSON_ARRAY', literals);
  const writers = types.slice(1).map((t) => jsonWriter(t, ctx));
  return resolved(
    stringType(false),
    (_m: string, ...vs: unknown[]) => {
      const parts: string[] = [];
      for (let i = 0; i < vs.length; i++) {
        if (vs[i] === null && mode === 'ABSENT') continue;
        parts.push(writers[i]!(vs[i]));
      }
      return `[${parts.join(',')}]`;
    },
    { strictNulls: false },
  );
});

/**
 * The built-in JSON functions.
 *
 * @internal
 */
export const JSON_FUNCTIONS: readonly ScalarFunctionDefinition[] = [JSON_VALUE, JSON_QUERY, JSON_EXISTS, IS_JSON, JSON_STRING, JSON_OBJECT, JSON_ARRAY];
