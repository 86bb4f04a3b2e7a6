// The metadata a Kafka table reads (`METADATA [FROM 'key'] [VIRTUAL]` columns), with Flink's keys and types:
// `topic`, `partition`, `headers`, `leader-epoch`, `offset`, `timestamp`, `timestamp-type`. Each key has an
// extractor from the fetched record and its partition; values are in the representation of their type (BIGINT as
// a bigint, TIMESTAMP_LTZ as epoch milliseconds, MAP as a Map).
import { MAX_LENGTH, type LogicalType } from '@runnel/api/table';
import type { KafkaRecord, TopicPartition } from '../client/kafka-client.js';

/**
 * The metadata keys of a Kafka table source.
 *
 * @public
 */
export type KafkaReadableMetadataKey = 'topic' | 'partition' | 'headers' | 'leader-epoch' | 'offset' | 'timestamp' | 'timestamp-type';

const STRING: LogicalType = { root: 'VARCHAR', nullable: false, precision: MAX_LENGTH };
const BYTES: LogicalType = { root: 'VARBINARY', nullable: true, precision: MAX_LENGTH };

/**
 * Flink's readable metadata of the Kafka connector, by key.
 *
 * @public
 */
export const KAFKA_READABLE_METADATA: Readonly<Record<KafkaReadableMetadataKey, LogicalType>> = Object.freeze({
  topic: STRING,
  partition: { root: 'INTEGER', nullable: false },
  headers: { root: 'MAP', nullable: false, key: STRING, element: BYTES },
  'leader-epoch': { root: 'INTEGER', nullable: true },
  offset: { root: 'BIGINT', nullable: false },
  timestamp: { root: 'TIMESTAMP_LTZ', nullable: false, precision: 3 },
  'timestamp-type': STRING,
});

/**
 * Reads one metadata value of a record.
 *
 * @internal
 */
export type KafkaMetadataExtractor = (record: KafkaRecord, partition: TopicPartition) => unknown;

/**
 * The extractor of a metadata key.
 *
 * @internal
 */
export function kafkaMetadataExtractor(key: KafkaReadableMetadataKey): KafkaMetadataExtractor {
  switch (key) {
    case 'topic':
      return (_r, tp) => tp.topic;
    case 'partition':
      return (_r, tp) => tp.partition;
    case 'headers':
      // A header key may repeat; the map keeps the last value, as Flink's does.
      return (r) => new Map(r.headers);
    case 'leader-epoch':
      return (r) => r.leaderEpoch ?? null;
    case 'offset':
      return (r) => BigInt(r.offset);
    case 'timestamp':
      return (r) => r.timestamp;
    case 'timestamp-type':
      // Kafka's names (`TimestampType.name`); a record without a timestamp has `NoTimestampType`.
      return (r) => (r.timestamp < 0 ? 'NoTimestampType' : r.timestampType);
  }
}

/**
 * Whether `key` is a readable metadata key.
 *
 * @internal
 */
export function isKafkaReadableMetadataKey(key: string): key is KafkaReadableMetadataKey {
  return Object.hasOwn(KAFKA_READABLE_METADATA, key);
}
