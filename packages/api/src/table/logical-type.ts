// The logical type system of tables (Flink's `LogicalType`): what the planner checks, what formats and connectors
// convert from and to, and what fixes the JavaScript value each type is carried as. Types are plain data (no
// classes), so they cross threads, go into compiled plans and can be compared structurally.
//
// Values by type (one representation per type, everywhere: operators, formats, connectors, state):
//   BOOLEAN                     boolean
//   TINYINT, SMALLINT, INTEGER  number (an integer in the type's range)
//   BIGINT                      bigint (exact over the whole 64-bit range; never rounded through a number)
//   FLOAT, DOUBLE               number
//   DECIMAL(p, s)               bigint: the unscaled value (123.45 in DECIMAL(5,2) is 12345n); exact, no binary floats
//   CHAR, VARCHAR, STRING       string
//   BINARY, VARBINARY, BYTES    Uint8Array
//   DATE                        number: days since 1970-01-01
//   TIME(p)                     number: milliseconds of the day
//   TIMESTAMP(p)                number: milliseconds since 1970-01-01T00:00 of the local date-time read as UTC
//   TIMESTAMP_LTZ(p)            number: milliseconds since the epoch (an instant)
//   INTERVAL YEAR TO MONTH      number: months;  INTERVAL DAY TO SECOND: number: milliseconds
//   ARRAY<T>                    unknown[];  MAP<K, V>, MULTISET<T>: Map;  ROW<...>: unknown[] (the fields in order)
//   NULL of any nullable type   null
// Trade-off: timestamps keep millisecond precision (TIMESTAMP(6) and (9) are accepted, their sub-millisecond digits
// are not kept); a number keeps the per-row cost low, and event time in this field is milliseconds.

/**
 * The kind of a logical type.
 *
 * @public
 */
export type LogicalTypeRoot =
  | 'BOOLEAN'
  | 'TINYINT'
  | 'SMALLINT'
  | 'INTEGER'
  | 'BIGINT'
  | 'FLOAT'
  | 'DOUBLE'
  | 'DECIMAL'
  | 'CHAR'
  | 'VARCHAR'
  | 'BINARY'
  | 'VARBINARY'
  | 'DATE'
  | 'TIME'
  | 'TIMESTAMP'
  | 'TIMESTAMP_LTZ'
  | 'INTERVAL_YEAR_MONTH'
  | 'INTERVAL_DAY_TIME'
  | 'ARRAY'
  | 'MULTISET'
  | 'MAP'
  | 'ROW'
  | 'NULL';

/**
 * A field of a ROW type.
 *
 * @public
 */
export interface RowField {
  readonly name: string;
  readonly type: LogicalType;
  readonly description?: string;
}

/**
 * A logical type. `precision` is the length of CHAR/VARCHAR/BINARY/VARBINARY, the precision of DECIMAL and the
 * fractional-second precision of TIME/TIMESTAMP/TIMESTAMP_LTZ; `scale` the scale of DECIMAL. `timeAttribute` marks a
 * rowtime or proctime attribute (Flink's `*ROWTIME*`, `*PROCTIME*`).
 *
 * @public
 */
export interface LogicalType {
  readonly root: LogicalTypeRoot;
  readonly nullable: boolean;
  readonly precision?: number;
  readonly scale?: number;
  /** ARRAY and MULTISET element, MAP value. */
  readonly element?: LogicalType;
  /** MAP key. */
  readonly key?: LogicalType;
  /** ROW fields. */
  readonly fields?: readonly RowField[];
  readonly timeAttribute?: 'rowtime' | 'proctime';
}

/**
 * The longest CHAR/VARCHAR/BINARY/VARBINARY (`STRING` is `VARCHAR(2147483647)`, `BYTES` `VARBINARY(2147483647)`).
 *
 * @public
 */
export const MAX_LENGTH = 2147483647;

/**
 * A ROW type: the type of a table's rows.
 *
 * @public
 */
export interface RowType extends LogicalType {
  readonly root: 'ROW';
  readonly fields: readonly RowField[];
}

/**
 * Builds a ROW type from fields.
 *
 * @public
 */
export function rowType(fields: readonly RowField[], nullable = false): RowType {
  return { root: 'ROW', nullable, fields };
}

/**
 * Flink's text form of a type, e.g. `BIGINT NOT NULL`, `DECIMAL(10, 2)`, `TIMESTAMP(3) *ROWTIME*`, `STRING`.
 *
 * @public
 */
export function formatLogicalType(t: LogicalType): string {
  let s: string;
  switch (t.root) {
    case 'CHAR':
    case 'BINARY':
      s = `${t.root}(${t.precision ?? 1})`;
      break;
    case 'VARCHAR':
      s = t.precision === undefined || t.precision === MAX_LENGTH ? 'STRING' : `VARCHAR(${t.precision})`;
      break;
    case 'VARBINARY':
      s = t.precision === undefined || t.precision === MAX_LENGTH ? 'BYTES' : `VARBINARY(${t.precision})`;
      break;
    case 'DECIMAL':
      s = `DECIMAL(${t.precision ?? 10}, ${t.scale ?? 0})`;
      break;
    case 'TIME':
      s = `TIME(${t.precision ?? 0})`;
      break;
    case 'TIMESTAMP':
      s = `TIMESTAMP(${t.precision ?? 6})`;
      break;
    case 'TIMESTAMP_LTZ':
      s = `TIMESTAMP_LTZ(${t.precision ?? 6})`;
      break;
    case 'INTERVAL_YEAR_MONTH':
      s = 'INTERVAL YEAR TO MONTH';
      break;
    case 'INTERVAL_DAY_TIME':
      s = 'INTERVAL DAY TO SECOND(3)';
      break;
    case 'ARRAY':
    case 'MULTISET':
      s = `${t.root}<${formatLogicalType(t.element!)}>`;
      break;
    case 'MAP':
      s = `MAP<${formatLogicalType(t.key!)}, ${formatLogicalType(t.element!)}>`;
      break;
    case 'ROW':
      s = `ROW<${(t.fields ?? []).map((f) => `\`${f.name.replace(/`/g, '``')}\` ${formatLogicalType(f.type)}`).join(', ')}>`;
      break;
    default:
      s = t.root;
  }
  if (!t.nullable) s += ' NOT NULL';
  if (t.timeAttribute === 'rowtime') s += ' *ROWTIME*';
  if (t.timeAttribute === 'proctime') s += ' *PROCTIME*';
  return s;
}
