// A TableFactoryContext for the table tests, and terse builders of logical types. The connectors of this package
// use no format, so the context's decoder and encoder fail if called.
import { rowType, type LogicalType, type LogicalTypeRoot, type RowType, type TableFactoryContext } from '@runnel/api/table';

type Extra = Omit<LogicalType, 'root' | 'nullable'>;

/** A nullable type (`notNull` for NOT NULL). */
export const t = (root: LogicalTypeRoot, extra: Extra = {}): LogicalType => ({ root, nullable: true, ...extra });
export const notNull = (type: LogicalType): LogicalType => ({ ...type, nullable: false });
export const STRING = t('VARCHAR', { precision: 2147483647 });
export const BIGINT = t('BIGINT');
export const INT = t('INTEGER');
export const varchar = (n: number): LogicalType => t('VARCHAR', { precision: n });
export const decimal = (precision: number, scale: number): LogicalType => t('DECIMAL', { precision, scale });
export const timestamp = (precision = 3): LogicalType => t('TIMESTAMP', { precision });
export const array = (element: LogicalType): LogicalType => t('ARRAY', { element });
export const map = (key: LogicalType, element: LogicalType): LogicalType => t('MAP', { key, element });
export const row = (fields: Record<string, LogicalType>): LogicalType => t('ROW', { fields: Object.entries(fields).map(([name, type]) => ({ name, type })) });
export const columns = (fields: Record<string, LogicalType>): RowType => rowType(Object.entries(fields).map(([name, type]) => ({ name, type })));

/** The context of table `name` with physical columns `physical` and `options` (plus `connector`). */
export function tableContext(name: string, physical: RowType, connector: string, options: Record<string, string> = {}): TableFactoryContext {
  return {
    tableName: name,
    schema: { columns: physical.fields.map((f) => ({ kind: 'physical' as const, name: f.name, type: f.type })), watermarkSpecs: [] },
    options: { connector, ...options },
    config: {},
    decoder: () => {
      throw new Error(`${connector} uses no format`);
    },
    encoder: () => {
      throw new Error(`${connector} uses no format`);
    },
  };
}
