// The client's handle on a running job: status, the result when it ends, cancellation, live metrics and buffer
// statistics, and values collected by `collect` sinks.
import { aggregateSnapshots, type AggregatedMetric, type MetricSnapshot } from '@runnel/metrics';
import type { TaskBufferStats } from './protocol.js';
import type { CheckpointStats } from '../checkpointing/checkpoint-coordinator.js';

/** @public */
export type JobStatus = 'created' | 'running' | 'restarting' | 'finished' | 'failed' | 'canceled';

/**
 * What a finished job reports.
 *
 * @public
 */
export interface JobExecutionResult {
  readonly jobId: string;
  readonly jobName: string;
  readonly durationMs: number;
  /** Values sent by collect sinks, per channel. */
  readonly collected: ReadonlyMap<string, unknown[]>;
  /** Final metric snapshots of all subtasks. */
  readonly metrics: readonly MetricSnapshot[];
  /** Final buffer statistics of all subtasks. */
  readonly buffers: readonly TaskBufferStats[];
  /** How often the job restarted after failures. */
  readonly restarts: number;
  readonly checkpoints: readonly CheckpointStats[];
  readonly events: readonly JobEvent[];
}

/**
 * A job failed: names the task and carries the remote error's message and stack.
 *
 * @public
 */
export class JobExecutionError extends Error {
  constructor(
    readonly jobName: string,
    readonly taskName: string | undefined,
    message: string,
    readonly remoteStack?: string,
  ) {
    super(`job '${jobName}' failed${taskName ? ` in task ${taskName}` : ''}: ${message}`);
    this.name = 'JobExecutionError';
  }
}

/**
 * Something that happened to a job: restores, restarts, checkpoints skipped because they failed verification.
 *
 * @public
 */
export interface JobEvent {
  readonly type: 'restored' | 'restarting' | 'checkpoint-corrupted' | 'failed';
  readonly timestamp: number;
  readonly message: string;
  readonly checkpointId?: number;
}

/**
 * A handle on a submitted job.
 *
 * @public
 */
export interface JobClient {
  readonly jobId: string;
  readonly jobName: string;
  getStatus(): JobStatus;
  /** Resolves when the job finishes; rejects with a JobExecutionError when it fails or is canceled. */
  getJobExecutionResult(): Promise<JobExecutionResult>;
  cancel(): Promise<void>;
  /** Latest metric snapshots of all subtasks. */
  metrics(): readonly MetricSnapshot[];
  /** Latest metrics aggregated per operator (`<operator_id>`) across subtasks. */
  operatorMetrics(): AggregatedMetric[];
  bufferStats(): readonly TaskBufferStats[];
  /** Values collected so far on a channel. */
  collected(channel?: string): unknown[];
  /** Called whenever fresh metrics arrive (about once per `metrics.reporter.interval`). */
  onMetrics(listener: () => void): void;
  /** Triggers a checkpoint now; resolves when it completed. */
  triggerCheckpoint(): Promise<CheckpointStats>;
  /** Triggers a savepoint (into `targetDirectory` or `state.savepoints.dir`); resolves with its path. */
  triggerSavepoint(targetDirectory?: string): Promise<string>;
  /**
   * Takes a savepoint, then stops the job: sources end after the savepoint barrier; with `drain` the final watermark
   * fires all event-time windows and timers first (for jobs that will not be resumed). Sinks flush and commit.
   * Resolves with the savepoint path once the job has stopped.
   */
  stopWithSavepoint(targetDirectory?: string, options?: { drain?: boolean }): Promise<string>;
  /** Completed, failed and in-progress checkpoints and savepoints (the latest 100). */
  checkpointHistory(): CheckpointStats[];
  /** Restores, restarts, skipped corrupt checkpoints, in order. */
  events(): readonly JobEvent[];
  /** The id of the checkpoint or savepoint the current attempt restored from, if any. */
  restoredCheckpointId(): number | undefined;
}

/** @internal */
export function aggregateByOperator(snapshots: readonly MetricSnapshot[]): AggregatedMetric[] {
  return aggregateSnapshots(snapshots, ['<operator_id>', '<operator_name>']);
}
