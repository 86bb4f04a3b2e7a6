// The SELECT of a scan split, with every identifier quoted and every value bound: the projected columns, then the
// primary-key columns the projection lacks (the position needs them), the partition range as `BETWEEN ? AND ?`, the
// resume condition after the last key read (`k > ?`, or `(k1 > ?) OR (k1 = ? AND k2 > ?)` for a composite key), and
// `ORDER BY` the key so that the position means something.
import type { MySqlBindValue } from '../types/mysql-types.js';
import { quoteIdentifier } from '../jdbc/sql-text.js';
import type { MySqlScanSplit } from './mysql-scan-split.js';

/**
 * The scan query of a table.
 *
 * @internal
 */
export interface ScanQuery {
  /** Where the key columns are in a result row (empty: the table has no primary key). */
  readonly keyPositions: readonly number[];
  forSplit(split: MySqlScanSplit): { sql: string; values: MySqlBindValue[] };
}

/** @internal */
export function scanQuery(table: string, columns: readonly string[], primaryKey: readonly string[], partitionColumn?: string): ScanQuery {
  const lower = columns.map((c) => c.toLowerCase());
  const extra = primaryKey.filter((k) => !lower.includes(k.toLowerCase()));
  const selected = [...columns, ...extra];
  const keyPositions = primaryKey.map((k) => selected.findIndex((c) => c.toLowerCase() === k.toLowerCase()));
  const base = `SELECT ${selected.map(quoteIdentifier).join(', ')} FROM ${quoteIdentifier(table)}`;
  const keys = primaryKey.map(quoteIdentifier);
  const order = keys.length > 0 ? ` ORDER BY ${keys.join(', ')}` : '';
  return {
    keyPositions,
    forSplit(split) {
      const where: string[] = [];
      const values: MySqlBindValue[] = [];
      if (split.lower !== undefined && split.upper !== undefined && partitionColumn !== undefined) {
        where.push(`${quoteIdentifier(partitionColumn)} BETWEEN ? AND ?`);
        values.push(split.lower, split.upper);
      }
      if (split.after !== undefined && keys.length > 0) {
        const ors: string[] = [];
        for (let i = 0; i < keys.length; i++) {
          const parts: string[] = [];
          for (let j = 0; j < i; j++) {
            parts.push(`${keys[j]} = ?`);
            values.push(split.after[j]!);
          }
          parts.push(`${keys[i]} > ?`);
          values.push(split.after[i]!);
          ors.push(`(${parts.join(' AND ')})`);
        }
        where.push(`(${ors.join(' OR ')})`);
      }
      return { sql: `${base}${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''}${order}`, values };
    },
  };
}
