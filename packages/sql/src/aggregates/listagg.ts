// LISTAGG(x [, separator]): the non-null strings in arrival order joined by the separator (',' by default), NULL
// when there is none; result STRING (Flink's ListAggFunction and ListAggWsWithRetractAggFunction). Over retracting
// input the live values are kept in order (arrival-list.ts); a retraction removes the earliest live occurrence, as
// Flink's `ListView.remove` does, and one that arrives before its row cancels that row when it comes (Flink keeps
// such retractions aside but only settles them on merge). A separator that is not a literal is taken per row, and
// the one of the latest row is used for the whole string, as in Flink. A NULL separator gives NULL. For insert-only
// input with a literal separator, `insertOnly` keeps the string built so far.
import { MAX_LENGTH, type LogicalType } from '@runnel/api/table';
import type { AggregateFunctionDefinition, ResolvedAggregate } from './aggregate-definition.js';
import {
  arrivalAppend,
  arrivalJoin,
  arrivalMerge,
  arrivalRetract,
  newArrivalList,
  type ArrivalList,
} from './internal/arrival-list.js';
import { expectArgCount, isCharacterString, unsupportedArgument } from './internal/types.js';

const STRING_TYPE: LogicalType = { root: 'VARCHAR', nullable: true, precision: MAX_LENGTH };

/** `[live values in arrival order, separator of the latest row]`. */
type ListAggAcc = [list: ArrivalList, separator: string | null];

/** `[the string so far, or null]`. */
type JoinedAcc = [joined: string | null];

function retractingListAgg(fixed: string | undefined): ResolvedAggregate<ListAggAcc> {
  const perRow = fixed === undefined;
  return {
    type: STRING_TYPE,
    createAccumulator: () => [newArrivalList(), fixed ?? ','],
    accumulate(acc, args) {
      const x = args[0];
      if (x === null || x === undefined) return acc;
      arrivalAppend(acc[0], x);
      if (perRow) acc[1] = (args[1] ?? null) as string | null;
      return acc;
    },
    retract(acc, args) {
      const x = args[0];
      if (x !== null && x !== undefined) arrivalRetract(acc[0], x);
      return acc;
    },
    merge(acc, other) {
      // The separator of the later slice's rows wins, as the latest row's does.
      if (perRow && (other[0].live > 0 || other[0].pend !== null)) acc[1] = other[1];
      arrivalMerge(acc[0], other[0]);
      return acc;
    },
    getValue: (acc) => (acc[1] === null ? null : arrivalJoin(acc[0], acc[1])),
    stateDescription: 'values in arrival order',
  };
}

function joinedListAgg(separator: string): ResolvedAggregate<JoinedAcc> {
  return {
    type: STRING_TYPE,
    createAccumulator: () => [null],
    accumulate(acc, args) {
      const x = args[0] as string | null;
      if (x !== null && x !== undefined) acc[0] = acc[0] === null ? x : acc[0] + separator + x;
      return acc;
    },
    merge(acc, other) {
      if (other[0] !== null) acc[0] = acc[0] === null ? other[0] : acc[0] + separator + other[0];
      return acc;
    },
    getValue: (acc) => acc[0],
    stateDescription: 'the joined string',
  };
}

/** LISTAGG(x, NULL): always NULL, keeps nothing. */
const ALWAYS_NULL: ResolvedAggregate<number> = {
  type: STRING_TYPE,
  createAccumulator: () => 0,
  accumulate: (acc) => acc,
  retract: (acc) => acc,
  merge: (acc) => acc,
  getValue: () => null,
  stateDescription: 'nothing',
};

/**
 * LISTAGG(x [, separator]): the non-null values joined in arrival order by the separator (default ','), NULL when
 * there are none. Arguments: character strings. Result: STRING. Retracts (values in arrival order; removes the
 * earliest occurrence) and merges (in slice order); `insertOnly` (literal separator) keeps the joined string.
 *
 * @internal
 */
export const LISTAGG: AggregateFunctionDefinition = {
  name: 'LISTAGG',
  minArgs: 1,
  maxArgs: 2,
  resolve(argTypes, literals) {
    expectArgCount(argTypes, 1, 2);
    for (const t of argTypes) {
      if (!isCharacterString(t)) throw unsupportedArgument(t, 'a character string');
    }
    if (argTypes.length === 1) return { ...retractingListAgg(','), insertOnly: joinedListAgg(',') };
    const separator = literals[1];
    if (separator === undefined) return retractingListAgg(undefined);
    if (separator === null) return ALWAYS_NULL;
    return { ...retractingListAgg(separator as string), insertOnly: joinedListAgg(separator as string) };
  },
};
