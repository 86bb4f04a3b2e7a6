// `@runnel/api`: the contracts that plugins (connectors, formats, state backends, metric reporters) implement.
// It has no runtime dependencies; plugins peer-depend on it and never import `@runnel/runtime`. Each area is also
// available as a subpath (`@runnel/api/connector`, `/state`, `/metrics`, `/serialization`, `/checkpoint`, `/time`, `/table`,
// `/config`, `/plugin`).

/**
 * The version of the contracts in this package; connector factories declare the range they were built for.
 *
 * @public
 */
export const API_VERSION = '0.1.0';

export type {
  VersionedSerializer,
  SerializerCompatibility,
  SerializerSnapshot,
  CompatibilityAwareSerializer,
} from './serialization/index.js';
export { NO_TIMESTAMP, MAX_WATERMARK } from './time/index.js';
export type { WatermarkOutput, WatermarkGenerator, TimestampAssigner, WatermarkStrategy } from './time/index.js';
export type { Counter, Gauge, Meter, Histogram, HistogramStatistics, Metric, MetricGroup, MetricReporter } from './metrics/index.js';
export {
  DEFAULT_MAX_PARALLELISM,
  hashKey,
  keyGroupFor,
  operatorIndexForKeyGroup,
  keyGroupRangeForSubtask,
  keyGroupRangeContains,
  VOID_NAMESPACE,
  normalizeKey,
  denormalizeKey,
  TtlEntry,
  TtlPolicy,
  sameTtl,
  checkRestoredSerializers,
} from './state/index.js';
export type {
  KeyGroupRange,
  StateTtlConfig,
  StateKind,
  ValueStateDescriptor,
  ListStateDescriptor,
  MapStateDescriptor,
  ReducingStateDescriptor,
  AggregatingStateDescriptor,
  AggregateFunction,
  StateDescriptor,
  ValueState,
  ListState,
  MapState,
  ReducingState,
  AggregatingState,
  StateNamespace,
  KeyedStateBackendContext,
  KeyedStateBackend,
  OperatorStateContext,
  OperatorStateStore,
  StateBackend,
  StateMetaInfo,
  KeyedStateEntry,
  KeyGroupEntries,
  KeyedStateSnapshot,
  KeyedStateEncoder,
  OperatorStateEntries,
  TtlPair,
  StateBackendFactory,
  StateBackendFactoryContext,
  StateOwner,
} from './state/index.js';
export type {
  SourceSplit,
  Boundedness,
  InputStatus,
  ReaderOutput,
  SourceReaderContext,
  SourceReader,
  SplitEnumeratorContext,
  SplitEnumerator,
  Source,
  SinkWriterContext,
  SinkRecordContext,
  SinkWriter,
  CommitRequest,
  Committer,
  Sink,
  ColumnSpec,
  ConnectorContext,
  LookupSource,
  ConnectorFactory,
} from './connector/index.js';
export { END_OF_INPUT_CHECKPOINT_ID } from './connector/index.js';
export type {
  StateHandle,
  CheckpointLocation,
  CompletedCheckpointRef,
  CheckpointStorage,
  CheckpointLineage,
  LineageOrigin,
  CheckpointStorageContext,
  OpenedCheckpoint,
  CheckpointStorageFactory,
} from './checkpoint/index.js';
export { PLUGIN_MANIFEST_FIELD, apiVersionSatisfies } from './plugin/index.js';
export type { PluginEntry, PluginManifest } from './plugin/index.js';
export {
  defineOption,
  isOptionPrefix,
  ConfigurationError,
  parseDuration,
  formatDuration,
  parseMemorySize,
  formatMemorySize,
  parseOptionValue,
  parseOptions,
  unknownOptionsMessage,
  closestKey,
} from './config/index.js';
export type {
  AnyOptionDeclaration,
  DeclaredOption,
  DefaultedOptionDeclaration,
  EnumValues,
  OptionDeclaration,
  OptionPrefix,
  OptionSet,
  OptionType,
  OptionValue,
  OptionValueOf,
  OptionValueTypes,
  ParseOptionsSettings,
  ParsedOptions,
} from './config/index.js';
export type { LogicalTypeRoot, LogicalType, RowField, RowType } from './table/index.js';
export { MAX_LENGTH, rowType, formatLogicalType } from './table/index.js';
export { RowKind, rowKindShortString, rowKindFromShortString, isAccumulate, row } from './table/index.js';
export type { Row } from './table/index.js';
export { INSERT_ONLY, UPSERT, ALL_KINDS, isInsertOnly, formatChangelogMode } from './table/index.js';
export type { ChangelogMode } from './table/index.js';
export { physicalRowType, FormatError, DeadLetter } from './table/index.js';
export type { PhysicalColumn, ComputedColumn, MetadataColumn, Column, WatermarkSpec, PrimaryKey, ResolvedSchema } from './table/index.js';
export type { FormatContext, RowDecoder, RowEncoder, FormatFactory } from './table/index.js';
export type { TableDecoder, TableEncoder, TableFactoryContext, ScanRequest, TableSource, SinkRequest, TableSink } from './table/index.js';
