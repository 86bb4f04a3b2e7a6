// The writer of the Kafka sink with `none` or `at-least-once` delivery: records go out in batches through one
// producer (idempotent for at-least-once unless `enable.idempotence` = false, so that the client's retries do not
// duplicate records in a partition).
// At-least-once waits, at every checkpoint barrier and at the end of input, until every record handed to it is
// acknowledged, so a completed checkpoint never covers a record that could still be lost; `none` waits only at the
// end of input (as Flink's KafkaWriter flushes then whatever the guarantee). A failed send fails the job.
import type { SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import type { KafkaClientFactory, KafkaProducer } from '../client/kafka-client.js';
import { openPartitioner } from './kafka-partitioner.js';
import type { KafkaSinkSettings } from './kafka-sink-options.js';
import { outgoingRecord } from './outgoing-record.js';
import { RecordSender } from './record-sender.js';
import { SharedClient } from './shared-client.js';
import { TopicPartitions } from './topic-partitions.js';

/** Kafka's `metadata.max.age.ms` default. */
const METADATA_MAX_AGE_MS = 5 * 60_000;

/**
 * Writes records of one subtask with at-least-once (or no) delivery guarantee.
 *
 * @internal
 */
export class KafkaSinkWriter<T> implements SinkWriter<T> {
  private readonly client: SharedClient;
  private readonly producer: Promise<KafkaProducer>;
  private readonly sender: RecordSender;
  private closing: Promise<void> | undefined;

  constructor(
    context: SinkWriterContext,
    private readonly settings: KafkaSinkSettings<T>,
    clientFactory: KafkaClientFactory,
  ) {
    this.client = new SharedClient(
      clientFactory({
        brokers: settings.brokers,
        clientId: settings.properties['client.id'] ?? `runnel-kafka-sink-${context.subtaskIndex}`,
        properties: settings.properties,
      }),
    );
    this.producer = this.client.get().then(async (client) => {
      const p = client.createProducer({ idempotent: settings.idempotent });
      await p.connect();
      return p;
    });
    // Failures surface through the first send; this keeps an early one from being reported as unhandled.
    this.producer.catch(() => undefined);
    const maxAge = Number(settings.properties['metadata.max.age.ms'] ?? METADATA_MAX_AGE_MS);
    this.sender = new RecordSender(
      settings,
      openPartitioner(settings.partitioner, { subtaskIndex: context.subtaskIndex, parallelism: context.parallelism }),
      new TopicPartitions(() => this.client.get(), Number.isFinite(maxAge) ? maxAge : METADATA_MAX_AGE_MS),
      async (records) => (await this.producer).send(records),
      context.metricGroup,
    );
  }

  write(element: T, context?: SinkRecordContext): void {
    this.sender.add(outgoingRecord(this.settings.serializer, this.settings.topic, element, context));
  }

  isAvailable(): Promise<void> | undefined {
    return this.sender.isAvailable();
  }

  /** At-least-once: everything acknowledged; `none`: only at the end of input. */
  async flush(endOfInput: boolean): Promise<void> {
    if (this.settings.deliveryGuarantee === 'none' && !endOfInput) {
      this.sender.kick();
      return;
    }
    await this.sender.drain();
  }

  /** Drops what is not sent (a crash, or the records were flushed before), then closes the producer and client. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.sender.close();
      await this.producer.then((p) => p.close()).catch(() => undefined);
      await this.client.release().catch(() => undefined);
    })();
    return this.closing;
  }
}
