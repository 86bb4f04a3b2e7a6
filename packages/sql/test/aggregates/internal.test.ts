// The private helpers of the aggregates: decimal rounding and DOUBLE conversions, exact sums across their two parts,
// canonical keys (equal values equal keys, different values different keys), the code point order of strings, and
// double-double sums that cancel exactly.
import { describe, expect, it } from 'vitest';
import { canonicalArgsKey, canonicalKey, canonicalString } from '../../src/aggregates/internal/canonical-key.js';
import { decimalToDouble, divideHalfUp, doubleToDecimal, fitsPrecision } from '../../src/aggregates/internal/decimal-math.js';
import { dd, ddAdd, ddDiv, ddMul } from '../../src/aggregates/internal/double-double.js';
import { exactSumAddBigint, exactSumSubtractBigint, exactSumTotal, newExactSum } from '../../src/aggregates/internal/exact-sum.js';
import { compareNumbers, compareStrings } from '../../src/aggregates/internal/value-order.js';
import { Random } from './helpers.js';

describe('decimal-math', () => {
  it('divides rounding HALF_UP (ties away from zero)', () => {
    expect(divideHalfUp(15n, 10n)).toBe(2n);
    expect(divideHalfUp(-15n, 10n)).toBe(-2n);
    expect(divideHalfUp(15n, -10n)).toBe(-2n);
    expect(divideHalfUp(14n, 10n)).toBe(1n);
    expect(divideHalfUp(-14n, 10n)).toBe(-1n);
    expect(divideHalfUp(5n, 3n)).toBe(2n);
    expect(divideHalfUp(0n, 7n)).toBe(0n);
  });

  it('converts DECIMAL to DOUBLE correctly rounded, small and large', () => {
    expect(decimalToDouble(12345n, 2)).toBe(123.45);
    expect(decimalToDouble(-1n, 3)).toBe(-0.001);
    expect(decimalToDouble(10n ** 30n + 1n, 10)).toBe(1e20);
    expect(decimalToDouble(123456789012345678901234567890n, 30)).toBe(0.12345678901234568);
  });

  it('converts DOUBLE to DECIMAL from its shortest form, HALF_UP, NULL on overflow and for NaN', () => {
    expect(doubleToDecimal(0.1, 38, 6)).toBe(100000n);
    expect(doubleToDecimal(5e-7, 38, 6)).toBe(1n);
    expect(doubleToDecimal(-5e-7, 38, 6)).toBe(-1n);
    expect(doubleToDecimal(4.9e-7, 38, 6)).toBe(0n);
    expect(doubleToDecimal(1e21, 38, 6)).toBe(10n ** 27n);
    expect(doubleToDecimal(1.5, 38, 0)).toBe(2n);
    expect(doubleToDecimal(1e33, 38, 6)).toBeNull();
    expect(doubleToDecimal(Number.NaN, 38, 6)).toBeNull();
    expect(doubleToDecimal(Infinity, 38, 6)).toBeNull();
    expect(fitsPrecision(10n ** 38n - 1n, 38)).toBe(true);
    expect(fitsPrecision(-(10n ** 38n), 38)).toBe(false);
  });
});

describe('exact-sum', () => {
  it('is exact across its number and bigint parts, whatever the order', () => {
    const rnd = new Random(1);
    const acc = newExactSum();
    let expected = 0n;
    const values: bigint[] = [];
    for (let i = 0; i < 5000; i++) {
      const v = rnd.next() < 0.5 ? BigInt(rnd.between(-(2 ** 30), 2 ** 30)) * BigInt(rnd.between(1, 2 ** 22)) : rnd.bigBetween(-(2n ** 70n), 2n ** 70n);
      values.push(v);
      exactSumAddBigint(acc, v);
      expected += v;
      expect(Math.abs(acc[0])).toBeLessThanOrEqual(2 ** 52);
    }
    expect(exactSumTotal(acc)).toBe(expected);
    for (const v of values) exactSumSubtractBigint(acc, v);
    expect(exactSumTotal(acc)).toBe(0n);
  });
});

describe('canonical-key', () => {
  it('primitives are their own key; -0 and 0 are one value', () => {
    expect(canonicalKey(5)).toBe(5);
    expect(canonicalKey(5n)).toBe(5n);
    expect(canonicalKey('x')).toBe('x');
    expect(canonicalString(-0)).toBe(canonicalString(0));
    expect(canonicalString(Number.NaN)).toBe(canonicalString(Number.NaN));
  });

  it('equal values give equal keys, different values (also of different types) different keys', () => {
    const values: unknown[] = [
      1,
      1n,
      '1',
      true,
      null,
      Uint8Array.of(49),
      [1],
      ['1'],
      [1, 2],
      [[1], 2],
      [1, [2]],
      new Map([['a', 1]]),
      new Map([['a', 2]]),
      '',
      [],
      Uint8Array.of(),
      's1:a',
    ];
    const keys = values.map((v) => canonicalString(v));
    expect(new Set(keys).size).toBe(values.length);
    expect(canonicalString(Uint8Array.of(1, 2))).toBe(canonicalString(Uint8Array.of(1, 2)));
    expect(canonicalString(new Map([['a', 1], ['b', 2]]))).toBe(canonicalString(new Map([['b', 2], ['a', 1]])));
    // Rows of several arguments: the parts do not run into each other.
    expect(canonicalArgsKey(['ab', 'c'])).not.toBe(canonicalArgsKey(['a', 'bc']));
    expect(canonicalArgsKey([1, 23])).not.toBe(canonicalArgsKey([12, 3]));
  });
});

describe('value-order', () => {
  it('orders strings by code point', () => {
    const sorted = ['\u{10000}', 'a', '\u{ffff}', '', '\u{e000}', '\u{d7ff}', 'ab'].sort(compareStrings);
    expect(sorted).toEqual(['', 'a', 'ab', '\u{d7ff}', '\u{e000}', '\u{ffff}', '\u{10000}']);
    // The same order as their UTF-8 bytes.
    const utf8 = (s: string): string => Array.from(new TextEncoder().encode(s), (b) => String.fromCharCode(b)).join('');
    const rnd = new Random(3);
    const alphabet = ['a', '\u{7f}', '\u{80}', '\u{7ff}', '\u{800}', '\u{d7ff}', '\u{e000}', '\u{fffd}', '\u{10000}', '\u{10ffff}'];
    for (let i = 0; i < 2000; i++) {
      const a = Array.from({ length: rnd.int(4) }, () => rnd.pick(alphabet)).join('');
      const b = Array.from({ length: rnd.int(4) }, () => rnd.pick(alphabet)).join('');
      const byBytes = utf8(a) < utf8(b) ? -1 : utf8(a) > utf8(b) ? 1 : 0;
      expect(Math.sign(compareStrings(a, b))).toBe(byBytes);
    }
  });

  it('puts NaN above every number', () => {
    expect([3, Number.NaN, -Infinity, Infinity, 0].sort(compareNumbers)).toEqual([-Infinity, 0, 3, Infinity, Number.NaN]);
  });
});

describe('double-double', () => {
  it('sums that cancel come back to 0 within about 2^-100 of their largest term; products and quotients keep ~106 bits', () => {
    const rnd = new Random(9);
    let h = 0;
    let l = 0;
    const xs: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const x = (rnd.next() - 0.5) * 10 ** rnd.between(-5, 12);
      xs.push(x);
      ddAdd(h, l, x, 0);
      h = dd.hi;
      l = dd.lo;
    }
    for (const x of xs.reverse()) {
      ddAdd(h, l, -x, 0);
      h = dd.hi;
      l = dd.lo;
    }
    // Terms from 1e-5 to 1e12 need more than 106 bits together: a residue remains, some 2^-100 of the largest.
    expect(Math.abs(h)).toBeLessThan(5e11 * 2 ** -95);
    // (1 + 2^-60)² = 1 + 2^-59 + 2^-120: the low part keeps 2^-59.
    ddMul(1, 2 ** -60, 1, 2 ** -60);
    expect(dd.hi).toBe(1);
    expect(dd.lo).toBe(2 ** -59);
    // 1/3 to more than double precision: 3 × (1/3) - 1 is about 2^-106, not 2^-54.
    ddDiv(1, 0, 3);
    ddMul(dd.hi, dd.lo, 3, 0);
    ddAdd(dd.hi, dd.lo, -1, 0);
    expect(Math.abs(dd.hi)).toBeLessThan(2 ** -100);
  });
});
