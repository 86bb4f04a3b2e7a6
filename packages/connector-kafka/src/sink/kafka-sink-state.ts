// What the exactly-once Kafka sink keeps in checkpoints: committables (transactions pre-committed at a barrier,
// committed when the checkpoint completes) and writer state (the transactional id prefix and the parallelism of
// the run, so that a restored writer knows which transactional ids a previous run may have left open). Serialized
// as validated JSON under their own ids, readable when inspecting a checkpoint by hand.
import type { VersionedSerializer } from '@runnel/api';

/**
 * A pre-committed transaction: its transactional id, and the producer id and epoch the broker gave it when the
 * client reports them (a client that can resume transactions commits it with them after a restore, as Flink does).
 *
 * @public
 */
export interface KafkaCommittable {
  readonly transactionalId: string;
  readonly producerId?: number;
  readonly epoch?: number;
}

/**
 * State of an exactly-once Kafka sink writer.
 *
 * @public
 */
export interface KafkaWriterState {
  /** `sink.transactional-id-prefix` of the run that wrote this state. */
  readonly transactionalIdPrefix: string;
  /** The subtask whose transactional ids this state describes. */
  readonly subtask: number;
  /** The sink's parallelism in that run (transactional ids of subtasks up to it may linger). */
  readonly parallelism: number;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: true });

function jsonSerializer<T>(id: string, version: number, validate: (value: unknown) => T): VersionedSerializer<T> {
  return {
    id,
    version,
    serialize: (value) => utf8.encode(JSON.stringify(validate(value))),
    deserialize(bytes, v) {
      if (v !== version) throw new Error(`${id}: cannot read version ${v} (this is version ${version})`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(fromUtf8.decode(bytes));
      } catch (e) {
        throw new Error(`${id}: invalid payload: ${(e as Error).message}`);
      }
      return validate(parsed);
    },
  };
}

function fail(id: string, what: string): never {
  throw new Error(`${id}: invalid payload: ${what}`);
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const COMMITTABLE_ID = 'runnel.kafka.sink-committable';
const WRITER_STATE_ID = 'runnel.kafka.sink-writer-state';

/**
 * Serializer of {@link KafkaCommittable} (`runnel.kafka.sink-committable`, version 1).
 *
 * @public
 */
export const kafkaCommittableSerializer: VersionedSerializer<KafkaCommittable> = jsonSerializer(COMMITTABLE_ID, 1, (value) => {
  const v = value as Partial<KafkaCommittable> | null;
  if (typeof v !== 'object' || v === null) fail(COMMITTABLE_ID, 'not an object');
  if (typeof v.transactionalId !== 'string' || v.transactionalId === '') fail(COMMITTABLE_ID, 'transactionalId must be a non-empty string');
  if ((v.producerId === undefined) !== (v.epoch === undefined)) fail(COMMITTABLE_ID, 'producerId and epoch go together');
  if (v.producerId !== undefined && (!isCount(v.producerId) || !isCount(v.epoch))) fail(COMMITTABLE_ID, 'producerId and epoch must be non-negative integers');
  return v.producerId === undefined ? { transactionalId: v.transactionalId } : { transactionalId: v.transactionalId, producerId: v.producerId, epoch: v.epoch! };
});

/**
 * Serializer of {@link KafkaWriterState} (`runnel.kafka.sink-writer-state`, version 1).
 *
 * @public
 */
export const kafkaWriterStateSerializer: VersionedSerializer<KafkaWriterState> = jsonSerializer(WRITER_STATE_ID, 1, (value) => {
  const v = value as Partial<KafkaWriterState> | null;
  if (typeof v !== 'object' || v === null) fail(WRITER_STATE_ID, 'not an object');
  if (typeof v.transactionalIdPrefix !== 'string') fail(WRITER_STATE_ID, 'transactionalIdPrefix must be a string');
  if (!isCount(v.subtask) || !isCount(v.parallelism) || v.parallelism < 1) fail(WRITER_STATE_ID, 'subtask and parallelism must be integers (parallelism at least 1)');
  return { transactionalIdPrefix: v.transactionalIdPrefix, subtask: v.subtask, parallelism: v.parallelism };
});
