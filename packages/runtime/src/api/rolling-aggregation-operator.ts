// The operator of KeyedStream.sum/min/max/minBy/maxBy: the rolling keyed reduce (same state, so it checkpoints,
// restores and rescales as any reduce) that also checks each record's field on arrival. The reduce function alone
// would never see a key's first record: the reduce path stores and emits it as it is, and a missing field would
// pass silently until (or, for a key with one record, forever) no second record came.
import { KeyedReduceOperator } from '../operators/process-operators.js';
import type { OperatorContext } from '../operators/stream-operator.js';
import { wrapUserError } from '../operators/user-function-error.js';
import type { FieldAggregation } from './field-aggregators.js';

/** @internal */
export class RollingAggregationOperator extends KeyedReduceOperator {
  private readonly check: (record: unknown) => void;

  constructor(ctx: OperatorContext, aggregation: FieldAggregation<unknown>) {
    super(ctx, aggregation.reduce);
    this.check = aggregation.check;
  }

  override processElement(value: unknown, timestamp: number): void {
    try {
      this.check(value);
    } catch (e) {
      throw wrapUserError(e, this.ctx, value);
    }
    super.processElement(value, timestamp);
  }
}
