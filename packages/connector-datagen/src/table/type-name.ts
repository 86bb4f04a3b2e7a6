// A type as messages show it: Flink's text of the type without `NOT NULL`, with Flink's `INT` for INTEGER
// (`VARCHAR(10)`, `DECIMAL(5, 2)`, `ARRAY<INT>`).
import { formatLogicalType, type LogicalType } from '@runnel/api/table';

/**
 * The type's name for messages.
 *
 * @internal
 */
export function typeName(type: LogicalType): string {
  return formatLogicalType(type)
    .replace(/ NOT NULL$/, '')
    .replace(/\bINTEGER\b/g, 'INT');
}
