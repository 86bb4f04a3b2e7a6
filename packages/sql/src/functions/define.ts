// Small helpers to declare built-in functions: a definition from a name, an arity and a resolve function; argument
// checks that throw Flink-style messages (`SUBSTRING(INT, INT): the 1st argument must be a character string`);
// literal arguments (units, modes, formats) read once at planning.
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, type FunctionContext, type ResolvedCall, type ScalarFunctionDefinition } from './function-definition.js';
import { isExactNumeric, isIntegral, isNumeric, isString, typeName } from '../types/type-rules.js';

/**
 * A definition from its parts.
 *
 * @internal
 */
export function defineFunction(
  name: string,
  minArgs: number,
  maxArgs: number,
  resolve: (argTypes: readonly LogicalType[], ctx: FunctionContext, literals: readonly unknown[]) => ResolvedCall,
): ScalarFunctionDefinition {
  return {
    name,
    minArgs,
    maxArgs,
    resolve(argTypes, ctx, literals) {
      if (argTypes.length < minArgs || argTypes.length > maxArgs) {
        const n = minArgs === maxArgs ? `${minArgs}` : maxArgs === Infinity ? `at least ${minArgs}` : `${minArgs} to ${maxArgs}`;
        const singular = n === '1' || n === 'at least 1';
        throw new FunctionTypeError(`${name} takes ${n} argument${singular ? '' : 's'}, got ${argTypes.length}`);
      }
      return resolve(argTypes, ctx, literals);
    },
  };
}

/**
 * A resolved call: strict (NULL in, NULL out) and deterministic unless said otherwise.
 *
 * @internal
 */
export function resolved(type: LogicalType, impl: (...args: any[]) => unknown, options?: { strictNulls?: boolean; deterministic?: boolean }): ResolvedCall {
  return { type, impl, strictNulls: options?.strictNulls ?? true, deterministic: options?.deterministic ?? true };
}

/**
 * Whether any argument type is nullable (the result of a strict function then is).
 *
 * @internal
 */
export function anyNullable(types: readonly LogicalType[]): boolean {
  for (const t of types) if (t.nullable) return true;
  return false;
}

const ORDINALS = ['1st', '2nd', '3rd', '4th', '5th', '6th', '7th', '8th', '9th'];

function ordinal(i: number): string {
  return ORDINALS[i] ?? `${i + 1}th`;
}

/**
 * A type error for argument `i` of a call (`UPPER(INT): the 1st argument must be a character string`).
 *
 * @internal
 */
export function argError(name: string, types: readonly LogicalType[], i: number, expected: string): FunctionTypeError {
  return new FunctionTypeError(`${name}(${types.map(typeName).join(', ')}): the ${ordinal(i)} argument must be ${expected}, not ${typeName(types[i]!)}`);
}

/** Requires argument i to be a character string (or the NULL type). @internal */
export function expectString(name: string, types: readonly LogicalType[], i: number): void {
  const t = types[i]!;
  if (!isString(t) && t.root !== 'NULL') throw argError(name, types, i, 'a character string');
}

/** Requires argument i to be an integer (TINYINT..BIGINT, or the NULL type). @internal */
export function expectInteger(name: string, types: readonly LogicalType[], i: number): void {
  const t = types[i]!;
  if (!isIntegral(t) && t.root !== 'NULL') throw argError(name, types, i, 'an integer');
}

/** Requires argument i to be numeric (or the NULL type). @internal */
export function expectNumeric(name: string, types: readonly LogicalType[], i: number): void {
  const t = types[i]!;
  if (!isNumeric(t) && t.root !== 'NULL') throw argError(name, types, i, 'numeric');
}

/** Requires argument i to be an exact numeric (integers, DECIMAL, or the NULL type). @internal */
export function expectExactNumeric(name: string, types: readonly LogicalType[], i: number): void {
  const t = types[i]!;
  if (!isExactNumeric(t) && t.root !== 'NULL') throw argError(name, types, i, 'an exact numeric');
}

/** Requires argument i to be BOOLEAN (or the NULL type). @internal */
export function expectBoolean(name: string, types: readonly LogicalType[], i: number): void {
  const t = types[i]!;
  if (t.root !== 'BOOLEAN' && t.root !== 'NULL') throw argError(name, types, i, 'BOOLEAN');
}

/**
 * The upper-case text of a literal keyword argument (a unit or mode the binder passes as a string literal).
 *
 * @internal
 */
export function keywordLiteral(name: string, literals: readonly unknown[], i: number, allowed: readonly string[]): string {
  const v = literals[i];
  if (typeof v !== 'string') throw new FunctionTypeError(`${name}: the ${ordinal(i)} argument must be a literal (${allowed.join(', ')})`);
  const k = v.trim().toUpperCase();
  if (!allowed.includes(k)) throw new FunctionTypeError(`${name}: unsupported ${k} (expected one of ${allowed.join(', ')})`);
  return k;
}

/**
 * A number of an INT or BIGINT runtime value (bigints are converted; fine for positions and counts).
 *
 * @internal
 */
export function toNumber(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}
