// Turns fetched Kafka records into the source's records (Flink's `KafkaRecordDeserializationSchema`). The reader
// calls a deserializer once per record with the record and its topic partition (the fetched batch itself, so no
// object is made per record) and an `emit` that sends a value through the partition's own output, stamped with the
// record's timestamp: zero, one or several values per record (a CDC format makes two rows of an update). The simple
// forms (`(record, partition) => value`, `(bytes) => value`) are wrapped into that shape once, not per record.
import type { KafkaRecord, TopicPartition } from '../client/kafka-client.js';

/**
 * Deserializes one record: calls `emit` for each value it yields (none to drop the record). A thrown error fails
 * the reader; the reader adds the record's position to errors that do not carry one.
 *
 * @public
 */
export type KafkaRecordDeserializer<T> = (record: KafkaRecord, partition: TopicPartition, emit: (value: T) => void) => void;

const decoder = new TextDecoder();

/**
 * Ready-made deserializers.
 *
 * @public
 */
export const KafkaDeserializers = {
  /** One value per record, from the record and its partition (`null` and `undefined` are emitted as they are). */
  of<T>(fn: (record: KafkaRecord, partition: TopicPartition) => T): KafkaRecordDeserializer<T> {
    return (record, partition, emit) => emit(fn(record, partition));
  },
  /** One value per record from its value bytes (`null` for a tombstone). */
  valueOnly<T>(fn: (value: Uint8Array | null) => T): KafkaRecordDeserializer<T> {
    return (record, _partition, emit) => emit(fn(record.value));
  },
  /** The value as UTF-8 text; tombstones are dropped. */
  stringValue(): KafkaRecordDeserializer<string> {
    return (record, _partition, emit) => {
      if (record.value !== null) emit(decoder.decode(record.value));
    };
  },
  /** The value parsed as JSON (the caller vouches for the type); tombstones are dropped. */
  jsonValue<T = unknown>(): KafkaRecordDeserializer<T> {
    return (record, _partition, emit) => {
      if (record.value !== null) emit(JSON.parse(decoder.decode(record.value)) as T);
    };
  },
} as const;
