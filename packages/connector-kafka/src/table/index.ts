// The Kafka connector's SQL side: the `kafka` connector factory, its table source and the pieces the table sink and
// upsert-kafka share with it (key and value fields, metadata, startup and bounded offsets from options).
export { kafkaConnectorFactory, createKafkaConnectorFactory } from './kafka-table-factory.js';
export type { KafkaConnectorFactoryOptions } from './kafka-table-factory.js';
export { KafkaTableSource } from './kafka-table-source.js';
export type { KafkaTableSourceVariant } from './kafka-table-source.js';
export { kafkaKeyValueFields } from './kafka-key-value-fields.js';
export type { KafkaKeyValueFields } from './kafka-key-value-fields.js';
export { KAFKA_READABLE_METADATA } from './kafka-table-source-metadata.js';
export type { KafkaReadableMetadataKey } from './kafka-table-source-metadata.js';
export { kafkaTableOffsets, parseSpecificOffsets } from './kafka-table-source-offsets.js';
