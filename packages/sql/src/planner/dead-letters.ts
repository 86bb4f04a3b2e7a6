// Splits the messages a format could not decode off a source's stream, right after the source: with the `skip`
// policy they are counted (`numSkippedRecords`) and dropped; with `dead-letter` they become rows (position, error,
// raw) of the table named by the format's `dead-letter-table` option, written by that table's sink in the same job.
import { DeadLetter, INSERT_ONLY, MAX_LENGTH, RowKind, type LogicalType, type Row } from '@runnel/api/table';
import type { Counter } from '@runnel/api';
import { OutputTag, type Collector, type DataStream, type ProcessContext, type ProcessFunction, type RuntimeContext } from '@runnel/runtime';
import { SqlValidationError } from '../validation-error.js';
import type { TranslateContext } from './translate-context.js';
import { writeToTable } from './sink.js';

/**
 * Whether a source with these format error policies can emit dead letters at all: with `fail` (or no format) a
 * decoding error fails the job and nothing but rows comes out of the source.
 *
 * @internal
 */
export function emitsDeadLetters(policies: readonly { policy: 'fail' | 'skip' | 'dead-letter' }[]): boolean {
  return !policies.every((p) => p.policy === 'fail');
}

/** @internal */
export function emitDeadLetters(
  stream: DataStream<Row | DeadLetter>,
  policies: readonly { policy: 'fail' | 'skip' | 'dead-letter'; deadLetterTable?: string }[],
  tableName: string,
  ctx: TranslateContext,
): DataStream<Row> {
  if (!emitsDeadLetters(policies)) return stream as DataStream<Row>;
  const target = policies.find((p) => p.policy === 'dead-letter')?.deadLetterTable;
  const entry = target === undefined ? undefined : ctx.catalog.get(target);
  if (target !== undefined && (!entry || entry.kind !== 'table')) {
    throw new SqlValidationError(`dead-letter table '${target}' of table '${tableName}' does not exist: create it with columns (position STRING, error STRING, raw STRING or BYTES)`);
  }
  const rawColumn = entry?.kind === 'table' ? entry.schema.columns.filter((c) => c.kind === 'physical')[2] : undefined;
  const rawAsText = rawColumn !== undefined && (rawColumn.type.root === 'VARCHAR' || rawColumn.type.root === 'CHAR');
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  const tag = new OutputTag<Row>(`dead-letters-${tableName}`);
  const fn: ProcessFunction<Row | DeadLetter, Row> = {
    skipped: undefined as Counter | undefined,
    open(this: { skipped?: Counter }, rc: RuntimeContext) {
      this.skipped = rc.metricGroup.counter('numSkippedRecords');
    },
    processElement(this: { skipped?: Counter }, v: Row | DeadLetter, pctx: ProcessContext, out: Collector<Row>) {
      if (!(v instanceof DeadLetter)) {
        out.collect(v);
        return;
      }
      if (target === undefined) {
        this.skipped!.inc();
        return;
      }
      const raw = rawAsText ? (typeof v.raw === 'string' ? v.raw : decoder.decode(v.raw)) : typeof v.raw === 'string' ? encoder.encode(v.raw) : v.raw;
      pctx.output(tag, { kind: RowKind.INSERT, fields: [v.position, v.error, raw] });
    },
  } as ProcessFunction<Row | DeadLetter, Row>;
  const rows = stream.process(fn, `DeadLetters(${tableName})`);
  if (entry?.kind === 'table') {
    const letters = rows.getSideOutput(tag);
    const str: LogicalType = { root: 'VARCHAR', nullable: false, precision: MAX_LENGTH };
    const fields = [
      { name: 'position', type: str },
      { name: 'error', type: str },
      { name: 'raw', type: rawAsText ? str : ({ root: 'VARBINARY', nullable: false, precision: MAX_LENGTH } as LogicalType) },
    ];
    writeToTable(letters, { mode: INSERT_ONLY }, fields, entry, ctx, `dead letters of '${tableName}'`);
  }
  return rows;
}

