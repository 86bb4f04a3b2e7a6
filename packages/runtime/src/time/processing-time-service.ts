// Processing time for operators: the wall clock, and timers whose callbacks run inside the owning task (between
// records, never concurrently with record processing), so that operators need no locking.

/**
 * @internal
 */
export interface ProcessingTimeService {
  now(): number;
  /** Calls `callback(time)` inside the task at or after `time`; returns a function that cancels the timer. */
  registerTimer(time: number, callback: (time: number) => void): () => void;
}
