// An upsert source (changelog +I/+U/-D by primary key, without -U: upsert-kafka) gets Flink's ChangelogNormalize
// right after it: keyed by the primary key, it keeps the last row and emits a full changelog (-U/+U, -D with the
// values), which every operator downstream can take.
import type { Row } from '@runnel/api/table';
import type { DataStream, KeyedProcessFunction } from '@runnel/runtime';
import type { ScanRel } from '../plan/rel.js';
import { ChangelogNormalizeFunction } from '../runtime/changelog-normalize-function.js';
import { rowKeySelector } from '../runtime/row-key.js';
import { SqlValidationError } from '../validation-error.js';
import type { TranslateContext } from './translate-context.js';
import { uidOf } from './translate-common.js';
import { stateTtl } from './state-ttl.js';

/** The normalised changelog of an upsert scan's raw rows. @internal */
export function normalizeChangelog(rows: DataStream<Row>, rel: ScanRel, ctx: TranslateContext): DataStream<Row> {
  const pk = rel.table.schema.primaryKey;
  if (!pk) throw new SqlValidationError(`Table '${rel.table.name}' produces an upsert changelog and needs a PRIMARY KEY (...) NOT ENFORCED`);
  const keys = pk.columns.map((c) => rel.rawFields.findIndex((f) => f.name === c));
  if (keys.some((k) => k < 0)) throw new SqlValidationError(`The primary key of table '${rel.table.name}' must be physical columns`);
  const name = `ChangelogNormalize(key=[${pk.columns.join(', ')}])`;
  ctx.state.set(rel, 'per key: the last row (ChangelogNormalize)');
  return rows
    .keyBy(rowKeySelector(keys))
    .process(new ChangelogNormalizeFunction(stateTtl(ctx)) as KeyedProcessFunction<unknown, Row, Row>, name)
    .uid(uidOf(rel, ctx, 'normalize', true));
}
