// Flink's standard per-operator metrics, created in one call so every operator reports the same names (the
// dashboard, the REST API and `aggregateSnapshots` rely on them). The runtime writes the fields directly:
// `m.numRecordsIn.count += batch.length`, `m.currentOutputWatermark = wm`.
import type { MetricGroup } from '@runnel/api/metrics';
import { NO_TIMESTAMP } from '@runnel/api/time';
import { SimpleCounter } from './simple-counter.js';
import { MeterView } from './meter-view.js';

/**
 * The standard operator metrics (names as in Flink).
 *
 * @remarks
 * The watermark fields are plain numbers read by the gauges `currentInputWatermark` / `currentOutputWatermark`;
 * they start at `NO_TIMESTAMP` (`-Infinity`, Flink's Long.MIN_VALUE: no watermark yet).
 *
 * @public
 */
export interface OperatorMetrics {
  readonly numRecordsIn: SimpleCounter;
  readonly numRecordsOut: SimpleCounter;
  readonly numRecordsInPerSecond: MeterView;
  readonly numRecordsOutPerSecond: MeterView;
  currentInputWatermark: number;
  currentOutputWatermark: number;
}

/**
 * Registers the standard operator metrics in `group` (normally an operator group) and returns them.
 * Throws `DuplicateMetricError` when the group already has them.
 *
 * @public
 */
export function createOperatorMetrics(group: MetricGroup): OperatorMetrics {
  const numRecordsIn = new SimpleCounter();
  const numRecordsOut = new SimpleCounter();
  const metrics: OperatorMetrics = {
    numRecordsIn,
    numRecordsOut,
    numRecordsInPerSecond: new MeterView(numRecordsIn),
    numRecordsOutPerSecond: new MeterView(numRecordsOut),
    currentInputWatermark: NO_TIMESTAMP,
    currentOutputWatermark: NO_TIMESTAMP,
  };
  group.counter('numRecordsIn', metrics.numRecordsIn);
  group.counter('numRecordsOut', metrics.numRecordsOut);
  group.meter('numRecordsInPerSecond', metrics.numRecordsInPerSecond);
  group.meter('numRecordsOutPerSecond', metrics.numRecordsOutPerSecond);
  group.gauge('currentInputWatermark', () => metrics.currentInputWatermark);
  group.gauge('currentOutputWatermark', () => metrics.currentOutputWatermark);
  return metrics;
}
