// `@runnel/runtime/testing`: internal entry point for `@runnel/testing`'s operator harnesses. It exposes the
// runtime's real operators and what a harness needs to host one (an operator context, snapshot encoding, restore
// planning). Nothing here is a public contract: it changes with the runtime, and only `@runnel/testing` (released
// together with the runtime) should import it. Plugin authors and job authors use `@runnel/testing` instead.
export { createHarnessContext } from './harness-context.js';
export type { HarnessContextOptions } from './harness-context.js';
export { encodeSubtaskCapture, planSubtaskRestore } from './harness-snapshot.js';
export type { EncodedSubtaskState } from './harness-snapshot.js';
export { StreamOperator } from '../operators/stream-operator.js';
export type { OperatorContext, SourceGateway } from '../operators/stream-operator.js';
export type { CountingOutput, Output } from '../operators/output.js';
export type { ProcessingTimeService } from '../time/processing-time-service.js';
export type { OperatorCapture, OperatorRestore } from '../checkpointing/operator-snapshot.js';
export type { EncodedOperatorState } from '../checkpointing/state-encoding.js';
export { MapOperator, FilterOperator, FlatMapOperator } from '../operators/basic-operators.js';
export { ProcessOperator, KeyedProcessOperator, KeyedReduceOperator } from '../operators/process-operators.js';
export { TimestampsAndWatermarksOperator } from '../operators/timestamps-operator.js';
export { SinkOperator } from '../operators/sink-operator.js';
export { SourceOperator } from '../operators/source-operator.js';
export { WindowOperator } from '../windowing/window-operator.js';
export type { WindowOperatorConfig } from '../windowing/window-operator.js';
export type { WindowFunctionSpec } from '../windowing/window-functions.js';
export { HeapStateBackend } from '@runnel/state-heap';
export { encodeKeyGroups, decodeKeyGroupRange } from '@runnel/checkpoint';
