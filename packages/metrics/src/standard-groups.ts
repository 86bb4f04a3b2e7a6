// The job → task → operator group hierarchy with Flink's variable names, in one place so that every component
// (runtime, REST API, reporters, `aggregateSnapshots`) agrees on `<job_name>`, `<subtask_index>`, `<operator_id>`.
import type { MetricRegistry } from './metric-registry.js';
import type { RegistryMetricGroup } from './metric-group-impl.js';

/**
 * Flink's scope variable names.
 *
 * @public
 */
export const ScopeVariables = {
  HOST: '<host>',
  TM_ID: '<tm_id>',
  JOB_ID: '<job_id>',
  JOB_NAME: '<job_name>',
  TASK_ID: '<task_id>',
  TASK_NAME: '<task_name>',
  SUBTASK_INDEX: '<subtask_index>',
  ATTEMPT_NUMBER: '<attempt_number>',
  OPERATOR_ID: '<operator_id>',
  OPERATOR_NAME: '<operator_name>',
} as const;

/**
 * Identity of a job's metric group.
 *
 * @public
 */
export interface JobGroupInfo {
  readonly jobName: string;
  readonly jobId?: string;
}

/**
 * Identity of a task (one parallel subtask of a chain) metric group.
 *
 * @public
 */
export interface TaskGroupInfo {
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly taskId?: string;
  readonly attemptNumber?: number;
}

/**
 * Identity of an operator metric group.
 *
 * @public
 */
export interface OperatorGroupInfo {
  readonly operatorName: string;
  /** The operator's stable uid. */
  readonly operatorId: string;
}

/**
 * The root group of a job: scope `<job_name>`; `<job_id>` is a variable only.
 *
 * @public
 */
export function createJobMetricGroup(registry: MetricRegistry, info: JobGroupInfo): RegistryMetricGroup {
  return registry.createRootGroup(
    { [ScopeVariables.JOB_NAME]: info.jobName },
    info.jobId === undefined ? undefined : { [ScopeVariables.JOB_ID]: info.jobId },
  );
}

/**
 * A task group under a job group: scope `<task_name>.<subtask_index>`; `<task_id>` and `<attempt_number>` are
 * variables only.
 *
 * @public
 */
export function addTaskMetricGroup(job: RegistryMetricGroup, info: TaskGroupInfo): RegistryMetricGroup {
  const extra: Record<string, string> = {};
  if (info.taskId !== undefined) extra[ScopeVariables.TASK_ID] = info.taskId;
  if (info.attemptNumber !== undefined) extra[ScopeVariables.ATTEMPT_NUMBER] = String(info.attemptNumber);
  return job.addScope(
    { [ScopeVariables.TASK_NAME]: info.taskName, [ScopeVariables.SUBTASK_INDEX]: String(info.subtaskIndex) },
    extra,
  );
}

/**
 * An operator group under a task group: scope `<operator_name>`; `<operator_id>` is a variable only.
 *
 * @public
 */
export function addOperatorMetricGroup(task: RegistryMetricGroup, info: OperatorGroupInfo): RegistryMetricGroup {
  return task.addScope(
    { [ScopeVariables.OPERATOR_NAME]: info.operatorName },
    { [ScopeVariables.OPERATOR_ID]: info.operatorId },
  );
}
