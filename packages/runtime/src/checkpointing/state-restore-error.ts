// The error of a restore that cannot succeed by trying again: restored bytes that a serializer rejects, state
// written by another serializer, state the operator cannot take. Retrying the same checkpoint would fail the same
// way forever, so the job coordinator fails the job at once (naming the checkpoint) instead of restarting it under
// the restart strategy. The name travels across threads with the error; the coordinator checks the name.

/** The `name` of a {@link StateRestoreError}, which survives the trip from a worker thread. @internal */
export const STATE_RESTORE_ERROR = 'StateRestoreError';

/**
 * Restored state that can never be restored by this job as it is.
 *
 * @internal
 */
export class StateRestoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = STATE_RESTORE_ERROR;
  }
}
