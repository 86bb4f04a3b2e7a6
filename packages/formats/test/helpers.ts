// Test helpers: logical types in a few characters, and decoding a message into its rows.
import type { LogicalType, Row, RowDecoder, RowField } from '@runnel/api/table';
import { rowType } from '@runnel/api/table';

type Extra = Omit<LogicalType, 'root' | 'nullable'>;

/** A nullable type. */
export const t = (root: LogicalType['root'], extra: Extra = {}): LogicalType => ({ root, nullable: true, ...extra });
/** A NOT NULL type. */
export const nn = (root: LogicalType['root'], extra: Extra = {}): LogicalType => ({ root, nullable: false, ...extra });
export const decimal = (precision: number, scale: number, nullable = true): LogicalType => ({ root: 'DECIMAL', nullable, precision, scale });
export const array = (element: LogicalType): LogicalType => t('ARRAY', { element });
export const map = (key: LogicalType, element: LogicalType): LogicalType => t('MAP', { key, element });
export const row = (fields: Record<string, LogicalType>): LogicalType => t('ROW', { fields: fieldsOf(fields) });

export function fieldsOf(fields: Record<string, LogicalType>): RowField[] {
  return Object.entries(fields).map(([name, type]) => ({ name, type }));
}

/** A row type from `{ name: type }`. */
export const rt = (fields: Record<string, LogicalType>) => rowType(fieldsOf(fields));

/** The rows a decoder emits for a message. */
export function decodeAll(decoder: RowDecoder, message: Uint8Array | string): Row[] {
  const rows: Row[] = [];
  decoder.decode(message, (r) => rows.push(r));
  return rows;
}

/** The fields of the single row a decoder emits for a message. */
export function decodeOne(decoder: RowDecoder, message: Uint8Array | string): unknown[] {
  const rows = decodeAll(decoder, message);
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}`);
  return rows[0]!.fields;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
