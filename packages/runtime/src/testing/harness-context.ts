// Builds the OperatorContext a task would hand an operator, for operator test harnesses (`@runnel/testing`): the
// harness supplies the output, the processing-time service, the state backend and the restore data, and drives the
// operator's methods itself. Internal: the shape of OperatorContext follows the runtime, not a public contract.
import { keyGroupRangeForSubtask, type StateBackend } from '@runnel/api';
import { HeapOperatorStateStore } from '@runnel/state-heap';
import { MetricRegistry, createJobMetricGroup, createOperatorMetrics } from '@runnel/metrics';
import type { KeySelector } from '../api/functions.js';
import type { OperatorRestore } from '../checkpointing/operator-snapshot.js';
import type { StreamNode } from '../graph/stream-graph.js';
import type { CountingOutput } from '../operators/output.js';
import type { OperatorContext, SourceGateway } from '../operators/stream-operator.js';
import type { ProcessingTimeService } from '../time/processing-time-service.js';

/** @internal */
export interface HarnessContextOptions {
  readonly name: string;
  readonly kind: StreamNode['kind'];
  readonly output: CountingOutput<unknown>;
  readonly processingTime: ProcessingTimeService;
  readonly stateBackend: StateBackend;
  readonly subtaskIndex: number;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly keySelectors?: readonly (KeySelector<any, unknown> | undefined)[];
  readonly restore?: OperatorRestore;
  readonly attemptNumber?: number;
  readonly autoWatermarkIntervalMs?: number;
  readonly finalCheckpoint?: boolean;
  readonly sourceGateway?: SourceGateway;
  readonly sendToClient?: (channel: string, values: readonly unknown[]) => void;
  readonly suspendUntil?: (promise: Promise<void>) => void;
}

/**
 * The operator context of one subtask, with the key-group range of `subtaskIndex` at `parallelism`.
 *
 * @internal
 */
export function createHarnessContext(o: HarnessContextOptions): OperatorContext {
  if (!Number.isInteger(o.parallelism) || o.parallelism < 1) throw new RangeError(`parallelism must be a positive integer, got ${o.parallelism}`);
  if (!Number.isInteger(o.subtaskIndex) || o.subtaskIndex < 0 || o.subtaskIndex >= o.parallelism) {
    throw new RangeError(`subtaskIndex must be an integer in [0, ${o.parallelism - 1}], got ${o.subtaskIndex}`);
  }
  const group = createJobMetricGroup(new MetricRegistry(), { jobName: 'harness', jobId: 'harness' });
  const node = {
    id: 1,
    name: o.name,
    uid: o.name,
    kind: o.kind,
    parallelism: o.parallelism,
    maxParallelism: o.maxParallelism,
    keySelectors: o.keySelectors ?? [],
    inEdges: [],
    outEdges: [],
  } as unknown as StreamNode;
  // As the task does: the backend's operator state store, or a heap one; user states restored ('__' are the runtime's).
  const osContext = { jobId: 'harness', operatorUid: o.name, subtaskIndex: o.subtaskIndex, parallelism: o.parallelism };
  const operatorState = o.stateBackend.createOperatorStateStore?.(osContext) ?? new HeapOperatorStateStore(osContext);
  const userStates = o.restore?.operatorState.filter((st) => !st.name.startsWith('__'));
  if (userStates && userStates.length > 0) {
    if (!operatorState.restore) throw new Error(`state backend cannot restore operator state (operator '${o.name}')`);
    operatorState.restore(userStates);
  }
  return {
    jobId: 'harness',
    jobName: 'harness',
    node,
    taskName: `${o.name} (${o.subtaskIndex + 1}/${o.parallelism})`,
    subtaskIndex: o.subtaskIndex,
    parallelism: o.parallelism,
    maxParallelism: o.maxParallelism,
    attemptNumber: o.attemptNumber ?? 0,
    keyGroupRange: keyGroupRangeForSubtask(o.maxParallelism, o.parallelism, o.subtaskIndex),
    output: o.output,
    metricGroup: group,
    metrics: createOperatorMetrics(group),
    stateBackend: o.stateBackend,
    operatorState,
    processingTime: o.processingTime,
    autoWatermarkIntervalMs: o.autoWatermarkIntervalMs ?? 200,
    finalCheckpoint: o.finalCheckpoint ?? false,
    incrementalCheckpoints: false,
    sendToClient: o.sendToClient ?? (() => {}),
    restore: o.restore,
    suspendUntil: o.suspendUntil ?? (() => {}),
    sourceGateway: o.sourceGateway,
  };
}
