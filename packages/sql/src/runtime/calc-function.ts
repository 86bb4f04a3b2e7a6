// The projection-and-filter operator of SQL plans: one compiled function per operator, applied to each row; the
// row kind passes through (a filter on a changelog filters retractions the same way as insertions, so the result
// stays consistent). A value that cannot be computed fails with the operator's name and the input row. A projection
// that returns the row's own array (every field unchanged) passes the row itself on, without a new object.
import type { Row } from '@runnel/api/table';
import type { Collector, FlatMapFunction } from '@runnel/runtime';
import type { CompiledProjection } from '../codegen/expression-compiler.js';
import { SqlRuntimeError } from '../functions/function-definition.js';

/** @internal */
export function calcFunction(project: CompiledProjection, description: string): FlatMapFunction<Row, Row> {
  return (row: Row, out: Collector<Row>) => {
    let fields: unknown[] | undefined;
    try {
      fields = project(row.fields);
    } catch (e) {
      if (e instanceof SqlRuntimeError) throw new SqlRuntimeError(`${e.message}, in ${description} for the row ${describeRow(row)}`);
      throw e;
    }
    if (fields === row.fields) out.collect(row);
    else if (fields !== undefined) out.collect({ kind: row.kind, fields });
  };
}

/** A short text of a row for error messages. @internal */
export function describeRow(row: Row): string {
  const text = row.fields.map((v) => (typeof v === 'string' ? `'${v.length > 40 ? v.slice(0, 40) + '…' : v}'` : typeof v === 'bigint' ? `${v}` : v instanceof Uint8Array ? `x'${Buffer.from(v).toString('hex').slice(0, 40)}'` : JSON.stringify(v) ?? String(v)));
  return `[${text.join(', ')}]`;
}
