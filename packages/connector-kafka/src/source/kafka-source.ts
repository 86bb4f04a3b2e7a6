// The Kafka source (Flink's `KafkaSource`, FLIP-27): ties the enumerator, the readers and the serializers of their
// state together. Bounded when it has stopping offsets (it ends when every partition reached them), continuous
// otherwise. Everything it holds is data (settings, initializers, a deserializer function), so each worker that
// rebuilds the job builds the same source. Build one with `KafkaSource.builder<T>()` or from a settings object.
import type { VersionedSerializer } from '@runnel/api';
import type { Boundedness, Source, SourceReader, SourceReaderContext, SplitEnumerator, SplitEnumeratorContext } from '@runnel/api/connector';
import type { KafkaClientConfig, KafkaClientFactory } from '../client/kafka-client.js';
import { kafkaEnumeratorStateSerializer, type KafkaEnumeratorState } from './kafka-enumerator-state.js';
import { kafkaPartitionSplitSerializer, type KafkaPartitionSplit } from './kafka-partition-split.js';
import type { KafkaRecordDeserializer } from './kafka-record-deserializer.js';
import { KafkaSourceEnumerator, type KafkaSubscription } from './kafka-source-enumerator.js';
import { KafkaSourceReader } from './kafka-source-reader.js';
import { KafkaSourceBuilder } from './kafka-source-builder.js';
import type { OffsetsInitializer } from './offsets-initializer.js';

/**
 * Everything a {@link KafkaSource} needs.
 *
 * @public
 */
export interface KafkaSourceSettings<T> {
  /** Makes the clients (one per reader and one for the enumerator). */
  readonly clientFactory: KafkaClientFactory;
  /** `host:port` of the bootstrap servers. */
  readonly brokers: readonly string[];
  /** Client properties (`properties.*` without the prefix). */
  readonly properties?: Readonly<Record<string, string>>;
  readonly subscription: KafkaSubscription;
  /** The consumer group: committed offsets to start from, and where completed checkpoints' offsets are committed. */
  readonly groupId?: string;
  readonly startingOffsets: OffsetsInitializer;
  /** Where each partition stops; makes the source bounded. */
  readonly stoppingOffsets?: OffsetsInitializer;
  /** How often to look for new partitions (and topics matching a pattern); 0 or undefined: once. */
  readonly partitionDiscoveryIntervalMs?: number;
  /** Turns records into the source's records (shared by the readers of a thread). */
  readonly deserializer?: KafkaRecordDeserializer<T>;
  /** Makes one deserializer per reader instead (for deserializers that keep state, such as table decoders). */
  readonly createDeserializer?: (context: SourceReaderContext) => KafkaRecordDeserializer<T>;
  /** Commit offsets to the group when a checkpoint completes; default true when a group is set. */
  readonly commitOffsetsOnCheckpoint?: boolean;
  /** Prefix of the clients' ids (`client.id.prefix`); default `runnel-kafka-source`. */
  readonly clientIdPrefix?: string;
  /** Records a reader buffers at most (back-pressure bound); default 10 000. */
  readonly maxBufferedRecords?: number;
  /** Records a reader emits per poll of the runtime at most; default 1 024. */
  readonly maxRecordsPerPoll?: number;
  /** How long one fetch waits for records; default 500 ms. */
  readonly pollTimeoutMs?: number;
}

/**
 * Reads Kafka topics: one split per topic partition.
 *
 * @public
 */
export class KafkaSource<T> implements Source<T, KafkaPartitionSplit, KafkaEnumeratorState> {
  readonly boundedness: Boundedness;
  readonly splitSerializer: VersionedSerializer<KafkaPartitionSplit> = kafkaPartitionSplitSerializer;
  readonly enumeratorStateSerializer: VersionedSerializer<KafkaEnumeratorState> = kafkaEnumeratorStateSerializer;

  constructor(readonly settings: KafkaSourceSettings<T>) {
    if (settings.brokers.length === 0) throw new Error('kafka source: no bootstrap servers');
    const sub = settings.subscription;
    if ('topics' in sub && sub.topics.length === 0) throw new Error('kafka source: no topics to read');
    const interval = settings.partitionDiscoveryIntervalMs;
    if (settings.deserializer === undefined && settings.createDeserializer === undefined) throw new Error('kafka source: no deserializer');
    if (interval !== undefined && !(interval >= 0)) throw new RangeError(`kafka source: the partition discovery interval must be >= 0 ms, got ${interval}`);
    this.boundedness = settings.stoppingOffsets === undefined ? 'continuous-unbounded' : 'bounded';
  }

  /**
   * A builder: `KafkaSource.builder<T>().setBootstrapServers('h:9092').setTopics('t').setDeserializer(...).build()`.
   */
  static builder<T>(): KafkaSourceBuilder<T> {
    return new KafkaSourceBuilder<T>((settings) => new KafkaSource<T>(settings));
  }

  createEnumerator(context: SplitEnumeratorContext<KafkaPartitionSplit>): SplitEnumerator<KafkaPartitionSplit, KafkaEnumeratorState> {
    return new KafkaSourceEnumerator(context, this.enumeratorSettings());
  }

  restoreEnumerator(
    context: SplitEnumeratorContext<KafkaPartitionSplit>,
    state: KafkaEnumeratorState,
  ): SplitEnumerator<KafkaPartitionSplit, KafkaEnumeratorState> {
    return new KafkaSourceEnumerator(context, this.enumeratorSettings(), state);
  }

  createReader(context: SourceReaderContext): SourceReader<T, KafkaPartitionSplit> {
    const s = this.settings;
    return new KafkaSourceReader<T>(context, {
      clientFactory: s.clientFactory,
      clientConfig: this.clientConfig(String(context.subtaskIndex)),
      deserializer: s.createDeserializer?.(context) ?? s.deserializer!,
      groupId: s.groupId,
      commitOffsetsOnCheckpoint: s.commitOffsetsOnCheckpoint,
      maxBufferedRecords: s.maxBufferedRecords,
      maxRecordsPerPoll: s.maxRecordsPerPoll,
      pollTimeoutMs: s.pollTimeoutMs,
    });
  }

  private enumeratorSettings(): ConstructorParameters<typeof KafkaSourceEnumerator>[1] {
    const s = this.settings;
    return {
      clientFactory: s.clientFactory,
      clientConfig: this.clientConfig('enumerator'),
      subscription: s.subscription,
      groupId: s.groupId,
      startingOffsets: s.startingOffsets,
      stoppingOffsets: s.stoppingOffsets,
      partitionDiscoveryIntervalMs: s.partitionDiscoveryIntervalMs,
    };
  }

  private clientConfig(suffix: string): KafkaClientConfig {
    const properties = this.settings.properties ?? {};
    const prefix = this.settings.clientIdPrefix ?? properties['client.id.prefix'] ?? 'runnel-kafka-source';
    return { brokers: this.settings.brokers, clientId: `${prefix}-${suffix}`, properties };
  }
}
