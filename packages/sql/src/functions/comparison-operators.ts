// The comparison operators = <> < <= > >= across the types Flink compares: numerics of any kind with each other
// (exact between integers and DECIMALs, as doubles when FLOAT/DOUBLE is involved), character strings (in code
// point order, which is Flink's UTF-8 byte order), binary strings (unsigned bytes), booleans (FALSE < TRUE), the
// temporal types (DATE with TIMESTAMP as the day's midnight, TIMESTAMP with TIMESTAMP_LTZ in the session time
// zone), intervals of one kind, and ARRAY/MULTISET/MAP/ROW for (in)equality. Anything else is a FunctionTypeError
// `cannot compare INT and STRING`. Also the orderings and equalities other operators reuse (GREATEST, sorting,
// IN, NULLIF, ARRAY_CONTAINS).
import { inlinable, type InlineTemplate } from './inline-code.js';
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, type FunctionContext, type ResolvedCall } from './function-definition.js';
import { resolved } from './define.js';
import { resolveCast } from '../types/cast.js';
import { compareDecimal, decimalToNumber, pow10 } from '../types/decimal.js';
import { MS_PER_DAY, timeZone } from '../types/temporal.js';
import {
  commonType,
  isApproximateNumeric,
  isBinary,
  isConstructed,
  isNumeric,
  isString,
  isTimestamp,
  sameTypeIgnoringNullability,
  typeName,
  typeScale,
  withNullability,
} from '../types/type-rules.js';

/**
 * A comparison operator.
 *
 * @internal
 */
export type ComparisonOperator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/**
 * Compares two strings in code point order (surrogate pairs after U+FFFF's BMP neighbours), which is the order of
 * their UTF-8 bytes, as Flink compares strings.
 *
 * @internal
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // UTF-16 puts surrogates (U+D800..DFFF) below U+E000..FFFF; code point order puts them above
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/**
 * Compares byte strings as unsigned bytes, then by length.
 *
 * @internal
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

function cmpPrimitive(a: number | bigint | boolean, b: number | bigint | boolean): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Java's Double.compare: -0.0 < 0.0, NaN above everything and equal to itself
function compareDoubles(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a === b) return a === 0 ? (Object.is(a, -0) ? (Object.is(b, -0) ? 0 : -1) : Object.is(b, -0) ? 1 : 0) : 0;
  return a !== a ? (b !== b ? 0 : 1) : -1;
}

/**
 * A total order on the non-null values of type `t` (for sorting, MIN/MAX, GREATEST/LEAST): numbers and temporal
 * values by value (DOUBLE as Java's Double.compare), strings in code point order, ARRAY/ROW lexicographically with
 * NULL first. Throws a FunctionTypeError for MAP and MULTISET.
 *
 * @internal
 */
export function resolveOrdering(t: LogicalType): (a: any, b: any) => number {
  switch (t.root) {
    case 'CHAR':
    case 'VARCHAR':
      return compareStrings;
    case 'BINARY':
    case 'VARBINARY':
      return compareBytes;
    case 'FLOAT':
    case 'DOUBLE':
      return compareDoubles;
    case 'ARRAY': {
      const e = nullsFirst(resolveOrdering(t.element!));
      return (a: readonly unknown[], b: readonly unknown[]) => {
        const n = Math.min(a.length, b.length);
        for (let i = 0; i < n; i++) {
          const c = e(a[i], b[i]);
          if (c !== 0) return c;
        }
        return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
      };
    }
    case 'ROW': {
      const fs = (t.fields ?? []).map((f) => nullsFirst(resolveOrdering(f.type)));
      return (a: readonly unknown[], b: readonly unknown[]) => {
        for (let i = 0; i < fs.length; i++) {
          const c = fs[i]!(a[i], b[i]);
          if (c !== 0) return c;
        }
        return 0;
      };
    }
    case 'MAP':
    case 'MULTISET':
      throw new FunctionTypeError(`${typeName(t)} values have no order`);
    default:
      // BOOLEAN, integers, BIGINT, DECIMAL (one scale), DATE, TIME, TIMESTAMP(_LTZ), intervals
      return cmpPrimitive;
  }
}

function nullsFirst(c: (a: any, b: any) => number): (a: unknown, b: unknown) => number {
  return (a, b) => (a === null || a === undefined ? (b === null || b === undefined ? 0 : -1) : b === null || b === undefined ? 1 : c(a, b));
}

/**
 * Equality of two non-null values of type `t` (NULL elements inside arrays, maps and rows equal each other).
 *
 * @internal
 */
export function resolveEquality(t: LogicalType): (a: any, b: any) => boolean {
  switch (t.root) {
    case 'BINARY':
    case 'VARBINARY':
      return (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) === 0;
    case 'FLOAT':
    case 'DOUBLE':
      return (a: number, b: number) => a === b;
    case 'ARRAY': {
      const e = nullSafeEq(resolveEquality(t.element!));
      return (a: readonly unknown[], b: readonly unknown[]) => {
        if (a.length !== b.length) return false;
        for (let i = 0; i < a.length; i++) if (!e(a[i], b[i])) return false;
        return true;
      };
    }
    case 'ROW': {
      const fs = (t.fields ?? []).map((f) => nullSafeEq(resolveEquality(f.type)));
      return (a: readonly unknown[], b: readonly unknown[]) => {
        for (let i = 0; i < fs.length; i++) if (!fs[i]!(a[i], b[i])) return false;
        return true;
      };
    }
    case 'MAP':
    case 'MULTISET': {
      const keyType = t.root === 'MAP' ? t.key! : t.element!;
      const k = nullSafeEq(resolveEquality(keyType));
      const v = t.root === 'MAP' ? nullSafeEq(resolveEquality(t.element!)) : (x: unknown, y: unknown) => x === y;
      const primitiveKeys = !isConstructed(keyType) && !isBinary(keyType);
      return (a: Map<unknown, unknown>, b: Map<unknown, unknown>) => {
        if (a.size !== b.size) return false;
        for (const [key, value] of a) {
          if (primitiveKeys) {
            if (!b.has(key) || !v(value, b.get(key))) return false;
            continue;
          }
          let found = false;
          for (const [key2, value2] of b) {
            if (k(key, key2)) {
              found = v(value, value2);
              break;
            }
          }
          if (!found) return false;
        }
        return true;
      };
    }
    default:
      return (a: unknown, b: unknown) => a === b;
  }
}

function nullSafeEq(e: (a: any, b: any) => boolean): (a: unknown, b: unknown) => boolean {
  return (a, b) => (a === null || a === undefined ? b === null || b === undefined : b !== null && b !== undefined && e(a, b));
}

function fromCompare(op: ComparisonOperator, c: (a: any, b: any) => number): (a: any, b: any) => boolean {
  switch (op) {
    case '=':
      return (a, b) => c(a, b) === 0;
    case '<>':
      return (a, b) => c(a, b) !== 0;
    case '<':
      return (a, b) => c(a, b) < 0;
    case '<=':
      return (a, b) => c(a, b) <= 0;
    case '>':
      return (a, b) => c(a, b) > 0;
    case '>=':
      return (a, b) => c(a, b) >= 0;
  }
}

// The operator on values JavaScript compares correctly by itself (numbers, bigints, number vs bigint, booleans).
function primitiveOp(op: ComparisonOperator): (a: any, b: any) => boolean {
  // Also written inline in generated code, as the same operator (inline-code.ts).
  const text: InlineTemplate = ([a, b]) => `(${a} ${op === '=' ? '==' : op === '<>' ? '!=' : op} ${b})`;
  switch (op) {
    case '=':
      // loose equality compares a number and a bigint by value (1 == 1n), exactly
      // eslint-disable-next-line eqeqeq
      return inlinable((a, b) => a == b, text);
    case '<>':
      // eslint-disable-next-line eqeqeq
      return inlinable((a, b) => a != b, text);
    case '<':
      return inlinable((a, b) => a < b, text);
    case '<=':
      return inlinable((a, b) => a <= b, text);
    case '>':
      return inlinable((a, b) => a > b, text);
    case '>=':
      return inlinable((a, b) => a >= b, text);
  }
}

// the conversion of a BIGINT or DECIMAL value to a double (undefined for types already numbers)
function toDoubleOrUndefined(t: LogicalType): ((v: any) => number) | undefined {
  if (t.root === 'BIGINT') return (v: bigint) => Number(v);
  if (t.root !== 'DECIMAL') return undefined;
  const s = typeScale(t);
  return (v: bigint) => decimalToNumber(v, s);
}

function cannotCompare(a: LogicalType, b: LogicalType): never {
  throw new FunctionTypeError(`cannot compare ${typeName(a)} and ${typeName(b)}`);
}

/**
 * Resolves `left op right` to a BOOLEAN call (NULL when an operand is NULL).
 *
 * @internal
 */
export function resolveComparison(op: ComparisonOperator, left: LogicalType, right: LogicalType, ctx: FunctionContext): ResolvedCall {
  const type: LogicalType = { root: 'BOOLEAN', nullable: left.nullable || right.nullable };
  if (left.root === 'NULL' || right.root === 'NULL') return resolved({ root: 'BOOLEAN', nullable: true }, () => null);
  return resolved(type, comparisonImpl(op, left, right, ctx));
}

function comparisonImpl(op: ComparisonOperator, a: LogicalType, b: LogicalType, ctx: FunctionContext): (x: any, y: any) => boolean {
  if (isNumeric(a) && isNumeric(b)) {
    if (isApproximateNumeric(a) || isApproximateNumeric(b)) {
      const ca = toDoubleOrUndefined(a);
      const cb = toDoubleOrUndefined(b);
      const p = primitiveOp(op);
      if (!ca && !cb) return p;
      const fa = ca ?? ((v: number): number => v);
      const fb = cb ?? ((v: number): number => v);
      return (x, y) => p(fa(x), fb(y));
    }
    if (a.root === 'DECIMAL' || b.root === 'DECIMAL') {
      const sa = typeScale(a);
      const sb = typeScale(b);
      if (sa === sb) return primitiveOp(op);
      // integers and DECIMALs: compare the unscaled values at the larger scale, exactly
      const m = Math.max(sa, sb);
      const fa = pow10(m - sa);
      const fb = pow10(m - sb);
      const p = primitiveOp(op);
      return (x, y) => p(BigInt(x) * fa, BigInt(y) * fb);
    }
    return primitiveOp(op);
  }
  if (isString(a) && isString(b)) {
    if (op === '=') return inlinable((x: string, y: string) => x === y, ([x, y]) => `(${x} === ${y})`);
    if (op === '<>') return inlinable((x: string, y: string) => x !== y, ([x, y]) => `(${x} !== ${y})`);
    return fromCompare(op, compareStrings);
  }
  if (isBinary(a) && isBinary(b)) return fromCompare(op, compareBytes);
  if (a.root === 'BOOLEAN' && b.root === 'BOOLEAN') return primitiveOp(op);
  if (a.root === b.root && (a.root === 'DATE' || a.root === 'TIME' || a.root === 'INTERVAL_YEAR_MONTH' || a.root === 'INTERVAL_DAY_TIME')) return primitiveOp(op);
  if ((isTimestamp(a) || a.root === 'DATE') && (isTimestamp(b) || b.root === 'DATE')) {
    const ta = toTimestampValue(a, b, ctx);
    const tb = toTimestampValue(b, a, ctx);
    const p = primitiveOp(op);
    if (!ta && !tb) return p;
    const fa = ta ?? ((v: number) => v);
    const fb = tb ?? ((v: number) => v);
    return (x, y) => p(fa(x), fb(y));
  }
  if (isConstructed(a) && a.root === b.root) {
    if (op !== '=' && op !== '<>') throw new FunctionTypeError(`cannot apply '${op}' to ${typeName(a)} and ${typeName(b)}: only = and <> compare ${a.root} values`);
    const t = sameTypeIgnoringNullability(a, b) ? a : commonType([a, b]);
    if (!t) cannotCompare(a, b);
    const eq = resolveEquality(t);
    const ca = sameTypeIgnoringNullability(a, t) ? undefined : resolveCast(a, withNullability(t, true), false, ctx);
    const cb = sameTypeIgnoringNullability(b, t) ? undefined : resolveCast(b, withNullability(t, true), false, ctx);
    const f = ca || cb ? (x: unknown, y: unknown) => eq(ca ? ca(x) : x, cb ? cb(y) : y) : eq;
    return op === '=' ? f : (x, y) => !f(x, y);
  }
  cannotCompare(a, b);
}

// How a DATE/TIMESTAMP/TIMESTAMP_LTZ value of type t converts to compare with one of type other: undefined when
// it stays (same kind), else the conversion to the wider kind (DATE -> TIMESTAMP -> TIMESTAMP_LTZ).
function toTimestampValue(t: LogicalType, other: LogicalType, ctx: FunctionContext): ((v: number) => number) | undefined {
  if (t.root === other.root) return undefined;
  const toLtz = other.root === 'TIMESTAMP_LTZ';
  if (t.root === 'TIMESTAMP_LTZ') return undefined;
  if (!toLtz) return t.root === 'DATE' ? (d) => d * MS_PER_DAY : undefined;
  const z = timeZone(ctx.localTimeZone);
  if (!z) throw new FunctionTypeError(`unknown time zone '${ctx.localTimeZone}'`);
  return t.root === 'DATE' ? (d) => z.toEpoch(d * MS_PER_DAY) : (v) => z.toEpoch(v);
}

/**
 * Whether values of the two types can be compared with `=` (and so used together in IN, NULLIF, CASE operands).
 *
 * @internal
 */
export function areComparable(a: LogicalType, b: LogicalType): boolean {
  try {
    comparisonImpl('=', a, b, { localTimeZone: 'UTC' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The equality function of two non-null values of types a and b as `=` compares them.
 *
 * @internal
 */
export function resolveMixedEquality(a: LogicalType, b: LogicalType, ctx: FunctionContext): (x: any, y: any) => boolean {
  if (a.root === 'NULL' || b.root === 'NULL') return () => false;
  return comparisonImpl('=', a, b, ctx);
}
