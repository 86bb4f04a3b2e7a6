// `@runnel/connector-datagen`: generator sources (Flink's `datagen`, the Nexmark benchmark's `nexmark`) and the
// simple sinks (`print`, `blackhole`, `collect`), with their connector factories, for DataStream jobs and as SQL
// table sources and sinks.

export type { Person, Auction, Bid, NexmarkEvent, NexmarkEventType } from './nexmark/model.js';
export { nexmarkEventTime } from './nexmark/model.js';
export type { NexmarkConfig } from './nexmark/config.js';
export { DEFAULT_NEXMARK_CONFIG, resolveNexmarkConfig } from './nexmark/config.js';
export { NexmarkOptions, NEXMARK_OPTIONS, nexmarkConfigFromOptions, nexmarkRateLimitFromOptions } from './nexmark/nexmark-options.js';
export { NexmarkGenerator, generateEvent } from './nexmark/generator.js';
export type { NexmarkSplit, NexmarkEnumeratorState, NexmarkSourceOptions } from './nexmark/nexmark-source.js';
export { NexmarkSource } from './nexmark/nexmark-source.js';

export type { SequenceSplit, SequenceEnumeratorState } from './sequence/sequence-split.js';
export { sequenceSplitSerializer, sequenceEnumeratorStateSerializer } from './sequence/sequence-split.js';
export { StaticSplitEnumerator } from './sequence/static-enumerator.js';
export type { RangeEmitter, Scheduler, SequenceReaderOptions } from './sequence/sequence-reader.js';
export { SequenceSourceReader } from './sequence/sequence-reader.js';
export type { Clock } from './sequence/rate-limiter.js';
export { RateLimiter } from './sequence/rate-limiter.js';

export type { DataGenFieldType, DataGenValue, DataGenRow, DataGenFieldSpec } from './datagen/datagen-fields.js';
export type { DataGenSourceConfig, DataGenSplit, DataGenEnumeratorState } from './datagen/datagen-source.js';
export { DataGenSource } from './datagen/datagen-source.js';

export type { TextWriter, PrintSinkOptions } from './sinks/print-sink.js';
export { PrintSink, formatRecord, printPrefix } from './sinks/print-sink.js';
export { BlackholeSink, BlackholeSinkWriter } from './sinks/blackhole-sink.js';
export { CollectSink } from './sinks/collect-sink.js';

export { nexmarkConnectorFactory } from './factories/nexmark-factory.js';
export { datagenConnectorFactory } from './factories/datagen-factory.js';
export { DataGenOptions, DataGenFieldOptions, DATAGEN_FIELDS_PREFIX, DATAGEN_OPTIONS } from './factories/datagen-options.js';
export { printConnectorFactory, PrintOptions } from './factories/print-factory.js';
export { blackholeConnectorFactory } from './factories/blackhole-factory.js';

export type { DataGenTableSourceHooks } from './table/datagen-table-source.js';
export { DataGenTableSource, DataGenRowSource } from './table/datagen-table-source.js';
export { NexmarkTableSource, NexmarkRowSource } from './table/nexmark-table-source.js';
export type { PrintTableSinkSettings } from './table/print-table-sink.js';
export { PrintTableSink } from './table/print-table-sink.js';
export { BlackholeTableSink } from './table/blackhole-table-sink.js';
export { rowTextFormatter } from './table/row-text.js';
