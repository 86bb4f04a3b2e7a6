import { describe, expect, it } from 'vitest';
import { FunctionTypeError } from '../../src/functions/function-definition.js';
import { lookupScalarFunction, resolveOperator, scalarFunctionNames } from '../../src/functions/registry.js';
import { UTC, type } from './helpers.js';

const EXPECTED = `IF COALESCE NULLIF IFNULL GREATEST LEAST CONCAT CONCAT_WS SUBSTRING SUBSTR UPPER LOWER TRIM LTRIM RTRIM LPAD RPAD
  REPLACE CHAR_LENGTH CHARACTER_LENGTH POSITION LOCATE INSTR REGEXP REGEXP_EXTRACT REGEXP_REPLACE SPLIT_INDEX INITCAP MD5
  SHA1 SHA256 REVERSE REPEAT LEFT RIGHT ASCII CHR TO_BASE64 FROM_BASE64 UUID STR_TO_MAP OVERLAY LIKE ABS MOD
  POWER POW SQRT EXP LN LOG10 LOG2 LOG SIN COS TAN COT ASIN ACOS ATAN ATAN2 SINH COSH TANH DEGREES RADIANS ROUND TRUNCATE
  FLOOR CEIL CEILING SIGN PI E RAND RAND_INTEGER BIN HEX DATE_FORMAT TO_TIMESTAMP TO_TIMESTAMP_LTZ TO_DATE FROM_UNIXTIME
  UNIX_TIMESTAMP FLOOR_TO CEIL_TO EXTRACT YEAR QUARTER MONTH WEEK DAYOFYEAR DAYOFMONTH DAYOFWEEK HOUR MINUTE SECOND
  TIMESTAMPADD TIMESTAMPDIFF CURRENT_TIMESTAMP LOCALTIMESTAMP CURRENT_DATE CURRENT_TIME LOCALTIME NOW CURRENT_ROW_TIMESTAMP
  CONVERT_TZ JSON_VALUE JSON_QUERY JSON_EXISTS JSON_STRING JSON_OBJECT JSON_ARRAY IS_JSON CARDINALITY ELEMENT ARRAY_CONTAINS
  MAP_KEYS MAP_VALUES ITEM`
  .split(/\s+/)
  .concat(['SIMILAR TO']);

describe('registry', () => {
  it('has every built-in function under its upper-case name', () => {
    for (const name of EXPECTED) {
      const def = lookupScalarFunction(name);
      expect(def, name).toBeDefined();
      expect(def!.name).toBe(name);
      expect(def!.minArgs).toBeLessThanOrEqual(def!.maxArgs);
    }
    expect(lookupScalarFunction('upper')).toBeUndefined();
    expect(lookupScalarFunction('NO_SUCH_FUNCTION')).toBeUndefined();
    expect(scalarFunctionNames()).toContain('SIMILAR TO');
  });

  it('checks arity in resolve', () => {
    expect(() => lookupScalarFunction('UPPER')!.resolve([], UTC, [])).toThrow('UPPER takes 1 argument, got 0');
    expect(() => lookupScalarFunction('COALESCE')!.resolve([], UTC, [])).toThrow('COALESCE takes at least 1 argument, got 0');
  });

  it('resolves operators and rejects wrong operand counts', () => {
    expect(resolveOperator('+', [type('INT'), type('INT')], UTC).type).toEqual({ root: 'INTEGER', nullable: false });
    expect(resolveOperator('=', [type('STRING?'), type('CHAR(3)')], UTC).type).toEqual({ root: 'BOOLEAN', nullable: true });
    expect(resolveOperator('NEG', [type('BIGINT')], UTC).impl(5n)).toBe(-5n);
    expect(() => resolveOperator('NEG', [type('INT'), type('INT')], UTC)).toThrow(FunctionTypeError);
    expect(() => resolveOperator('+', [type('INT')], UTC)).toThrow(FunctionTypeError);
  });
});
