// The catalog of built-in scalar functions and operators the binder resolves calls against: functions by upper-case
// name (string, numeric, date/time, JSON, collection and conditional functions, LIKE and SIMILAR TO), operators by
// symbol. Keywords that are arguments (units of EXTRACT, FLOOR_TO, CEIL_TO, TIMESTAMPADD, TIMESTAMPDIFF; the mode of
// TRIM) come first as string literals.
import type { LogicalType } from '@runnel/api/table';
import { FunctionTypeError, type FunctionContext, type ResolvedCall, type ScalarFunctionDefinition } from './function-definition.js';
import { resolved } from './define.js';
import { resolveArithmetic, resolveNegation } from './arithmetic-operators.js';
import { resolveComparison } from './comparison-operators.js';
import { COLLECTION_FUNCTIONS } from './collection-functions.js';
import { CONDITIONAL_FUNCTIONS } from './conditional-functions.js';
import { JSON_FUNCTIONS } from './json-functions.js';
import { MATH_FUNCTIONS } from './math-functions.js';
import { STRING_FUNCTIONS } from './string-functions.js';
import { TEMPORAL_FUNCTIONS } from './temporal-functions.js';
import { isBinary, isString, makeType, typeLength, typeName } from '../types/type-rules.js';
import { MAX_LENGTH } from '@runnel/api/table';

const FUNCTIONS = new Map<string, ScalarFunctionDefinition>();
for (const list of [STRING_FUNCTIONS, MATH_FUNCTIONS, TEMPORAL_FUNCTIONS, JSON_FUNCTIONS, COLLECTION_FUNCTIONS, CONDITIONAL_FUNCTIONS]) {
  for (const def of list) {
    if (FUNCTIONS.has(def.name)) throw new Error(`built-in function ${def.name} is defined twice`);
    FUNCTIONS.set(def.name, def);
  }
}

/**
 * The built-in scalar function named `name` (upper case: `UPPER`, `DATE_FORMAT`, `LIKE`), or undefined.
 *
 * @internal
 */
export function lookupScalarFunction(name: string): ScalarFunctionDefinition | undefined {
  return FUNCTIONS.get(name);
}

/**
 * The names of all built-in scalar functions (for SHOW FUNCTIONS and suggestions).
 *
 * @internal
 */
export function scalarFunctionNames(): string[] {
  return [...FUNCTIONS.keys()].sort();
}

/**
 * An operator: arithmetic, string concatenation, comparison, or `NEG` (unary minus).
 *
 * @internal
 */
export type Operator = '+' | '-' | '*' | '/' | '%' | '||' | '=' | '<>' | '<' | '<=' | '>' | '>=' | 'NEG';

function concatOperator(a: LogicalType, b: LogicalType): ResolvedCall {
  const nullable = a.nullable || b.nullable;
  const la = a.root === 'NULL' ? 0 : typeLength(a);
  const lb = b.root === 'NULL' ? 0 : typeLength(b);
  const length = Math.min(la + lb, MAX_LENGTH);
  if ((isString(a) || a.root === 'NULL') && (isString(b) || b.root === 'NULL') && (a.root !== 'NULL' || b.root !== 'NULL')) {
    const root = a.root === 'CHAR' && b.root === 'CHAR' ? 'CHAR' : 'VARCHAR';
    return resolved(makeType(root, nullable, Math.max(length, 1)), (x: string, y: string) => x + y);
  }
  if ((isBinary(a) || a.root === 'NULL') && (isBinary(b) || b.root === 'NULL')) {
    const root = a.root === 'BINARY' && b.root === 'BINARY' ? 'BINARY' : 'VARBINARY';
    return resolved(makeType(root, nullable, Math.max(length, 1)), (x: Uint8Array, y: Uint8Array) => {
      const out = new Uint8Array(x.length + y.length);
      out.set(x);
      out.set(y, x.length);
      return out;
    });
  }
  throw new FunctionTypeError(`cannot apply '||' to ${typeName(a)} and ${typeName(b)}: both must be character strings or both binary strings`);
}

/**
 * Resolves an operator for its operand types (one for `NEG`, two otherwise); throws a FunctionTypeError naming the
 * types when the operator does not apply (`cannot compare INT and STRING`).
 *
 * @internal
 */
export function resolveOperator(op: Operator, argTypes: readonly LogicalType[], ctx: FunctionContext): ResolvedCall {
  if (op === 'NEG') {
    if (argTypes.length !== 1) throw new FunctionTypeError(`unary minus takes one operand, got ${argTypes.length}`);
    return resolveNegation(argTypes[0]!);
  }
  if (argTypes.length !== 2) throw new FunctionTypeError(`'${op}' takes two operands, got ${argTypes.length}`);
  const [a, b] = argTypes as [LogicalType, LogicalType];
  switch (op) {
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return resolveArithmetic(op, a, b, ctx);
    case '||':
      return concatOperator(a, b);
    default:
      return resolveComparison(op, a, b, ctx);
  }
}

export { resolveCast } from '../types/cast.js';
export { resolveLike } from './like.js';
