// Type rules shared by the functions, CAST and the binder: type families (numeric, string, temporal, ...), the
// implicit casts Flink allows (`LogicalTypeCasts`), and the least restrictive common type of several types that
// CASE, COALESCE, UNION and IN unify to (`LogicalTypeMerging.findCommonType`). Defaults of unparameterised types
// follow `formatLogicalType`: DECIMAL(10, 0), TIME(0), TIMESTAMP(6), a VARCHAR without length is STRING.
import { MAX_LENGTH, formatLogicalType, type LogicalType, type LogicalTypeRoot } from '@runnel/api/table';

/**
 * The largest DECIMAL precision.
 *
 * @internal
 */
export const MAX_DECIMAL_PRECISION = 38;

/**
 * A type of root `root` with the given nullability and parameters (`precision`, `scale`).
 *
 * @internal
 */
export function makeType(root: LogicalTypeRoot, nullable: boolean, precision?: number, scale?: number): LogicalType {
  if (precision === undefined) return { root, nullable };
  if (scale === undefined) return { root, nullable, precision };
  return { root, nullable, precision, scale };
}

/**
 * `t` with nullability `nullable` (the same object when it already has it).
 *
 * @internal
 */
export function withNullability(t: LogicalType, nullable: boolean): LogicalType {
  return t.nullable === nullable ? t : { ...t, nullable };
}

/**
 * STRING (`VARCHAR(2147483647)`).
 *
 * @internal
 */
export function stringType(nullable: boolean): LogicalType {
  return { root: 'VARCHAR', nullable, precision: MAX_LENGTH };
}

/**
 * DECIMAL(p, s).
 *
 * @internal
 */
export function decimalType(precision: number, scale: number, nullable: boolean): LogicalType {
  return { root: 'DECIMAL', nullable, precision, scale };
}

/**
 * The text of a type for error messages: Flink's form without `NOT NULL` and time attributes (`INT`, `STRING`,
 * `DECIMAL(10, 2)`).
 *
 * @internal
 */
export function typeName(t: LogicalType): string {
  const s = formatLogicalType({ ...t, nullable: true, timeAttribute: undefined });
  return s.replace(/\bINTEGER\b/g, 'INT');
}

/** @internal */
export function isIntegral(t: LogicalType): boolean {
  const r = t.root;
  return r === 'TINYINT' || r === 'SMALLINT' || r === 'INTEGER' || r === 'BIGINT';
}

/** Integral types and DECIMAL. @internal */
export function isExactNumeric(t: LogicalType): boolean {
  return isIntegral(t) || t.root === 'DECIMAL';
}

/** FLOAT and DOUBLE. @internal */
export function isApproximateNumeric(t: LogicalType): boolean {
  return t.root === 'FLOAT' || t.root === 'DOUBLE';
}

/** @internal */
export function isNumeric(t: LogicalType): boolean {
  return isExactNumeric(t) || isApproximateNumeric(t);
}

/** CHAR and VARCHAR (STRING). @internal */
export function isString(t: LogicalType): boolean {
  return t.root === 'CHAR' || t.root === 'VARCHAR';
}

/** BINARY and VARBINARY (BYTES). @internal */
export function isBinary(t: LogicalType): boolean {
  return t.root === 'BINARY' || t.root === 'VARBINARY';
}

/** TIMESTAMP and TIMESTAMP_LTZ. @internal */
export function isTimestamp(t: LogicalType): boolean {
  return t.root === 'TIMESTAMP' || t.root === 'TIMESTAMP_LTZ';
}

/** DATE, TIME, TIMESTAMP, TIMESTAMP_LTZ (Flink's DATETIME family). @internal */
export function isTemporal(t: LogicalType): boolean {
  return t.root === 'DATE' || t.root === 'TIME' || isTimestamp(t);
}

/** INTERVAL YEAR TO MONTH and INTERVAL DAY TO SECOND. @internal */
export function isInterval(t: LogicalType): boolean {
  return t.root === 'INTERVAL_YEAR_MONTH' || t.root === 'INTERVAL_DAY_TIME';
}

/** ARRAY, MULTISET, MAP, ROW. @internal */
export function isConstructed(t: LogicalType): boolean {
  return t.root === 'ARRAY' || t.root === 'MULTISET' || t.root === 'MAP' || t.root === 'ROW';
}

/** The NULL type of an untyped NULL literal. @internal */
export function isNullType(t: LogicalType): boolean {
  return t.root === 'NULL';
}

/**
 * The precision of a type as Flink's `getPrecision` reports it: DECIMAL's precision, the decimal digits of the
 * integral types (TINYINT 3, SMALLINT 5, INT 10, BIGINT 19), the fractional-second precision of TIME/TIMESTAMP,
 * FLOAT 7, DOUBLE 15.
 *
 * @internal
 */
export function typePrecision(t: LogicalType): number {
  switch (t.root) {
    case 'TINYINT':
      return 3;
    case 'SMALLINT':
      return 5;
    case 'INTEGER':
      return 10;
    case 'BIGINT':
      return 19;
    case 'FLOAT':
      return 7;
    case 'DOUBLE':
      return 15;
    case 'DECIMAL':
      return t.precision ?? 10;
    case 'TIME':
      return t.precision ?? 0;
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return t.precision ?? 6;
    default:
      return t.precision ?? 0;
  }
}

/** The scale of DECIMAL (0 for the integral types). @internal */
export function typeScale(t: LogicalType): number {
  return t.root === 'DECIMAL' ? (t.scale ?? 0) : 0;
}

/** The length of CHAR/VARCHAR/BINARY/VARBINARY (a VARCHAR or VARBINARY without one is unbounded). @internal */
export function typeLength(t: LogicalType): number {
  if (t.precision !== undefined) return t.precision;
  return t.root === 'CHAR' || t.root === 'BINARY' ? 1 : MAX_LENGTH;
}

/**
 * DECIMAL(p, s) of an exact numeric type: itself for DECIMAL, DECIMAL(3|5|10|19, 0) for the integral types (the
 * precision/scale Flink derives decimal arithmetic with).
 *
 * @internal
 */
export function asDecimalType(t: LogicalType): { precision: number; scale: number } {
  return { precision: typePrecision(t), scale: typeScale(t) };
}

/**
 * Structural equality ignoring nullability, time attributes, ROW field names and descriptions.
 *
 * @internal
 */
export function sameTypeIgnoringNullability(a: LogicalType, b: LogicalType): boolean {
  if (a.root !== b.root) return false;
  switch (a.root) {
    case 'ARRAY':
    case 'MULTISET':
      return sameTypeIgnoringNullability(a.element!, b.element!);
    case 'MAP':
      return sameTypeIgnoringNullability(a.key!, b.key!) && sameTypeIgnoringNullability(a.element!, b.element!);
    case 'ROW': {
      const fa = a.fields ?? [];
      const fb = b.fields ?? [];
      if (fa.length !== fb.length) return false;
      for (let i = 0; i < fa.length; i++) if (!sameTypeIgnoringNullability(fa[i]!.type, fb[i]!.type)) return false;
      return true;
    }
    case 'CHAR':
    case 'VARCHAR':
    case 'BINARY':
    case 'VARBINARY':
      return typeLength(a) === typeLength(b);
    case 'DECIMAL':
      return typePrecision(a) === typePrecision(b) && typeScale(a) === typeScale(b);
    case 'TIME':
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return typePrecision(a) === typePrecision(b);
    default:
      return true;
  }
}

// ------------------------------------------------------------------------------------------------ implicit casts

const INTEGRALS: readonly LogicalTypeRoot[] = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT'];
const NUMERICS: readonly LogicalTypeRoot[] = [...INTEGRALS, 'DECIMAL', 'FLOAT', 'DOUBLE'];

// Target root -> the source roots it takes implicitly (Flink's `LogicalTypeCasts`, besides identity).
const IMPLICIT: Partial<Record<LogicalTypeRoot, readonly LogicalTypeRoot[]>> = {
  VARCHAR: ['CHAR', 'VARCHAR'],
  VARBINARY: ['BINARY', 'VARBINARY'],
  DECIMAL: NUMERICS,
  SMALLINT: ['TINYINT'],
  INTEGER: ['TINYINT', 'SMALLINT'],
  BIGINT: ['TINYINT', 'SMALLINT', 'INTEGER'],
  FLOAT: [...INTEGRALS, 'DECIMAL'],
  DOUBLE: NUMERICS,
  DATE: ['TIMESTAMP'],
  TIME: ['TIMESTAMP'],
  TIMESTAMP: ['TIMESTAMP_LTZ'],
  TIMESTAMP_LTZ: ['TIMESTAMP'],
};

/**
 * Whether `from` widens to `to` without loss (Flink's implicit casts: INT to BIGINT, CHAR to VARCHAR, numeric to
 * DOUBLE, ...). Constructed types cast implicitly when their children do. A nullable type does not cast implicitly
 * to a NOT NULL one.
 *
 * @internal
 */
export function supportsImplicitCast(from: LogicalType, to: LogicalType): boolean {
  if (from.nullable && !to.nullable) return false;
  if (from.root === 'NULL') return true;
  if (from.root === to.root) {
    switch (from.root) {
      case 'ARRAY':
      case 'MULTISET':
        return supportsImplicitCast(from.element!, to.element!);
      case 'MAP':
        return supportsImplicitCast(from.key!, to.key!) && supportsImplicitCast(from.element!, to.element!);
      case 'ROW': {
        const ff = from.fields ?? [];
        const tf = to.fields ?? [];
        if (ff.length !== tf.length) return false;
        for (let i = 0; i < ff.length; i++) if (!supportsImplicitCast(ff[i]!.type, tf[i]!.type)) return false;
        return true;
      }
      default:
        return true;
    }
  }
  return IMPLICIT[to.root]?.includes(from.root) ?? false;
}

// ------------------------------------------------------------------------------------------------ common type

/**
 * The least restrictive type of `types` (Flink's `LogicalTypeMerging.findCommonType`): what CASE branches, COALESCE
 * arguments, UNION inputs and IN lists are cast to. Examples: INT, BIGINT -> BIGINT; INT, DECIMAL(5, 2) ->
 * DECIMAL(12, 2); DECIMAL, DOUBLE -> DOUBLE; CHAR(3), VARCHAR(5) -> VARCHAR(5); TIMESTAMP(3), TIMESTAMP_LTZ(6) ->
 * TIMESTAMP_LTZ(6); NULL, INT -> INT. Nullable when any input is. Undefined when there is none (INT, STRING) or
 * when all inputs are the NULL type.
 *
 * @internal
 */
export function commonType(types: readonly LogicalType[]): LogicalType | undefined {
  if (types.length === 0) return undefined;
  let nullable = false;
  for (const t of types) if (t.nullable) nullable = true;
  const normalized = types.map((t) => withNullability(t, true));
  const found = commonNullableType(normalized) ?? commonCastableType(normalized);
  if (!found || found.root === 'NULL') return undefined;
  return withNullability(found, nullable);
}

function commonCastableType(types: readonly LogicalType[]): LogicalType | undefined {
  let result = types[0]!;
  for (const t of types) {
    if (t.root === 'NULL') continue;
    if (result.root === 'NULL' || supportsImplicitCast(result, t)) result = t;
    else if (!supportsImplicitCast(t, result)) return undefined;
  }
  return result;
}

function similar(a: LogicalType, b: LogicalType): boolean {
  if (isString(a) && isString(b)) return true;
  if (isBinary(a) && isBinary(b)) return true;
  if (isNumeric(a) && isNumeric(b)) return true;
  if (a.root === 'TIME' && b.root === 'TIME') return true;
  if (isTimestamp(a) && isTimestamp(b)) return true;
  return a.root === b.root;
}

function commonNullableType(types: readonly LogicalType[]): LogicalType | undefined {
  let result: LogicalType | undefined;
  let sawNull = false;
  for (const t of types) {
    if (t.root === 'NULL') {
      sawNull = true;
      continue;
    }
    if (result === undefined) result = t;
    // Datetime +/- interval or exact numeric keeps the datetime (Flink's common type patterns).
    if ((isTemporal(result) && isInterval(t)) || ((isTimestamp(result) || result.root === 'DATE') && isExactNumeric(t))) continue;
    if ((isInterval(result) && isTemporal(t)) || (isExactNumeric(result) && (isTimestamp(t) || t.root === 'DATE'))) {
      result = t;
      continue;
    }
    if (isConstructed(t)) return commonConstructedType(types);
    if (!similar(result, t)) return undefined;
    if (isString(t) || isBinary(t)) {
      const length = Math.max(typeLength(result), typeLength(t));
      if (result.root === 'VARCHAR' || result.root === 'VARBINARY') result = makeType(result.root, true, length);
      else if (typeLength(result) !== typeLength(t)) result = makeType(result.root === 'CHAR' ? 'VARCHAR' : 'VARBINARY', true, length);
      else result = makeType(t.root, true, length);
    } else if (isExactNumeric(t)) {
      if (isExactNumeric(result)) result = commonExactNumeric(result, t);
      else if (isApproximateNumeric(result)) {
        if (t.root === 'DECIMAL') result = makeType('DOUBLE', true);
      } else return undefined;
    } else if (isApproximateNumeric(t)) {
      if (isApproximateNumeric(result)) result = result.root === 'DOUBLE' || t.root === 'DOUBLE' ? makeType('DOUBLE', true) : result;
      else if (isExactNumeric(result)) result = result.root === 'DECIMAL' ? makeType('DOUBLE', true) : t;
      else return undefined;
    } else if (t.root === 'DATE') {
      if (result.root !== 'DATE') return undefined;
    } else if (t.root === 'TIME') {
      result = makeType('TIME', true, Math.max(typePrecision(result), typePrecision(t)));
    } else if (isTimestamp(t)) {
      const precision = Math.max(typePrecision(result), typePrecision(t));
      const root = result.root === 'TIMESTAMP_LTZ' || t.root === 'TIMESTAMP_LTZ' ? 'TIMESTAMP_LTZ' : 'TIMESTAMP';
      result = makeType(root, true, precision);
    } else if (isInterval(t) || t.root === 'BOOLEAN') {
      // same root (similar): nothing to merge
    } else {
      return undefined;
    }
  }
  if (result === undefined && sawNull) return makeType('NULL', true);
  return result;
}

function commonExactNumeric(a: LogicalType, b: LogicalType): LogicalType {
  if (a.root !== 'DECIMAL' && b.root !== 'DECIMAL') return typePrecision(b) > typePrecision(a) ? b : a;
  const p1 = typePrecision(a);
  const s1 = typeScale(a);
  const p2 = typePrecision(b);
  const s2 = typeScale(b);
  const d = Math.min(Math.max(p1 - s1, p2 - s2), MAX_DECIMAL_PRECISION);
  const s = Math.min(Math.max(s1, s2), MAX_DECIMAL_PRECISION - d);
  return decimalType(d + s, s, true);
}

function commonConstructedType(types: readonly LogicalType[]): LogicalType | undefined {
  const first = types.find((t) => t.root !== 'NULL')!;
  for (const t of types) if (t.root !== 'NULL' && t.root !== first.root) return undefined;
  const present = types.filter((t) => t.root !== 'NULL');
  switch (first.root) {
    case 'ARRAY':
    case 'MULTISET': {
      const e = commonType(present.map((t) => t.element!));
      return e ? { root: first.root, nullable: true, element: e } : undefined;
    }
    case 'MAP': {
      const k = commonType(present.map((t) => t.key!));
      const v = commonType(present.map((t) => t.element!));
      return k && v ? { root: 'MAP', nullable: true, key: k, element: v } : undefined;
    }
    case 'ROW': {
      const n = first.fields?.length ?? 0;
      for (const t of present) if ((t.fields?.length ?? 0) !== n) return undefined;
      const fields = [];
      for (let i = 0; i < n; i++) {
        const f = commonType(present.map((t) => t.fields![i]!.type));
        if (!f) return undefined;
        const orig = first.fields![i]!;
        fields.push(orig.description === undefined ? { name: orig.name, type: f } : { name: orig.name, type: f, description: orig.description });
      }
      return { root: 'ROW', nullable: true, fields };
    }
    default:
      return undefined;
  }
}
