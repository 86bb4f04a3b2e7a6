import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../src/metric-registry.js';
import { ScopeVariables, addOperatorMetricGroup, addTaskMetricGroup, createJobMetricGroup } from '../src/standard-groups.js';

describe('standard groups', () => {
  it('builds job → task → operator scopes with Flink variable names', () => {
    const registry = new MetricRegistry();
    const job = createJobMetricGroup(registry, { jobName: 'q5', jobId: 'abc' });
    const task = addTaskMetricGroup(job, { taskName: 'Source', subtaskIndex: 2, taskId: 't1', attemptNumber: 0 });
    const op = addOperatorMetricGroup(task, { operatorName: 'filter', operatorId: 'uid-7' });
    expect(op.getMetricIdentifier('numRecordsIn')).toBe('q5.Source.2.filter.numRecordsIn');
    expect(op.getAllVariables()).toEqual({
      [ScopeVariables.JOB_NAME]: 'q5',
      [ScopeVariables.JOB_ID]: 'abc',
      [ScopeVariables.TASK_NAME]: 'Source',
      [ScopeVariables.SUBTASK_INDEX]: '2',
      [ScopeVariables.TASK_ID]: 't1',
      [ScopeVariables.ATTEMPT_NUMBER]: '0',
      [ScopeVariables.OPERATOR_NAME]: 'filter',
      [ScopeVariables.OPERATOR_ID]: 'uid-7',
    });
    expect(createJobMetricGroup(registry, { jobName: 'q5' }).getAllVariables()).toEqual({ '<job_name>': 'q5' });
  });
});
