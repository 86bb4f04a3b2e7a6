// The order of SQL values that MIN and MAX use, per type, chosen once when the aggregate is resolved. MIN and MAX
// keep a multiset of values keyed by a Map, so each type also has a key form: the value itself for the primitives,
// and for BINARY a string whose code units are the bytes (one key per equal value; the string order is the byte
// order). Orders follow Flink: numbers numerically with NaN above everything (Java's Double.compare), strings by
// code point (Flink compares UTF-8 bytes, which is the same order; JS `<` compares UTF-16 code units, which is not,
// for characters above U+FFFF against U+E000–U+FFFF), bytes as unsigned values, FALSE before TRUE.
import type { LogicalType } from '@runnel/api/table';
import { bytesToLatin1, latin1ToBytes } from './canonical-key.js';

/**
 * How values of one type are ordered and keyed.
 *
 * @internal
 */
export interface ValueOrder {
  /** The Map key of a (non-null) value. */
  toKey(v: unknown): unknown;
  /** The value of a key (a new Uint8Array for BINARY). */
  fromKey(k: unknown): unknown;
  /** Compares two keys: negative, zero or positive. */
  compareKeys(a: unknown, b: unknown): number;
  /** Compares two values. */
  compareValues(a: unknown, b: unknown): number;
}

const identity = (v: unknown): unknown => v;

/**
 * Numbers in Java's `Double.compare` order for NaN (above +Infinity, equal to itself).
 *
 * @internal
 */
export function compareNumbers(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return 0;
  const aNaN = a !== a;
  const bNaN = b !== b;
  return aNaN === bNaN ? 0 : aNaN ? 1 : -1;
}

function compareBigints(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBooleans(a: boolean, b: boolean): number {
  return a === b ? 0 : a ? 1 : -1;
}

/**
 * Strings in code point order (the order of their UTF-8 bytes).
 *
 * @internal
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Code unit order is code point order except between surrogates (D800–DFFF, which encode code points above
      // FFFF) and E000–FFFF: move the surrogates above.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

function compareLatin1(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Byte strings as unsigned bytes, lexicographically.
 *
 * @internal
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

const NUMBER_ORDER: ValueOrder = {
  toKey: identity,
  fromKey: identity,
  compareKeys: compareNumbers as (a: unknown, b: unknown) => number,
  compareValues: compareNumbers as (a: unknown, b: unknown) => number,
};

const BIGINT_ORDER: ValueOrder = {
  toKey: identity,
  fromKey: identity,
  compareKeys: compareBigints as (a: unknown, b: unknown) => number,
  compareValues: compareBigints as (a: unknown, b: unknown) => number,
};

const BOOLEAN_ORDER: ValueOrder = {
  toKey: identity,
  fromKey: identity,
  compareKeys: compareBooleans as (a: unknown, b: unknown) => number,
  compareValues: compareBooleans as (a: unknown, b: unknown) => number,
};

const STRING_ORDER: ValueOrder = {
  toKey: identity,
  fromKey: identity,
  compareKeys: compareStrings as (a: unknown, b: unknown) => number,
  compareValues: compareStrings as (a: unknown, b: unknown) => number,
};

const BINARY_ORDER: ValueOrder = {
  toKey: (v) => bytesToLatin1(v as Uint8Array),
  fromKey: (k) => latin1ToBytes(k as string),
  compareKeys: compareLatin1 as (a: unknown, b: unknown) => number,
  compareValues: compareBytes as (a: unknown, b: unknown) => number,
};

/**
 * The order of a type's values, or undefined when the type is not ordered (ARRAY, MAP, MULTISET, ROW, NULL).
 *
 * @internal
 */
export function valueOrderOf(t: LogicalType): ValueOrder | undefined {
  switch (t.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'FLOAT':
    case 'DOUBLE':
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return NUMBER_ORDER;
    case 'BIGINT':
    case 'DECIMAL':
      // DECIMAL values of one type share a scale: their unscaled values order like the values.
      return BIGINT_ORDER;
    case 'BOOLEAN':
      return BOOLEAN_ORDER;
    case 'CHAR':
    case 'VARCHAR':
      return STRING_ORDER;
    case 'BINARY':
    case 'VARBINARY':
      return BINARY_ORDER;
    default:
      return undefined;
  }
}
