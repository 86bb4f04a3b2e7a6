// The split of the Kafka source: one topic partition, with the offset of the next record to read and, for a bounded
// read, the offset to stop before. Offsets are always concrete numbers: the enumerator resolves the startup mode
// (earliest, latest, committed, timestamp, specific) before it assigns a split, so a split in a checkpoint says
// exactly where reading resumes and a restore never asks the cluster again.
import type { SourceSplit, VersionedSerializer } from '@runnel/api';
import { partitionKey, type TopicPartition } from '../client/kafka-client.js';
import { invalidPayload, jsonStateSerializer } from './json-state-serializer.js';

/**
 * A topic partition to read, from `startingOffset` (the next offset to read) to `stoppingOffset` (exclusive; absent:
 * unbounded). The split id is `topic-partition`, as Kafka prints partitions.
 *
 * @public
 */
export interface KafkaPartitionSplit extends SourceSplit, TopicPartition {
  readonly startingOffset: number;
  readonly stoppingOffset?: number;
}

/**
 * A split of `tp` from `startingOffset` (to `stoppingOffset`, when bounded).
 *
 * @public
 */
export function kafkaPartitionSplit(tp: TopicPartition, startingOffset: number, stoppingOffset?: number): KafkaPartitionSplit {
  const split = { splitId: partitionKey(tp), topic: tp.topic, partition: tp.partition, startingOffset };
  return stoppingOffset === undefined ? split : { ...split, stoppingOffset };
}

const isOffset = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Checks a decoded split (shared with the enumerator state, which holds pending splits). @internal */
export function validateSplit(value: unknown, id: string): KafkaPartitionSplit {
  const v = value as Partial<KafkaPartitionSplit> | null;
  if (typeof v !== 'object' || v === null) invalidPayload(id, 'a split is not an object');
  if (typeof v.topic !== 'string' || v.topic === '') invalidPayload(id, 'topic must be a non-empty string');
  if (!isOffset(v.partition)) invalidPayload(id, 'partition must be a non-negative integer');
  if (!isOffset(v.startingOffset)) invalidPayload(id, 'startingOffset must be a non-negative integer');
  if (v.stoppingOffset !== undefined && v.stoppingOffset !== null && !isOffset(v.stoppingOffset)) invalidPayload(id, 'stoppingOffset must be a non-negative integer');
  return kafkaPartitionSplit({ topic: v.topic, partition: v.partition }, v.startingOffset, v.stoppingOffset ?? undefined);
}

const SPLIT_ID = 'runnel.kafka.split';

/**
 * Serializer of {@link KafkaPartitionSplit} (`runnel.kafka.split`, version 1: JSON
 * `{splitId, topic, partition, startingOffset, stoppingOffset?}`; the id is derived again when read).
 *
 * @public
 */
export const kafkaPartitionSplitSerializer: VersionedSerializer<KafkaPartitionSplit> = jsonStateSerializer(SPLIT_ID, 1, (v) => validateSplit(v, SPLIT_ID));
