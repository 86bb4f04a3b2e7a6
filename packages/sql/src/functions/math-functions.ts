// Built-in numeric functions with Flink's types and rounding: ABS, SIGN, FLOOR, CEIL keep the argument's type
// (DECIMAL FLOOR/CEIL drop the scale); ROUND and TRUNCATE round HALF_UP / DOWN exactly, through the decimal text of
// a double as Java's BigDecimal.valueOf does (ROUND(2.675, 2) is 2.68), with DECIMAL results typed as Flink's
// `findRoundDecimalType`; MOD is `%`; the transcendental functions return DOUBLE. RAND(seed) and
// RAND_INTEGER(seed, bound) reproduce java.util.Random's sequences, so seeded results match Flink's.
import type { LogicalType } from '@runnel/api/table';
import { SqlRuntimeError, type ScalarFunctionDefinition } from './function-definition.js';
import { anyNullable, argError, defineFunction, expectInteger, expectNumeric, resolved, toNumber } from './define.js';
import { resolveArithmetic } from './arithmetic-operators.js';
import { wrapInt } from '../types/cast.js';
import { decimalOfNumber, decimalToNumber, fitsPrecision, pow10, roundDecimalTo, type DecimalRounding } from '../types/decimal.js';
import { MAX_DECIMAL_PRECISION, decimalType, isIntegral, makeType, typePrecision, typeScale, withNullability } from '../types/type-rules.js';

const DOUBLE = (nullable: boolean): LogicalType => makeType('DOUBLE', nullable);

function toDouble(t: LogicalType): (v: any) => number {
  if (t.root === 'BIGINT') return (v: bigint) => Number(v);
  if (t.root === 'DECIMAL') {
    const s = typeScale(t);
    return (v: bigint) => decimalToNumber(v, s);
  }
  return (v: number) => v;
}

/** A DOUBLE function of one numeric argument. */
function unary(name: string, f: (x: number) => number): ScalarFunctionDefinition {
  return defineFunction(name, 1, 1, (types) => {
    expectNumeric(name, types, 0);
    const c = toDouble(types[0]!);
    return resolved(DOUBLE(types[0]!.nullable), (x: unknown) => f(c(x)));
  });
}

/** A DOUBLE function of two numeric arguments. */
function binary(name: string, f: (x: number, y: number) => number): ScalarFunctionDefinition {
  return defineFunction(name, 2, 2, (types) => {
    expectNumeric(name, types, 0);
    expectNumeric(name, types, 1);
    const a = toDouble(types[0]!);
    const b = toDouble(types[1]!);
    return resolved(DOUBLE(anyNullable(types)), (x: unknown, y: unknown) => f(a(x), b(y)));
  });
}

// Java's Math.toDegrees / toRadians constants
const RADIANS_TO_DEGREES = 57.29577951308232;
const DEGREES_TO_RADIANS = 0.017453292519943295;

const LOG = defineFunction('LOG', 1, 2, (types) => {
  expectNumeric('LOG', types, 0);
  if (types.length === 1) {
    const c = toDouble(types[0]!);
    return resolved(DOUBLE(types[0]!.nullable), (x: unknown) => Math.log(c(x)));
  }
  expectNumeric('LOG', types, 1);
  const b = toDouble(types[0]!);
  const c = toDouble(types[1]!);
  return resolved(DOUBLE(anyNullable(types)), (base: unknown, x: unknown) => Math.log(c(x)) / Math.log(b(base)));
});

function powerDef(name: string): ScalarFunctionDefinition {
  return binary(name, (x, y) => Math.pow(x, y));
}

const ABS = defineFunction('ABS', 1, 1, (types) => {
  const t = types[0]!;
  switch (t.root) {
    case 'TINYINT':
      return resolved(t, (x: number) => wrapInt(Math.abs(x), 8));
    case 'SMALLINT':
      return resolved(t, (x: number) => wrapInt(Math.abs(x), 16));
    case 'INTEGER':
      return resolved(t, (x: number) => Math.abs(x) | 0);
    case 'BIGINT':
      return resolved(t, (x: bigint) => BigInt.asIntN(64, x < 0n ? -x : x));
    case 'DECIMAL':
      return resolved(t, (x: bigint) => (x < 0n ? -x : x));
    case 'FLOAT':
    case 'DOUBLE':
    case 'INTERVAL_YEAR_MONTH':
    case 'INTERVAL_DAY_TIME':
      return resolved(t, Math.abs);
    case 'NULL':
      return resolved(t, () => null);
    default:
      throw argError('ABS', types, 0, 'numeric');
  }
});

const SIGN = defineFunction('SIGN', 1, 1, (types) => {
  const t = types[0]!;
  switch (t.root) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
      return resolved(t, (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0));
    case 'BIGINT':
      return resolved(t, (x: bigint) => (x > 0n ? 1n : x < 0n ? -1n : 0n));
    case 'DECIMAL': {
      const one = pow10(typeScale(t));
      return resolved(t, (x: bigint) => (x > 0n ? one : x < 0n ? -one : 0n));
    }
    case 'FLOAT':
    case 'DOUBLE':
      return resolved(t, Math.sign);
    default:
      expectNumeric('SIGN', types, 0);
      return resolved(t, () => null);
  }
});

const MOD = defineFunction('MOD', 2, 2, (types, ctx) => resolveArithmetic('%', types[0]!, types[1]!, ctx));

function floorCeil(name: string, mode: 'FLOOR' | 'CEILING'): ScalarFunctionDefinition {
  return defineFunction(name, 1, 1, (types) => {
    const t = types[0]!;
    if (isIntegral(t)) return resolved(t, (x: unknown) => x);
    switch (t.root) {
      case 'DECIMAL': {
        const s = typeScale(t);
        return resolved(decimalType(typePrecision(t), 0, t.nullable), (x: bigint) => roundDecimalTo(x, s, 0, mode));
      }
      case 'FLOAT':
      case 'DOUBLE':
        return resolved(t, mode === 'FLOOR' ? Math.floor : Math.ceil);
      default:
        expectNumeric(name, types, 0);
        throw argError(name, types, 0, 'numeric');
    }
  });
}

/** Flink's `findRoundDecimalType`: the DECIMAL of ROUND(DECIMAL(p, s), r). */
function roundDecimalType(p: number, s: number, r: number): { precision: number; scale: number } {
  if (r >= s) return { precision: p, scale: s };
  if (r < 0) return { precision: Math.min(MAX_DECIMAL_PRECISION, 1 + p - s), scale: 0 };
  return { precision: 1 + p - s + r, scale: r };
}

// Rounds a double through its exact shortest decimal (BigDecimal.valueOf), to `digits` fraction digits.
function roundDouble(x: number, digits: number, mode: DecimalRounding): number {
  const d = decimalOfNumber(x);
  if (d === null) return x;
  const r = roundDecimalTo(d[0], d[1], digits, mode);
  return decimalToNumber(r, Math.max(digits, 0));
}

// Rounds an integer to `digits` (only negative digits change it), then narrows to the type as Java's intValue().
function roundInteger(v: bigint, digits: number, mode: DecimalRounding): bigint {
  return digits >= 0 ? v : roundDecimalTo(v, 0, digits, mode);
}

function roundLike(name: string, mode: DecimalRounding): ScalarFunctionDefinition {
  return defineFunction(name, 1, 2, (types, _ctx, literals) => {
    const t = types[0]!;
    expectNumeric(name, types, 0);
    if (types.length === 2) expectInteger(name, types, 1);
    const lit = types.length === 1 ? 0 : literals[1];
    const literal = typeof lit === 'number' || typeof lit === 'bigint' ? Number(lit) : undefined;
    const nullable = anyNullable(types);
    const digitsOf = (d: unknown): number => (d === undefined ? 0 : toNumber(d as number | bigint));
    switch (t.root) {
      case 'TINYINT':
      case 'SMALLINT':
      case 'INTEGER': {
        const bits = t.root === 'TINYINT' ? 8 : t.root === 'SMALLINT' ? 16 : 32;
        return resolved(withNullability(t, nullable), (x: number, d?: unknown) => Number(BigInt.asIntN(bits, roundInteger(BigInt(x), digitsOf(d), mode))));
      }
      case 'BIGINT':
        return resolved(withNullability(t, nullable), (x: bigint, d?: unknown) => BigInt.asIntN(64, roundInteger(x, digitsOf(d), mode)));
      case 'FLOAT':
        return resolved(withNullability(t, nullable), (x: number, d?: unknown) => Math.fround(roundDouble(x, digitsOf(d), mode)));
      case 'DOUBLE':
        return resolved(withNullability(t, nullable), (x: number, d?: unknown) => roundDouble(x, digitsOf(d), mode));
      case 'DECIMAL': {
        const p = typePrecision(t);
        const s = typeScale(t);
        if (literal !== undefined) {
          const rt = roundDecimalType(p, s, literal);
          const type = decimalType(rt.precision, rt.scale, nullable);
          return resolved(type, (x: bigint) => {
            if (literal >= s) return x;
            const r = roundDecimalTo(x, s, literal, mode);
            return fitsPrecision(r, rt.precision) ? r : null;
          });
        }
        // digits known only at runtime: keep the type, round within it
        return resolved(withNullability(t, nullable), (x: bigint, d?: unknown) => {
          const r = digitsOf(d);
          if (r >= s) return x;
          const v = roundDecimalTo(x, s, r, mode) * pow10(s - Math.max(r, 0));
          return fitsPrecision(v, p) ? v : null;
        });
      }
      default:
        throw argError(name, types, 0, 'numeric');
    }
  });
}

// ------------------------------------------------------------------------------------------------ random

/**
 * java.util.Random's linear congruential generator, on two 24-bit halves of the 48-bit seed (exact in doubles).
 *
 * @internal
 */
export class JavaRandom {
  private hi: number;
  private lo: number;

  constructor(seed: number | bigint) {
    const s = BigInt.asUintN(48, BigInt(seed) ^ 0x5deece66dn);
    this.hi = Number(s >> 24n);
    this.lo = Number(s & 0xffffffn);
  }

  private next(bits: number): number {
    // seed = (seed * 0x5DEECE66D + 0xB) mod 2^48
    const p0 = this.lo * 0xece66d + 0xb;
    const carry = Math.floor(p0 / 0x1000000);
    const lo = p0 - carry * 0x1000000;
    const hi = (this.hi * 0xece66d + this.lo * 0x5de + carry) % 0x1000000;
    this.hi = hi;
    this.lo = lo;
    return Math.floor((hi * 0x1000000 + lo) / 2 ** (48 - bits)) | 0;
  }

  /** The next double in [0, 1). */
  nextDouble(): number {
    return (this.next(26) * 134217728 + this.next(27)) * 2 ** -53;
  }

  /** The next int in [0, bound). */
  nextInt(bound: number): number {
    if (bound <= 0) throw new SqlRuntimeError(`RAND_INTEGER: the bound must be positive, got ${bound}`);
    let r = this.next(31);
    const m = bound - 1;
    if ((bound & m) === 0) return Math.floor(r / (2147483648 / bound));
    for (let u = r; ((u - (r = u % bound) + m) | 0) < 0; u = this.next(31));
    return r;
  }
}

const RAND = defineFunction('RAND', 0, 1, (types) => {
  if (types.length === 0) return resolved(DOUBLE(false), () => Math.random(), { deterministic: false });
  expectInteger('RAND', types, 0);
  let gen: JavaRandom | undefined;
  let genSeed: unknown;
  return resolved(
    DOUBLE(false),
    (seed: number | bigint | null) => {
      // one generator per seed: the same seed gives Flink's sequence
      if (gen === undefined || seed !== genSeed) {
        gen = new JavaRandom(seed ?? 0);
        genSeed = seed;
      }
      return gen.nextDouble();
    },
    { strictNulls: false, deterministic: false },
  );
});

const RAND_INTEGER = defineFunction('RAND_INTEGER', 1, 2, (types) => {
  for (let i = 0; i < types.length; i++) expectInteger('RAND_INTEGER', types, i);
  const nullable = types[types.length - 1]!.nullable;
  if (types.length === 1) {
    return resolved(
      makeType('INTEGER', nullable),
      (bound: number | bigint) => {
        const b = toNumber(bound);
        if (b <= 0) throw new SqlRuntimeError(`RAND_INTEGER: the bound must be positive, got ${b}`);
        return Math.floor(Math.random() * b);
      },
      { deterministic: false },
    );
  }
  let gen: JavaRandom | undefined;
  let genSeed: unknown;
  return resolved(
    makeType('INTEGER', nullable),
    (seed: number | bigint | null, bound: number | bigint | null) => {
      if (bound === null) return null;
      if (gen === undefined || seed !== genSeed) {
        gen = new JavaRandom(seed ?? 0);
        genSeed = seed;
      }
      return gen.nextInt(toNumber(bound));
    },
    { strictNulls: false, deterministic: false },
  );
});

function constant(name: string, value: number): ScalarFunctionDefinition {
  return defineFunction(name, 0, 0, () => resolved(DOUBLE(false), () => value));
}

/**
 * The built-in numeric functions.
 *
 * @internal
 */
export const MATH_FUNCTIONS: readonly ScalarFunctionDefinition[] = [
  ABS,
  SIGN,
  MOD,
  powerDef('POWER'),
  powerDef('POW'),
  unary('SQRT', Math.sqrt),
  unary('EXP', Math.exp),
  unary('LN', Math.log),
  unary('LOG10', Math.log10),
  unary('LOG2', (x) => Math.log(x) / Math.log(2)),
  LOG,
  unary('SIN', Math.sin),
  unary('COS', Math.cos),
  unary('TAN', Math.tan),
  unary('COT', (x) => 1 / Math.tan(x)),
  unary('ASIN', Math.asin),
  unary('ACOS', Math.acos),
  unary('ATAN', Math.atan),
  binary('ATAN2', Math.atan2),
  unary('SINH', Math.sinh),
  unary('COSH', Math.cosh),
  unary('TANH', Math.tanh),
  unary('DEGREES', (x) => x * RADIANS_TO_DEGREES),
  unary('RADIANS', (x) => x * DEGREES_TO_RADIANS),
  floorCeil('FLOOR', 'FLOOR'),
  floorCeil('CEIL', 'CEILING'),
  floorCeil('CEILING', 'CEILING'),
  roundLike('ROUND', 'HALF_UP'),
  roundLike('TRUNCATE', 'DOWN'),
  constant('PI', Math.PI),
  constant('E', Math.E),
  RAND,
  RAND_INTEGER,
];
