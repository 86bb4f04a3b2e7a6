// The columns of a captured table and how their values become Runnel values (`@runnel/api/table`'s representation:
// BIGINT and DECIMAL as exact bigints, DATE as days, DATETIME as the local date-time's milliseconds read as UTC,
// TIMESTAMP as epoch milliseconds, TIME as milliseconds of the day). One converter per column serves both paths, the
// snapshot (mysql2's text protocol with `supportBigNumbers`, `bigNumberStrings`, `timezone: 'Z'` in a UTC session)
// and the binlog (zongji's decoder on the same connection settings), so a row read by either path is the same value
// by value: the hand-off comparisons and the tests depend on it. No value passes through a JS number unless its
// type is carried as one. Types without a faithful representation here (BIT, spatial types) fail at discovery.
import type { LogicalType } from '@runnel/api/table';

/**
 * A column of a captured table, as `INFORMATION_SCHEMA.COLUMNS` describes it.
 *
 * @public
 */
export interface CdcColumn {
  readonly name: string;
  /** `DATA_TYPE`, lower case (`bigint`, `varchar`, ...). */
  readonly dataType: string;
  /** `COLUMN_TYPE` (`bigint(20) unsigned`, `decimal(10,2)`, `tinyint(1)`). */
  readonly columnType: string;
  readonly nullable: boolean;
  readonly precision?: number;
  readonly scale?: number;
}

/** Converts a driver value (snapshot or binlog) to the column's Runnel value. */
export type ValueConverter = (v: unknown) => unknown;

const MS_PER_DAY = 86_400_000;
const toDate = (v: unknown): Date | null => {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  return null;
};

/** The unscaled bigint of a decimal text (`-12.3` at scale 2 -> -1230n). */
export function unscaledDecimal(text: string, scale: number): bigint {
  // Fast path: what MySQL sends, `[-]digits.digits` with exactly `scale` fraction digits (or none at scale 0).
  const d = text.indexOf('.');
  if (d > 0 && text.length - d - 1 === scale) return BigInt(text.slice(0, d) + text.slice(d + 1));
  if (d < 0 && scale === 0 && text.length > 0 && text.trim() === text) return BigInt(text);
  let s = text.trim();
  const negative = s.startsWith('-');
  if (negative || s.startsWith('+')) s = s.slice(1);
  const dot = s.indexOf('.');
  let int = dot < 0 ? s : s.slice(0, dot);
  let frac = dot < 0 ? '' : s.slice(dot + 1);
  if (frac.length > scale) frac = frac.slice(0, scale); // MySQL never sends more digits than the scale
  frac = frac.padEnd(scale, '0');
  if (int === '') int = '0';
  const v = BigInt(int + frac);
  return negative ? -v : v;
}

function timeOfDayMs(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const m = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(v);
  if (m === null) throw new Error(`mysql-cdc: cannot read TIME value '${v}'`);
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000 + (m[5] === undefined ? 0 : Math.floor(Number(`0.${m[5]}`) * 1000 + 1e-9));
  return m[1] === '-' ? -ms : ms;
}

function isUnsigned(c: CdcColumn): boolean {
  return /\bunsigned\b/i.test(c.columnType);
}

/** Whether the column's values are integers carried exactly as bigints (chunk keys must be). @internal */
export function isIntegerColumn(c: CdcColumn): boolean {
  return ['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint'].includes(c.dataType);
}

/**
 * The converter of a column; throws for unsupported types.
 *
 * @internal
 */
export function converterFor(c: CdcColumn, where: string): ValueConverter {
  switch (c.dataType) {
    case 'tinyint':
      if (/^tinyint\(1\)/i.test(c.columnType)) return (v) => (v === null || v === undefined ? null : Number(v) !== 0);
      return (v) => (v === null || v === undefined ? null : Number(v));
    case 'smallint':
    case 'mediumint':
      return (v) => (v === null || v === undefined ? null : Number(v));
    case 'int':
    case 'integer':
      if (isUnsigned(c)) return (v) => (v === null || v === undefined ? null : BigInt(v as string | number));
      return (v) => (v === null || v === undefined ? null : Number(v));
    case 'bigint':
      return (v) => (v === null || v === undefined ? null : typeof v === 'bigint' ? v : BigInt(v as string | number));
    case 'decimal':
    case 'numeric': {
      const scale = c.scale ?? 0;
      return (v) => (v === null || v === undefined ? null : unscaledDecimal(String(v), scale));
    }
    case 'float':
      return (v) => (v === null || v === undefined ? null : Math.fround(Number(v)));
    case 'double':
    case 'real':
      return (v) => (v === null || v === undefined ? null : Number(v));
    case 'char':
    case 'varchar':
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
    case 'enum':
    case 'set':
    case 'json':
      return (v) => (v === null || v === undefined ? null : typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return (v) => (v === null || v === undefined ? null : v instanceof Uint8Array ? v : Buffer.from(String(v), 'binary'));
    case 'date':
      return (v) => {
        const d = toDate(v);
        return d === null ? null : Math.floor(d.getTime() / MS_PER_DAY);
      };
    case 'datetime':
    case 'timestamp':
      return (v) => {
        const d = toDate(v);
        return d === null ? null : d.getTime();
      };
    case 'time':
      return (v) => (v === null || v === undefined ? null : timeOfDayMs(v));
    case 'year':
      return (v) => (v === null || v === undefined ? null : Number(v));
    default:
      throw new Error(`mysql-cdc: ${where}: column '${c.name}' has type ${c.columnType}, which the mysql-cdc source does not support`);
  }
}

/**
 * The Runnel logical type of a column (Flink CDC's mapping: TINYINT(1) BOOLEAN, INT UNSIGNED BIGINT, BIGINT UNSIGNED
 * DECIMAL(20, 0), DATETIME TIMESTAMP, TIMESTAMP TIMESTAMP_LTZ, text types STRING, binary types BYTES).
 *
 * @public
 */
export function cdcLogicalType(c: CdcColumn): LogicalType {
  const nullable = c.nullable;
  const unsigned = isUnsigned(c);
  switch (c.dataType) {
    case 'tinyint':
      if (/^tinyint\(1\)/i.test(c.columnType)) return { root: 'BOOLEAN', nullable };
      return { root: unsigned ? 'SMALLINT' : 'TINYINT', nullable };
    case 'smallint':
      return { root: unsigned ? 'INTEGER' : 'SMALLINT', nullable };
    case 'mediumint':
      return { root: 'INTEGER', nullable };
    case 'int':
    case 'integer':
      return { root: unsigned ? 'BIGINT' : 'INTEGER', nullable };
    case 'bigint':
      return unsigned ? { root: 'DECIMAL', nullable, precision: 20, scale: 0 } : { root: 'BIGINT', nullable };
    case 'decimal':
    case 'numeric':
      return { root: 'DECIMAL', nullable, precision: c.precision ?? 10, scale: c.scale ?? 0 };
    case 'float':
      return { root: 'FLOAT', nullable };
    case 'double':
    case 'real':
      return { root: 'DOUBLE', nullable };
    case 'date':
      return { root: 'DATE', nullable };
    case 'datetime':
      return { root: 'TIMESTAMP', nullable, precision: c.precision ?? 0 };
    case 'timestamp':
      return { root: 'TIMESTAMP_LTZ', nullable, precision: c.precision ?? 0 };
    case 'time':
      return { root: 'TIME', nullable, precision: c.precision ?? 0 };
    case 'year':
      return { root: 'INTEGER', nullable };
    case 'binary':
    case 'varbinary':
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return { root: 'VARBINARY', nullable, precision: 2147483647 };
    default:
      return { root: 'VARCHAR', nullable, precision: 2147483647 };
  }
}
