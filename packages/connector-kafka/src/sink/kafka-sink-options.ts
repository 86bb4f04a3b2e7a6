// The options of the DataStream `KafkaSink` (what Flink's `KafkaSinkBuilder` sets, as one typed object) and their
// checked, defaulted form the writers use. The SQL table sinks build the same object from their `WITH` options.
import { ConfigurationError } from '@runnel/api/config';
import type { KafkaClientFactory, OutgoingRecord } from '../client/kafka-client.js';
import type { KafkaPartitionerFactory } from './kafka-partitioner.js';
import { resolvePartitioner } from './kafka-partitioner.js';

/**
 * `sink.delivery-guarantee`: `none` (fire and forget; nothing is awaited at checkpoints), `at-least-once` (every
 * record acknowledged before a checkpoint completes; duplicates after a restore) or `exactly-once` (a transaction per
 * checkpoint, committed when the checkpoint completes; readers with `isolation.level=read_committed` see each record
 * once).
 *
 * @public
 */
export type DeliveryGuarantee = 'none' | 'at-least-once' | 'exactly-once';

/**
 * A record as a serializer returns it: an {@link OutgoingRecord} whose topic and key may be left out (the sink's
 * `topic`, no key).
 *
 * @public
 */
export interface KafkaSinkRecord extends Omit<OutgoingRecord, 'topic' | 'key'> {
  readonly topic?: string;
  readonly key?: Uint8Array | string | null;
}

/**
 * Turns an element into the record to produce. `timestamp` is the element's event timestamp, or undefined when it
 * has none; return it as the record's `timestamp` to stamp records with event time (as Flink's default
 * serialization schema does), or leave `timestamp` out to have the time of sending.
 *
 * @public
 */
export type KafkaRecordSerializer<T> = (element: T, timestamp: number | undefined) => KafkaSinkRecord;

/**
 * Options of a {@link KafkaSink}.
 *
 * @public
 */
export interface KafkaSinkOptions<T> {
  /** `bootstrap.servers`: `host:port`, several comma-separated or as an array. */
  readonly bootstrapServers: string | readonly string[];
  /** The topic of records whose serializer names none. */
  readonly topic?: string;
  /** Turns an element into a record. */
  readonly serializer: KafkaRecordSerializer<T>;
  /** Default `at-least-once` (Flink's builder defaults to `none`; losing records silently is a poor default). */
  readonly deliveryGuarantee?: DeliveryGuarantee;
  /**
   * `sink.transactional-id-prefix`: required with `exactly-once`. Transactional ids are
   * `<prefix>-<subtask>-<checkpoint>`; the prefix must be unique per job writing to the cluster.
   */
  readonly transactionalIdPrefix?: string;
  /** `sink.partitioner`: `default`, `fixed`, `round-robin`, a registered name, or a factory. Default `default`. */
  readonly partitioner?: string | KafkaPartitionerFactory;
  /**
   * Client properties (Kafka's producer keys, e.g. `client.id`, `transaction.timeout.ms`, `linger.ms`), handed to
   * the client where it has a matching setting. The sink reads `linger.ms`, `transaction.timeout.ms`,
   * `metadata.max.age.ms` and `enable.idempotence` (default true: at-least-once producers are idempotent).
   */
  readonly properties?: Readonly<Record<string, string>>;
  /** Makes the Kafka clients (default: the package's kafkajs client). */
  readonly clientFactory?: KafkaClientFactory;
  /** Records per `send` call, at most; default 1000. */
  readonly maxBatchRecords?: number;
  /** Records buffered or in flight above which the writer back-pressures its input; default 10 000. */
  readonly maxBufferedRecords?: number;
  /** Bytes (keys and values) buffered or in flight above which the writer back-pressures; default 32 MiB. */
  readonly maxBufferedBytes?: number;
  /** How long a batch waits for more records when nothing is in flight; default `linger.ms` or 5 ms. */
  readonly lingerMs?: number;
  /**
   * With `exactly-once`, when the client does not report producer epochs: how many transactional ids after the
   * restored checkpoint a restored writer aborts (at least 1); default 5 (see the README).
   */
  readonly lingeringTransactionsToAbort?: number;
}

/**
 * The checked options, with defaults applied.
 *
 * @internal
 */
export interface KafkaSinkSettings<T> {
  readonly brokers: readonly string[];
  readonly topic: string | undefined;
  readonly serializer: KafkaRecordSerializer<T>;
  readonly deliveryGuarantee: DeliveryGuarantee;
  /** Whether at-least-once producers are idempotent (`enable.idempotence`, default true as in Kafka 3). */
  readonly idempotent: boolean;
  readonly transactionalIdPrefix: string;
  readonly partitioner: KafkaPartitionerFactory;
  readonly properties: Readonly<Record<string, string>>;
  readonly clientFactory: KafkaClientFactory | undefined;
  readonly maxBatchRecords: number;
  readonly maxBufferedRecords: number;
  readonly maxBufferedBytes: number;
  readonly lingerMs: number;
  /** `transaction.timeout.ms` (Kafka's producer default: one minute). */
  readonly transactionTimeoutMs: number;
  readonly lingeringTransactionsToAbort: number;
}

const GUARANTEES: readonly DeliveryGuarantee[] = ['none', 'at-least-once', 'exactly-once'];

function positive(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < min) throw new ConfigurationError(`kafka sink: ${name} must be an integer of at least ${min}, got ${String(value)}`);
  return v;
}

function numberProperty(properties: Readonly<Record<string, string>>, key: string): number | undefined {
  const text = properties[key];
  if (text === undefined) return undefined;
  const v = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(v) || v < 0) throw new ConfigurationError(`kafka sink: property '${key}' must be a non-negative integer, got '${text}'`, `properties.${key}`);
  return v;
}

/**
 * Checks options and applies defaults.
 *
 * @throws ConfigurationError naming the option that is wrong
 * @internal
 */
export function kafkaSinkSettings<T>(options: KafkaSinkOptions<T>): KafkaSinkSettings<T> {
  if (options === null || typeof options !== 'object') throw new TypeError('kafka sink: expected an options object');
  const servers = typeof options.bootstrapServers === 'string' ? options.bootstrapServers.split(',') : [...(options.bootstrapServers ?? [])];
  const brokers = servers.map((s) => s.trim()).filter((s) => s !== '');
  if (brokers.length === 0) throw new ConfigurationError("kafka sink: 'bootstrapServers' (properties.bootstrap.servers) must name at least one host:port", 'properties.bootstrap.servers');
  if (typeof options.serializer !== 'function') throw new TypeError('kafka sink: serializer must be a function (element, timestamp) => record');
  const deliveryGuarantee = options.deliveryGuarantee ?? 'at-least-once';
  if (!GUARANTEES.includes(deliveryGuarantee)) {
    throw new ConfigurationError(`kafka sink: unknown delivery guarantee '${String(deliveryGuarantee)}' (expected ${GUARANTEES.join(', ')})`, 'sink.delivery-guarantee');
  }
  const prefix = options.transactionalIdPrefix ?? '';
  if (deliveryGuarantee === 'exactly-once' && prefix.trim() === '') {
    throw new ConfigurationError(
      "kafka sink: 'sink.transactional-id-prefix' is required with 'sink.delivery-guarantee' = 'exactly-once' (it must be unique per job writing to the cluster)",
      'sink.transactional-id-prefix',
    );
  }
  if (options.topic !== undefined && options.topic.trim() === '') throw new ConfigurationError("kafka sink: 'topic' must not be empty", 'topic');
  const properties = { ...(options.properties ?? {}) };
  const idempotence = (properties['enable.idempotence'] ?? 'true').trim().toLowerCase();
  if (idempotence !== 'true' && idempotence !== 'false') {
    throw new ConfigurationError(`kafka sink: property 'enable.idempotence' must be true or false, got '${properties['enable.idempotence']}'`, 'properties.enable.idempotence');
  }
  if (idempotence === 'false' && deliveryGuarantee === 'exactly-once') {
    throw new ConfigurationError("kafka sink: 'exactly-once' needs an idempotent producer; remove 'properties.enable.idempotence' = 'false'", 'properties.enable.idempotence');
  }
  const maxBufferedRecords = positive('maxBufferedRecords', options.maxBufferedRecords, 10_000);
  return {
    brokers,
    topic: options.topic,
    serializer: options.serializer,
    deliveryGuarantee,
    idempotent: deliveryGuarantee !== 'none' && idempotence === 'true',
    transactionalIdPrefix: prefix,
    partitioner: resolvePartitioner(options.partitioner),
    properties,
    clientFactory: options.clientFactory,
    // A batch never exceeds the bound, so "above the bound" always means a send is in flight that will wake waiters.
    maxBatchRecords: Math.min(positive('maxBatchRecords', options.maxBatchRecords, 1000), maxBufferedRecords),
    maxBufferedRecords,
    maxBufferedBytes: positive('maxBufferedBytes', options.maxBufferedBytes, 32 * 1024 * 1024),
    lingerMs: positive('lingerMs', options.lingerMs, numberProperty(properties, 'linger.ms') ?? 5, 0),
    transactionTimeoutMs: numberProperty(properties, 'transaction.timeout.ms') ?? 60_000,
    lingeringTransactionsToAbort: positive('lingeringTransactionsToAbort', options.lingeringTransactionsToAbort, 5),
  };
}
