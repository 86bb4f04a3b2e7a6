// Translation of OVER aggregations: keyed by the partition keys (one group when there are none), insert-only input,
// aggregates that retract when the frame is bounded.
import { INSERT_ONLY, isInsertOnly, type Row } from '@runnel/api/table';
import type { KeyedProcessFunction } from '@runnel/runtime';
import type { OverAggregateRel } from '../plan/rel.js';
import { nodeText } from '../plan/explain.js';
import { OverAggregateFunction } from '../runtime/over-aggregate-function.js';
import { AggsHandle } from '../runtime/aggs-handle.js';
import { rowKeySelector } from '../runtime/row-key.js';
import { SqlNotSupportedError } from '../validation-error.js';
import type { TranslateContext, Translated } from './translate-context.js';
import { uidOf } from './translate-common.js';

/** @internal */
export function translateOverAggregate(rel: OverAggregateRel, ctx: TranslateContext): Translated {
  const input = ctx.translate!(rel.input);
  if (!isInsertOnly(input.mode)) throw new SqlNotSupportedError('OVER aggregations over an updating input');
  const bounded = rel.preceding !== Infinity;
  const aggs = bounded ? rel.aggs : rel.aggs.map((a) => (a.agg.insertOnly ? { ...a, agg: a.agg.insertOnly } : a));
  if (bounded && !new AggsHandle(aggs).canRetract) throw new SqlNotSupportedError(`${aggs.filter((a) => !a.agg.retract).map((a) => a.name).join(', ')} over a bounded OVER frame`);
  const fn = new OverAggregateFunction({ orderField: rel.orderField, eventTime: rel.eventTime, unit: rel.unit, preceding: rel.preceding }, aggs);
  const out = input.stream.keyBy(rowKeySelector(rel.partitionKeys)).process(fn as KeyedProcessFunction<unknown, Row, Row>, nodeText(rel)).uid(uidOf(rel, ctx, '', true));
  ctx.state.set(rel, `per partition: accumulators${rel.eventTime ? ', rows waiting for the watermark' : ''}${bounded ? (rel.unit === 'RANGE' ? ', rows of the last interval' : `, the last ${rel.preceding} rows`) : ''}`);
  return { stream: out, mode: INSERT_ONLY };
}
