// The differential-testing oracle: DuckDB (an independent engine) runs the same query, written in its dialect, over
// the same rows; results are compared as multisets of canonical rows. Canonical values make the engines' different
// but equivalent representations equal: numbers by value (decimals without trailing zeros, doubles to 12
// significant digits), timestamps to the millisecond, NULL as NULL.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { LogicalType } from '@runnel/api/table';
import { formatDecimal, formatDate, formatTimestamp } from '../../src/session/format-value.js';

/** A canonical text of a value. */
function canonNumber(text: string): string {
  if (/^-?\d+$/.test(text)) return text.replace(/^(-?)0+(\d)/, '$1$2');
  if (/^-?\d+\.\d+$/.test(text)) {
    const t = text.replace(/0+$/, '').replace(/\.$/, '');
    return t === '-0' ? '0' : t;
  }
  const n = Number(text);
  return Number.isFinite(n) ? String(Number(n.toPrecision(12))) : text;
}

function canonTimestamp(text: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(text);
  if (!m) return text;
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/** Runnel's value of a type, canonical. */
export function canonRunnel(v: unknown, t: LogicalType): string {
  if (v === null || v === undefined) return 'NULL';
  switch (t.root) {
    case 'DECIMAL':
      return canonNumber(formatDecimal(v as bigint, t.scale ?? 0));
    case 'FLOAT':
    case 'DOUBLE':
      return canonNumber(String(v));
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'BIGINT':
      return String(v);
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return canonTimestamp(formatTimestamp(v as number, 3));
    case 'DATE':
      return formatDate(v as number);
    case 'BOOLEAN':
      return v ? 'true' : 'false';
    default:
      return String(v);
  }
}

/** DuckDB's JSON value of a column type, canonical. */
function canonDuck(v: unknown, type: string): string {
  if (v === null || v === undefined) return 'NULL';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|DECIMAL|DOUBLE|FLOAT)/.test(type)) return canonNumber(String(v));
  if (type.startsWith('TIMESTAMP')) return canonTimestamp(String(v));
  if (type === 'BOOLEAN') return v ? 'true' : 'false';
  return String(v);
}

/** An in-memory DuckDB with tables loaded from rows. */
export class Oracle {
  private constructor(private readonly conn: DuckDBConnection) {}

  static async create(): Promise<Oracle> {
    const db = await DuckDBInstance.create(':memory:');
    return new Oracle(await db.connect());
  }

  /** Creates a table (`columns` in DuckDB types) and inserts rows (JS values: numbers, strings, bigints, null; timestamps as 'yyyy-MM-dd HH:mm:ss.SSS'). */
  async load(name: string, columns: readonly [string, string][], rows: readonly (readonly unknown[])[]): Promise<void> {
    await this.conn.run(`CREATE TABLE ${name} (${columns.map(([c, t]) => `"${c}" ${t}`).join(', ')})`);
    const lit = (v: unknown): string => (v === null || v === undefined ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await this.conn.run(`INSERT INTO ${name} VALUES ${chunk.map((r) => `(${r.map(lit).join(', ')})`).join(', ')}`);
    }
  }

  /** The query's rows as canonical texts, sorted. */
  async rows(sql: string): Promise<string[]> {
    const r = await this.conn.runAndReadAll(sql);
    const types = r.columnTypes().map(String);
    const names = r.columnNames();
    return r
      .getRowObjectsJson()
      .map((o) => names.map((n, i) => canonDuck((o as Record<string, unknown>)[n], types[i]!)).join(' | '))
      .sort();
  }
}

/** Runnel's rows as canonical texts, sorted. */
export function canonRows(rows: readonly (readonly unknown[])[], types: readonly LogicalType[]): string[] {
  return rows.map((r) => r.map((v, i) => canonRunnel(v, types[i]!)).join(' | ')).sort();
}
