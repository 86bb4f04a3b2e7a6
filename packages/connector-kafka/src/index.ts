// `@runnel/connector-kafka`: Kafka for Runnel, with Flink's option keys and semantics — the source (FLIP-27: a split
// per topic partition, offsets in checkpoints, partition discovery, per-partition watermarks with idleness), the sink
// (none, at-least-once or exactly-once delivery), the `kafka` and `upsert-kafka` SQL connectors, and the narrow client
// interface the connector talks to (kafkajs by default).

// The client interface and its kafkajs implementation.
export { KafkaClientError, partitionKey } from './client/kafka-client.js';
export type {
  TopicPartition,
  KafkaRecord,
  FetchedBatch,
  PartitionFetcher,
  OutgoingRecord,
  KafkaProducer,
  KafkaClientConfig,
  KafkaClient,
  KafkaClientFactory,
} from './client/kafka-client.js';
export { kafkajsClientFactory, createKafkajsClientFactory, KafkajsClient } from './client/kafkajs-client.js';
export type { KafkajsClientFactoryOptions } from './client/kafkajs-client.js';

// Options.
export { KafkaOptions, KAFKA_OPTIONS, KAFKA_PROPERTIES_PREFIX, parseKafkaTableOptions } from './kafka-options.js';
export type { KafkaTableOptions } from './kafka-options.js';

// The source.
export { KafkaSource } from './source/kafka-source.js';
export type { KafkaSourceSettings } from './source/kafka-source.js';
export { KafkaSourceBuilder } from './source/kafka-source-builder.js';
export { OffsetsInitializer, describeOffsetsInitializer, resolveOffsets } from './source/offsets-initializer.js';
export type { OffsetResetStrategy } from './source/offsets-initializer.js';
export { KafkaDeserializers } from './source/kafka-record-deserializer.js';
export type { KafkaRecordDeserializer } from './source/kafka-record-deserializer.js';
export { kafkaPartitionSplit, kafkaPartitionSplitSerializer } from './source/kafka-partition-split.js';
export type { KafkaPartitionSplit } from './source/kafka-partition-split.js';
export { kafkaEnumeratorStateSerializer } from './source/kafka-enumerator-state.js';
export type { KafkaEnumeratorState } from './source/kafka-enumerator-state.js';
export { KafkaSourceEnumerator, kafkaSplitOwner } from './source/kafka-source-enumerator.js';
export type { KafkaSourceEnumeratorSettings, KafkaSubscription } from './source/kafka-source-enumerator.js';
export { KafkaSourceReader } from './source/kafka-source-reader.js';
export type { KafkaSourceReaderSettings } from './source/kafka-source-reader.js';

// The sink.
export { KafkaSink } from './sink/kafka-sink.js';
export type { DeliveryGuarantee, KafkaSinkRecord, KafkaRecordSerializer, KafkaSinkOptions } from './sink/kafka-sink-options.js';
export { registerPartitioner, partitionerNames } from './sink/kafka-partitioner.js';
export type { KafkaPartitioner, KafkaPartitionerContext, KafkaPartitionerFactory } from './sink/kafka-partitioner.js';

// SQL: the `kafka` and `upsert-kafka` connectors.
export { kafkaConnectorFactory, createKafkaConnectorFactory } from './table/kafka-table-factory.js';
export type { KafkaConnectorFactoryOptions } from './table/kafka-table-factory.js';
export { KafkaTableSource } from './table/kafka-table-source.js';
export type { KafkaTableSourceVariant } from './table/kafka-table-source.js';
export { kafkaKeyValueFields } from './table/kafka-key-value-fields.js';
export type { KafkaKeyValueFields } from './table/kafka-key-value-fields.js';
export { KAFKA_READABLE_METADATA } from './table/kafka-table-source-metadata.js';
export type { KafkaReadableMetadataKey } from './table/kafka-table-source-metadata.js';
export { kafkaTableOffsets, parseSpecificOffsets } from './table/kafka-table-source-offsets.js';
export { KafkaTableSink, createKafkaTableSink, KAFKA_WRITABLE_METADATA } from './table/kafka-table-sink.js';
export type { KafkaTableSinkVariant } from './table/kafka-table-sink.js';
export { upsertKafkaConnectorFactory, createUpsertKafkaConnectorFactory } from './table/upsert-kafka-table-factory.js';
export type { UpsertKafkaConnectorFactoryOptions } from './table/upsert-kafka-table-factory.js';
export { UpsertKafkaOptions, UPSERT_KAFKA_OPTIONS } from './table/upsert-kafka-options.js';
export { createUpsertKafkaTableSource } from './table/upsert-kafka-table-source.js';

// What the sink persists, and the hooks for clients that can resume transactions.
export { kafkaCommittableSerializer, kafkaWriterStateSerializer } from './sink/kafka-sink-state.js';
export type { KafkaCommittable, KafkaWriterState } from './sink/kafka-sink-state.js';
export { murmur2, partitionForKey } from './sink/murmur2.js';
export { isResumable } from './sink/transaction-resumption.js';
export type { TransactionHandle, ResumableTransactionalProducer } from './sink/transaction-resumption.js';
