// What an operator hands over at a checkpoint barrier (a synchronous capture) and what it gets back on restore.
// Keyed state and timers travel as canonical key-group entries; everything else (source splits, sink committables
// and writer state, user operator state) as operator list state, redistributed on rescale.
import type { KeyGroupEntries, KeyedStateSnapshot, OperatorStateEntries, StateMetaInfo } from '@runnel/api';

/** The pseudo-state of event-time timers in keyed snapshots: one entry per timer, value = timestamp. @internal */
export const TIMER_STATE = '__timers';
/** The pseudo-state of processing-time timers. @internal */
export const PROCESSING_TIMER_STATE = '__timers-processing';
/** In incremental snapshots: an event-time timer removed (deleted or fired) since the base. @internal */
export const TIMER_REMOVED_STATE = '__timers-removed';
/** In incremental snapshots: a processing-time timer removed since the base. @internal */
export const PROCESSING_TIMER_REMOVED_STATE = '__timers-processing-removed';

/** Whether a keyed-state entry is one of the timer pseudo-states. @internal */
export function isTimerState(state: string): boolean {
  return state === TIMER_STATE || state === PROCESSING_TIMER_STATE || state === TIMER_REMOVED_STATE || state === PROCESSING_TIMER_REMOVED_STATE;
}
/** Operator state of a source reader's splits (serialized with the source's split serializer). @internal */
export const SOURCE_SPLITS_STATE = '__source-splits';
/** Operator state of a sink writer. @internal */
export const SINK_WRITER_STATE = '__sink-writer-state';
/** Operator state of a sink's committables not yet committed. @internal */
export const SINK_COMMITTABLES_STATE = '__sink-committables';

/** @internal */
export interface OperatorCapture {
  /** Keyed state: a snapshot to write asynchronously, or (backends with `snapshotTo`) already encoded at the barrier. */
  readonly keyed?:
    | { readonly snapshot: KeyedStateSnapshot; readonly timers: KeyGroupEntries[] }
    | {
        readonly encoded: {
          readonly states: StateMetaInfo[];
          readonly bytes: Uint8Array;
          readonly index: [number, number, number][];
          /** An incremental snapshot: only the changes since this completed checkpoint. */
          readonly base?: number;
        };
      };
  readonly operatorState: OperatorStateEntries[];
}

/** @internal */
export interface OperatorRestore {
  readonly keyed?: { readonly states: readonly StateMetaInfo[]; readonly groups: KeyGroupEntries[] };
  readonly operatorState: readonly OperatorStateEntries[];
  readonly checkpointId: number;
  /**
   * The operator's watermark at the checkpoint: the lowest over its old subtasks (after a rescale a subtask may
   * take over keys of several; for keyed operators, which hear every upstream channel, they are all equal).
   * Undefined when some subtask had none.
   */
  readonly watermark?: number;
}
