// The snapshot's row converter: one function per captured table, generated over its column types, that turns the
// array mysql2 built for a row (`rowsAsArray`, the snapshot connection's value forms) into the row's Runnel values in
// place. The per-column converters (cdc-column.ts) called through an array of closures made every call site see
// every column's function (megamorphic) and needed a second array per row; the generated function has one call site
// per column, inlines the common forms (a number for an integer column, a string for a text column, a DATETIME text,
// a small DECIMAL text) and hands any other form to that column's own converter, so its values are the converters'
// values (test/cdc/cdc-value-parity.test.ts checks them against the binlog path). The generated text holds only
// column positions and integer scales, never a name or a value from the server.
import { converterFor, dateTimeTextMs, isBooleanTinyint, isTextType, isUnsigned, smallUnscaledDecimal, type CdcColumn, type ValueConverter } from './cdc-column.js';

/** Converts a row read by the snapshot connection in place and returns it. @internal */
export type SnapshotRowConverter = (raw: unknown[]) => unknown[];

/** The statement converting column `i` (its value in `v`), given the column's type. */
function columnCode(c: CdcColumn, i: number): string {
  const fallback = `r[${i}] = c${i}(v);`;
  switch (c.dataType) {
    case 'smallint':
    case 'mediumint':
      return `if (typeof v !== 'number') ${fallback}`;
    case 'int':
    case 'integer':
      if (isUnsigned(c)) return `if (typeof v === 'number') r[${i}] = BigInt(v); else ${fallback}`;
      return `if (typeof v !== 'number') ${fallback}`;
    case 'tinyint':
      if (isBooleanTinyint(c)) return fallback;
      return `if (typeof v !== 'number') ${fallback}`;
    case 'bigint':
      return `if (typeof v === 'number') r[${i}] = BigInt(v); else ${fallback}`;
    case 'decimal':
    case 'numeric':
      if (c.precision !== undefined && c.precision <= 15) return `if (typeof v === 'string') r[${i}] = smallDecimal(v, ${c.scale ?? 0}); else ${fallback}`;
      return fallback;
    case 'datetime':
    case 'timestamp':
      return `if (typeof v === 'string') r[${i}] = dateTimeMs(v); else ${fallback}`;
    default:
      return isTextType(c.dataType) ? `if (typeof v !== 'string') ${fallback}` : fallback;
  }
}

/**
 * Generates the converter of a table's snapshot rows (columns in table order, as the chunk query selects them).
 * Throws for unsupported column types, as `converterFor` does.
 *
 * @internal
 */
export function snapshotRowConverter(columns: readonly CdcColumn[], where: string): SnapshotRowConverter {
  const converters: ValueConverter[] = columns.map((c) => converterFor(c, where));
  const params = converters.map((_, i) => `c${i}`);
  const body = [`return function convertSnapshotRow(r) {`, 'let v;'];
  // Integer scales only: the generated text must not carry anything else from the server.
  columns.forEach((c, i) => {
    if (c.scale !== undefined && !Number.isSafeInteger(c.scale)) throw new Error(`mysql-cdc: ${where}: column '${c.name}' has a non-integer scale ${String(c.scale)}`);
    body.push(`v = r[${i}];`, `if (v === null) {} else ${columnCode(c, i)}`);
  });
  body.push('return r;', '};');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from column types only (see the header)
  const make = new Function(...params, 'smallDecimal', 'dateTimeMs', body.join('\n')) as (...args: unknown[]) => SnapshotRowConverter;
  return make(...converters, smallUnscaledDecimal, dateTimeTextMs);
}
