// Turns an upsert changelog (+I/+U by key, -D with only the key set, no -U: upsert-kafka, a compacted topic) into a
// full one, as Flink's ChangelogNormalize: per primary key, the last row lives in keyed state; an upsert of a known
// key emits -U (the previous row) and +U, of a new key +I; a delete emits -D with the previous row's values and
// forgets it; an upsert equal to the previous row emits nothing; a delete of an unknown key is dropped.
import { RowKind, type Row } from '@runnel/api/table';
import type { StateTtlConfig, ValueState } from '@runnel/api';
import type { Collector, KeyedProcessFunction, ProcessContext, RuntimeContext } from '@runnel/runtime';
import { rowsEqual } from './row-equality.js';

/**
 * The changelog normalisation operator's function.
 *
 * @internal
 */
export class ChangelogNormalizeFunction implements KeyedProcessFunction<unknown, Row, Row> {
  private last!: ValueState<unknown[]>;

  constructor(private readonly ttl: StateTtlConfig | undefined) {}

  open(ctx: RuntimeContext): void {
    this.last = ctx.getState<unknown[]>({ name: 'changelog-normalize', ttl: this.ttl });
  }

  processElement(row: Row, _ctx: ProcessContext, out: Collector<Row>): void {
    const prev = this.last.value();
    if (row.kind === RowKind.DELETE) {
      if (prev === undefined) return;
      this.last.clear();
      out.collect({ kind: RowKind.DELETE, fields: prev });
      return;
    }
    if (row.kind === RowKind.UPDATE_BEFORE) return;
    if (prev === undefined) {
      out.collect({ kind: RowKind.INSERT, fields: row.fields });
    } else {
      if (rowsEqual(prev, row.fields)) return;
      out.collect({ kind: RowKind.UPDATE_BEFORE, fields: prev });
      out.collect({ kind: RowKind.UPDATE_AFTER, fields: row.fields });
    }
    this.last.update(row.fields);
  }
}
