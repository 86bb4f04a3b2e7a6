import { describe, expect, it } from 'vitest';
import { FunctionTypeError, SqlRuntimeError } from '../../src/functions/function-definition.js';
import { resolveJsonValue } from '../../src/functions/json-functions.js';
import { JsonSyntaxError, parseJson, stringifyJson } from '../../src/functions/json-text.js';
import { UTC, col, date, fn, resolveFn, ts, type, v } from './helpers.js';

describe('JSON text', () => {
  it('keeps integers exact and prints doubles as Java', () => {
    expect(stringifyJson(parseJson('{"b":1,"a":[1.50,1e2,-0.0,12345678901234567890,"x\\n"],"c":null,"d":true}'))).toBe(
      '{"b":1,"a":[1.5,100.0,-0.0,12345678901234567890,"x\\n"],"c":null,"d":true}',
    );
    expect(stringifyJson(parseJson(' [ ] '))).toBe('[]');
    for (const bad of ['', '{', '[1,]', '{"a" 1}', '01', '"\\x"', 'tru', '1 2', "{'a':1}"]) expect(() => parseJson(bad), bad).toThrow(JsonSyntaxError);
  });
});

describe('JSON_VALUE (Flink documentation examples)', () => {
  it('extracts scalars as STRING by default', () => {
    expect(fn('JSON_VALUE', ['{"a": true}', '$.a'])).toBe('true');
    expect(fn('JSON_VALUE', ['{"a": {"b": [10, "x"]}}', '$.a.b[1]'])).toBe('x');
    expect(fn('JSON_VALUE', ['{"a": 1.0}', '$.a'])).toBe('1.0');
    expect(fn('JSON_VALUE', ['{"a": 1e2}', '$.a'])).toBe('100.0');
    expect(fn('JSON_VALUE', ['{"a": 12345678901234567890}', '$.a'])).toBe('12345678901234567890');
    expect(fn('JSON_VALUE', ['{"contains blank": "right"}', "strict $.['contains blank']"])).toBe('right');
    expect(fn('JSON_VALUE', ['{"a.b": [0.998,0.996]}', '$.["a.b"][0]'])).toBe('0.998');
  });

  it('converts to the RETURNING type', () => {
    expect(fn('JSON_VALUE', ['{"a": true}', '$.a', 'BOOLEAN'])).toBe(true);
    expect(fn('JSON_VALUE', ['{"a.b": [0.998,0.996]}', '$.["a.b"][0]', 'DOUBLE'])).toBe(0.998);
    expect(fn('JSON_VALUE', ['{"a": 42}', '$.a', 'INT'])).toBe(42);
    expect(fn('JSON_VALUE', ['{"a": "42"}', '$.a', 'BIGINT'])).toBe(42n);
    expect(fn('JSON_VALUE', ['{"a": 1.255}', '$.a', 'DECIMAL(4, 2)'])).toBe(126n);
    expect(fn('JSON_VALUE', ['{"a": "x"}', '$.a', 'INT'])).toBeNull();
    expect(() => fn('JSON_VALUE', ['{"a": "x"}', '$.a', 'INT', 'NULL', 'ERROR'])).toThrow(SqlRuntimeError);
    expect(() => resolveFn('JSON_VALUE', ['{}', '$.a', 'GEOMETRY'])).toThrow(FunctionTypeError);
    const call = resolveJsonValue(type('BOOLEAN'), 'NULL', 'NULL', UTC, '$.a');
    expect(call.impl('{"a": false}', '$.a')).toBe(false);
    expect(call.type).toEqual({ root: 'BOOLEAN', nullable: true });
  });

  it('is NULL ON EMPTY and NULL ON ERROR by default; lax makes a missing value empty, strict an error', () => {
    expect(fn('JSON_VALUE', ['{"a": true}', 'lax $.b'])).toBeNull();
    expect(fn('JSON_VALUE', ['{"a": true}', 'strict $.b'])).toBeNull();
    expect(() => fn('JSON_VALUE', ['{"a": true}', 'lax $.b', 'STRING', 'ERROR'])).toThrow(/empty/);
    expect(fn('JSON_VALUE', ['{"a": true}', 'lax $.b', 'STRING', 'NULL', 'ERROR'])).toBeNull();
    expect(() => fn('JSON_VALUE', ['{"a": true}', 'strict $.b', 'STRING', 'NULL', 'ERROR'])).toThrow(SqlRuntimeError);
    expect(fn('JSON_VALUE', ['{"a": [1]}', '$.a'])).toBeNull();
    expect(fn('JSON_VALUE', ['{"a": null}', '$.a'])).toBeNull();
    expect(fn('JSON_VALUE', ['not json', '$.a'])).toBeNull();
    expect(fn('JSON_VALUE', [v(null, 'STRING?'), '$.a'])).toBeNull();
  });

  it('compiles a literal path once; a bad literal path is a planning error, a bad column path NULL', () => {
    expect(() => resolveFn('JSON_VALUE', ['{}', '$.a[?(@.b > 1)]'])).toThrow(/filters are not supported/);
    expect(() => resolveFn('JSON_VALUE', ['{}', 'a.b'])).toThrow(/must start with \$/);
    expect(fn('JSON_VALUE', ['{"a": 1}', col('a.b', 'STRING')])).toBeNull();
    expect(fn('JSON_VALUE', ['{"a": 1}', col('$.a', 'STRING')])).toBe('1');
  });
});

describe('JSON_QUERY (Flink documentation examples)', () => {
  it('extracts objects and arrays as JSON text', () => {
    expect(fn('JSON_QUERY', ['{ "a": { "b": 1 } }', '$.a'])).toBe('{"b":1}');
    expect(fn('JSON_QUERY', ['[1, 2]', '$'])).toBe('[1,2]');
    expect(fn('JSON_QUERY', [v(null, 'STRING?'), '$'])).toBeNull();
    expect(fn('JSON_QUERY', ['{"a":[{"c":"c1"},{"c":"c2"}]}', 'lax $.a[*].c'])).toBe('["c1","c2"]');
    expect(fn('JSON_QUERY', ['{"a":{"x":{"id":1},"y":[{"id":2}]}}', '$..id'])).toBe('[1,2]');
  });

  it('wraps into an array', () => {
    expect(fn('JSON_QUERY', ['{}', '$', 'CONDITIONAL'])).toBe('[{}]');
    expect(fn('JSON_QUERY', ['[1, 2]', '$', 'WITH CONDITIONAL ARRAY'])).toBe('[1,2]');
    expect(fn('JSON_QUERY', ['[1, 2]', '$', 'UNCONDITIONAL'])).toBe('[[1,2]]');
    expect(fn('JSON_QUERY', ['1', '$'])).toBeNull();
    expect(fn('JSON_QUERY', ['1', '$', 'CONDITIONAL'])).toBe('[1]');
  });

  it('applies ON EMPTY and ON ERROR', () => {
    expect(fn('JSON_QUERY', ['{}', 'lax $.invalid', 'WITHOUT', 'EMPTY OBJECT'])).toBe('{}');
    expect(fn('JSON_QUERY', ['{}', 'strict $.invalid', 'WITHOUT', 'NULL', 'EMPTY ARRAY'])).toBe('[]');
    expect(() => fn('JSON_QUERY', ['{}', 'strict $.invalid', 'WITHOUT', 'NULL', 'ERROR'])).toThrow(SqlRuntimeError);
    expect(() => fn('JSON_QUERY', ['{}', 'lax $.invalid', 'WITHOUT', 'ERROR'])).toThrow(SqlRuntimeError);
    expect(fn('JSON_QUERY', ['{', '$'])).toBeNull();
  });
});

describe('JSON_EXISTS and IS_JSON (Flink documentation examples)', () => {
  it('JSON_EXISTS', () => {
    expect(fn('JSON_EXISTS', ['{"a": true}', '$.a'])).toBe(true);
    expect(fn('JSON_EXISTS', ['{"a": true}', '$.b'])).toBe(false);
    expect(fn('JSON_EXISTS', ['{"a": [{ "b": 1 }]}', '$.a[0].b'])).toBe(true);
    expect(fn('JSON_EXISTS', ['{"a": true}', 'strict $.b', 'TRUE'])).toBe(true);
    expect(fn('JSON_EXISTS', ['{"a": true}', 'strict $.b', 'FALSE'])).toBe(false);
    expect(fn('JSON_EXISTS', ['{"a": true}', 'strict $.b', 'UNKNOWN'])).toBeNull();
    expect(() => fn('JSON_EXISTS', ['{"a": true}', 'strict $.b', 'ERROR'])).toThrow(SqlRuntimeError);
    expect(fn('JSON_EXISTS', ['oops', '$.a'])).toBe(false);
  });

  it('IS_JSON', () => {
    for (const s of ['1', '[]', '{}', '"abc"']) expect(fn('IS_JSON', [s])).toBe(true);
    expect(fn('IS_JSON', ['abc'])).toBe(false);
    expect(fn('IS_JSON', [v(null, 'STRING?')])).toBe(false);
    expect(fn('IS_JSON', ['1', 'SCALAR'])).toBe(true);
    expect(fn('IS_JSON', ['1', 'ARRAY'])).toBe(false);
    expect(fn('IS_JSON', ['1', 'OBJECT'])).toBe(false);
    expect(fn('IS_JSON', ['{}', 'SCALAR'])).toBe(false);
    expect(fn('IS_JSON', ['{}', 'ARRAY'])).toBe(false);
    expect(fn('IS_JSON', ['{}', 'OBJECT'])).toBe(true);
  });
});

describe('JSON construction (Flink documentation examples)', () => {
  it('JSON_STRING', () => {
    expect(fn('JSON_STRING', [v(null, 'INT?')])).toBeNull();
    expect(fn('JSON_STRING', [1])).toBe('1');
    expect(fn('JSON_STRING', [true])).toBe('true');
    expect(fn('JSON_STRING', ['Hello, World!'])).toBe('"Hello, World!"');
    expect(fn('JSON_STRING', [v([1, 2], 'ARRAY<INT>')])).toBe('[1,2]');
    expect(fn('JSON_STRING', [v(1, 'DOUBLE')])).toBe('1.0');
    expect(fn('JSON_STRING', [v(150n, 'DECIMAL(5, 2)')])).toBe('1.50');
    expect(fn('JSON_STRING', [v(2n ** 63n - 1n, 'BIGINT')])).toBe('9223372036854775807');
    expect(fn('JSON_STRING', [v(date(2020, 1, 2), 'DATE')])).toBe('"2020-01-02"');
    expect(fn('JSON_STRING', [v(ts(2020, 1, 2, 3, 4, 5), 'TIMESTAMP(3)')])).toBe('"2020-01-02T03:04:05"');
    expect(fn('JSON_STRING', [v([1, 'x', null], 'ROW<a INT, b STRING, c INT?>')])).toBe('{"a":1,"b":"x","c":null}');
    expect(fn('JSON_STRING', [v(new Map([[1, 'x']]), 'MAP<INT, STRING>')])).toBe('{"1":"x"}');
    expect(fn('JSON_STRING', [v(new Uint8Array([1, 2]), 'BYTES')])).toBe('"AQI="');
  });

  it('JSON_OBJECT and JSON_ARRAY with NULL/ABSENT ON NULL', () => {
    expect(fn('JSON_OBJECT', ['NULL'])).toBe('{}');
    expect(fn('JSON_OBJECT', ['NULL', 'K1', 'V1', 'K2', 'V2'])).toBe('{"K1":"V1","K2":"V2"}');
    expect(fn('JSON_OBJECT', ['NULL', 'K1', v(null, 'STRING?')])).toBe('{"K1":null}');
    expect(fn('JSON_OBJECT', ['ABSENT', 'K1', v(null, 'STRING?')])).toBe('{}');
    expect(fn('JSON_OBJECT', ['NULL', 'n', 1, 'd', 2.5])).toBe('{"n":1,"d":2.5}');
    expect(fn('JSON_ARRAY', ['ABSENT'])).toBe('[]');
    expect(fn('JSON_ARRAY', ['ABSENT', 1, '2'])).toBe('[1,"2"]');
    expect(fn('JSON_ARRAY', ['NULL', v(null, 'STRING?')])).toBe('[null]');
    expect(fn('JSON_ARRAY', ['ABSENT', v(null, 'STRING?')])).toBe('[]');
    expect(() => resolveFn('JSON_OBJECT', ['NULL', 'K1'])).toThrow(FunctionTypeError);
    expect(() => resolveFn('JSON_ARRAY', ['SOMETIMES', 1])).toThrow(FunctionTypeError);
  });
});
