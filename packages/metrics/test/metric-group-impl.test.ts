import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../src/metric-registry.js';
import { DuplicateMetricError } from '../src/metric-group-impl.js';
import { SimpleCounter } from '../src/simple-counter.js';
import { MeterView } from '../src/meter-view.js';
import { ReservoirHistogram } from '../src/reservoir-histogram.js';
import { SimpleGauge } from '../src/simple-gauge.js';
import { RecordingReporter } from './recording-reporter.js';

describe('RegistryMetricGroup', () => {
  it('builds scopes, variables and identifiers from record, array and key/value components', () => {
    const registry = new MetricRegistry();
    const job = registry.createRootGroup({ job_name: 'q5' }, { job_id: 'j-1' });
    expect(job.getScopeComponents()).toEqual(['q5']);
    expect(job.getAllVariables()).toEqual({ '<job_name>': 'q5', '<job_id>': 'j-1' });

    const task = job.addScope({ '<task_name>': 'Source', subtask_index: '3' });
    const user = task.addGroup('io').addGroup('topic', 'bids');
    expect(user.getScopeComponents()).toEqual(['q5', 'Source', '3', 'io', 'topic', 'bids']);
    expect(user.getAllVariables()).toEqual({
      '<job_name>': 'q5',
      '<job_id>': 'j-1',
      '<task_name>': 'Source',
      '<subtask_index>': '3',
      '<topic>': 'bids',
    });
    expect(user.getMetricIdentifier('bytes')).toBe('q5.Source.3.io.topic.bids.bytes');

    const plain = registry.createRootGroup(['jobmanager']);
    expect(plain.getAllVariables()).toEqual({});
    expect(plain.getMetricIdentifier('numRunningJobs')).toBe('jobmanager.numRunningJobs');
  });

  it('uses the configured scope delimiter', () => {
    const registry = new MetricRegistry({ scopeDelimiter: '_' });
    expect(registry.createRootGroup(['a', 'b']).getMetricIdentifier('c')).toBe('a_b_c');
  });

  it('returns the same child group when asked twice', () => {
    const root = new MetricRegistry().createRootGroup(['r']);
    expect(root.addGroup('x')).toBe(root.addGroup('x'));
    expect(root.addGroup('k', 'v')).toBe(root.addGroup('k', 'v'));
    expect(root.addGroup('k', 'v')).not.toBe(root.addGroup('k', 'w'));
    expect(root.addScope({ a: '1' })).toBe(root.addScope({ a: '1' }));
  });

  it('get-or-creates default metrics and rejects other duplicates with an error', () => {
    const group = new MetricRegistry().createRootGroup(['r']);
    const c = group.counter('c');
    expect(c).toBeInstanceOf(SimpleCounter);
    expect(group.counter('c')).toBe(c);
    expect(group.counter('c', c)).toBe(c);
    expect(() => group.counter('c', new SimpleCounter())).toThrow(DuplicateMetricError);
    expect(() => group.meter('c')).toThrow(/counter named 'r.c'/);
    expect(group.meter('m')).toBeInstanceOf(MeterView);
    expect(group.meter('m')).toBe(group.meter('m'));
    expect(group.histogram('h')).toBeInstanceOf(ReservoirHistogram);
    expect(group.histogram('h')).toBe(group.histogram('h'));
    group.gauge('g', () => 1);
    expect(() => group.gauge('g', () => 2)).toThrow(DuplicateMetricError);
    expect(group.getMetricNames()).toEqual(['c', 'm', 'h', 'g']);
  });

  it('accepts custom metric instances and wraps gauge functions', () => {
    const group = new MetricRegistry().createRootGroup(['r']);
    const g = new SimpleGauge(true);
    expect(group.gauge('flag', g)).toBe(g);
    const fn = group.gauge('answer', () => 42);
    expect(fn.kind).toBe('gauge');
    expect(fn.getValue()).toBe(42);
  });

  it('notifies reporters of additions and removals, including a whole subtree on close', () => {
    const reporter = new RecordingReporter();
    const registry = new MetricRegistry({ reporters: [reporter] });
    const job = registry.createRootGroup({ job_name: 'j' });
    const task = job.addScope({ task_name: 't', subtask_index: '0' });
    job.counter('restarts');
    task.counter('numRecordsIn');
    task.addGroup('user').gauge('g', () => 1);
    expect(reporter.events).toEqual(['+counter:j.restarts', '+counter:j.t.0.numRecordsIn', '+gauge:j.t.0.user.g']);

    expect(task.removeMetric('numRecordsIn')).toBe(true);
    expect(task.removeMetric('numRecordsIn')).toBe(false);
    task.counter('numRecordsOut');
    reporter.events.length = 0;

    task.close();
    expect(reporter.events.sort()).toEqual(['-counter:j.t.0.numRecordsOut', '-gauge:j.t.0.user.g']);
    expect(registry.getMetricCount()).toBe(1);
    task.close(); // idempotent
    expect(reporter.events).toHaveLength(2);

    // A closed group still hands out metrics but registers nothing.
    const late = task.counter('late');
    late.inc();
    expect(late.getCount()).toBe(1);
    expect(task.addGroup('x').isClosed()).toBe(true);
    expect(reporter.events).toHaveLength(2);
    // Asking again yields a fresh, open group.
    const again = job.addScope({ task_name: 't', subtask_index: '0' });
    expect(again).not.toBe(task);
    expect(again.isClosed()).toBe(false);
  });

  it('closing a root group removes it from the registry', () => {
    const reporter = new RecordingReporter();
    const registry = new MetricRegistry({ reporters: [reporter] });
    const root = registry.createRootGroup({ job_name: 'a' });
    root.counter('x');
    root.close();
    expect(registry.snapshot()).toEqual([]);
    expect(reporter.events).toEqual(['+counter:a.x', '-counter:a.x']);
    expect(registry.createRootGroup({ job_name: 'a' })).not.toBe(root);
  });
});
