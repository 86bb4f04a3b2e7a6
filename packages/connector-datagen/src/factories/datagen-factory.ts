// Connector factory `datagen` (Flink's): column types come from the table's columns, per-field options from
// `fields.<name>.<option>`. For DataStream jobs (`createSource`) SQL type names map to generated value types (plain
// JavaScript values; types without a faithful mapping fail with "not supported"). For SQL tables
// (`createTableSource`) every logical type is generated in `@runnel/api/table`'s representation, with Flink's
// per-type options (see `table/datagen-table-plan.ts`).
import type { ColumnSpec, ConnectorContext, ConnectorFactory, Source } from '@runnel/api/connector';
import { parseOptions, type OptionDeclaration, type ParsedOptions } from '@runnel/api/config';
import { physicalRowType, type TableFactoryContext, type TableSource } from '@runnel/api/table';
import type { DataGenFieldSpec, DataGenFieldType } from '../datagen/datagen-fields.js';
import { DataGenSource } from '../datagen/datagen-source.js';
import { planDataGenTable } from '../table/datagen-table-plan.js';
import { DataGenTableSource } from '../table/datagen-table-source.js';
import { connectorOptions } from '../table/table-options.js';
import { DATAGEN_OPTIONS, DataGenOptions, fieldOptionsFor } from './datagen-options.js';

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

/** A table's options, parsed against the table-wide and the per-column declarations, and its columns. */
interface ParsedTable {
  readonly options: ParsedOptions;
  readonly fields: readonly { readonly column: ColumnSpec; readonly mapped: MappedType; readonly decls: ReturnType<typeof fieldOptionsFor> }[];
}

function parseTable(context: string, columns: readonly ColumnSpec[], opts: Readonly<Record<string, string>>): ParsedTable {
  // A field option of a column the table does not have says so, rather than suggesting another column's key.
  const names = new Set(columns.map((c) => c.name));
  for (const key of Object.keys(opts)) {
    if (!key.startsWith('fields.')) continue;
    const name = key.slice('fields.'.length, key.lastIndexOf('.'));
    if (!names.has(name)) throw new Error(`${context}: option '${key}': no column '${name}'`);
  }
  const fields = columns.map((column) => {
    const mapped = mapSqlType(column.type, column.name);
    return { column, mapped, decls: fieldOptionsFor(column.name, mapped.type !== 'double') };
  });
  const declarations: OptionDeclaration[] = [...Object.values(DataGenOptions), ...fields.flatMap((f) => Object.values(f.decls))];
  return { options: parseOptions(declarations, opts, { context }), fields };
}

function fieldSpecs({ options: o, fields }: ParsedTable): Record<string, DataGenFieldSpec> {
  const out: Record<string, DataGenFieldSpec> = {};
  for (const { column, mapped, decls } of fields) {
    const num = (d: OptionDeclaration): number | undefined => o.getOptional(d) as number | undefined;
    out[column.name] = {
      type: mapped.type,
      kind: o.get(decls.kind) as 'random' | 'sequence',
      min: num(decls.min) ?? mapped.min,
      max: num(decls.max) ?? mapped.max,
      start: num(decls.start),
      end: num(decls.end),
      length: num(decls.length) ?? mapped.length,
      varLen: o.getOptional(decls.varLen) as boolean | undefined,
      maxPastMs: num(decls.maxPast),
      nullRate: num(decls.nullRate),
    };
  }
  return out;
}

/** Field specs from columns and `fields.*` options (every option of the table is checked). @internal */
export function dataGenFieldsFromOptions(
  columns: readonly ColumnSpec[],
  opts: Readonly<Record<string, string>>,
  context = 'datagen',
): Record<string, DataGenFieldSpec> {
  return fieldSpecs(parseTable(context, columns, opts));
}

/**
 * Factory of the `datagen` source.
 *
 * @public
 */
export const datagenConnectorFactory: ConnectorFactory = {
  identifier: 'datagen',
  apiVersion: '^0.1.0',
  options: DATAGEN_OPTIONS,
  createSource(context: ConnectorContext): Source<unknown, any, any> {
    const where = `datagen table '${context.name}'`;
    if (!context.columns || context.columns.length === 0) throw new Error(`${where}: needs columns`);
    const table = parseTable(where, context.columns, context.options);
    const o = table.options;
    return new DataGenSource({
      fields: fieldSpecs(table),
      rowsPerSecond: o.get(DataGenOptions.rowsPerSecond),
      numberOfRows: o.getOptional(DataGenOptions.numberOfRows),
      seed: o.get(DataGenOptions.seed),
    }) as Source<unknown, any, any>;
  },
  createTableSource(context: TableFactoryContext): TableSource {
    return new DataGenTableSource(planDataGenTable(context.tableName, physicalRowType(context.schema), connectorOptions(context.options)));
  },
};
