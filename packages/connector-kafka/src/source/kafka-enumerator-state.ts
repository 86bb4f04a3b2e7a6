// What the Kafka split enumerator checkpoints: the partitions it has handed to readers (their positions live in
// the readers' state, so they are only remembered, never assigned again), the splits it has found but not yet
// handed out (their reader had not registered, or a failed reader gave them back), with their resolved offsets,
// and whether the first discovery completed: partitions found after it start at their earliest offset (as in
// Flink), not where the startup mode says, so a restored job picks up a partition added while it was down from its
// first record.
import type { VersionedSerializer } from '@runnel/api';
import type { TopicPartition } from '../client/kafka-client.js';
import { validateSplit, type KafkaPartitionSplit } from './kafka-partition-split.js';
import { invalidPayload, jsonStateSerializer } from './json-state-serializer.js';

/**
 * State of the Kafka split enumerator.
 *
 * @public
 */
export interface KafkaEnumeratorState {
  /** Partitions assigned to readers. */
  readonly assignedPartitions: readonly TopicPartition[];
  /** Splits discovered and not assigned yet, in discovery order. */
  readonly pendingSplits: readonly KafkaPartitionSplit[];
  /** Whether the first partition discovery completed. */
  readonly initialDiscoveryFinished: boolean;
}

const STATE_ID = 'runnel.kafka.enumerator-state';

/**
 * Serializer of {@link KafkaEnumeratorState} (`runnel.kafka.enumerator-state`, version 1: JSON).
 *
 * @public
 */
export const kafkaEnumeratorStateSerializer: VersionedSerializer<KafkaEnumeratorState> = jsonStateSerializer(STATE_ID, 1, (value) => {
  const v = value as Partial<KafkaEnumeratorState> | null;
  if (typeof v !== 'object' || v === null) invalidPayload(STATE_ID, 'not an object');
  if (!Array.isArray(v.assignedPartitions) || !Array.isArray(v.pendingSplits)) invalidPayload(STATE_ID, 'assignedPartitions and pendingSplits must be arrays');
  if (typeof v.initialDiscoveryFinished !== 'boolean') invalidPayload(STATE_ID, 'initialDiscoveryFinished must be a boolean');
  const assignedPartitions = v.assignedPartitions.map((p: unknown) => {
    const tp = p as Partial<TopicPartition> | null;
    if (typeof tp !== 'object' || tp === null || typeof tp.topic !== 'string' || !Number.isSafeInteger(tp.partition) || (tp.partition as number) < 0) {
      invalidPayload(STATE_ID, 'an assigned partition is not {topic, partition}');
    }
    return { topic: tp.topic, partition: tp.partition as number };
  });
  return {
    assignedPartitions,
    pendingSplits: v.pendingSplits.map((s: unknown) => validateSplit(s, STATE_ID)),
    initialDiscoveryFinished: v.initialDiscoveryFinished,
  };
});
