// Small helpers over logical types shared by the aggregate functions: which type families an aggregate accepts,
// and the type of its result (always nullable except COUNT, and never a time attribute: an aggregate materialises
// event time, as in Flink, so MAX(rowtime) is a plain TIMESTAMP(3)).
import { formatLogicalType, type LogicalType } from '@runnel/api/table';
import { FunctionTypeError } from '../../functions/function-definition.js';

/**
 * Whether a type is a character string (CHAR, VARCHAR, STRING).
 *
 * @internal
 */
export function isCharacterString(t: LogicalType): boolean {
  return t.root === 'CHAR' || t.root === 'VARCHAR';
}

/**
 * The result type of an aggregate whose result has the type `t`: nullable (an empty group gives NULL) and without a
 * time attribute.
 *
 * @internal
 */
export function aggregateResultType(t: LogicalType): LogicalType {
  if (t.nullable && t.timeAttribute === undefined) return t;
  const { timeAttribute: _dropped, ...rest } = t;
  return { ...rest, nullable: true };
}

/**
 * The scale of a DECIMAL type (0 when unspecified, as in `DECIMAL(10)`).
 *
 * @internal
 */
export function decimalScale(t: LogicalType): number {
  return t.scale ?? 0;
}

/**
 * A DECIMAL type.
 *
 * @internal
 */
export function decimalType(precision: number, scale: number, nullable = true): LogicalType {
  return { root: 'DECIMAL', nullable, precision, scale };
}

/**
 * Checks the number of arguments (the binder checks it too; this keeps `resolve` safe on its own). The message, like
 * the others here, leaves the function's name to the binder, which prefixes it.
 *
 * @internal
 */
export function expectArgCount(argTypes: readonly LogicalType[], min: number, max: number): void {
  if (argTypes.length < min || argTypes.length > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw new FunctionTypeError(`takes ${expected} argument${expected === '1' ? '' : 's'}, got ${argTypes.length}`);
  }
}

/**
 * The error for an argument type that an aggregate does not accept, e.g. `cannot be applied to STRING (expected a
 * numeric type)`.
 *
 * @internal
 */
export function unsupportedArgument(t: LogicalType, expected: string): FunctionTypeError {
  return new FunctionTypeError(`cannot be applied to ${formatLogicalType(t)} (expected ${expected})`);
}
