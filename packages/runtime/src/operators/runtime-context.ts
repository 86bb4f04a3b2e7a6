// The RuntimeContext handed to rich functions: subtask facts, metrics, and state creation bound to the operator's
// keyed state backend (keyed streams) or operator state store.
import type { KeyedStateBackend, ListState } from '@runnel/api';
import type { RuntimeContext } from '../api/functions.js';
import type { OperatorContext } from './stream-operator.js';

/** @internal */
export function createRuntimeContext(ctx: OperatorContext, keyed: KeyedStateBackend | undefined): RuntimeContext {
  const need = (): KeyedStateBackend => {
    if (!keyed) {
      throw new Error(`operator '${ctx.node.name}': keyed state is only available on a keyed stream (use keyBy() first)`);
    }
    return keyed;
  };
  return {
    taskName: ctx.taskName,
    operatorUid: ctx.node.uid,
    indexOfThisSubtask: ctx.subtaskIndex,
    numberOfParallelSubtasks: ctx.parallelism,
    maxNumberOfParallelSubtasks: ctx.maxParallelism,
    attemptNumber: ctx.attemptNumber,
    metricGroup: ctx.metricGroup,
    getState: (d) => need().getValueState({ ...d, kind: 'value' }),
    getListState: (d) => need().getListState({ ...d, kind: 'list' }),
    getMapState: (d) => need().getMapState({ ...d, kind: 'map' }),
    getReducingState: (d) => need().getReducingState({ ...d, kind: 'reducing' }),
    getAggregatingState: (d) => need().getAggregatingState({ ...d, kind: 'aggregating' }),
    getOperatorListState: <T>(name: string): ListState<T> => ctx.operatorState.getListState<T>({ kind: 'list', name }),
    getUnionListState: <T>(name: string): ListState<T> => ctx.operatorState.getUnionListState<T>({ kind: 'list', name }),
  };
}
