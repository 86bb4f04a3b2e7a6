// The Kafka source's public surface (FLIP-27): the source and its builder, offsets initializers, deserializers,
// the split and enumerator state with their serializers, and the enumerator and reader for custom compositions.
export { KafkaSource } from './kafka-source.js';
export type { KafkaSourceSettings } from './kafka-source.js';
export { KafkaSourceBuilder } from './kafka-source-builder.js';
export { OffsetsInitializer, describeOffsetsInitializer, resolveOffsets } from './offsets-initializer.js';
export type { OffsetResetStrategy } from './offsets-initializer.js';
export { KafkaDeserializers } from './kafka-record-deserializer.js';
export type { KafkaRecordDeserializer } from './kafka-record-deserializer.js';
export { kafkaPartitionSplit, kafkaPartitionSplitSerializer } from './kafka-partition-split.js';
export type { KafkaPartitionSplit } from './kafka-partition-split.js';
export { kafkaEnumeratorStateSerializer } from './kafka-enumerator-state.js';
export type { KafkaEnumeratorState } from './kafka-enumerator-state.js';
export { KafkaSourceEnumerator, kafkaSplitOwner } from './kafka-source-enumerator.js';
export type { KafkaSourceEnumeratorSettings, KafkaSubscription } from './kafka-source-enumerator.js';
export { KafkaSourceReader } from './kafka-source-reader.js';
export type { KafkaSourceReaderSettings } from './kafka-source-reader.js';
