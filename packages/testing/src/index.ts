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
export { TestMetricGroup } from './connector/test-metric-group.js';
export { TestReaderContext, RecordingReaderOutput, pollReader, pollUntilBlocked } from './connector/reader-fakes.js';
export type { EmittedRecord } from './connector/reader-fakes.js';
export { TestEnumeratorContext } from './connector/enumerator-context.js';
export { testSinkWriterContext, recordContext } from './connector/sink-fakes.js';
export type { TestSinkWriterContext } from './connector/sink-fakes.js';
export { SinkDriver } from './connector/sink-driver.js';
export type { SinkDriverOptions } from './connector/sink-driver.js';
export { SourceDriver } from './connector/source-driver.js';
export type { SourceCheckpoint, SourceDriverOptions } from './connector/source-driver.js';
export { KeyedBackendDriver } from './state/keyed-backend-driver.js';
export type { KeyedStateCheckpoint, KeyedBackendDriverOptions } from './state/keyed-backend-driver.js';
export { describeConformance, runConformance } from './conformance/suite.js';
export type { ConformanceCase, ConformanceSuite, TestRegistrar } from './conformance/suite.js';
export { sourceConformance } from './conformance/source-conformance.js';
export type { SourceConformanceOptions } from './conformance/source-conformance.js';
export { sinkConformance } from './conformance/sink-conformance.js';
export type { SinkConformanceOptions } from './conformance/sink-conformance.js';
export { stateBackendConformance } from './conformance/state-backend-conformance.js';
export type { StateBackendConformanceOptions } from './conformance/state-backend-conformance.js';
