import { describe, expect, it } from 'vitest';
import { MetricRegistry } from '../src/metric-registry.js';
import { createOperatorMetrics } from '../src/operator-metrics.js';
import { DuplicateMetricError } from '../src/metric-group-impl.js';
import { RecordingReporter } from './recording-reporter.js';

describe('createOperatorMetrics', () => {
  it("registers Flink's standard operator metrics, driven by plain fields", () => {
    const reporter = new RecordingReporter();
    const registry = new MetricRegistry({ reporters: [reporter] });
    const group = registry.createRootGroup(['op']);
    const m = createOperatorMetrics(group);
    expect(reporter.events).toEqual([
      '+counter:op.numRecordsIn',
      '+counter:op.numRecordsOut',
      '+meter:op.numRecordsInPerSecond',
      '+meter:op.numRecordsOutPerSecond',
      '+gauge:op.currentInputWatermark',
      '+gauge:op.currentOutputWatermark',
    ]);
    const value = (name: string) => registry.snapshot().find((s) => s.name === name)!;
    expect(value('currentInputWatermark').value).toBe(Number.NEGATIVE_INFINITY);

    registry.tick(0);
    for (let i = 0; i < 500; i++) m.numRecordsIn.count++;
    m.numRecordsOut.count += 1000;
    m.currentInputWatermark = 1234;
    m.currentOutputWatermark = 1200;
    registry.tick(5000);
    expect(value('numRecordsIn').value).toBe(500);
    expect(value('numRecordsInPerSecond')).toMatchObject({ value: 500, rate: 100 });
    expect(value('numRecordsOutPerSecond')).toMatchObject({ value: 1000, rate: 200 });
    expect(value('currentInputWatermark').value).toBe(1234);
    expect(value('currentOutputWatermark').value).toBe(1200);

    expect(() => createOperatorMetrics(group)).toThrow(DuplicateMetricError);
  });
});
