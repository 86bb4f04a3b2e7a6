// `@runnel/runtime`: the dataflow runtime and its DataStream API.
export { StreamExecutionEnvironment } from './api/stream-execution-environment.js';
export { DataStream, SingleOutputStreamOperator, DataStreamSink, KeyedStream } from './api/data-stream.js';
export { ConnectedStreams } from './api/connected-streams.js';
export { WindowedStream, AllWindowedStream } from './api/windowed-stream.js';
export type { FieldOf, NumericField, ComparableField } from './api/field-aggregators.js';
export { OutputTag } from './api/output-tag.js';
export type { RecordCodec, CodecWriter, CodecReader } from './api/record-codec.js';
export type {
  Collector,
  RuntimeContext,
  RichFunction,
  MapFunction,
  FilterFunction,
  FlatMapFunction,
  KeySelector,
  ReduceFunction,
  TimerService,
  ProcessContext,
  TimeDomain,
  OnTimerContext,
  ProcessFunction,
  KeyedProcessFunction,
  BundleKeyedProcessFunction,
  BundleContext,
  CoProcessFunction,
  KeyedCoProcessFunction,
} from './api/functions.js';
export { WatermarkStrategy, WatermarkStrategyBuilder, BoundedOutOfOrdernessWatermarks } from './time/watermark-strategies.js';
export { TimeWindow, windowStart } from './windowing/time-window.js';
export {
  TumblingEventTimeWindows,
  TumblingProcessingTimeWindows,
  SlidingEventTimeWindows,
  SlidingProcessingTimeWindows,
  EventTimeSessionWindows,
  ProcessingTimeSessionWindows,
} from './windowing/window-assigners.js';
export type { WindowAssigner } from './windowing/window-assigners.js';
export type { ProcessWindowFunction, WindowContext } from './windowing/window-functions.js';
export { UserFunctionError } from './operators/user-function-error.js';
export { configFromOptions, DEFAULT_RUNTIME_CONFIG } from './execution/runtime-config.js';
export {
  RuntimeOptions,
  CheckpointingOptions,
  RestartStrategyOptions,
  STATE_BACKEND_PREFIX,
  CHECKPOINT_STORAGE_PREFIX,
  RUNTIME_OPTIONS,
} from './execution/runtime-options.js';
export { registerPlugin, findPlugin } from './plugins/plugin-registry.js';
export type { PluginKind } from './plugins/plugin-registry.js';
export { connectorSource, connectorSink } from './plugins/connectors.js';
export type { ConnectorOptions, ConnectorSettings } from './plugins/connectors.js';
export type { RuntimeConfig, CheckpointConfig, RestoreConfig } from './execution/runtime-config.js';
export type { RestartStrategyConfig } from './execution/restart-strategy.js';
export type { CheckpointStats } from './checkpointing/checkpoint-coordinator.js';
export { JobExecutionError } from './execution/job-client.js';
export type { JobClient, JobEvent, JobExecutionResult, JobStatus } from './execution/job-client.js';
export { defineJob } from './execution/job-module.js';
export type { JobFunction, JobModuleRef } from './execution/job-module.js';
export { runJob, submitJob } from './execution/run-job.js';
export type { RunJobOptions } from './execution/run-job.js';
export type {
  ValueState,
  ListState,
  MapState,
  ReducingState,
  AggregatingState,
  AggregateFunction,
  StateTtlConfig,
  Source,
  Sink,
  WatermarkGenerator,
} from '@runnel/api';
