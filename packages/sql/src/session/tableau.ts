// Flink's `tableau` result style: a bordered table with an `op` column (+I, -U, +U, -D), printed row by row as the
// result changes, then `Received a total of N rows`. Column widths come from the column types (as Flink's client
// does for streaming results, since rows are printed before all of them are known), cut at
// `sql-client.display.max-column-width`.
import { rowKindShortString, type LogicalType, type Row } from '@runnel/api/table';
import { formatValue } from './format-value.js';

function typeWidth(t: LogicalType): number {
  switch (t.root) {
    case 'BOOLEAN':
      return 5;
    case 'TINYINT':
      return 4;
    case 'SMALLINT':
      return 6;
    case 'INTEGER':
      return 11;
    case 'BIGINT':
      return 20;
    case 'DECIMAL':
      return (t.precision ?? 10) + 2;
    case 'DATE':
      return 10;
    case 'TIME':
      return 8 + ((t.precision ?? 0) > 0 ? 4 : 0);
    case 'TIMESTAMP':
    case 'TIMESTAMP_LTZ':
      return 23;
    case 'CHAR':
    case 'VARCHAR':
      return Math.min(t.precision ?? 30, 1000);
    default:
      return 30;
  }
}

/**
 * Prints rows in the tableau style.
 *
 * @public
 */
export class TableauPrinter {
  private readonly widths: number[];
  private count = 0;
  private readonly withOp: boolean;

  constructor(
    private readonly columns: readonly { readonly name: string; readonly type: LogicalType }[],
    private readonly write: (line: string) => void,
    private readonly options: { readonly maxColumnWidth?: number; readonly timeZone?: string; readonly op?: boolean } = {},
  ) {
    const max = options.maxColumnWidth ?? 30;
    this.withOp = options.op ?? true;
    this.widths = [...(this.withOp ? [2] : []), ...columns.map((c) => Math.max(c.name.length, Math.min(max, Math.max(typeWidth(c.type), 4))))];
  }

  private line(): string {
    return `+${this.widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  }

  private cells(values: readonly string[]): string {
    return `|${values.map((v, i) => {
      const w = this.widths[i]!;
      const text = v.length > w ? `${v.slice(0, Math.max(0, w - 3))}...` : v;
      return ` ${text.padStart(w)} `;
    }).join('|')}|`;
  }

  /** The header (call once before the rows). */
  header(): void {
    this.write(this.line());
    this.write(this.cells([...(this.withOp ? ['op'] : []), ...this.columns.map((c) => c.name)]));
    this.write(this.line());
  }

  /** One row. */
  row(r: Row): void {
    this.count++;
    const values = r.fields.map((v, i) => formatValue(v, this.columns[i]!.type, this.options.timeZone));
    this.write(this.cells([...(this.withOp ? [rowKindShortString(r.kind)] : []), ...values]));
  }

  /** The closing line and the row count. */
  footer(): void {
    if (this.count > 0) this.write(this.line());
    this.write(this.count === 0 ? 'Empty set' : `Received a total of ${this.count} row${this.count === 1 ? '' : 's'}`);
  }
}
