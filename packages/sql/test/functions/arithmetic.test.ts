import { describe, expect, it } from 'vitest';
import { FunctionTypeError, SqlRuntimeError } from '../../src/functions/function-definition.js';
import { decimalResultType } from '../../src/functions/arithmetic-operators.js';
import { typeName } from '../../src/types/type-rules.js';
import { date, op, resolveOp, ts, v } from './helpers.js';

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

function typeOf(o: Parameters<typeof resolveOp>[0], args: unknown[]): string {
  const t = resolveOp(o, args).type;
  return `${typeName(t)}${t.nullable ? '' : ' NOT NULL'}`;
}

describe('integer arithmetic', () => {
  it('wraps INT at 32 bits as Java', () => {
    expect(op('+', [INT_MAX, 1])).toBe(INT_MIN);
    expect(op('-', [INT_MIN, 1])).toBe(INT_MAX);
    expect(op('*', [65536, 65536])).toBe(0);
    expect(op('*', [INT_MAX, 2])).toBe(-2);
    expect(op('/', [INT_MIN, -1])).toBe(INT_MIN);
    expect(typeOf('+', [1, 2])).toBe('INT NOT NULL');
  });

  it('divides truncating toward zero; % has the sign of the dividend', () => {
    expect(op('/', [7, 2])).toBe(3);
    expect(op('/', [-7, 2])).toBe(-3);
    expect(op('%', [7, -3])).toBe(1);
    expect(op('%', [-7, 3])).toBe(-1);
    expect(op('%', [-6, 3])).toBe(0);
    expect(Object.is(op('%', [-6, 3]), -0)).toBe(false);
  });

  it('fails on a zero divisor', () => {
    expect(() => op('/', [1, 0])).toThrow(SqlRuntimeError);
    expect(() => op('/', [1, 0])).toThrow('division by zero');
    expect(() => op('%', [1, 0])).toThrow('division by zero');
    expect(() => op('/', [1n, 0n])).toThrow('division by zero');
    expect(() => op('%', [v(5, 'TINYINT'), v(0, 'TINYINT')])).toThrow('division by zero');
  });

  it('wraps TINYINT and SMALLINT in their width', () => {
    expect(op('+', [v(127, 'TINYINT'), v(1, 'TINYINT')])).toBe(-128);
    expect(typeOf('+', [v(1, 'TINYINT'), v(1, 'TINYINT')])).toBe('TINYINT NOT NULL');
    expect(op('*', [v(200, 'SMALLINT'), v(200, 'SMALLINT')])).toBe(-25536);
    expect(typeOf('+', [v(1, 'TINYINT'), v(1, 'SMALLINT')])).toBe('SMALLINT NOT NULL');
    expect(typeOf('+', [v(1, 'SMALLINT'), 1])).toBe('INT NOT NULL');
  });

  it('computes BIGINT exactly and wraps at 64 bits', () => {
    expect(op('+', [LONG_MAX, 1n])).toBe(LONG_MIN);
    expect(op('-', [LONG_MIN, 1n])).toBe(LONG_MAX);
    expect(op('*', [3037000499n, 3037000499n])).toBe(9223372030926249001n);
    expect(op('*', [LONG_MAX, 2n])).toBe(-2n);
    expect(op('/', [LONG_MIN, -1n])).toBe(LONG_MIN);
    expect(op('+', [9007199254740993n, 2n])).toBe(9007199254740995n);
    expect(op('+', [1, LONG_MAX])).toBe(LONG_MIN);
    expect(typeOf('+', [1, 2n])).toBe('BIGINT NOT NULL');
    expect(op('/', [-7n, 2])).toBe(-3n);
  });

  it("gives % the type of its second operand (Calcite's MOD)", () => {
    expect(typeOf('%', [10000000000n, 3])).toBe('INT NOT NULL');
    expect(op('%', [10000000000n, 3])).toBe(1);
    expect(typeOf('%', [7, 10000000000n])).toBe('BIGINT NOT NULL');
    expect(op('%', [7, 10000000000n])).toBe(7n);
  });

  it('takes a BIGINT modulo a narrower divisor exactly around ±2^53 and at the 64-bit limits', () => {
    const SAFE = 2n ** 53n;
    // Checked against bigint arithmetic: the number path (safe dividends) and the bigint path (the others) agree.
    for (const x of [SAFE - 2n, SAFE - 1n, SAFE, SAFE + 1n, SAFE + 3n, -SAFE + 1n, -SAFE, -SAFE - 1n, LONG_MAX, LONG_MIN, LONG_MAX - 1n, LONG_MIN + 1n, 0n, -246n]) {
      for (const d of [123, -123, 7, INT_MAX, INT_MIN, 1, -1]) {
        const r = op('%', [x, d]);
        expect(r).toBe(Number(x % BigInt(d)));
        expect(Object.is(r, -0)).toBe(false);
      }
    }
    expect(op('%', [v(-246n, 'BIGINT'), v(123, 'SMALLINT')])).toBe(0);
    expect(typeOf('%', [v(LONG_MIN, 'BIGINT'), v(-1, 'TINYINT')])).toBe('TINYINT NOT NULL');
    expect(op('%', [v(LONG_MIN, 'BIGINT'), v(-1, 'TINYINT')])).toBe(0);
    expect(() => op('%', [LONG_MAX, 0])).toThrow('division by zero');
  });
});

describe('floating point arithmetic', () => {
  it('follows IEEE for DOUBLE, also dividing by zero', () => {
    expect(op('/', [1, v(0, 'DOUBLE')])).toBe(Infinity);
    expect(op('/', [v(0, 'DOUBLE'), v(0, 'DOUBLE')])).toBeNaN();
    expect(op('+', [1, 0.5])).toBe(1.5);
    expect(typeOf('+', [1, 0.5])).toBe('DOUBLE NOT NULL');
    expect(op('+', [9007199254740993n, 0.5])).toBe(9007199254740992.5);
  });

  it('rounds FLOAT results to float32', () => {
    const f = Math.fround(0.1);
    expect(typeOf('+', [v(f, 'FLOAT'), 1])).toBe('FLOAT NOT NULL');
    expect(op('+', [v(f, 'FLOAT'), v(Math.fround(0.2), 'FLOAT')])).toBe(Math.fround(f + Math.fround(0.2)));
    expect(op('*', [v(f, 'FLOAT'), 3])).toBe(Math.fround(f * 3));
    expect(typeOf('+', [v(f, 'FLOAT'), v(1.5, 'DOUBLE')])).toBe('DOUBLE NOT NULL');
  });

  it('makes DECIMAL with FLOAT or DOUBLE a DOUBLE', () => {
    expect(typeOf('*', [v(150n, 'DECIMAL(3, 2)'), v(2, 'DOUBLE')])).toBe('DOUBLE NOT NULL');
    expect(op('*', [v(150n, 'DECIMAL(3, 2)'), v(2, 'DOUBLE')])).toBe(3);
    expect(typeOf('+', [v(150n, 'DECIMAL(3, 2)'), v(1, 'FLOAT')])).toBe('DOUBLE NOT NULL');
  });

  it('refuses % on approximate numerics', () => {
    expect(() => resolveOp('%', [1.5, 2])).toThrow(FunctionTypeError);
  });
});

describe('DECIMAL arithmetic', () => {
  it("derives Flink's precision and scale", () => {
    expect(decimalResultType('+', 5, 2, 5, 2)).toEqual({ precision: 6, scale: 2 });
    expect(decimalResultType('*', 5, 2, 5, 2)).toEqual({ precision: 11, scale: 4 });
    expect(decimalResultType('/', 5, 2, 5, 2)).toEqual({ precision: 13, scale: 8 });
    expect(decimalResultType('%', 5, 2, 4, 3)).toEqual({ precision: 4, scale: 3 });
    // (38, 8) + (32, 8) -> (39, 8) -> (38, 7): keep the integral digits
    expect(decimalResultType('+', 38, 8, 32, 8)).toEqual({ precision: 38, scale: 7 });
    expect(decimalResultType('*', 38, 10, 38, 10)).toEqual({ precision: 38, scale: 6 });
    expect(decimalResultType('/', 38, 10, 38, 10)).toEqual({ precision: 38, scale: 6 });
    expect(decimalResultType('*', 38, 2, 38, 2)).toEqual({ precision: 38, scale: 4 });
    expect(typeOf('+', [1, v(150n, 'DECIMAL(5, 2)')])).toBe('DECIMAL(13, 2) NOT NULL');
    expect(typeOf('*', [2n, v(150n, 'DECIMAL(5, 2)')])).toBe('DECIMAL(25, 2) NOT NULL');
  });

  it('adds, subtracts, multiplies and divides exactly, rounding HALF_UP to the result scale', () => {
    // 1.10 + 2.205 = 3.305 in DECIMAL(5, 3)
    expect(op('+', [v(110n, 'DECIMAL(3, 2)'), v(2205n, 'DECIMAL(4, 3)')])).toBe(3305n);
    expect(op('-', [v(110n, 'DECIMAL(3, 2)'), v(2205n, 'DECIMAL(4, 3)')])).toBe(-1105n);
    expect(op('+', [1, v(150n, 'DECIMAL(5, 2)')])).toBe(250n);
    expect(op('*', [v(150n, 'DECIMAL(5, 2)'), v(150n, 'DECIMAL(5, 2)')])).toBe(22500n);
    // 1.00 / 3.00 = 0.33333333 (scale 8)
    expect(op('/', [v(100n, 'DECIMAL(5, 2)'), v(300n, 'DECIMAL(5, 2)')])).toBe(33333333n);
    expect(op('/', [v(200n, 'DECIMAL(5, 2)'), v(300n, 'DECIMAL(5, 2)')])).toBe(66666667n);
    expect(op('/', [v(-200n, 'DECIMAL(5, 2)'), v(300n, 'DECIMAL(5, 2)')])).toBe(-66666667n);
    // (38, 10) * (38, 10) is (38, 6): 1.0000005 * 1 rounds HALF_UP to 1.000001
    expect(op('*', [v(10000005000n, 'DECIMAL(38, 10)'), v(10000000000n, 'DECIMAL(38, 10)')])).toBe(1000001n);
    expect(op('%', [v(105n, 'DECIMAL(3, 1)'), 3])).toBe(15n);
    expect(op('%', [v(-105n, 'DECIMAL(3, 1)'), 3])).toBe(-15n);
  });

  it('makes a result that does not fit NULL and fails on a zero divisor', () => {
    const big = v(10n ** 37n, 'DECIMAL(38, 0)');
    expect(typeOf('*', [big, v(50n, 'DECIMAL(2, 0)')])).toBe('DECIMAL(38, 0) NOT NULL');
    expect(op('*', [big, v(50n, 'DECIMAL(2, 0)')])).toBeNull();
    expect(op('+', [v(10n ** 38n - 1n, 'DECIMAL(38, 0)'), v(1n, 'DECIMAL(38, 0)')])).toBeNull();
    // the bounds of the precision on both sides: |u| < 10^38 fits, 10^38 does not (a product at the operands' scale)
    const nines = 10n ** 37n - 1n;
    expect(typeOf('*', [v(nines, 'DECIMAL(37, 0)'), v(10n, 'DECIMAL(2, 0)')])).toBe('DECIMAL(38, 0) NOT NULL');
    expect(op('*', [v(nines, 'DECIMAL(37, 0)'), v(10n, 'DECIMAL(2, 0)')])).toBe(nines * 10n);
    expect(op('*', [v(-nines, 'DECIMAL(37, 0)'), v(10n, 'DECIMAL(2, 0)')])).toBe(-nines * 10n);
    expect(op('+', [v(-(10n ** 38n) + 1n, 'DECIMAL(38, 0)'), v(-1n, 'DECIMAL(38, 0)')])).toBeNull();
    expect(op('+', [v(-(10n ** 38n) + 2n, 'DECIMAL(38, 0)'), v(-1n, 'DECIMAL(38, 0)')])).toBe(-(10n ** 38n) + 1n);
    expect(op('*', [v(10n ** 36n, 'DECIMAL(37, 1)'), v(-1000n, 'DECIMAL(4, 1)')])).toBeNull();
    expect(() => op('/', [v(1n, 'DECIMAL(3, 0)'), v(0n, 'DECIMAL(3, 2)')])).toThrow('division by zero');
  });

  it('negates', () => {
    expect(op('NEG', [v(150n, 'DECIMAL(5, 2)')])).toBe(-150n);
    expect(op('NEG', [INT_MIN])).toBe(INT_MIN);
    expect(op('NEG', [LONG_MIN])).toBe(LONG_MIN);
    expect(op('NEG', [v(-128, 'TINYINT')])).toBe(-128);
    expect(op('NEG', [2.5])).toBe(-2.5);
    expect(() => resolveOp('NEG', ['a'])).toThrow("cannot apply '-' to STRING");
  });
});

describe('datetime arithmetic', () => {
  it('adds intervals to dates, timestamps and times', () => {
    expect(op('+', [v(date(2020, 1, 31), 'DATE'), v(1, 'INTERVAL_YM')])).toBe(date(2020, 2, 29));
    expect(op('-', [v(date(2020, 3, 31), 'DATE'), v(1, 'INTERVAL_YM')])).toBe(date(2020, 2, 29));
    expect(op('+', [v(date(2020, 1, 1), 'DATE'), v(25 * 3_600_000, 'INTERVAL_DT')])).toBe(date(2020, 1, 2));
    expect(op('-', [v(date(2020, 1, 1), 'DATE'), v(86_400_000, 'INTERVAL_DT')])).toBe(date(2019, 12, 31));
    expect(op('+', [v(ts(2020, 1, 1, 23), 'TIMESTAMP(3)'), v(3_600_000, 'INTERVAL_DT')])).toBe(ts(2020, 1, 2));
    expect(op('+', [v(ts(2020, 1, 31, 10), 'TIMESTAMP(3)'), v(13, 'INTERVAL_YM')])).toBe(ts(2021, 2, 28, 10));
    expect(op('+', [v(3_600_000, 'INTERVAL_DT'), v(ts(2020, 1, 1), 'TIMESTAMP(3)')])).toBe(ts(2020, 1, 1, 1));
    expect(op('+', [v(23 * 3_600_000, 'TIME(0)'), v(2 * 3_600_000, 'INTERVAL_DT')])).toBe(3_600_000);
    expect(op('-', [v(3_600_000, 'TIME(0)'), v(2 * 3_600_000, 'INTERVAL_DT')])).toBe(23 * 3_600_000);
    expect(typeOf('+', [v(0, 'TIMESTAMP(3)'), v(0, 'INTERVAL_DT')])).toBe('TIMESTAMP(3) NOT NULL');
  });

  it('adds months to a TIMESTAMP_LTZ in the session time zone (across a DST change)', () => {
    const ny = { localTimeZone: 'America/New_York' };
    // 2024-02-10 12:00 EST + 1 month = 2024-03-10 12:00 EDT
    expect(op('+', [v(Date.UTC(2024, 1, 10, 17), 'TIMESTAMP_LTZ(3)'), v(1, 'INTERVAL_YM')], ny)).toBe(Date.UTC(2024, 2, 10, 16));
    expect(op('+', [v(Date.UTC(2024, 1, 10, 17), 'TIMESTAMP_LTZ(3)'), v(86_400_000, 'INTERVAL_DT')], ny)).toBe(Date.UTC(2024, 1, 11, 17));
  });

  it('adds and scales intervals', () => {
    expect(op('+', [v(1000, 'INTERVAL_DT'), v(500, 'INTERVAL_DT')])).toBe(1500);
    expect(op('*', [v(1000, 'INTERVAL_DT'), 3])).toBe(3000);
    expect(op('*', [2, v(5, 'INTERVAL_YM')])).toBe(10);
    expect(op('/', [v(1000, 'INTERVAL_DT'), 3])).toBe(333);
  });

  it('refuses timestamp differences and mixed types', () => {
    expect(() => resolveOp('-', [v(0, 'TIMESTAMP(3)'), v(0, 'TIMESTAMP(3)')])).toThrow(/TIMESTAMPDIFF/);
    expect(() => resolveOp('+', [v(0, 'DATE'), 1])).toThrow(FunctionTypeError);
    expect(() => resolveOp('+', [1, 'a'])).toThrow("cannot apply '+' to INT and STRING");
    expect(() => resolveOp('*', [v(0, 'DATE'), 2])).toThrow(FunctionTypeError);
    expect(() => resolveOp('+', [v(0, 'TIME(0)'), v(1, 'INTERVAL_YM')])).toThrow(FunctionTypeError);
  });
});

describe('NULL operands and ||', () => {
  it('types an untyped NULL as the other operand (the result is NULL)', () => {
    expect(typeOf('+', [null, 1])).toBe('INT');
    expect(op('+', [null, 1])).toBeNull();
    expect(typeOf('+', [v(null, 'INT?'), 1])).toBe('INT');
  });

  it('concatenates strings and bytes', () => {
    expect(op('||', ['ab', 'cd'])).toBe('abcd');
    expect(typeOf('||', [v('ab', 'CHAR(2)'), v('c', 'CHAR(1)')])).toBe('CHAR(3) NOT NULL');
    expect(typeOf('||', [v('ab', 'VARCHAR(2)'), v('c', 'CHAR(1)')])).toBe('VARCHAR(3) NOT NULL');
    expect(op('||', [v(new Uint8Array([1]), 'BYTES'), v(new Uint8Array([2, 3]), 'BYTES')])).toEqual(new Uint8Array([1, 2, 3]));
    expect(() => resolveOp('||', [1, 'a'])).toThrow(FunctionTypeError);
  });
});

describe('DECIMAL multiplication', () => {
  it('equals the bigint product, bounds included, over random and edge operands', async () => {
    const { resolveArithmetic } = await import('../../src/functions/arithmetic-operators.js');
    const { decimalType } = await import('../../src/types/type-rules.js');
    const { rng } = await import('../support/sql-harness.js');
    const ctx = { localTimeZone: 'UTC' };
    const r = rng(908);
    const cases: [LogicalTypeOf, LogicalTypeOf][] = [
      [decimalType(4, 3, false), { root: 'BIGINT', nullable: false }],
      [{ root: 'BIGINT', nullable: false }, decimalType(18, 2, false)],
      [{ root: 'INTEGER', nullable: false }, decimalType(5, 1, false)],
      [decimalType(9, 4, false), decimalType(9, 5, false)],
      [decimalType(3, 0, false), decimalType(2, 0, false)],
    ];
    for (const [a, b] of cases) {
      const call = resolveArithmetic('*', a, b, ctx);
      const rp = call.type.precision!;
      const lim = 10n ** BigInt(rp);
      const value = (t: LogicalTypeOf, x: bigint): number | bigint => (t.root === 'INTEGER' ? Number(BigInt.asIntN(32, x)) : x);
      const bound = (t: LogicalTypeOf): bigint => (t.root === 'DECIMAL' ? 10n ** BigInt(t.precision!) - 1n : t.root === 'INTEGER' ? 2n ** 31n - 1n : 2n ** 63n - 1n);
      const operands = (t: LogicalTypeOf): bigint[] => {
        const m = bound(t);
        const out = [0n, 1n, -1n, m, -m, 2n ** 26n, 94906265n, 94906266n, 2n ** 53n - 1n, 2n ** 53n].filter((x) => x <= m);
        for (let i = 0; i < 300; i++) {
          const digits = 1 + Math.floor(r() * 19);
          const x = BigInt(Math.floor(r() * 10 ** Math.min(digits, 15))) * (digits > 15 ? 10n ** BigInt(digits - 15) : 1n);
          const y = x % (m + 1n);
          out.push(r() < 0.5 ? -y : y);
        }
        return out;
      };
      const xs = operands(a);
      const ys = operands(b);
      for (let i = 0; i < xs.length; i++) {
        for (const y of [ys[i % ys.length]!, ys[(i * 7) % ys.length]!, 1n, -1n]) {
          const x = xs[i]!;
          const vx = value(a, x);
          const vy = value(b, y);
          const p = BigInt(vx) * BigInt(vy);
          const want = p < lim && p > -lim ? p : null;
          expect(call.impl(vx, vy), `${formatType(a)} ${vx} * ${formatType(b)} ${vy}`).toBe(want);
        }
      }
    }
  });
});

type LogicalTypeOf = import('@runnel/api/table').LogicalType;
const formatType = (t: LogicalTypeOf): string => (t.root === 'DECIMAL' ? `DECIMAL(${t.precision}, ${t.scale})` : t.root);
