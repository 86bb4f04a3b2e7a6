import { describe, expect, it } from 'vitest';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { typeName } from '../../src/types/type-rules.js';
import { fn, resolveFn, v } from './helpers.js';

function typeOf(name: string, args: unknown[]): string {
  const t = resolveFn(name, args).type;
  return `${typeName(t)}${t.nullable ? '' : ' NOT NULL'}`;
}

describe('conditional functions', () => {
  it('IF picks a branch; a NULL condition is false; the branches unify', () => {
    expect(fn('IF', [true, 5, 3])).toBe(5);
    expect(fn('IF', [false, 5, 3])).toBe(3);
    expect(fn('IF', [v(null, 'BOOLEAN?'), 1, 2])).toBe(2);
    expect(typeOf('IF', [true, 1, 2n])).toBe('BIGINT NOT NULL');
    expect(fn('IF', [true, 1, 2n])).toBe(1n);
    expect(fn('IF', [true, v(null, 'INT?'), 2])).toBeNull();
    expect(() => resolveFn('IF', [1, 2, 3])).toThrow(FunctionTypeError);
    expect(() => resolveFn('IF', [true, 1, 'a'])).toThrow(/no common type/);
  });

  it('COALESCE returns the first non-NULL argument; NOT NULL if any argument is', () => {
    expect(fn('COALESCE', [null, 'default'])).toBe('default');
    expect(fn('COALESCE', [v(null, 'INT?'), v(null, 'INT?'), 3])).toBe(3);
    expect(fn('COALESCE', [v(null, 'INT?'), v(null, 'INT?')])).toBeNull();
    expect(typeOf('COALESCE', [v(1, 'INT?'), 2])).toBe('INT NOT NULL');
    expect(typeOf('COALESCE', [v(1, 'INT?'), v(2, 'INT?')])).toBe('INT');
    expect(fn('COALESCE', [v(null, 'INT?'), v(15n, 'DECIMAL(3, 1)')])).toBe(15n);
    expect(fn('COALESCE', [v(2, 'INT?'), v(15n, 'DECIMAL(3, 1)')])).toBe(20n);
    expect(() => resolveFn('COALESCE', [1, 'a'])).toThrow(FunctionTypeError);
  });

  it('NULLIF and IFNULL', () => {
    expect(fn('NULLIF', [5, 5])).toBeNull();
    expect(fn('NULLIF', [5, 0])).toBe(5);
    expect(fn('NULLIF', [5, v(null, 'INT?')])).toBe(5);
    expect(fn('NULLIF', [1, 1n])).toBeNull();
    expect(typeOf('NULLIF', [5, 5])).toBe('INT');
    expect(fn('IFNULL', [v(null, 'INT?'), 5])).toBe(5);
    expect(fn('IFNULL', [v(3, 'INT?'), 5])).toBe(3);
    expect(typeOf('IFNULL', [v(3, 'INT?'), 5])).toBe('INT NOT NULL');
    expect(typeOf('IFNULL', [3, v(5, 'INT?')])).toBe('INT');
  });

  it('GREATEST and LEAST (NULL if any argument is NULL)', () => {
    expect(fn('GREATEST', [1, 3, 2])).toBe(3);
    expect(fn('LEAST', [1, 3, 2])).toBe(1);
    expect(fn('GREATEST', [1, v(null, 'INT?')])).toBeNull();
    expect(fn('GREATEST', ['apple', 'banana'])).toBe('banana');
    expect(fn('LEAST', [2, 1.5])).toBe(1.5);
    expect(typeOf('GREATEST', [2, 1.5])).toBe('DOUBLE NOT NULL');
    expect(fn('GREATEST', [1, 2n, 3])).toBe(3n);
    expect(() => resolveFn('GREATEST', [1, 'a'])).toThrow(FunctionTypeError);
  });
});
