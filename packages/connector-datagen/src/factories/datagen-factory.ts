// Connector factory `datagen` (Flink's): column types come from the table's columns, per-field options from
// `fields.<name>.<option>`. SQL types map to generated value types; types without a faithful mapping fail with
// "not supported" rather than producing values of the wrong type.
import type { ColumnSpec, ConnectorContext, ConnectorFactory, OptionSpec, Source } from '@runnel/api/connector';
import type { DataGenFieldSpec, DataGenFieldType } from '../datagen/datagen-fields.js';
import { DataGenSource } from '../datagen/datagen-source.js';
import {
  parseBooleanOption,
  parseDurationOption,
  parseIntegerOption,
  parseNumberOption,
} from '../internal/options.js';

const options: readonly OptionSpec[] = [
  { key: 'rows-per-second', type: 'int', description: 'Rows per second over all subtasks; 0 = unlimited.', defaultValue: '10000' },
  { key: 'number-of-rows', type: 'int', description: 'Total rows; unset = unbounded (sequences also bound the source).' },
  { key: 'seed', type: 'int', description: 'Seed of random values.', defaultValue: '0' },
  {
    key: 'fields.',
    type: 'string',
    prefix: true,
    description:
      'Per-field options fields.<name>.kind (random|sequence), .min, .max, .max-past, .length, .var-len, .start, .end, .null-rate.',
  },
];

const FIELD_OPTIONS = new Set(['kind', 'min', 'max', 'max-past', 'length', 'var-len', 'start', 'end', 'null-rate']);

interface MappedType {
  readonly type: DataGenFieldType;
  readonly min?: number;
  readonly max?: number;
  readonly length?: number;
}

/** Maps a Flink SQL type to a generated value type. @internal */
export function mapSqlType(sqlType: string, column: string): MappedType {
  const t = sqlType.trim().toUpperCase().replace(/\s+NOT\s+NULL$/, '');
  const base = /^[A-Z_]+(?:\s+[A-Z_]+)*/.exec(t)?.[0] ?? t;
  const len = /\((\d+)\)/.exec(t);
  switch (base) {
    case 'TINYINT':
      return { type: 'int', min: -128, max: 127 };
    case 'SMALLINT':
      return { type: 'int', min: -32768, max: 32767 };
    case 'INT':
    case 'INTEGER':
      return { type: 'int' };
    case 'BIGINT':
      return { type: 'bigint' };
    case 'FLOAT':
    case 'REAL':
    case 'DOUBLE':
    case 'DOUBLE PRECISION':
      return { type: 'double' };
    case 'BOOLEAN':
      return { type: 'boolean' };
    case 'CHAR':
    case 'VARCHAR':
    case 'STRING':
      return len ? { type: 'string', length: Math.min(100, Number(len[1])) } : { type: 'string' };
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
    case 'TIMESTAMP WITH LOCAL TIME ZONE':
      return { type: 'timestamp' };
    default:
      throw new Error(`not supported: datagen column '${column}' of type ${sqlType}`);
  }
}

/** Field specs from columns and `fields.*` options. @internal */
export function dataGenFieldsFromOptions(
  columns: readonly ColumnSpec[],
  opts: Readonly<Record<string, string>>,
): Record<string, DataGenFieldSpec> {
  const names = new Set(columns.map((c) => c.name));
  for (const key of Object.keys(opts)) {
    if (!key.startsWith('fields.')) continue;
    const dot = key.lastIndexOf('.');
    const name = key.slice('fields.'.length, dot);
    const option = key.slice(dot + 1);
    if (!names.has(name)) throw new Error(`datagen option '${key}': no column '${name}'`);
    if (!FIELD_OPTIONS.has(option)) throw new Error(`datagen option '${key}': unknown field option '${option}'`);
  }
  const fields: Record<string, DataGenFieldSpec> = {};
  for (const c of columns) {
    const mapped = mapSqlType(c.type, c.name);
    const get = (o: string): string | undefined => opts[`fields.${c.name}.${o}`];
    const num = (o: string): number | undefined => {
      const v = get(o);
      if (v === undefined) return undefined;
      return mapped.type === 'double' ? parseNumberOption(`fields.${c.name}.${o}`, v) : parseIntegerOption(`fields.${c.name}.${o}`, v);
    };
    const kind = get('kind');
    if (kind !== undefined && kind !== 'random' && kind !== 'sequence') {
      throw new Error(`datagen option 'fields.${c.name}.kind': expected random or sequence, got '${kind}'`);
    }
    const length = get('length');
    const varLen = get('var-len');
    const maxPast = get('max-past');
    const nullRate = get('null-rate');
    const start = get('start');
    const end = get('end');
    fields[c.name] = {
      type: mapped.type,
      kind: kind ?? 'random',
      min: num('min') ?? mapped.min,
      max: num('max') ?? mapped.max,
      start: start === undefined ? undefined : parseIntegerOption(`fields.${c.name}.start`, start),
      end: end === undefined ? undefined : parseIntegerOption(`fields.${c.name}.end`, end),
      length: length === undefined ? mapped.length : parseIntegerOption(`fields.${c.name}.length`, length),
      varLen: varLen === undefined ? undefined : parseBooleanOption(`fields.${c.name}.var-len`, varLen),
      maxPastMs: maxPast === undefined ? undefined : parseDurationOption(`fields.${c.name}.max-past`, maxPast),
      nullRate: nullRate === undefined ? undefined : parseNumberOption(`fields.${c.name}.null-rate`, nullRate),
    };
  }
  return fields;
}

/**
 * Factory of the `datagen` source.
 *
 * @public
 */
export const datagenConnectorFactory: ConnectorFactory = {
  identifier: 'datagen',
  apiVersion: '^0.1.0',
  options,
  createSource(context: ConnectorContext): Source<unknown, any, any> {
    if (!context.columns || context.columns.length === 0) {
      throw new Error(`datagen table '${context.name}': needs columns`);
    }
    const o = context.options;
    const fields = dataGenFieldsFromOptions(context.columns, o);
    return new DataGenSource({
      fields,
      rowsPerSecond: o['rows-per-second'] === undefined ? undefined : parseNumberOption('rows-per-second', o['rows-per-second']),
      numberOfRows: o['number-of-rows'] === undefined ? undefined : parseIntegerOption('number-of-rows', o['number-of-rows']),
      seed: o['seed'] === undefined ? undefined : parseIntegerOption('seed', o['seed']),
    }) as Source<unknown, any, any>;
  },
};
