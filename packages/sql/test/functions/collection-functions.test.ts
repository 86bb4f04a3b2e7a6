import { describe, expect, it } from 'vitest';
import { FunctionTypeError, SqlRuntimeError } from '../../src/functions/function-definition.js';
import { fn, resolveFn, v } from './helpers.js';

const arr = (xs: unknown[], t = 'ARRAY<INT?>'): unknown => v(xs, t);
const map = (entries: [unknown, unknown][], t = 'MAP<STRING, INT?>'): unknown => v(new Map(entries), t);

describe('collection functions', () => {
  it('CARDINALITY and ELEMENT', () => {
    expect(fn('CARDINALITY', [arr([1, 2, 3])])).toBe(3);
    expect(fn('CARDINALITY', [map([['a', 1]])])).toBe(1);
    expect(fn('CARDINALITY', [v(new Map([['a', 2], ['b', 1]]), 'MULTISET<STRING>')])).toBe(3);
    expect(fn('CARDINALITY', [v(null, 'ARRAY<INT>?')])).toBeNull();
    expect(fn('ELEMENT', [arr([])])).toBeNull();
    expect(fn('ELEMENT', [arr([7])])).toBe(7);
    expect(() => fn('ELEMENT', [arr([1, 2])])).toThrow(SqlRuntimeError);
    expect(() => resolveFn('CARDINALITY', ['x'])).toThrow(FunctionTypeError);
  });

  it('ARRAY_CONTAINS finds NULL elements and converts the needle', () => {
    expect(fn('ARRAY_CONTAINS', [arr([1, 2, null]), v(null, 'INT?')])).toBe(true);
    expect(fn('ARRAY_CONTAINS', [arr([1, 2]), v(null, 'INT?')])).toBe(false);
    expect(fn('ARRAY_CONTAINS', [arr([1, 2]), 2])).toBe(true);
    expect(fn('ARRAY_CONTAINS', [arr([1, 2]), 3])).toBe(false);
    expect(fn('ARRAY_CONTAINS', [arr([1, 2]), 2n])).toBe(true);
    expect(fn('ARRAY_CONTAINS', [arr([1, 2]), v(2, 'DOUBLE')])).toBe(true);
    expect(fn('ARRAY_CONTAINS', [v(null, 'ARRAY<INT>?'), 1])).toBeNull();
    expect(fn('ARRAY_CONTAINS', [arr([[1], [2]], 'ARRAY<ARRAY<INT>>'), v([2], 'ARRAY<INT>')])).toBe(true);
    expect(() => resolveFn('ARRAY_CONTAINS', [arr([1]), 'a'])).toThrow(/not comparable/);
  });

  it('ARRAY_POSITION, ARRAY_REMOVE, ARRAY_DISTINCT, ARRAY_REVERSE', () => {
    expect(fn('ARRAY_POSITION', [arr([5, 6, 6]), 6])).toBe(2);
    expect(fn('ARRAY_POSITION', [arr([5, 6]), 7])).toBe(0);
    expect(fn('ARRAY_POSITION', [arr([5, 6]), v(null, 'INT?')])).toBeNull();
    expect(fn('ARRAY_REMOVE', [arr([1, 2, 1, null]), 1])).toEqual([2, null]);
    expect(fn('ARRAY_REMOVE', [arr([1, null]), v(null, 'INT?')])).toEqual([1]);
    expect(fn('ARRAY_DISTINCT', [arr([1, 2, 1, null, null])])).toEqual([1, 2, null]);
    expect(fn('ARRAY_DISTINCT', [arr([[1], [1], [2]], 'ARRAY<ARRAY<INT>>')])).toEqual([[1], [2]]);
    expect(fn('ARRAY_REVERSE', [arr([1, 2, 3])])).toEqual([3, 2, 1]);
  });

  it('MAP_KEYS, MAP_VALUES, MAP_FROM_ARRAYS', () => {
    const m = map([
      ['a', 1],
      ['b', null],
    ]);
    expect(fn('MAP_KEYS', [m])).toEqual(['a', 'b']);
    expect(fn('MAP_VALUES', [m])).toEqual([1, null]);
    expect(resolveFn('MAP_KEYS', [m]).type).toEqual({ root: 'ARRAY', nullable: false, element: { root: 'VARCHAR', nullable: false, precision: 2147483647 } });
    expect(fn('MAP_FROM_ARRAYS', [v(['a', 'b'], 'ARRAY<STRING>'), arr([1, 2])])).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    expect(() => fn('MAP_FROM_ARRAYS', [v(['a'], 'ARRAY<STRING>'), arr([1, 2])])).toThrow(SqlRuntimeError);
  });

  it('ITEM: 1-based array subscripts and map lookups', () => {
    expect(fn('ITEM', [arr([10, 20, 30]), 1])).toBe(10);
    expect(fn('ITEM', [arr([10, 20, 30]), 3])).toBe(30);
    expect(fn('ITEM', [arr([10, 20, 30]), 0])).toBeNull();
    expect(fn('ITEM', [arr([10, 20, 30]), 4])).toBeNull();
    expect(fn('ITEM', [arr([10, 20, 30]), 2n])).toBe(20);
    expect(resolveFn('ITEM', [v([1], 'ARRAY<INT>'), 1]).type).toEqual({ root: 'INTEGER', nullable: true });
    expect(fn('ITEM', [map([['a', 1]]), 'a'])).toBe(1);
    expect(fn('ITEM', [map([['a', 1]]), v('a', 'CHAR(1)')])).toBe(1);
    expect(fn('ITEM', [map([['a', 1]]), 'b'])).toBeNull();
    expect(fn('ITEM', [v(new Map([[5n, 'x']]), 'MAP<BIGINT, STRING>'), 5])).toBe('x');
    expect(fn('ITEM', [v(new Map([[5, 'x']]), 'MAP<INT, STRING>'), 5n])).toBe('x');
    expect(fn('ITEM', [v(new Map([[[1, 2], 'x']]), 'MAP<ARRAY<INT>, STRING>'), v([1, 2], 'ARRAY<INT>')])).toBe('x');
    expect(() => resolveFn('ITEM', [arr([1]), 'a'])).toThrow(FunctionTypeError);
    expect(() => resolveFn('ITEM', ['abc', 1])).toThrow(FunctionTypeError);
  });
});
