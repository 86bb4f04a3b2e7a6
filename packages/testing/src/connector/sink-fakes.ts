// Fakes of the sink side of the connector contracts: a writer context that records what the writer sends to the
// client, and a record context.
import type { SinkRecordContext, SinkWriterContext } from '@runnel/api';
import { TestMetricGroup } from './test-metric-group.js';

/**
 * A sink writer context for tests; `sent` holds what the writer sent to the client.
 *
 * @public
 */
export interface TestSinkWriterContext extends SinkWriterContext {
  readonly metricGroup: TestMetricGroup;
  readonly sent: { readonly channel: string; readonly values: readonly unknown[] }[];
}

/**
 * A writer context of subtask `subtaskIndex` of `parallelism`.
 *
 * @public
 */
export function testSinkWriterContext(
  subtaskIndex = 0,
  parallelism = 1,
  options: { readonly attemptNumber?: number; readonly restoredCheckpointId?: number } = {},
): TestSinkWriterContext {
  if (!Number.isInteger(parallelism) || parallelism < 1) throw new RangeError(`parallelism must be a positive integer, got ${parallelism}`);
  if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || subtaskIndex >= parallelism) throw new RangeError(`subtaskIndex must be in [0, ${parallelism - 1}], got ${subtaskIndex}`);
  const sent: TestSinkWriterContext['sent'] = [];
  return {
    subtaskIndex,
    parallelism,
    attemptNumber: options.attemptNumber ?? 0,
    restoredCheckpointId: options.restoredCheckpointId,
    metricGroup: new TestMetricGroup(),
    sent,
    sendToClient: (channel, values) => void sent.push({ channel, values: [...values] }),
  };
}

/**
 * A record context: no timestamp, no watermark (or the ones given).
 *
 * @public
 */
export function recordContext(timestamp = Number.NEGATIVE_INFINITY, currentWatermark = Number.NEGATIVE_INFINITY): SinkRecordContext {
  return { timestamp, currentWatermark };
}
