import { describe, expect, it } from 'vitest';
import { commonType, isIntegral, isNumeric, isString, isTemporal, supportsImplicitCast, typeName } from '../../src/types/type-rules.js';
import { type } from '../functions/helpers.js';

function common(...ts: string[]): string | undefined {
  const t = commonType(ts.map(type));
  return t === undefined ? undefined : `${typeName(t)}${t.nullable ? '' : ' NOT NULL'}`;
}

describe('type families', () => {
  it('classifies types', () => {
    expect(isNumeric(type('DECIMAL(5, 2)'))).toBe(true);
    expect(isNumeric(type('DOUBLE'))).toBe(true);
    expect(isNumeric(type('STRING'))).toBe(false);
    expect(isIntegral(type('BIGINT'))).toBe(true);
    expect(isIntegral(type('DECIMAL(5, 0)'))).toBe(false);
    expect(isString(type('CHAR(3)'))).toBe(true);
    expect(isString(type('BYTES'))).toBe(false);
    expect(isTemporal(type('TIMESTAMP_LTZ(3)'))).toBe(true);
    expect(isTemporal(type('INTERVAL_DT'))).toBe(false);
  });

  it('names types for messages', () => {
    expect(typeName(type('INT'))).toBe('INT');
    expect(typeName(type('STRING?'))).toBe('STRING');
    expect(typeName(type('DECIMAL(10, 2)'))).toBe('DECIMAL(10, 2)');
    expect(typeName(type('ARRAY<INT>'))).toBe('ARRAY<INT NOT NULL>');
  });
});

describe('implicit casts', () => {
  it('widens as Flink does', () => {
    expect(supportsImplicitCast(type('INT'), type('BIGINT'))).toBe(true);
    expect(supportsImplicitCast(type('BIGINT'), type('INT'))).toBe(false);
    expect(supportsImplicitCast(type('DECIMAL(5, 2)'), type('DOUBLE'))).toBe(true);
    expect(supportsImplicitCast(type('CHAR(3)'), type('STRING'))).toBe(true);
    expect(supportsImplicitCast(type('INT'), type('STRING'))).toBe(false);
    expect(supportsImplicitCast(type('INT?'), type('BIGINT'))).toBe(false);
    expect(supportsImplicitCast(type('ARRAY<INT>'), type('ARRAY<BIGINT>'))).toBe(true);
    expect(supportsImplicitCast(type('NULL'), type('DATE?'))).toBe(true);
  });
});

describe('commonType (least restrictive type)', () => {
  it('merges numerics with Flink decimal rules', () => {
    expect(common('INT', 'BIGINT')).toBe('BIGINT NOT NULL');
    // Flink's documented example
    expect(common('INT', 'BIGINT', 'DECIMAL(2, 2)')).toBe('DECIMAL(21, 2) NOT NULL');
    expect(common('INT', 'DECIMAL(5, 2)')).toBe('DECIMAL(12, 2) NOT NULL');
    expect(common('TINYINT', 'DECIMAL(5, 2)')).toBe('DECIMAL(5, 2) NOT NULL');
    expect(common('DECIMAL(5, 2)', 'DOUBLE')).toBe('DOUBLE NOT NULL');
    expect(common('DECIMAL(5, 2)', 'FLOAT')).toBe('DOUBLE NOT NULL');
    expect(common('INT', 'FLOAT')).toBe('FLOAT NOT NULL');
    expect(common('FLOAT', 'DOUBLE')).toBe('DOUBLE NOT NULL');
    expect(common('DECIMAL(38, 10)', 'DECIMAL(38, 30)')).toBe('DECIMAL(38, 10) NOT NULL');
  });

  it('merges strings, temporal types and nullability', () => {
    expect(common('CHAR(3)', 'VARCHAR(5)')).toBe('VARCHAR(5) NOT NULL');
    expect(common('CHAR(3)', 'CHAR(5)')).toBe('VARCHAR(5) NOT NULL');
    expect(common('CHAR(3)', 'CHAR(3)')).toBe('CHAR(3) NOT NULL');
    expect(common('STRING?', 'CHAR(3)')).toBe('STRING');
    expect(common('TIMESTAMP(3)', 'TIMESTAMP_LTZ(6)')).toBe('TIMESTAMP_LTZ(6) NOT NULL');
    expect(common('TIMESTAMP(3)', 'TIMESTAMP(0)?')).toBe('TIMESTAMP(3)');
    expect(common('NULL', 'INT')).toBe('INT');
    expect(common('INT', 'INT')).toBe('INT NOT NULL');
    expect(common('BOOLEAN', 'BOOLEAN?')).toBe('BOOLEAN');
  });

  it('merges constructed types by their children', () => {
    expect(common('ARRAY<INT>', 'ARRAY<BIGINT>')).toBe('ARRAY<BIGINT NOT NULL> NOT NULL');
    expect(common('MAP<STRING, INT>', 'MAP<STRING, DOUBLE?>')).toBe('MAP<STRING NOT NULL, DOUBLE> NOT NULL');
    expect(common('ROW<a INT, b STRING>', 'ROW<x BIGINT, y STRING>')).toBe('ROW<`a` BIGINT NOT NULL, `b` STRING NOT NULL> NOT NULL');
    expect(common('ARRAY<INT>', 'MAP<INT, INT>')).toBeUndefined();
  });

  it('has no common type for unrelated types or NULL alone', () => {
    expect(common('INT', 'STRING')).toBeUndefined();
    expect(common('BOOLEAN', 'INT')).toBeUndefined();
    expect(common('DATE', 'TIME')).toBeUndefined();
    expect(common('NULL')).toBeUndefined();
    expect(commonType([])).toBeUndefined();
  });
});
