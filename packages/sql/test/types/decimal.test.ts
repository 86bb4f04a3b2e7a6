import { describe, expect, it } from 'vitest';
import {
  compareDecimal,
  decimalFromNumber,
  decimalOfNumber,
  decimalToNumber,
  divideDecimal,
  divideRoundHalfUp,
  fitsPrecision,
  formatDecimal,
  multiplyDecimal,
  parseDecimal,
  remainderDecimal,
  rescaleDecimal,
  roundDecimalTo,
} from '../../src/types/decimal.js';

describe('decimal helpers', () => {
  it('parses text to an unscaled value, rounding HALF_UP', () => {
    expect(parseDecimal('123.456', 2)).toBe(12346n);
    expect(parseDecimal('-1.005', 2)).toBe(-101n);
    expect(parseDecimal('1.004', 2)).toBe(100n);
    expect(parseDecimal(' 1e2 ', 0)).toBe(100n);
    expect(parseDecimal('\t-2.5E-1\n', 2)).toBe(-25n);
    expect(parseDecimal('.5', 0)).toBe(1n);
    expect(parseDecimal('5.', 1)).toBe(50n);
    expect(parseDecimal('+7', 3)).toBe(7000n);
    expect(parseDecimal('12345678901234567890123456789012345678', 0)).toBe(12345678901234567890123456789012345678n);
  });

  it('rejects what is not a number', () => {
    for (const s of ['', ' ', 'abc', '1.2.3', '1e', '--1', '1 2', '0x10', 'NaN']) expect(parseDecimal(s, 2)).toBeNull();
  });

  it('formats with exactly the scale', () => {
    expect(formatDecimal(12345n, 2)).toBe('123.45');
    expect(formatDecimal(-5n, 3)).toBe('-0.005');
    expect(formatDecimal(0n, 2)).toBe('0.00');
    expect(formatDecimal(5n, 0)).toBe('5');
    expect(formatDecimal(100n, 2)).toBe('1.00');
    expect(formatDecimal(-123456789012345678901234567890n, 10)).toBe('-12345678901234567890.1234567890');
  });

  it('rescales HALF_UP (ties away from zero)', () => {
    expect(rescaleDecimal(12345n, 2, 1)).toBe(1235n);
    expect(rescaleDecimal(-12345n, 2, 1)).toBe(-1235n);
    expect(rescaleDecimal(12344n, 2, 1)).toBe(1234n);
    expect(rescaleDecimal(12n, 0, 3)).toBe(12000n);
    expect(divideRoundHalfUp(5n, 2n)).toBe(3n);
    expect(divideRoundHalfUp(-5n, 2n)).toBe(-3n);
    expect(divideRoundHalfUp(5n, -2n)).toBe(-3n);
    expect(divideRoundHalfUp(4n, 3n)).toBe(1n);
    expect(divideRoundHalfUp(-4n, -3n)).toBe(1n);
  });

  it('multiplies, divides and takes remainders exactly', () => {
    // 1.5 * 2.25 = 3.375 -> 3.38 at scale 2
    expect(multiplyDecimal(15n, 1, 225n, 2, 2)).toBe(338n);
    expect(divideDecimal(1n, 0, 3n, 0, 6)).toBe(333333n);
    expect(divideDecimal(2n, 0, 3n, 0, 6)).toBe(666667n);
    // 10.00 / 0.3 = 33.333... at scale 4
    expect(divideDecimal(1000n, 2, 3n, 1, 4)).toBe(333333n);
    // -10.5 % 3 = -1.5 (sign of the dividend)
    expect(remainderDecimal(-105n, 1, 3n, 0)).toBe(-15n);
  });

  it('compares across scales and checks precision', () => {
    expect(compareDecimal(150n, 2, 15n, 1)).toBe(0);
    expect(compareDecimal(149n, 2, 15n, 1)).toBe(-1);
    expect(compareDecimal(-1n, 0, -99n, 2)).toBe(-1);
    expect(fitsPrecision(99999n, 5)).toBe(true);
    expect(fitsPrecision(-99999n, 5)).toBe(true);
    expect(fitsPrecision(100000n, 5)).toBe(false);
    expect(fitsPrecision(10n ** 38n - 1n, 38)).toBe(true);
    expect(fitsPrecision(10n ** 38n, 38)).toBe(false);
  });

  it('converts to and from doubles through the shortest decimal text', () => {
    expect(decimalToNumber(12345n, 2)).toBe(123.45);
    expect(decimalToNumber(1n, 1)).toBe(0.1);
    expect(decimalToNumber(12345678901234567890123456789n, 10)).toBe(1234567890123456789.0123456789);
    expect(decimalFromNumber(0.1, 5)).toBe(10000n);
    expect(decimalFromNumber(2.675, 2)).toBe(268n);
    expect(decimalFromNumber(1e21, 0)).toBe(10n ** 21n);
    expect(decimalFromNumber(NaN, 2)).toBeNull();
    expect(decimalOfNumber(1.25)).toEqual([125n, 2]);
    expect(decimalOfNumber(1e21)).toEqual([1n, -21]);
  });

  it('rounds to digits with each mode', () => {
    expect(roundDecimalTo(12345n, 3, 2, 'HALF_UP')).toBe(1235n);
    expect(roundDecimalTo(-12345n, 3, 2, 'HALF_UP')).toBe(-1235n);
    expect(roundDecimalTo(12345n, 3, 2, 'DOWN')).toBe(1234n);
    expect(roundDecimalTo(-12345n, 3, 0, 'FLOOR')).toBe(-13n);
    expect(roundDecimalTo(12345n, 3, 0, 'CEILING')).toBe(13n);
    expect(roundDecimalTo(1250n, 0, -2, 'HALF_UP')).toBe(1300n);
    expect(roundDecimalTo(5n, 0, 2, 'HALF_UP')).toBe(500n);
  });
});
