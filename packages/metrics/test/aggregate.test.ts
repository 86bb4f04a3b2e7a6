import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../src/metric-registry.js';
import { aggregateSnapshots } from '../src/aggregate.js';
import { createOperatorMetrics } from '../src/operator-metrics.js';
import { addOperatorMetricGroup, addTaskMetricGroup, createJobMetricGroup } from '../src/standard-groups.js';
import type { MetricSnapshot } from '../src/snapshot.js';

describe('aggregateSnapshots', () => {
  it('sums counters and rates and takes the minimum watermark across subtasks per operator', () => {
    // Each subtask normally lives in its own worker with its own registry; snapshots are merged on the coordinator.
    const snapshots: MetricSnapshot[] = [];
    const perSubtask = [
      { records: 100, watermark: 5000 },
      { records: 250, watermark: 4000 },
      { records: 50, watermark: 7000 },
    ];
    perSubtask.forEach(({ records, watermark }, subtaskIndex) => {
      const registry = new MetricRegistry();
      const job = createJobMetricGroup(registry, { jobName: 'q5', jobId: 'j1' });
      const task = addTaskMetricGroup(job, { taskName: 'Source -> Map', subtaskIndex });
      const source = createOperatorMetrics(addOperatorMetricGroup(task, { operatorName: 'Source', operatorId: 'src' }));
      const map = createOperatorMetrics(addOperatorMetricGroup(task, { operatorName: 'Map', operatorId: 'map' }));
      registry.tick(0);
      source.numRecordsOut.count += records;
      map.numRecordsIn.count += records;
      map.numRecordsOut.count += records * 2;
      map.currentInputWatermark = watermark;
      registry.tick(10_000);
      task.counter('restarts').inc(subtaskIndex);
      snapshots.push(...registry.snapshot());
    });

    const aggregated = aggregateSnapshots(snapshots, ['<job_name>', '<operator_id>']);
    const find = (op: string, name: string) =>
      aggregated.find((a) => a.variables['<operator_id>'] === op && a.name === name)!;

    expect(find('map', 'numRecordsIn')).toMatchObject({ kind: 'counter', members: 3, sum: 400, min: 50, max: 250 });
    expect(find('map', 'numRecordsOut').sum).toBe(800);
    expect(find('map', 'numRecordsOutPerSecond')).toMatchObject({ kind: 'meter', sum: 800, rate: 80 });
    expect(find('src', 'numRecordsOutPerSecond').rate).toBe(40);
    expect(find('map', 'currentInputWatermark').min).toBe(4000);
    // Sources never saw an input watermark: the aggregate keeps "none".
    expect(find('src', 'currentInputWatermark').min).toBe(Number.NEGATIVE_INFINITY);
    expect(find('map', 'numRecordsIn').variables).toEqual({ '<job_name>': 'q5', '<operator_id>': 'map' });
    // Task-level metrics have no <operator_id> and are left out.
    expect(aggregated.some((a) => a.name === 'restarts')).toBe(false);
    // 2 operators × 6 metrics.
    expect(aggregated).toHaveLength(12);

    const perTask = aggregateSnapshots(snapshots, ['<task_name>']);
    expect(perTask.find((a) => a.name === 'restarts')).toMatchObject({ members: 3, sum: 0 + 1 + 2 });
  });

  it('merges histogram statistics and skips non-numeric gauges', () => {
    const registry = new MetricRegistry();
    const job = registry.createRootGroup({ job_name: 'j' });
    const a = job.addScope({ subtask_index: '0' }).histogram('latency');
    const b = job.addScope({ subtask_index: '1' }).histogram('latency');
    for (const v of [1, 2, 3]) a.update(v);
    for (const v of [10, 20]) b.update(v);
    job.addScope({ subtask_index: '0' }).gauge('status', () => 'RUNNING');
    const [latency, ...rest] = aggregateSnapshots(registry.snapshot(), ['<job_name>']);
    expect(rest).toEqual([]);
    expect(latency).toMatchObject({ kind: 'histogram', members: 2, sum: 5 });
    expect(latency!.histogram).toMatchObject({ count: 5, min: 1, max: 20, mean: 36 / 5, p50: 15 });
  });
});
