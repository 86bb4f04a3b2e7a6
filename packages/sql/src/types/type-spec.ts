// Turns a type as written (`DECIMAL(10, 2) NOT NULL`, `ROW<a INT>`, `TIMESTAMP(3) WITH LOCAL TIME ZONE`) into a
// logical type, with Flink's defaults and limits (DECIMAL's default precision 10 and scale 0, VARCHAR's default
// length 1, TIMESTAMP's default precision 6, precision limits), and rejects what Flink rejects.
import { MAX_LENGTH, type LogicalType, type LogicalTypeRoot } from '@runnel/api/table';
import type { TypeSpec } from '../parser/ast.js';
import { SqlNotSupportedError, SqlValidationError } from '../validation-error.js';

const SIMPLE: Record<string, LogicalTypeRoot> = {
  BOOLEAN: 'BOOLEAN',
  TINYINT: 'TINYINT',
  SMALLINT: 'SMALLINT',
  INT: 'INTEGER',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  FLOAT: 'FLOAT',
  REAL: 'FLOAT',
  DOUBLE: 'DOUBLE',
  DATE: 'DATE',
};

function param(spec: TypeSpec, i: number, dflt: number, min: number, max: number, what: string): number {
  const v = spec.params[i];
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw new SqlValidationError(`${what} of ${spec.name} must be between ${min} and ${max}, got ${v}`, spec.pos);
  return v;
}

/**
 * The logical type of a type as written.
 *
 * @internal
 */
export function toLogicalType(spec: TypeSpec): LogicalType {
  const nullable = !spec.notNull;
  const name = spec.name.toUpperCase();
  const simple = SIMPLE[name];
  if (simple) {
    if (spec.params.length > 0) throw new SqlValidationError(`${name} takes no parameters`, spec.pos);
    return { root: simple, nullable };
  }
  switch (name) {
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC': {
      const precision = param(spec, 0, 10, 1, 38, 'the precision');
      const scale = param(spec, 1, 0, 0, precision, 'the scale');
      return { root: 'DECIMAL', nullable, precision, scale };
    }
    case 'CHAR':
      return { root: 'CHAR', nullable, precision: param(spec, 0, 1, 1, MAX_LENGTH, 'the length') };
    case 'VARCHAR':
      return { root: 'VARCHAR', nullable, precision: param(spec, 0, 1, 1, MAX_LENGTH, 'the length') };
    case 'STRING':
      return { root: 'VARCHAR', nullable, precision: MAX_LENGTH };
    case 'BINARY':
      return { root: 'BINARY', nullable, precision: param(spec, 0, 1, 1, MAX_LENGTH, 'the length') };
    case 'VARBINARY':
      return { root: 'VARBINARY', nullable, precision: param(spec, 0, 1, 1, MAX_LENGTH, 'the length') };
    case 'BYTES':
      return { root: 'VARBINARY', nullable, precision: MAX_LENGTH };
    case 'TIME':
      return { root: 'TIME', nullable, precision: param(spec, 0, 0, 0, 9, 'the precision') };
    case 'TIMESTAMP':
      return { root: 'TIMESTAMP', nullable, precision: param(spec, 0, 6, 0, 9, 'the precision') };
    case 'TIMESTAMP_LTZ':
      return { root: 'TIMESTAMP_LTZ', nullable, precision: param(spec, 0, 6, 0, 9, 'the precision') };
    case 'INTERVAL': {
      const from = spec.intervalFrom ?? 'SECOND';
      if (from === 'YEAR' || from === 'MONTH') return { root: 'INTERVAL_YEAR_MONTH', nullable };
      return { root: 'INTERVAL_DAY_TIME', nullable };
    }
    case 'ARRAY':
    case 'MULTISET':
      if (!spec.element) throw new SqlValidationError(`${name} needs an element type: ${name}<INT>`, spec.pos);
      return { root: name, nullable, element: toLogicalType(spec.element) };
    case 'MAP':
      if (!spec.key || !spec.element) throw new SqlValidationError('MAP needs a key and a value type: MAP<STRING, INT>', spec.pos);
      return { root: 'MAP', nullable, key: toLogicalType(spec.key), element: toLogicalType(spec.element) };
    case 'ROW':
      return { root: 'ROW', nullable, fields: (spec.fields ?? []).map((f) => ({ name: f.name, type: toLogicalType(f.type), description: f.description })) };
    case 'NULL':
      return { root: 'NULL', nullable: true };
    case 'RAW':
    case 'STRUCTURED':
      throw new SqlNotSupportedError(`the ${name} type`, spec.pos);
    default:
      throw new SqlValidationError(`unknown type '${spec.name}'`, spec.pos);
  }
}
