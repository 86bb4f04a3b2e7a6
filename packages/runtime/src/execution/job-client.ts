// The client's handle on a running job: status, the result when it ends, cancellation, live metrics and buffer
// statistics, and values collected by `collect` sinks.
import { aggregateSnapshots, type AggregatedMetric, type MetricSnapshot } from '@runnel/metrics';
import type { TaskBufferStats } from './protocol.js';

/** @public */
export type JobStatus = 'created' | 'running' | 'finished' | 'failed' | 'canceled';

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
}

/** @internal */
export function aggregateByOperator(snapshots: readonly MetricSnapshot[]): AggregatedMetric[] {
  return aggregateSnapshots(snapshots, ['<operator_id>', '<operator_name>']);
}
