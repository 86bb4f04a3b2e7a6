// Applies a node's aggregate calls to rows: one accumulator per call, FILTER fields checked, argument arrays reused
// (aggregates read their arguments during the call and keep values, never the array). Used by the group, window
// and session aggregation operators alike. The accumulators may start at an offset of their array, so that the group
// aggregation updates its state array (row count, then accumulators) in place instead of copying it twice per row.
import type { AggCall } from '../plan/rel.js';

/**
 * The aggregate calls of one operator.
 *
 * @internal
 */
export class AggsHandle {
  private readonly argBuffers: unknown[][];

  constructor(private readonly aggs: readonly AggCall[]) {
    this.argBuffers = aggs.map((a) => new Array<unknown>(a.args.length));
  }

  get size(): number {
    return this.aggs.length;
  }

  /** Whether every call can retract (needed over updating input). */
  get canRetract(): boolean {
    return this.aggs.every((a) => a.agg.retract !== undefined);
  }

  /** Whether every call can merge (needed by window slices and sessions). */
  get canMerge(): boolean {
    return this.aggs.every((a) => a.agg.merge !== undefined);
  }

  create(): unknown[] {
    const out = new Array<unknown>(this.aggs.length);
    for (let i = 0; i < this.aggs.length; i++) out[i] = this.aggs[i]!.agg.createAccumulator();
    return out;
  }

  private args(i: number, fields: readonly unknown[]): unknown[] | undefined {
    const a = this.aggs[i]!;
    if (a.filter !== undefined && fields[a.filter] !== true) return undefined;
    const buf = this.argBuffers[i]!;
    for (let j = 0; j < a.args.length; j++) buf[j] = fields[a.args[j]!];
    return buf;
  }

  /** Adds a row to the accumulators, which start at `accs[offset]`. */
  accumulate(accs: unknown[], fields: readonly unknown[], offset = 0): void {
    for (let i = 0; i < this.aggs.length; i++) {
      const args = this.args(i, fields);
      if (args) accs[offset + i] = this.aggs[i]!.agg.accumulate(accs[offset + i], args);
    }
  }

  /** Removes a row from the accumulators, which start at `accs[offset]`. */
  retract(accs: unknown[], fields: readonly unknown[], offset = 0): void {
    for (let i = 0; i < this.aggs.length; i++) {
      const args = this.args(i, fields);
      if (args) accs[offset + i] = this.aggs[i]!.agg.retract!(accs[offset + i], args);
    }
  }

  merge(accs: unknown[], other: readonly unknown[]): void {
    for (let i = 0; i < this.aggs.length; i++) accs[i] = this.aggs[i]!.agg.merge!(accs[i], other[i]);
  }

  /** Appends the current results to `out`. */
  values(accs: readonly unknown[], out: unknown[]): void {
    for (let i = 0; i < this.aggs.length; i++) out.push(this.aggs[i]!.agg.getValue(accs[i]));
  }

  /** Writes the results of the accumulators starting at `accs[offset]` into `out` from `out[at]`. */
  valuesAt(accs: readonly unknown[], offset: number, out: unknown[], at: number): void {
    for (let i = 0; i < this.aggs.length; i++) out[at + i] = this.aggs[i]!.agg.getValue(accs[offset + i]);
  }

  /**
   * A group aggregation's result row: the key fields `keyFields` of `fields`, then the results of the accumulators
   * that follow the row count in the group state `st` (allocated at its final size).
   */
  groupResult(keyFields: readonly number[], fields: readonly unknown[], st: readonly unknown[]): unknown[] {
    const out = new Array<unknown>(keyFields.length + this.aggs.length);
    for (let i = 0; i < keyFields.length; i++) out[i] = fields[keyFields[i]!];
    this.valuesAt(st, 1, out, keyFields.length);
    return out;
  }
}
