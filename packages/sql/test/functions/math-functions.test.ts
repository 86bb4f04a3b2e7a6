import { describe, expect, it } from 'vitest';
import { FunctionTypeError, SqlRuntimeError } from '../../src/functions/function-definition.js';
import { JavaRandom } from '../../src/functions/math-functions.js';
import { typeName } from '../../src/types/type-rules.js';
import { col, fn, resolveFn, v } from './helpers.js';

function typeOf(name: string, args: unknown[]): string {
  const t = resolveFn(name, args).type;
  return `${typeName(t)}${t.nullable ? '' : ' NOT NULL'}`;
}

describe('ABS, SIGN, MOD', () => {
  it('keep the argument type', () => {
    expect(fn('ABS', [-5])).toBe(5);
    expect(fn('ABS', [-2147483648])).toBe(-2147483648);
    expect(fn('ABS', [-(2n ** 63n)])).toBe(-(2n ** 63n));
    expect(fn('ABS', [v(-150n, 'DECIMAL(5, 2)')])).toBe(150n);
    expect(fn('ABS', [-1.5])).toBe(1.5);
    expect(typeOf('ABS', [v(-150n, 'DECIMAL(5, 2)')])).toBe('DECIMAL(5, 2) NOT NULL');
    expect(fn('SIGN', [-3.5])).toBe(-1);
    expect(fn('SIGN', [0])).toBe(0);
    expect(fn('SIGN', [7n])).toBe(1n);
    expect(fn('SIGN', [v(-350n, 'DECIMAL(4, 2)')])).toBe(-100n);
    expect(fn('MOD', [7, 3])).toBe(1);
    expect(fn('MOD', [-7, 3])).toBe(-1);
    expect(() => fn('MOD', [7, 0])).toThrow('division by zero');
    expect(() => resolveFn('ABS', ['x'])).toThrow(FunctionTypeError);
  });
});

describe('transcendental functions return DOUBLE', () => {
  it('computes them', () => {
    expect(fn('POWER', [2, 10])).toBe(1024);
    expect(fn('POW', [v(4n, 'DECIMAL(2, 0)'), 0.5])).toBe(2);
    expect(fn('SQRT', [16])).toBe(4);
    expect(fn('EXP', [0])).toBe(1);
    expect(fn('LN', [Math.E])).toBe(1);
    expect(fn('LOG10', [1000])).toBe(3);
    expect(fn('LOG2', [8])).toBe(3);
    expect(fn('LOG', [Math.E])).toBe(1);
    expect(fn('LOG', [2, 8])).toBe(3);
    expect(fn('SIN', [0])).toBe(0);
    expect(fn('COS', [0])).toBe(1);
    expect(fn('COT', [Math.PI / 4])).toBeCloseTo(1, 12);
    expect(fn('ATAN2', [1, 1])).toBeCloseTo(Math.PI / 4, 15);
    expect(fn('DEGREES', [Math.PI])).toBe(180);
    expect(fn('RADIANS', [180])).toBe(Math.PI);
    expect(fn('SINH', [0])).toBe(0);
    expect(fn('SQRT', [-1])).toBeNaN();
    expect(fn('PI', [])).toBe(Math.PI);
    expect(fn('E', [])).toBe(Math.E);
    expect(typeOf('SQRT', [v(4, 'INT?')])).toBe('DOUBLE');
  });
});

describe('ROUND and TRUNCATE', () => {
  it('round doubles HALF_UP through their decimal text', () => {
    expect(fn('ROUND', [2.675, 2])).toBe(2.68);
    expect(fn('ROUND', [-2.5, 0])).toBe(-3);
    expect(fn('ROUND', [2.5])).toBe(3);
    expect(fn('ROUND', [1234.5678, -2])).toBe(1200);
    expect(fn('ROUND', [1449.6, -2])).toBe(1400);
    // FLOAT 1.15 is 1.149999976158142 as a double (what Flink's BigDecimal.valueOf sees)
    expect(fn('ROUND', [v(Math.fround(1.15), 'FLOAT'), 1])).toBe(Math.fround(1.1));
    expect(fn('ROUND', [v(Math.fround(1.25), 'FLOAT'), 1])).toBe(Math.fround(1.3));
    expect(fn('TRUNCATE', [42.324, 2])).toBe(42.32);
    expect(fn('TRUNCATE', [42.324])).toBe(42);
    expect(fn('TRUNCATE', [-42.329, 2])).toBe(-42.32);
    expect(fn('TRUNCATE', [1234.5, -2])).toBe(1200);
  });

  it('round integers to tens, hundreds', () => {
    expect(fn('ROUND', [125, -1])).toBe(130);
    expect(fn('ROUND', [-125, -1])).toBe(-130);
    expect(fn('ROUND', [125, 2])).toBe(125);
    expect(fn('TRUNCATE', [129, -1])).toBe(120);
    expect(fn('ROUND', [9223372036854775807n, -1])).toBe(-9223372036854775806n);
    expect(typeOf('ROUND', [125, -1])).toBe('INT NOT NULL');
  });

  it("round DECIMAL exactly with Flink's result type", () => {
    expect(typeOf('ROUND', [v(12345n, 'DECIMAL(5, 3)'), 2])).toBe('DECIMAL(5, 2) NOT NULL');
    expect(fn('ROUND', [v(12345n, 'DECIMAL(5, 3)'), 2])).toBe(1235n);
    expect(fn('ROUND', [v(-12345n, 'DECIMAL(5, 3)'), 2])).toBe(-1235n);
    expect(typeOf('ROUND', [v(99999n, 'DECIMAL(5, 2)'), 0])).toBe('DECIMAL(4, 0) NOT NULL');
    expect(fn('ROUND', [v(99999n, 'DECIMAL(5, 2)'), 0])).toBe(1000n);
    expect(typeOf('ROUND', [v(-12345n, 'DECIMAL(5, 3)'), -1])).toBe('DECIMAL(3, 0) NOT NULL');
    expect(fn('ROUND', [v(-12345n, 'DECIMAL(5, 3)'), -1])).toBe(-10n);
    expect(typeOf('ROUND', [v(12345n, 'DECIMAL(5, 3)'), 5])).toBe('DECIMAL(5, 3) NOT NULL');
    expect(fn('ROUND', [v(12345n, 'DECIMAL(5, 3)')])).toBe(12n);
    expect(fn('TRUNCATE', [v(12349n, 'DECIMAL(5, 3)'), 2])).toBe(1234n);
    // digits only known at runtime: the type stays, the value is rounded within it
    expect(typeOf('ROUND', [v(12345n, 'DECIMAL(5, 3)'), col(2, 'INT')])).toBe('DECIMAL(5, 3) NOT NULL');
    expect(fn('ROUND', [v(12345n, 'DECIMAL(5, 3)'), col(2, 'INT')])).toBe(12350n);
  });
});

describe('FLOOR and CEIL of numbers', () => {
  it('keep integers, round floating point, drop the DECIMAL scale', () => {
    expect(fn('FLOOR', [-1.5])).toBe(-2);
    expect(fn('CEIL', [1.2])).toBe(2);
    expect(fn('CEILING', [-1.2])).toBe(-1);
    expect(fn('FLOOR', [7])).toBe(7);
    expect(fn('CEIL', [7n])).toBe(7n);
    expect(typeOf('FLOOR', [v(-15n, 'DECIMAL(3, 1)')])).toBe('DECIMAL(3, 0) NOT NULL');
    expect(fn('FLOOR', [v(-15n, 'DECIMAL(3, 1)')])).toBe(-2n);
    expect(fn('CEIL', [v(-15n, 'DECIMAL(3, 1)')])).toBe(-1n);
    expect(fn('CEIL', [v(99n, 'DECIMAL(2, 2)')])).toBe(1n);
  });
});

describe('random numbers', () => {
  it("reproduces java.util.Random's sequences for a seed", () => {
    const r = new JavaRandom(42);
    expect(r.nextDouble()).toBe(0.7275636800328681);
    expect(r.nextDouble()).toBe(0.6832234717598454);
    expect(new JavaRandom(42).nextInt(10)).toBe(0);
    expect(new JavaRandom(-1).nextDouble()).toBeGreaterThanOrEqual(0);
    expect(() => new JavaRandom(1).nextInt(0)).toThrow(SqlRuntimeError);
  });

  it('RAND(seed) continues one sequence per seed; RAND() and RAND_INTEGER are in range and non-deterministic', () => {
    const call = resolveFn('RAND', [42]);
    expect(call.deterministic).toBe(false);
    expect(call.impl(42)).toBe(0.7275636800328681);
    expect(call.impl(42)).toBe(0.6832234717598454);
    const r = resolveFn('RAND', []);
    for (let i = 0; i < 100; i++) {
      const x = r.impl() as number;
      expect(x >= 0 && x < 1).toBe(true);
    }
    const ri = resolveFn('RAND_INTEGER', [10]);
    for (let i = 0; i < 100; i++) {
      const x = ri.impl(10) as number;
      expect(Number.isInteger(x) && x >= 0 && x < 10).toBe(true);
    }
    expect(resolveFn('RAND_INTEGER', [42, 10]).impl(42, 10)).toBe(0);
    expect(() => fn('RAND_INTEGER', [0])).toThrow(SqlRuntimeError);
  });
});
