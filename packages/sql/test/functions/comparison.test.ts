import { describe, expect, it } from 'vitest';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { compareStrings, resolveEquality, resolveOrdering } from '../../src/functions/comparison-operators.js';
import { date, op, resolveOp, ts, type, v } from './helpers.js';

describe('numeric comparisons', () => {
  it('compares integers, BIGINT and DECIMAL exactly across types', () => {
    expect(op('=', [1, 1n])).toBe(true);
    expect(op('<>', [1, 2n])).toBe(true);
    expect(op('<', [2147483647, 2147483648n])).toBe(true);
    expect(op('=', [9007199254740993n, 9007199254740992n])).toBe(false);
    expect(op('<', [1, v(15n, 'DECIMAL(2, 1)')])).toBe(true);
    expect(op('=', [v(150n, 'DECIMAL(3, 2)'), v(15n, 'DECIMAL(2, 1)')])).toBe(true);
    expect(op('>=', [v(-1n, 'DECIMAL(3, 2)'), 0])).toBe(false);
    expect(op('=', [v(10n ** 30n, 'DECIMAL(38, 0)'), v(10n ** 32n, 'DECIMAL(38, 2)')])).toBe(true);
  });

  it('compares with FLOAT/DOUBLE as doubles (Java)', () => {
    expect(op('=', [1, v(1, 'DOUBLE')])).toBe(true);
    // (double) 9007199254740993L == 9007199254740992.0 in Java
    expect(op('=', [9007199254740993n, v(9007199254740992, 'DOUBLE')])).toBe(true);
    expect(op('<', [v(15n, 'DECIMAL(2, 1)'), 1.6])).toBe(true);
    expect(op('=', [v(NaN, 'DOUBLE'), v(NaN, 'DOUBLE')])).toBe(false);
  });

  it('is NULL when an operand is NULL', () => {
    expect(op('=', [null, 1])).toBeNull();
    expect(op('<', [v(null, 'INT?'), 1])).toBeNull();
    expect(resolveOp('=', [v(1, 'INT?'), 1]).type).toEqual({ root: 'BOOLEAN', nullable: true });
    expect(resolveOp('=', [1, 1]).type).toEqual({ root: 'BOOLEAN', nullable: false });
  });
});

describe('other comparisons', () => {
  it('compares strings in code point order (Flink compares UTF-8 bytes)', () => {
    expect(op('<', ['a', 'b'])).toBe(true);
    expect(op('<', ['B', 'a'])).toBe(true);
    expect(op('<', ['ab', 'abc'])).toBe(true);
    expect(op('=', [v('ab', 'CHAR(2)'), 'ab'])).toBe(true);
    // U+FFFF sorts before U+10000, although its UTF-16 code unit is larger than the surrogate's
    expect(op('<', ['\uffff', '\u{10000}'])).toBe(true);
    expect(compareStrings('\u{10000}', '\uffff')).toBe(1);
    expect(compareStrings('x', 'x')).toBe(0);
  });

  it('compares booleans, bytes, dates, times and intervals', () => {
    expect(op('<', [false, true])).toBe(true);
    expect(op('<', [v(new Uint8Array([1, 255]), 'BYTES'), v(new Uint8Array([2]), 'BYTES')])).toBe(true);
    expect(op('>', [v(new Uint8Array([1, 2]), 'BYTES'), v(new Uint8Array([1]), 'BYTES')])).toBe(true);
    expect(op('=', [v(new Uint8Array([1, 2]), 'BYTES'), v(new Uint8Array([1, 2]), 'BINARY(2)')])).toBe(true);
    expect(op('<', [v(date(2020, 1, 1), 'DATE'), v(date(2020, 1, 2), 'DATE')])).toBe(true);
    expect(op('<=', [v(1000, 'TIME(0)'), v(1000, 'TIME(0)')])).toBe(true);
    expect(op('>', [v(2, 'INTERVAL_YM'), v(1, 'INTERVAL_YM')])).toBe(true);
  });

  it('compares DATE with TIMESTAMP, and TIMESTAMP with TIMESTAMP_LTZ in the session time zone', () => {
    expect(op('=', [v(date(2020, 1, 1), 'DATE'), v(ts(2020, 1, 1), 'TIMESTAMP(3)')])).toBe(true);
    expect(op('<', [v(date(2020, 1, 1), 'DATE'), v(ts(2020, 1, 1, 0, 0, 0, 1), 'TIMESTAMP(3)')])).toBe(true);
    const sh = { localTimeZone: 'Asia/Shanghai' };
    expect(op('=', [v(ts(2020, 1, 1, 8), 'TIMESTAMP(3)'), v(Date.UTC(2020, 0, 1), 'TIMESTAMP_LTZ(3)')], sh)).toBe(true);
    expect(op('=', [v(Date.UTC(2020, 0, 1), 'TIMESTAMP_LTZ(3)'), v(date(2020, 1, 1), 'DATE')], { localTimeZone: 'UTC' })).toBe(true);
  });

  it('compares arrays, maps and rows for equality only', () => {
    expect(op('=', [v([1, 2], 'ARRAY<INT>'), v([1, 2], 'ARRAY<INT>')])).toBe(true);
    expect(op('<>', [v([1, 2], 'ARRAY<INT>'), v([1, 3], 'ARRAY<INT>')])).toBe(true);
    expect(op('=', [v([1, null], 'ARRAY<INT?>'), v([1, null], 'ARRAY<INT?>')])).toBe(true);
    expect(op('=', [v([1, 2], 'ARRAY<INT>'), v([1n, 2n], 'ARRAY<BIGINT>')])).toBe(true);
    expect(op('=', [v(new Map([['a', 1], ['b', 2]]), 'MAP<STRING, INT>'), v(new Map([['b', 2], ['a', 1]]), 'MAP<STRING, INT>')])).toBe(true);
    expect(op('=', [v(new Map([['a', 1]]), 'MAP<STRING, INT>'), v(new Map([['a', 2]]), 'MAP<STRING, INT>')])).toBe(false);
    expect(op('=', [v([1, 'x'], 'ROW<a INT, b STRING>'), v([1, 'x'], 'ROW<c INT, d STRING>')])).toBe(true);
    expect(() => resolveOp('<', [v([1], 'ARRAY<INT>'), v([1], 'ARRAY<INT>')])).toThrow(FunctionTypeError);
  });

  it('refuses to compare incompatible types', () => {
    expect(() => resolveOp('=', [1, 'a'])).toThrow('cannot compare INT and STRING');
    expect(() => resolveOp('<', [true, 1])).toThrow('cannot compare BOOLEAN and INT');
    expect(() => resolveOp('=', [v(0, 'DATE'), v(0, 'TIME(0)')])).toThrow(FunctionTypeError);
    expect(() => resolveOp('=', [v(0, 'DATE'), 'x'])).toThrow('cannot compare DATE and STRING');
    expect(() => resolveOp('=', [v(1, 'INTERVAL_YM'), v(1, 'INTERVAL_DT')])).toThrow(FunctionTypeError);
  });
});

describe('orderings and equalities', () => {
  it('orders doubles as Java (NaN last, -0.0 before 0.0)', () => {
    const xs = [NaN, 1, -0, 0, -Infinity, 2];
    xs.sort(resolveOrdering(type('DOUBLE')));
    expect(xs.map((x) => (Object.is(x, -0) ? '-0' : String(x)))).toEqual(['-Infinity', '-0', '0', '1', '2', 'NaN']);
  });

  it('orders arrays and rows lexicographically with NULL first', () => {
    const cmp = resolveOrdering(type('ARRAY<INT?>'));
    expect(cmp([1, 2], [1, 3])).toBe(-1);
    expect(cmp([1], [1, 0])).toBe(-1);
    expect(cmp([null], [0])).toBe(-1);
    expect(resolveOrdering(type('ROW<a STRING, b BIGINT>'))(['a', 2n], ['a', 1n])).toBe(1);
    expect(() => resolveOrdering(type('MAP<INT, INT>'))).toThrow(FunctionTypeError);
  });

  it('checks deep equality', () => {
    expect(resolveEquality(type('ARRAY<BYTES>'))([new Uint8Array([1])], [new Uint8Array([1])])).toBe(true);
    expect(resolveEquality(type('MAP<ARRAY<INT>, INT>'))(new Map([[[1], 2]]), new Map([[[1], 2]]))).toBe(true);
  });
});
