// The arithmetic operators + - * / % and unary minus, with Flink's result types and Java's integer semantics:
// INT op INT is INT and wraps at 32 bits, BIGINT wraps at 64 bits (bigint + BigInt.asIntN), TINYINT/SMALLINT wrap
// at 8/16 bits, integer division truncates toward zero and a zero divisor fails ('division by zero'); `%` takes the
// type of its second operand (Calcite) and the sign of the first. DOUBLE and FLOAT follow IEEE (1/0.0 is Infinity).
// DECIMAL results get Flink's precision and scale (LogicalTypeMerging: + - like SQL Server, * p1+p2+1, / with at
// least 6 fraction digits, reduced to 38 digits keeping the integral part) and become NULL when they do not fit.
// Datetime arithmetic: DATE/TIME/TIMESTAMP/TIMESTAMP_LTZ +/- INTERVAL, INTERVAL +/- INTERVAL, INTERVAL */÷ number.
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, SqlRuntimeError, type FunctionContext, type ResolvedCall } from './function-definition.js';
import { resolved } from './define.js';
import { inlinable } from './inline-code.js';
import { wrapInt } from '../types/cast.js';
import { decimalToNumber, divideDecimal, pow10, remainderDecimal, rescaleDecimal } from '../types/decimal.js';
import { MS_PER_DAY, addMonthsToDate, addMonthsToTimestamp, msOfDay, timeZone } from '../types/temporal.js';
import {
  MAX_DECIMAL_PRECISION,
  decimalType,
  isApproximateNumeric,
  isExactNumeric,
  isIntegral,
  isInterval,
  isNumeric,
  makeType,
  typeName,
  typePrecision,
  typeScale,
  withNullability,
} from '../types/type-rules.js';

/**
 * An arithmetic operator.
 *
 * @internal
 */
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';

const MIN_ADJUSTED_SCALE = 6;

// Flink's adjustPrecisionScale: past 38 digits, give up fraction digits (keeping at least min(scale, 6)).
function adjust(precision: number, scale: number): { precision: number; scale: number } {
  if (precision <= MAX_DECIMAL_PRECISION) return { precision, scale };
  const digits = precision - scale;
  const minScale = Math.min(scale, MIN_ADJUSTED_SCALE);
  return { precision: MAX_DECIMAL_PRECISION, scale: Math.max(MAX_DECIMAL_PRECISION - digits, minScale) };
}

/**
 * The DECIMAL(p, s) of `a op b` for DECIMAL/integer operands (Flink's `LogicalTypeMerging.find*DecimalType`).
 *
 * @internal
 */
export function decimalResultType(op: ArithmeticOperator, p1: number, s1: number, p2: number, s2: number): { precision: number; scale: number } {
  const { precision, scale } = uncutDecimalType(op, p1, s1, p2, s2);
  return adjust(precision, scale);
}

// The DECIMAL(p, s) of `a op b` before it is cut to 38 digits (p may exceed 38).
function uncutDecimalType(op: ArithmeticOperator, p1: number, s1: number, p2: number, s2: number): { precision: number; scale: number } {
  switch (op) {
    case '+':
    case '-': {
      const s = Math.max(s1, s2);
      return { precision: Math.max(p1 - s1, p2 - s2) + s + 1, scale: s };
    }
    case '*':
      return { precision: p1 + p2 + 1, scale: s1 + s2 };
    case '/': {
      const s = Math.max(6, s1 + p2 + 1);
      return { precision: p1 - s1 + s2 + s, scale: s };
    }
    case '%': {
      const s = Math.max(s1, s2);
      return { precision: Math.min(p1 - s1, p2 - s2) + s, scale: s };
    }
  }
}

function divisionByZero(): never {
  throw new SqlRuntimeError('division by zero');
}

const INT_RANK: Partial<Record<LogicalType['root'], number>> = { TINYINT: 1, SMALLINT: 2, INTEGER: 3, BIGINT: 4 };
const RANK_ROOT: readonly LogicalType['root'][] = ['NULL', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'];

function asDouble(t: LogicalType): (v: any) => number {
  if (t.root === 'BIGINT') return (v: bigint) => Number(v);
  if (t.root === 'DECIMAL') {
    const s = typeScale(t);
    return (v: bigint) => decimalToNumber(v, s);
  }
  return (v: number) => v;
}

function big(v: number | bigint): bigint {
  return typeof v === 'bigint' ? v : BigInt(v);
}

/**
 * Resolves `left op right`; throws a FunctionTypeError for operand types the operator does not take.
 *
 * @internal
 */
export function resolveArithmetic(op: ArithmeticOperator, left: LogicalType, right: LogicalType, ctx: FunctionContext): ResolvedCall {
  // an untyped NULL takes the other operand's type
  if (left.root === 'NULL' && right.root === 'NULL') throw new FunctionTypeError(`cannot apply '${op}' to NULL and NULL`);
  const a = left.root === 'NULL' ? withNullability(right, true) : left;
  const b = right.root === 'NULL' ? withNullability(left, true) : right;
  if (isNumeric(a) && isNumeric(b)) return numeric(op, a, b);
  return temporal(op, a, b, ctx) ?? typeError(op, left, right);
}

function typeError(op: string, a: LogicalType, b: LogicalType): never {
  throw new FunctionTypeError(`cannot apply '${op}' to ${typeName(a)} and ${typeName(b)}`);
}

function numeric(op: ArithmeticOperator, a: LogicalType, b: LogicalType): ResolvedCall {
  const nullable = a.nullable || b.nullable;
  const approx = isApproximateNumeric(a) || isApproximateNumeric(b);
  if (approx) {
    if (op === '%') throw new FunctionTypeError(`cannot apply '%' to ${typeName(a)} and ${typeName(b)}: MOD takes exact numerics`);
    const double = a.root === 'DOUBLE' || b.root === 'DOUBLE' || a.root === 'DECIMAL' || b.root === 'DECIMAL';
    const ca = asDouble(a);
    const cb = asDouble(b);
    const type = makeType(double ? 'DOUBLE' : 'FLOAT', nullable);
    let impl: (x: any, y: any) => number;
    switch (op) {
      case '+':
        impl = (x, y) => ca(x) + cb(y);
        break;
      case '-':
        impl = (x, y) => ca(x) - cb(y);
        break;
      case '*':
        impl = (x, y) => ca(x) * cb(y);
        break;
      default:
        impl = (x, y) => ca(x) / cb(y);
    }
    if (!double) {
      const f = impl;
      // float arithmetic: operands are float32 values, the IEEE result rounded to float32 (exact, as Java's float ops)
      return resolved(type, (x: any, y: any) => Math.fround(f(Math.fround(ca(x)), Math.fround(cb(y)))));
    }
    return resolved(type, impl);
  }
  if (a.root === 'DECIMAL' || b.root === 'DECIMAL') return decimal(op, a, b, nullable);
  return integral(op, a, b, nullable);
}

function integral(op: ArithmeticOperator, a: LogicalType, b: LogicalType, nullable: boolean): ResolvedCall {
  const ra = INT_RANK[a.root]!;
  const rb = INT_RANK[b.root]!;
  // `%` has the type of its divisor (the remainder is smaller than it); the others the wider operand's
  const rank = op === '%' ? rb : Math.max(ra, rb);
  const type = makeType(RANK_ROOT[rank]!, nullable);
  if (Math.max(ra, rb) === 4) {
    // 64-bit arithmetic on bigints
    switch (op) {
      case '+':
        return resolved(type, (x: number | bigint, y: number | bigint) => BigInt.asIntN(64, big(x) + big(y)));
      case '-':
        return resolved(type, (x: number | bigint, y: number | bigint) => BigInt.asIntN(64, big(x) - big(y)));
      case '*':
        return resolved(type, (x: number | bigint, y: number | bigint) => BigInt.asIntN(64, big(x) * big(y)));
      case '/':
        return resolved(type, (x: number | bigint, y: number | bigint) => {
          const d = big(y);
          if (d === 0n) divisionByZero();
          return BigInt.asIntN(64, big(x) / d);
        });
      case '%':
        if (rank < 4) {
          // A divisor of at most 32 bits (a number): a BIGINT dividend in the safe range is exact as a number, and so
          // is the remainder of two safe integers (`| 0` turns JavaScript's -0 into Java's 0).
          return resolved(type, (x: number | bigint, y: number) => {
            if (y === 0) divisionByZero();
            if (typeof x === 'number') return (x % y) | 0;
            const n = Number(x);
            return Number.isSafeInteger(n) ? (n % y) | 0 : Number(x % BigInt(y));
          });
        }
        return resolved(type, (x: number | bigint, y: number | bigint) => {
          const d = big(y);
          if (d === 0n) divisionByZero();
          return big(x) % d;
        });
    }
  }
  const bits = rank === 1 ? 8 : rank === 2 ? 16 : 32;
  switch (op) {
    case '+':
      return resolved(type, bits === 32 ? (x: number, y: number) => (x + y) | 0 : (x: number, y: number) => wrapInt(x + y, bits));
    case '-':
      return resolved(type, bits === 32 ? (x: number, y: number) => (x - y) | 0 : (x: number, y: number) => wrapInt(x - y, bits));
    case '*':
      return resolved(type, bits === 32 ? (x: number, y: number) => Math.imul(x, y) : (x: number, y: number) => wrapInt(x * y, bits));
    case '/':
      return resolved(type, (x: number, y: number) => {
        if (y === 0) divisionByZero();
        return wrapInt(x / y, bits);
      });
    case '%':
      return resolved(type, (x: number, y: number) => {
        if (y === 0) divisionByZero();
        return (x % y) | 0;
      });
  }
}

function decimal(op: ArithmeticOperator, a: LogicalType, b: LogicalType, nullable: boolean): ResolvedCall {
  if (!isExactNumeric(a) || !isExactNumeric(b)) throw typeError(op, a, b);
  const p1 = typePrecision(a);
  const s1 = typeScale(a);
  const p2 = typePrecision(b);
  const s2 = typeScale(b);
  const { precision: rp, scale: rs } = decimalResultType(op, p1, s1, p2, s2);
  const type = decimalType(rp, rs, nullable);
  // |u| < 10^rp, with both bounds made once (fitsPrecision would negate its bound, a new bigint, per row)
  const lim = pow10(rp);
  const negLim = -lim;
  const fit = (u: bigint): bigint | null => (u < lim && u > negLim ? u : null);
  // Where both operands are bigints (BIGINT, DECIMAL) and the result type was not cut to 38 digits, the exact result
  // always fits it (|x| < 10^p1, |y| < 10^p2: a sum of equal scales stays under 10^(max + 1), a product under
  // 10^(p1 + p2)), so generated code may write the operation itself instead of calling the shared closure below
  // (inline-code.ts): one BigInt operation, no call, no bound checks (q1's `0.908 * price`).
  const bigints = (a.root === 'BIGINT' || a.root === 'DECIMAL') && (b.root === 'BIGINT' || b.root === 'DECIMAL');
  const exact = bigints && uncutDecimalType(op, p1, s1, p2, s2).precision <= MAX_DECIMAL_PRECISION;
  switch (op) {
    case '+':
    case '-': {
      const m = Math.max(s1, s2);
      const fa = pow10(m - s1);
      const fb = pow10(m - s2);
      const sign = op === '+' ? 1n : -1n;
      if (m === rs) {
        const impl = (x: number | bigint, y: number | bigint): bigint | null => fit(big(x) * fa + sign * big(y) * fb);
        return resolved(type, exact && s1 === s2 ? inlinable(impl, ([x, y]) => `(${x} ${op} ${y})`) : impl);
      }
      return resolved(type, (x: number | bigint, y: number | bigint) => fit(rescaleDecimal(big(x) * fa + sign * big(y) * fb, m, rs)));
    }
    case '*':
      if (s1 + s2 === rs) {
        const impl = (x: number | bigint, y: number | bigint): bigint | null => fit(big(x) * big(y));
        return resolved(type, exact ? inlinable(impl, ([x, y]) => `(${x} * ${y})`) : impl);
      }
      return resolved(type, (x: number | bigint, y: number | bigint) => fit(rescaleDecimal(big(x) * big(y), s1 + s2, rs)));
    case '/':
      return resolved(type, (x: number | bigint, y: number | bigint) => {
        const d = big(y);
        if (d === 0n) divisionByZero();
        return fit(divideDecimal(big(x), s1, d, s2, rs));
      });
    case '%': {
      const m = Math.max(s1, s2);
      return resolved(type, (x: number | bigint, y: number | bigint) => {
        const d = big(y);
        if (d === 0n) divisionByZero();
        return fit(rescaleDecimal(remainderDecimal(big(x), s1, d, s2), m, rs));
      });
    }
  }
}

/**
 * Resolves unary minus.
 *
 * @internal
 */
export function resolveNegation(t: LogicalType): ResolvedCall {
  switch (t.root) {
    case 'TINYINT':
      return resolved(t, (x: number) => wrapInt(-x, 8));
    case 'SMALLINT':
      return resolved(t, (x: number) => wrapInt(-x, 16));
    case 'INTEGER':
      return resolved(t, (x: number) => -x | 0);
    case 'BIGINT':
      return resolved(t, (x: bigint) => BigInt.asIntN(64, -x));
    case 'DECIMAL':
      return resolved(t, (x: bigint) => -x);
    case 'FLOAT':
    case 'DOUBLE':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return resolved(t, (x: number) => -x);
    case 'NULL':
      return resolved(t, () => null);
    default:
      throw new FunctionTypeError(`cannot apply '-' to ${typeName(t)}`);
  }
}

// ------------------------------------------------------------------------------------------------ datetime

function temporal(op: ArithmeticOperator, a: LogicalType, b: LogicalType, ctx: FunctionContext): ResolvedCall | undefined {
  const nullable = a.nullable || b.nullable;
  if (op === '+' || op === '-') {
    if (isInterval(b) && isDatetime(a)) return datetimePlusInterval(a, b, op === '-', nullable, ctx);
    if (op === '+' && isInterval(a) && isDatetime(b)) {
      const call = datetimePlusInterval(b, a, false, nullable, ctx);
      const f = call.impl;
      return { ...call, impl: (x: unknown, y: unknown) => f(y, x) };
    }
    if (isInterval(a) && a.root === b.root) {
      const type = withNullability(a, nullable);
      return op === '+' ? resolved(type, (x: number, y: number) => x + y) : resolved(type, (x: number, y: number) => x - y);
    }
    if (op === '-' && isDatetime(a) && isDatetime(b))
      throw new FunctionTypeError(`cannot subtract ${typeName(b)} from ${typeName(a)}: use TIMESTAMPDIFF(unit, ${typeName(b)}, ${typeName(a)})`);
    return undefined;
  }
  if (op === '*' && isInterval(a) && isNumeric(b)) return intervalTimes(a, b, nullable, false);
  if (op === '*' && isNumeric(a) && isInterval(b)) return intervalTimes(b, a, nullable, true);
  if (op === '/' && isInterval(a) && isNumeric(b)) {
    const cb = asDouble(b);
    return resolved(withNullability(a, nullable), (x: number, y: unknown) => {
      const d = cb(y);
      if (d === 0 && isIntegral(b)) divisionByZero();
      return Math.trunc(x / d);
    });
  }
  return undefined;
}

function isDatetime(t: LogicalType): boolean {
  return t.root === 'DATE' || t.root === 'TIME' || t.root === 'TIMESTAMP' || t.root === 'TIMESTAMP_LTZ';
}

function intervalTimes(iv: LogicalType, n: LogicalType, nullable: boolean, swapped: boolean): ResolvedCall {
  const cn = asDouble(n);
  const type = withNullability(iv, nullable);
  if (swapped) return resolved(type, (y: unknown, x: number) => Math.trunc(x * cn(y)));
  return resolved(type, (x: number, y: unknown) => Math.trunc(x * cn(y)));
}

function datetimePlusInterval(dt: LogicalType, iv: LogicalType, minus: boolean, nullable: boolean, ctx: FunctionContext): ResolvedCall {
  const type = withNullability(dt, nullable);
  const s = minus ? -1 : 1;
  const months = iv.root === 'INTERVAL_YEAR_MONTH';
  switch (dt.root) {
    case 'DATE':
      // Flink: whole days of a DAY TO SECOND interval (truncated)
      return months
        ? resolved(type, (d: number, m: number) => addMonthsToDate(d, s * m))
        : resolved(type, (d: number, ms: number) => d + s * Math.trunc(ms / MS_PER_DAY));
    case 'TIME':
      if (months) throw new FunctionTypeError(`cannot apply '${minus ? '-' : '+'}' to TIME and ${typeName(iv)}`);
      return resolved(type, (t: number, ms: number) => msOfDay(t + s * (ms % MS_PER_DAY)));
    case 'TIMESTAMP':
      return months ? resolved(type, (t: number, m: number) => addMonthsToTimestamp(t, s * m)) : resolved(type, (t: number, ms: number) => t + s * ms);
    default: {
      if (!months) return resolved(type, (t: number, ms: number) => t + s * ms);
      // months move the local date-time in the session time zone
      const z = timeZone(ctx.localTimeZone);
      if (!z) throw new FunctionTypeError(`unknown time zone '${ctx.localTimeZone}'`);
      return resolved(type, (t: number, m: number) => z.toEpoch(addMonthsToTimestamp(z.toLocal(t), s * m)));
    }
  }
}
