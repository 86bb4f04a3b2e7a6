// The Kafka sink of the DataStream API (Flink's `KafkaSink`): a writer per subtask sending batches of records, with
// `none`, `at-least-once` or `exactly-once` delivery. Only the exactly-once sink has a committer: its writers
// pre-commit a transaction per checkpoint and the committer commits it when the checkpoint completes (see
// `transactional-kafka-sink-writer.ts` and `kafka-committer.ts`); the others flush at barriers and commit nothing.
import type { VersionedSerializer } from '@runnel/api';
import type { Committer, Sink, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import type { KafkaClientFactory } from '../client/kafka-client.js';
import { kafkajsClientFactory } from '../client/kafkajs-client.js';
import { KafkaCommitter } from './kafka-committer.js';
import { kafkaSinkSettings, type DeliveryGuarantee, type KafkaSinkOptions, type KafkaSinkSettings } from './kafka-sink-options.js';
import { kafkaCommittableSerializer, kafkaWriterStateSerializer, type KafkaCommittable, type KafkaWriterState } from './kafka-sink-state.js';
import { KafkaSinkWriter } from './kafka-sink-writer.js';
import { TransactionalKafkaSinkWriter } from './transactional-kafka-sink-writer.js';

/**
 * Writes a stream to Kafka.
 *
 * @example
 * ```ts
 * stream.sinkTo(
 *   new KafkaSink<Order>({
 *     bootstrapServers: 'broker:9092',
 *     topic: 'orders',
 *     serializer: (order, timestamp) => ({ key: order.id, value: JSON.stringify(order), timestamp }),
 *     deliveryGuarantee: 'at-least-once',
 *   }),
 * );
 * ```
 *
 * `exactly-once` is experimental: it could not be tested against a broker with transactions (see the README).
 *
 * @public
 */
export class KafkaSink<T> implements Sink<T, KafkaCommittable, KafkaWriterState> {
  readonly committableSerializer: VersionedSerializer<KafkaCommittable> = kafkaCommittableSerializer;
  readonly writerStateSerializer: VersionedSerializer<KafkaWriterState> = kafkaWriterStateSerializer;
  /** Present with `exactly-once` only: the two-phase commit of the transactions. */
  readonly createCommitter?: () => Committer<KafkaCommittable>;
  private readonly settings: KafkaSinkSettings<T>;
  private readonly clientFactory: KafkaClientFactory;

  /** @throws ConfigurationError for a missing or invalid option */
  constructor(options: KafkaSinkOptions<T>) {
    this.settings = kafkaSinkSettings(options);
    this.clientFactory = this.settings.clientFactory ?? kafkajsClientFactory;
    if (this.settings.deliveryGuarantee === 'exactly-once') {
      const settings = this.settings as KafkaSinkSettings<unknown>;
      this.createCommitter = () => new KafkaCommitter(settings, this.clientFactory);
    }
  }

  /** The delivery guarantee in effect. */
  get deliveryGuarantee(): DeliveryGuarantee {
    return this.settings.deliveryGuarantee;
  }

  createWriter(context: SinkWriterContext, restoredState?: readonly KafkaWriterState[]): SinkWriter<T, KafkaCommittable, KafkaWriterState> {
    if (this.settings.deliveryGuarantee === 'exactly-once') {
      return new TransactionalKafkaSinkWriter<T>(context, this.settings, this.clientFactory, restoredState);
    }
    return new KafkaSinkWriter<T>(context, this.settings, this.clientFactory);
  }
}
