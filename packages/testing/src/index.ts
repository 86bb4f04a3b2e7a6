// `@runnel/testing`: operator test harnesses around the runtime's real operators, drivers and fakes of the
// @runnel/api connector contracts, and conformance suites that plugin authors run against their own sources, sinks
// and state backends from any test framework.
export { ManualClock } from './harness/manual-clock.js';
export type { HarnessEmission, TimestampedValue } from './harness/recording-output.js';
export { OperatorSnapshot, combineSnapshots } from './harness/operator-snapshot.js';
export type { HarnessOptions } from './harness/harness-options.js';
export { OperatorHarness } from './harness/operator-harness.js';
export { OneInputHarness } from './harness/one-input-harness.js';
export { TwoInputHarness } from './harness/two-input-harness.js';
export {
  mapHarness,
  flatMapHarness,
  filterHarness,
  processFunctionHarness,
  keyedProcessFunctionHarness,
  coProcessFunctionHarness,
  keyedCoProcessFunctionHarness,
  windowHarness,
} from './harness/harness-factories.js';
export type { WindowHarnessSpec } from './harness/harness-factories.js';
export { SinkHarness, sinkHarness } from './harness/sink-harness.js';
export type { ClientMessage } from './harness/sink-harness.js';
export { SourceHarness, sourceHarness } from './harness/source-harness.js';
export type { ReaderRequest, SourceHarnessOptions } from './harness/source-harness.js';
