// Small questions about logical types that several formats ask when they build their converters.
import type { LogicalType } from '@runnel/api/table';

/**
 * Whether a type is CHAR or VARCHAR (STRING): the only key type JSON objects can hold.
 *
 * @internal
 */
export function isCharacterString(type: LogicalType): boolean {
  return type.root === 'CHAR' || type.root === 'VARCHAR';
}

/**
 * The precision and scale of a DECIMAL type, with Flink's defaults (10, 0).
 *
 * @internal
 */
export function decimalPrecisionScale(type: LogicalType): [precision: number, scale: number] {
  return [type.precision ?? 10, type.scale ?? 0];
}
