// FIRST_VALUE and LAST_VALUE: the first and the last non-null value in arrival order (NULLs are skipped, as in
// Flink's FirstValueAggFunction and LastValueAggFunction). Result: the argument's type, any type. Over retracting
// input they keep the live values in order (arrival-list.ts) and a retraction removes the earliest live occurrence of
// the value, as Flink's FirstValueWithRetractAggFunction and LastValueWithRetractAggFunction do. Merging appends the
// second accumulator's values after the first's (window slices merge in time order); Flink's versions do not merge.
// For insert-only input, `insertOnly` keeps one value.
import type { AggregateFunctionDefinition, ResolvedAggregate } from './aggregate-definition.js';
import {
  arrivalAppend,
  arrivalFirst,
  arrivalLast,
  arrivalMerge,
  arrivalRetract,
  newArrivalList,
  type ArrivalList,
} from './internal/arrival-list.js';
import { aggregateResultType, expectArgCount } from './internal/types.js';

type OneValueAcc = [value: unknown];

function firstOrLast(name: 'FIRST_VALUE' | 'LAST_VALUE'): AggregateFunctionDefinition {
  const first = name === 'FIRST_VALUE';
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    resolve(argTypes) {
      expectArgCount(argTypes, 1, 1);
      const type = aggregateResultType(argTypes[0]!);
      const insertOnly: ResolvedAggregate<OneValueAcc> = {
        type,
        createAccumulator: () => [null],
        accumulate(acc, args) {
          const x = args[0];
          if (x !== null && x !== undefined && (!first || acc[0] === null)) acc[0] = x;
          return acc;
        },
        merge(acc, other) {
          if (other[0] !== null && (!first || acc[0] === null)) acc[0] = other[0];
          return acc;
        },
        getValue: (acc) => acc[0],
        stateDescription: first ? 'the first value' : 'the last value',
      };
      const retracting: ResolvedAggregate<ArrivalList> = {
        type,
        createAccumulator: newArrivalList,
        accumulate(acc, args) {
          const x = args[0];
          if (x !== null && x !== undefined) arrivalAppend(acc, x);
          return acc;
        },
        retract(acc, args) {
          const x = args[0];
          if (x !== null && x !== undefined) arrivalRetract(acc, x);
          return acc;
        },
        merge(acc, other) {
          arrivalMerge(acc, other);
          return acc;
        },
        getValue: first ? arrivalFirst : arrivalLast,
        stateDescription: 'values in arrival order',
        insertOnly,
      };
      return retracting;
    },
  };
}

/**
 * FIRST_VALUE(x): the first non-null value in arrival order, NULL when there is none. Result: the argument's type.
 * Retracts (values in arrival order; removes the earliest occurrence) and merges (in slice order); `insertOnly`
 * keeps one value.
 *
 * @internal
 */
export const FIRST_VALUE: AggregateFunctionDefinition = firstOrLast('FIRST_VALUE');

/**
 * LAST_VALUE(x): the last non-null value in arrival order, NULL when there is none. Result: the argument's type.
 * Retracts and merges as FIRST_VALUE; `insertOnly` keeps one value.
 *
 * @internal
 */
export const LAST_VALUE: AggregateFunctionDefinition = firstOrLast('LAST_VALUE');
