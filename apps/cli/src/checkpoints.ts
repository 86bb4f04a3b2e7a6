// Checkpoint and job-event bookkeeping for the CLI: counts completed and failed checkpoints over a whole run (the
// runtime's history is bounded and starts afresh with every restart), and formats checkpoint statistics, sizes
// and job events for the status line and the summary. Pure apart from the tally's own counters.
import type { CheckpointStats, JobEvent } from '@runnel/runtime';

/**
 * Checkpoint counts of a run so far.
 *
 * @public
 */
export interface CheckpointCounts {
  /** Completed checkpoints (savepoints are not counted). */
  readonly completed: number;
  /** Checkpoints that failed (expired, declined, failed to write); not those aborted because the job ended. */
  readonly failed: number;
  /** The newest completed checkpoint. */
  readonly last: CheckpointStats | undefined;
}

// Aborts that only mean "the job is ending" (all tasks finished, or a stop/cancel/restart stopped checkpointing):
// the runtime does not count them as failures (`numberOfFailedCheckpoints`), so neither does the CLI. Matching on
// the message couples to the runtime's wording, but CheckpointStats carries no reason code.
const ENDING = /^(a task finished before the checkpoint completed|the job stopped)$/;

/**
 * Whether a failed checkpoint was only aborted because the job was ending, stopping or restarting.
 *
 * @public
 */
export function isAbortedByJobEnd(s: CheckpointStats): boolean {
  return s.status === 'failed' && s.failure !== undefined && ENDING.test(s.failure);
}

/**
 * Counts checkpoints across a run by observing `JobClient.checkpointHistory()` from time to time.
 *
 * @remarks
 * The history holds the latest 100 entries of the current attempt only, so counting it at the end would lose
 * older checkpoints and everything before a restart. Checkpoint ids keep increasing across restarts, so each id is
 * counted once, when it is first seen finished; ids below the oldest one still in the history can never come back,
 * which keeps the set of remembered ids as small as the history. Checkpoints that complete and drop out of the
 * history (or are lost to a restart) between two observations are missed: observe at least every few seconds.
 *
 * @public
 */
export class CheckpointTally {
  private readonly counted = new Set<number>();
  private completed = 0;
  private failed = 0;
  private last: CheckpointStats | undefined;

  observe(history: readonly CheckpointStats[]): void {
    let minId = Infinity;
    for (const s of history) {
      if (s.id < minId) minId = s.id;
      if (s.kind !== 'checkpoint' || s.status === 'in-progress' || this.counted.has(s.id)) continue;
      this.counted.add(s.id);
      if (s.status === 'completed') {
        this.completed++;
        if (this.last === undefined || s.id > this.last.id) this.last = s;
      } else if (!isAbortedByJobEnd(s)) {
        this.failed++;
      }
    }
    if (minId !== Infinity) for (const id of this.counted) if (id < minId) this.counted.delete(id);
  }

  counts(): CheckpointCounts {
    return { completed: this.completed, failed: this.failed, last: this.last };
  }
}

/**
 * A size in bytes with a binary unit: `512 B`, `1.2 KB`, `84 MB`, `3.1 GB`.
 *
 * @public
 */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '-';
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  do {
    v /= 1024;
    u++;
  } while (v >= 1023.95 && u < units.length - 1);
  return `${v >= 99.95 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

/**
 * A short duration: `84 ms`, `1.2 s`, `1.5 min` (not via `progress.ts`, which imports this module).
 *
 * @public
 */
export function formatMillis(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/**
 * One checkpoint for display: `12 (84 ms, 1.2 MB)`; unknown duration or size are left out.
 *
 * @public
 */
export function formatCheckpoint(s: CheckpointStats): string {
  const details: string[] = [];
  if (s.durationMs !== undefined) details.push(formatMillis(s.durationMs));
  if (s.sizeBytes !== undefined) details.push(formatBytes(s.sizeBytes));
  return details.length > 0 ? `${s.id} (${details.join(', ')})` : String(s.id);
}

/**
 * The status-line part for checkpoints: `chk 12 (84 ms, 1.2 MB)`, with `, 1 failed` when some failed, or
 * `chk none yet` before the first one completed.
 *
 * @public
 */
export function formatCheckpointProgress(c: CheckpointCounts): string {
  const failed = c.failed > 0 ? `, ${c.failed} failed` : '';
  return c.last === undefined ? `chk none yet${failed}` : `chk ${formatCheckpoint(c.last)}${failed}`;
}

/**
 * How often the job restarted, from its events (one `restarting` event per restart).
 *
 * @public
 */
export function countRestarts(events: readonly JobEvent[]): number {
  let n = 0;
  for (const e of events) if (e.type === 'restarting') n++;
  return n;
}

/**
 * A job event as a summary line: `2024-05-01T10:00:00.123Z  restored  restoring from savepoint /sp (checkpoint 7)`.
 *
 * @public
 */
export function formatEvent(e: JobEvent): string {
  const at = Number.isFinite(e.timestamp) ? new Date(e.timestamp).toISOString() : '-';
  const id = e.checkpointId !== undefined && !e.message.includes(`checkpoint ${e.checkpointId}`) ? ` (checkpoint ${e.checkpointId})` : '';
  return `${at}  ${e.type}  ${e.message}${id}`;
}
