// The builder of the Kafka source for DataStream jobs, with Flink's method names (`setBootstrapServers`,
// `setTopics`, `setGroupId`, `setStartingOffsets`, `setBounded`, `setDeserializer`, ...), typed by the records it
// makes. `build()` checks that the source can run (servers, topics, a deserializer) and fails naming what is
// missing. The client is kafkajs unless `setClientFactory` gives another (a test double, another library).
import type { KafkaClientFactory, KafkaRecord, TopicPartition } from '../client/kafka-client.js';
import { kafkajsClientFactory } from '../client/kafkajs-client.js';
import { KafkaDeserializers, type KafkaRecordDeserializer } from './kafka-record-deserializer.js';
import type { KafkaSubscription } from './kafka-source-enumerator.js';
import type { KafkaSource, KafkaSourceSettings } from './kafka-source.js';
import { OffsetsInitializer } from './offsets-initializer.js';

/**
 * Builds a {@link KafkaSource}.
 *
 * @public
 */
export class KafkaSourceBuilder<T> {
  private brokers: string[] = [];
  private subscription: KafkaSubscription | undefined;
  private groupId: string | undefined;
  private starting: OffsetsInitializer = OffsetsInitializer.earliest();
  private stopping: OffsetsInitializer | undefined;
  private deserializer: KafkaRecordDeserializer<T> | undefined;
  private readonly properties: Record<string, string> = {};
  private discoveryIntervalMs: number | undefined;
  private clientFactory: KafkaClientFactory | undefined;
  private maxBufferedRecords: number | undefined;

  /** @internal Use `KafkaSource.builder()`. */
  constructor(private readonly make: (settings: KafkaSourceSettings<T>) => KafkaSource<T>) {}

  /** `host:port` of the bootstrap servers, comma-separated or as several arguments. */
  setBootstrapServers(...servers: string[]): this {
    this.brokers = servers.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
    return this;
  }

  /** The topics to read. */
  setTopics(...topics: string[]): this {
    this.subscription = { topics };
    return this;
  }

  /** Reads every topic whose whole name matches `pattern` (topics created later too, with partition discovery). */
  setTopicPattern(pattern: RegExp | string): this {
    const source = typeof pattern === 'string' ? pattern : pattern.source;
    this.subscription = { topicPattern: new RegExp(`^(?:${source})$`, typeof pattern === 'string' ? 'u' : pattern.flags.replace(/[gy]/g, '')) };
    return this;
  }

  /** The consumer group: where `committedOffsets()` starts, and where completed checkpoints' offsets go. */
  setGroupId(groupId: string): this {
    this.groupId = groupId;
    return this;
  }

  /** Where each partition starts (default: earliest). */
  setStartingOffsets(initializer: OffsetsInitializer): this {
    this.starting = initializer;
    return this;
  }

  /** Makes the source bounded: each partition stops at these offsets and the source ends when all did. */
  setBounded(stoppingOffsets: OffsetsInitializer): this {
    this.stopping = stoppingOffsets;
    return this;
  }

  /** One record per Kafka record, from the record and its topic partition. */
  setDeserializer(fn: (record: KafkaRecord, partition: TopicPartition) => T): this {
    this.deserializer = KafkaDeserializers.of(fn);
    return this;
  }

  /** One record per Kafka record, from its value bytes (`null` for a tombstone). */
  setValueOnlyDeserializer(fn: (value: Uint8Array | null) => T): this {
    this.deserializer = KafkaDeserializers.valueOnly(fn);
    return this;
  }

  /** Zero or more records per Kafka record (`KafkaDeserializers.jsonValue()`, or a function calling `emit`). */
  setRecordDeserializer(deserializer: KafkaRecordDeserializer<T>): this {
    this.deserializer = deserializer;
    return this;
  }

  /** A client property (Flink's `setProperty`, e.g. `client.id.prefix`, `commit.offsets.on.checkpoint`). */
  setProperty(key: string, value: string): this {
    this.properties[key] = value;
    return this;
  }

  /** How often to look for new partitions; 0: only at start. Default: only at start. */
  setPartitionDiscoveryInterval(ms: number): this {
    this.discoveryIntervalMs = ms;
    return this;
  }

  /** The Kafka client implementation (default: kafkajs, `kafkajsClientFactory`). */
  setClientFactory(factory: KafkaClientFactory): this {
    this.clientFactory = factory;
    return this;
  }

  /** Records a reader buffers at most (default 10 000). */
  setMaxBufferedRecords(n: number): this {
    this.maxBufferedRecords = n;
    return this;
  }

  /** The source. */
  build(): KafkaSource<T> {
    const missing: string[] = [];
    if (this.brokers.length === 0) missing.push('bootstrap servers (setBootstrapServers)');
    if (this.subscription === undefined) missing.push('topics (setTopics or setTopicPattern)');
    if (this.deserializer === undefined) missing.push('a deserializer (setDeserializer)');
    const clientFactory = this.clientFactory ?? kafkajsClientFactory;
    if (missing.length > 0) throw new Error(`KafkaSource.builder(): missing ${missing.join(', ')}`);
    const commit = this.properties['commit.offsets.on.checkpoint'];
    const groupId = this.groupId ?? this.properties['group.id'];
    return this.make({
      clientFactory,
      brokers: this.brokers,
      properties: { ...this.properties, ...(groupId === undefined ? {} : { 'group.id': groupId }) },
      subscription: this.subscription!,
      groupId,
      startingOffsets: this.starting,
      stoppingOffsets: this.stopping,
      partitionDiscoveryIntervalMs: this.discoveryIntervalMs,
      deserializer: this.deserializer!,
      commitOffsetsOnCheckpoint: commit === undefined ? undefined : commit.trim().toLowerCase() === 'true',
      maxBufferedRecords: this.maxBufferedRecords,
    });
  }
}
