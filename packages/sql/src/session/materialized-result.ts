// A changelog applied: the current result of a query as a multiset of rows. +I and +U add a row, -U and -D remove
// an equal one. The SQL client's `table` result mode shows it; tests compare it with an oracle's result.
import { isAccumulate, type Row } from '@runnel/api/table';

function keyOf(fields: readonly unknown[]): string {
  return JSON.stringify(fields, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? `x${Buffer.from(v).toString('hex')}` : v instanceof Map ? [...v] : v));
}

/**
 * The current rows of a changelog.
 *
 * @public
 */
export class MaterializedResult {
  private readonly rows = new Map<string, { fields: unknown[]; count: number }>();
  private retractionsOfMissing = 0;

  /** Applies one change. */
  apply(row: Row): void {
    const k = keyOf(row.fields);
    const e = this.rows.get(k);
    if (isAccumulate(row.kind)) {
      if (e) e.count++;
      else this.rows.set(k, { fields: row.fields, count: 1 });
      return;
    }
    if (!e) {
      this.retractionsOfMissing++;
      return;
    }
    if (--e.count === 0) this.rows.delete(k);
  }

  /** The rows (each as often as it occurs). */
  current(): unknown[][] {
    const out: unknown[][] = [];
    for (const { fields, count } of this.rows.values()) for (let i = 0; i < count; i++) out.push(fields);
    return out;
  }

  /** Retractions of rows that were not there: a changelog that is not consistent (should be 0). */
  get inconsistencies(): number {
    return this.retractionsOfMissing;
  }

  /** How many rows the result has now. */
  get size(): number {
    let n = 0;
    for (const e of this.rows.values()) n += e.count;
    return n;
  }
}
