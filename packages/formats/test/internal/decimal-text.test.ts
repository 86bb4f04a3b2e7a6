import { describe, expect, it } from 'vitest';
import { decimalParts, formatDecimal, parseDecimalText } from '../../src/internal/decimal-text.js';

describe('parseDecimalText', () => {
  it('reads the digits exactly into the unscaled value', () => {
    expect(parseDecimalText('123.45', 5, 2)).toBe(12345n);
    expect(parseDecimalText('-0.5', 3, 1)).toBe(-5n);
    expect(parseDecimalText('799.929496989092949698', 38, 18)).toBe(799929496989092949698n);
    expect(parseDecimalText('12345678901234567890123456789012345678', 38, 0)).toBe(12345678901234567890123456789012345678n);
    expect(parseDecimalText('1.5e3', 10, 2)).toBe(150000n);
    expect(parseDecimalText('.5', 2, 1)).toBe(5n);
    expect(parseDecimalText('+7.', 2, 0)).toBe(7n);
  });

  it('rounds HALF_UP to the scale, away from zero on ties (Java RoundingMode.HALF_UP)', () => {
    expect(parseDecimalText('1.005', 10, 2)).toBe(101n);
    expect(parseDecimalText('1.0049999', 10, 2)).toBe(100n);
    expect(parseDecimalText('-1.005', 10, 2)).toBe(-101n);
    expect(parseDecimalText('2.5', 10, 0)).toBe(3n);
    expect(parseDecimalText('0.0049', 10, 2)).toBe(0n);
  });

  it('is null when the rounded value has more digits than the precision (Flink: overflow gives null)', () => {
    expect(parseDecimalText('123456', 5, 0)).toBeNull();
    expect(parseDecimalText('99.995', 4, 2)).toBeNull();
    expect(parseDecimalText('99.994', 4, 2)).toBe(9999n);
    expect(parseDecimalText('1e999999999', 38, 2)).toBeNull();
    expect(parseDecimalText('1e-999999999', 38, 2)).toBe(0n);
  });

  it('is undefined for text that is not a number', () => {
    for (const bad of ['', '.', 'abc', '1.2.3', '1e', '--1', '1,5', ' 1', 'NaN']) expect(parseDecimalText(bad, 10, 2)).toBeUndefined();
  });

  it('splits text into digits and scale', () => {
    expect(decimalParts('-0012.340')).toEqual({ unscaled: -12340n, scale: 3, digits: 5 });
    expect(decimalParts('1e-7')).toEqual({ unscaled: 1n, scale: 7, digits: 1 });
  });
});

describe('formatDecimal', () => {
  it('writes what Flink writes by default: trailing zeros stripped, then BigDecimal.toString', () => {
    // Flink's JsonRowDataSerDeSchemaTest#testSerializationDecimalEncode
    expect(formatDecimal(123456789n, 6, true)).toBe('123.456789');
    expect(formatDecimal(454621864049246170n, 0, true)).toBe('4.5462186404924617E+17');
    expect(formatDecimal(27n, 9, true)).toBe('2.7E-8');
    // CsvFormatOptions: "100000 is encoded as 1E+5"
    expect(formatDecimal(100000n, 0, true)).toBe('1E+5');
    expect(formatDecimal(12340n, 2, true)).toBe('123.4');
    expect(formatDecimal(-5n, 3, true)).toBe('-0.005');
    expect(formatDecimal(1n, 6, true)).toBe('0.000001');
    expect(formatDecimal(1n, 7, true)).toBe('1E-7');
    expect(formatDecimal(0n, 2, true)).toBe('0');
  });

  it('writes plain numbers on request (encode.decimal-as-plain-number)', () => {
    expect(formatDecimal(454621864049246170n, 0, false)).toBe('454621864049246170');
    expect(formatDecimal(27n, 9, false)).toBe('0.000000027');
    expect(formatDecimal(100000n, 0, false)).toBe('100000');
    expect(formatDecimal(-12340n, 2, false)).toBe('-123.4');
  });
});
