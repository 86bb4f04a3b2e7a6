// The kafkajs `KafkaProducer`: one `sendBatch` per `send` (records grouped by topic, kafkajs groups them by leader),
// acknowledged by all in-sync replicas unless `properties.acks` says otherwise; keys hashed with kafkajs's
// DefaultPartitioner, which is the Java client's murmur2 (so keyed records land where a Java producer would put them).
//
// Idempotent and transactional producers keep one request in flight per broker: kafkajs tracks sequence numbers per
// partition but does not re-order retried batches, so with several requests in flight a retry can be rejected with
// OUT_OF_ORDER_SEQUENCE_NUMBER. Their retries are bounded (10 attempts, about two minutes with kafkajs's backoff,
// like the Java client's `delivery.timeout.ms`) instead of kafkajs's unbounded default, so an unreachable cluster
// fails the send (and the checkpoint) instead of hanging it.
//
// Transactions map onto kafkajs's: `beginTransaction` opens one (the first also initialises the producer id, which
// fences an older producer with the same transactional id and aborts its open transaction), `send` writes inside
// it, `commitTransaction`/`abortTransaction` end it. Mokapi cannot run transactions, so this path is exercised only
// against real brokers.
import kafkajs from 'kafkajs';
import type { Kafka, Message, Producer, Transaction } from 'kafkajs';
import type { KafkaProducer, OutgoingRecord } from './kafka-client.js';
import { KafkaClientError } from './kafka-client.js';
import { toKafkaClientError } from './kafkajs-errors.js';
import type { KafkajsSettings } from './kafkajs-properties.js';

const { Partitioners } = kafkajs;

/** Retries of idempotent producers (see the module comment). */
const IDEMPOTENT_RETRIES = 10;

/** Sends records through a kafkajs producer. */
export class KafkajsProducer implements KafkaProducer {
  private readonly producer: Producer;
  private transaction: Transaction | undefined;
  private closing: Promise<void> | undefined;
  readonly beginTransaction?: () => Promise<void>;
  readonly commitTransaction?: () => Promise<void>;
  readonly abortTransaction?: () => Promise<void>;

  constructor(
    kafka: Kafka,
    private readonly settings: KafkajsSettings,
    options: { readonly idempotent: boolean; readonly transactionalId?: string },
  ) {
    const transactional = options.transactionalId !== undefined;
    const idempotent = options.idempotent || transactional;
    if (idempotent && settings.producer.acks !== -1) {
      throw new KafkaClientError(
        `'properties.acks' must be all for an idempotent or transactional producer (sink.delivery-guarantee at-least-once or exactly-once)`,
        'configuration',
      );
    }
    const retry = settings.kafka.retry ?? (idempotent ? { retries: IDEMPOTENT_RETRIES } : undefined);
    this.producer = kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      metadataMaxAge: settings.metadataMaxAgeMs,
      idempotent,
      ...(transactional ? { transactionalId: options.transactionalId } : {}),
      ...(settings.producer.transactionTimeoutMs === undefined ? {} : { transactionTimeout: settings.producer.transactionTimeoutMs }),
      ...(idempotent
        ? { maxInFlightRequests: 1 }
        : settings.producer.maxInFlightRequests === undefined
          ? {}
          : { maxInFlightRequests: settings.producer.maxInFlightRequests }),
      ...(retry === undefined ? {} : { retry }),
    });
    if (transactional) {
      this.beginTransaction = () => this.begin();
      this.commitTransaction = () => this.end('commit');
      this.abortTransaction = () => this.end('abort');
    }
  }

  async connect(): Promise<void> {
    try {
      await this.producer.connect();
    } catch (error) {
      throw toKafkaClientError(error, 'Connecting the producer', this.settings.secrets);
    }
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    if (records.length === 0) return;
    const byTopic = new Map<string, Message[]>();
    for (const record of records) {
      let messages = byTopic.get(record.topic);
      if (messages === undefined) byTopic.set(record.topic, (messages = []));
      messages.push(toMessage(record));
    }
    const target = this.transaction ?? this.producer;
    try {
      await target.sendBatch({
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        acks: this.settings.producer.acks,
        compression: this.settings.producer.compression,
      });
    } catch (error) {
      throw toKafkaClientError(error, `Producing ${records.length} record(s) to ${[...byTopic.keys()].join(', ')}`, this.settings.secrets);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.producer.disconnect().catch(() => undefined);
    return this.closing;
  }

  private async begin(): Promise<void> {
    if (this.transaction !== undefined) throw new KafkaClientError('A transaction is already open on this producer', 'fatal');
    try {
      this.transaction = await this.producer.transaction();
    } catch (error) {
      throw toKafkaClientError(error, 'Beginning a transaction', this.settings.secrets);
    }
  }

  private async end(how: 'commit' | 'abort'): Promise<void> {
    const transaction = this.transaction;
    if (transaction === undefined) throw new KafkaClientError(`No open transaction to ${how}`, 'fatal');
    try {
      await (how === 'commit' ? transaction.commit() : transaction.abort());
      this.transaction = undefined;
    } catch (error) {
      // A failed abort leaves nothing to retry on this producer; a failed commit can still be aborted.
      if (how === 'abort') this.transaction = undefined;
      throw toKafkaClientError(error, how === 'commit' ? 'Committing the transaction' : 'Aborting the transaction', this.settings.secrets);
    }
  }
}

function toMessage(record: OutgoingRecord): Message {
  const message: Message = { key: toBuffer(record.key), value: toBuffer(record.value) };
  if (record.partition !== undefined) message.partition = record.partition;
  if (record.timestamp !== undefined) message.timestamp = String(record.timestamp);
  if (record.headers !== undefined && record.headers.length > 0) {
    const headers: Record<string, Buffer | string | (Buffer | string)[]> = {};
    for (const [name, value] of record.headers) {
      const v = typeof value === 'string' ? value : toBuffer(value);
      const existing = headers[name];
      if (existing === undefined) headers[name] = v;
      else if (Array.isArray(existing)) existing.push(v);
      else headers[name] = [existing, v];
    }
    message.headers = headers;
  }
  return message;
}

/** Wraps a Uint8Array's bytes as a Buffer without copying (kafkajs's encoder needs Buffers or strings). */
function toBuffer<T extends Uint8Array | string | null>(value: T): Buffer | Exclude<T, Uint8Array> {
  if (value === null || typeof value === 'string' || Buffer.isBuffer(value)) return value as Buffer | Exclude<T, Uint8Array>;
  const bytes = value as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
