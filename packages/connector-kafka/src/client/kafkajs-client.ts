// The default `KafkaClient`, on kafkajs 2.2.4. Metadata and offset lookups go through one kafkajs `Cluster` per
// client (the connections kafkajs's admin would open, without its retry loops: an unknown topic must become a
// configuration error at once, not after ten seconds of retrying); committed offsets through the group
// coordinator (kafkajs-group-offsets.ts); fetchers and producers are separate objects with their own connections.
// `properties.*` are mapped by kafkajs-properties.ts, errors translated by kafkajs-errors.ts.
//
// kafkajs's log goes nowhere but warnings, which reach the factory's `warn` (errors are thrown to the caller, where
// they are translated, so logging them as well would say everything twice). Set KAFKAJS_LOG_LEVEL (ERROR, WARN,
// INFO, DEBUG) to see kafkajs's whole log on stderr.
import kafkajs from 'kafkajs';
import type { Kafka, logCreator } from 'kafkajs';
import type {
  KafkaClient,
  KafkaClientConfig,
  KafkaClientFactory,
  KafkaProducer,
  PartitionFetcher,
  TopicPartition,
} from './kafka-client.js';
import { KafkaClientError, partitionKey } from './kafka-client.js';
import { createCluster, type InternalCluster } from './kafkajs-internals.js';
import { kafkajsSettings, type KafkajsSettings } from './kafkajs-properties.js';
import { toKafkaClientError } from './kafkajs-errors.js';
import { KafkajsGroupOffsets } from './kafkajs-group-offsets.js';
import { KafkajsPartitionFetcher } from './kafkajs-fetcher.js';
import { KafkajsProducer } from './kafkajs-producer.js';

const { Kafka: KafkaClass, logLevel } = kafkajs;

/**
 * Options of {@link createKafkajsClientFactory}.
 *
 * @public
 */
export interface KafkajsClientFactoryOptions {
  /**
   * Receives warnings: ignored unknown `properties.*` keys (once per process and key set), offsets reset by
   * `auto.offset.reset`, kafkajs's own warnings. Default: `console.warn`.
   */
  readonly warn?: (message: string) => void;
}

/**
 * Creates a factory of kafkajs-backed clients.
 *
 * @public
 */
export function createKafkajsClientFactory(options: KafkajsClientFactoryOptions = {}): KafkaClientFactory {
  const warn = options.warn ?? ((message: string) => console.warn(message));
  return (config) => new KafkajsClient(config, warn);
}

/**
 * The default client factory: kafkajs 2.2.4 (see the package README, section "Client", for why kafkajs).
 *
 * @public
 */
export const kafkajsClientFactory: KafkaClientFactory = createKafkajsClientFactory();

/** Unknown-property warnings already given in this process (the same table opens many clients). */
const warnedUnknownKeys = new Set<string>();

/**
 * A `KafkaClient` on kafkajs. Create clients through {@link createKafkajsClientFactory}: this class's shape may change.
 *
 * @beta
 */
export class KafkajsClient implements KafkaClient {
  private readonly settings: KafkajsSettings;
  private readonly kafka: Kafka;
  private readonly cluster: InternalCluster;
  private readonly groups: KafkajsGroupOffsets;
  private readonly owned = new Set<{ close(): Promise<void> }>();
  private connecting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;

  /** @throws KafkaClientError of kind `configuration` for properties that cannot be honoured */
  constructor(
    config: KafkaClientConfig,
    private readonly warn: (message: string) => void,
  ) {
    this.settings = kafkajsSettings(config);
    if (this.settings.unknownKeys.length > 0) {
      const keys = this.settings.unknownKeys.join(', ');
      if (!warnedUnknownKeys.has(keys)) {
        warnedUnknownKeys.add(keys);
        warn(`Ignoring Kafka client properties the kafkajs client does not know: ${keys}`);
      }
    }
    this.kafka = new KafkaClass({ ...this.settings.kafka, logLevel: logLevel.WARN, logCreator: kafkajsLogCreator(warn) });
    this.cluster = createCluster(this.kafka, {
      metadataMaxAge: this.settings.metadataMaxAgeMs,
      allowAutoTopicCreation: false,
      isolationLevel: this.settings.fetch.isolationLevel,
    });
    this.groups = new KafkajsGroupOffsets(this.cluster, this.settings.secrets);
  }

  async connect(): Promise<void> {
    this.connecting ??= this.cluster.connect();
    try {
      await this.connecting;
    } catch (error) {
      this.connecting = undefined;
      throw this.error(error, `Connecting to ${this.settings.kafka.brokers.toString()}`);
    }
  }

  async listTopics(): Promise<string[]> {
    await this.connect();
    try {
      const { topicMetadata } = await this.cluster.metadata();
      return topicMetadata.filter((t) => !(t as { isInternal?: boolean }).isInternal).map((t) => t.topic);
    } catch (error) {
      throw this.error(error, 'Listing topics');
    }
  }

  async partitionsFor(topics: readonly string[]): Promise<TopicPartition[]> {
    if (topics.length === 0) return [];
    await this.connect();
    const unique = [...new Set(topics)];
    try {
      const { topicMetadata } = await this.cluster.metadata({ topics: unique });
      const out: TopicPartition[] = [];
      for (const topic of unique) {
        const metadata = topicMetadata.find((t) => t.topic === topic);
        if (metadata === undefined) throw unknownTopics([topic]);
        const partitions = metadata.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
        for (const partition of partitions) out.push({ topic, partition });
      }
      return out;
    } catch (error) {
      throw await this.topicError(error, unique, 'Looking up partitions');
    }
  }

  earliestOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.listOffsets(partitions, { fromBeginning: true }, 'Looking up earliest offsets');
  }

  latestOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.listOffsets(partitions, { fromBeginning: false }, 'Looking up latest offsets');
  }

  async offsetsForTimestamp(partitions: readonly TopicPartition[], timestamp: number): Promise<Map<string, number>> {
    let found: Map<string, number>;
    try {
      found = await this.listOffsets(partitions, { fromTimestamp: timestamp }, `Looking up offsets for timestamp ${timestamp}`);
    } catch (error) {
      // A broker without a time index answers UNKNOWN_SERVER_ERROR (Mokapi 0.52 supports only earliest and latest).
      if (error instanceof KafkaClientError && (error.cause as { type?: string } | undefined)?.type === 'UNKNOWN') {
        throw new KafkaClientError(`${error.message} (the broker may not support looking up offsets by timestamp)`, error.kind, {
          cause: error.cause,
        });
      }
      throw error;
    }
    // Kafka answers -1 where no record has a timestamp at or after the one asked: the end offset then.
    const past = partitions.filter((tp) => (found.get(partitionKey(tp)) ?? -1) < 0);
    if (past.length > 0) {
      const latest = await this.latestOffsets(past);
      for (const [key, offset] of latest) found.set(key, offset);
    }
    return found;
  }

  async committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number | undefined>> {
    await this.connect();
    return this.groups.committed(groupId, partitions);
  }

  async commitOffsets(groupId: string, offsets: readonly (TopicPartition & { readonly offset: number })[]): Promise<void> {
    for (const o of offsets) {
      if (!Number.isSafeInteger(o.offset) || o.offset < 0) {
        throw new KafkaClientError(`Invalid offset ${o.offset} to commit for ${partitionKey(o)}`, 'fatal');
      }
    }
    await this.connect();
    await this.groups.commit(groupId, offsets);
  }

  createFetcher(options: { readonly maxBufferedRecords: number }): PartitionFetcher {
    this.assertOpen();
    const fetcher = new KafkajsPartitionFetcher(this.kafka, this.settings, options.maxBufferedRecords, this.warn);
    return this.own(fetcher);
  }

  createProducer(options: { readonly idempotent: boolean; readonly transactionalId?: string }): KafkaProducer {
    this.assertOpen();
    return this.own(new KafkajsProducer(this.kafka, this.settings, options));
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await Promise.allSettled([...this.owned].map((o) => o.close()));
      this.groups.reset();
      await this.cluster.disconnect().catch(() => undefined);
    })();
    return this.closing;
  }

  /** Earliest/latest/timestamp offsets through ListOffsets on each partition's leader. */
  private async listOffsets(
    partitions: readonly TopicPartition[],
    which: { fromBeginning: boolean } | { fromTimestamp: number },
    action: string,
  ): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    if (partitions.length === 0) return result;
    await this.connect();
    const byTopic = new Map<string, number[]>();
    for (const tp of partitions) {
      let list = byTopic.get(tp.topic);
      if (list === undefined) byTopic.set(tp.topic, (list = []));
      if (!list.includes(tp.partition)) list.push(tp.partition);
    }
    const topics = [...byTopic.keys()];
    try {
      await this.cluster.addMultipleTargetTopics(topics);
      const request = () =>
        this.cluster.fetchTopicsOffset(
          [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps.map((partition) => ({ partition })), ...which })),
        );
      let answers = await request();
      const missing = (): string[] =>
        partitions.map(partitionKey).filter((key) => !answers.some((t) => t.partitions.some((p) => partitionKey({ topic: t.topic, partition: p.partition }) === key)));
      if (missing().length > 0) {
        // Partitions added since the metadata was cached: refresh once.
        await this.cluster.refreshMetadata();
        answers = await request();
        if (missing().length > 0) throw new KafkaClientError(`Partition(s) ${missing().join(', ')} do not exist`, 'configuration');
      }
      for (const { topic, partitions: answered } of answers) {
        for (const { partition, offset } of answered) result.set(partitionKey({ topic, partition }), Number(offset));
      }
      return result;
    } catch (error) {
      throw await this.topicError(error, topics, action);
    }
  }

  /** Translates an error of a request about topics, naming the ones that do not exist when that is the cause. */
  private async topicError(error: unknown, topics: readonly string[], action: string): Promise<KafkaClientError> {
    if ((error as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') {
      try {
        const existing = new Set((await this.cluster.metadata()).topicMetadata.map((t) => t.topic));
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length > 0) return unknownTopics(missing, error);
      } catch {
        // Fall through to the error as it came.
      }
    }
    return this.error(error, `${action} of ${topics.map((t) => `'${t}'`).join(', ')}`);
  }

  private error(error: unknown, action: string): KafkaClientError {
    return toKafkaClientError(error, action, this.settings.secrets);
  }

  private own<T extends { close(): Promise<void> }>(resource: T): T {
    this.owned.add(resource);
    const close = resource.close.bind(resource);
    resource.close = () => {
      this.owned.delete(resource);
      return close();
    };
    return resource;
  }

  private assertOpen(): void {
    if (this.closing !== undefined) throw new KafkaClientError('The Kafka client is closed', 'fatal');
  }
}

function unknownTopics(topics: readonly string[], cause?: unknown): KafkaClientError {
  return new KafkaClientError(
    `Unknown topic${topics.length > 1 ? 's' : ''} ${topics.map((t) => `'${t}'`).join(', ')}: no such topic in the Kafka cluster`,
    'configuration',
    { cause },
  );
}

/** Forwards kafkajs's warnings (see the module comment). */
function kafkajsLogCreator(warn: (message: string) => void): logCreator {
  const verbose = (process.env['KAFKAJS_LOG_LEVEL'] ?? '') !== '';
  return () =>
    ({ namespace, level, log }) => {
      if (verbose) {
        console.error(`[kafkajs ${namespace}] ${JSON.stringify(log)}`);
        return;
      }
      if (level !== logLevel.WARN) return;
      // The bounded retries of idempotent producers are deliberate (kafkajs-producer.ts).
      if (log.message.startsWith('Limiting retries for the idempotent producer')) return;
      warn(`kafkajs ${namespace}: ${log.message}`);
    };
}
