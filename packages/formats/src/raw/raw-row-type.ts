// The row type the `raw` format accepts: exactly one physical column, of a type that is a byte sequence by itself
// (STRING in a charset, BYTES as is) or a fixed-size number (Flink's list; RAW, Flink's opaque serialized type,
// does not exist in Runnel). Checked when a decoder or encoder is created, so that a wrong table fails before the job
// starts.
import { ConfigurationError } from '@runnel/api/config';
import { formatLogicalType, type LogicalType, type RowType } from '@runnel/api/table';

const SUPPORTED = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY', 'BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'FLOAT', 'DOUBLE']);

/**
 * The type of the single field of a `raw` row type.
 *
 * @throws ConfigurationError when the row type has more or fewer than one field, or a type raw cannot carry
 * @internal
 */
export function rawFieldType(rowType: RowType): LogicalType {
  if (rowType.fields.length !== 1) {
    const columns = rowType.fields.map((f) => `\`${f.name}\` ${formatLogicalType(f.type)}`).join(', ');
    throw new ConfigurationError(
      `format 'raw' supports a single physical column, but the row has ${rowType.fields.length}${columns === '' ? '' : `: ${columns}`}`,
    );
  }
  const field = rowType.fields[0]!;
  if (!SUPPORTED.has(field.type.root)) {
    throw new ConfigurationError(
      `format 'raw' does not support the column type ${formatLogicalType(field.type)} (of \`${field.name}\`); supported: ` +
        'CHAR, VARCHAR, STRING, BINARY, VARBINARY, BYTES, BOOLEAN, TINYINT, SMALLINT, INT, BIGINT, FLOAT, DOUBLE',
    );
  }
  return field.type;
}
