// Options shared by every operator harness: where the subtask sits (parallelism, index, key groups), its state
// backend and clock, and what it restores from.
import type { StateBackend } from '@runnel/api';
import type { ManualClock } from './manual-clock.js';
import type { OperatorSnapshot } from './operator-snapshot.js';

/**
 * Options of an operator harness.
 *
 * @public
 */
export interface HarnessOptions {
  /** The operator's name and uid (in error messages and state); default `operator`. */
  readonly name?: string;
  /** Parallelism of the operator (default 1) and this harness's subtask (default 0). */
  readonly parallelism?: number;
  readonly subtaskIndex?: number;
  /** Number of key groups (default 128). */
  readonly maxParallelism?: number;
  /** The state backend (default: a new heap backend). */
  readonly stateBackend?: StateBackend;
  /** The processing-time clock (default: a new {@link ManualClock}); share one between harnesses to move them together. */
  readonly clock?: ManualClock;
  /** Restores the subtask from a snapshot (of all old subtasks, see `combineSnapshots`), as a job restore would. */
  readonly restore?: OperatorSnapshot;
  /** The attempt number writers and readers see (default 0; restores in a job run with higher ones). */
  readonly attemptNumber?: number;
  /** Source watermark emission interval on the manual clock (default 200 ms). */
  readonly autoWatermarkIntervalMs?: number;
  /**
   * Sinks: whether the job has a final checkpoint, so end-of-input committables wait for `notifyCheckpointComplete`
   * (default false: committed at end of input).
   */
  readonly finalCheckpoint?: boolean;
}
