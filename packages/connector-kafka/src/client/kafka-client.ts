// The narrow interface the Kafka connector talks to, so that the client library is a replaceable part (kafkajs
// today; `@platformatic/kafka` was measured against it): metadata and offset lookups, committing a group's offsets,
// fetching assigned partitions from given offsets (no group membership: the split enumerator assigns partitions,
// as Flink's KafkaSource does), and producing (idempotent, or in transactions). Offsets are JavaScript numbers
// (safe integers reach 2^53, far beyond any partition's offsets). Implementations translate the library's errors
// into `KafkaClientError`s with Runnel's error kinds.

/**
 * A topic partition.
 *
 * @public
 */
export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/**
 * A record as fetched.
 *
 * @public
 */
export interface KafkaRecord {
  readonly offset: number;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
  readonly timestampType: 'CreateTime' | 'LogAppendTime';
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly headers: readonly (readonly [string, Uint8Array | null])[];
  readonly leaderEpoch?: number;
}

/**
 * Records of one partition from one fetch, in offset order.
 *
 * @public
 */
export interface FetchedBatch extends TopicPartition {
  readonly records: readonly KafkaRecord[];
  /** The partition's end offset (the next offset to be written) when fetched: lag = highWatermark - next offset. */
  readonly highWatermark: number;
}

/**
 * Fetches assigned partitions from positions the caller controls (the source reader's splits).
 *
 * @public
 */
export interface PartitionFetcher {
  /** Starts (or moves) fetching these partitions at these offsets (the next offset to read). */
  assign(positions: readonly (TopicPartition & { readonly offset: number })[]): void;
  /** Stops fetching these partitions. */
  unassign(partitions: readonly TopicPartition[]): void;
  /**
   * The records fetched since the last call, at most about `maxRecords` (back-pressure: the fetcher does not fetch
   * further ahead than its buffer), waiting at most `timeoutMs` when none are buffered. Resolves empty on timeout.
   */
  poll(maxRecords: number, timeoutMs: number): Promise<readonly FetchedBatch[]>;
  /** Idempotent. */
  close(): Promise<void>;
}

/**
 * A record to produce.
 *
 * @public
 */
export interface OutgoingRecord {
  readonly topic: string;
  /** Undefined: the client's default partitioner (murmur2 of the key, as Kafka's). */
  readonly partition?: number;
  readonly key: Uint8Array | string | null;
  /** Null: a tombstone. */
  readonly value: Uint8Array | string | null;
  readonly headers?: readonly (readonly [string, Uint8Array | string])[];
  /** Milliseconds since the epoch; undefined: the time of sending. */
  readonly timestamp?: number;
}

/**
 * Sends records.
 *
 * @public
 */
export interface KafkaProducer {
  connect(): Promise<void>;
  /** Sends records and resolves when the broker acknowledged them (acks=all). */
  send(records: readonly OutgoingRecord[]): Promise<void>;
  /** Transactions (exactly-once); present only for a producer created with a transactional id. */
  beginTransaction?(): Promise<void>;
  commitTransaction?(): Promise<void>;
  abortTransaction?(): Promise<void>;
  /** Idempotent. */
  close(): Promise<void>;
}

/**
 * How to reach the cluster.
 *
 * @public
 */
export interface KafkaClientConfig {
  /** `host:port` of the bootstrap servers (`properties.bootstrap.servers`). */
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** The table's other `properties.*` (without the prefix), handed to the client where it has a matching setting. */
  readonly properties: Readonly<Record<string, string>>;
}

/**
 * A connection to a Kafka cluster.
 *
 * @public
 */
export interface KafkaClient {
  connect(): Promise<void>;
  /** Topic names (for `topic-pattern`). */
  listTopics(): Promise<string[]>;
  /** The partitions of these topics (unknown topics fail with a configuration error naming them). */
  partitionsFor(topics: readonly string[]): Promise<TopicPartition[]>;
  /** The first offset of each partition. */
  earliestOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>>;
  /** The end offset (next to be written) of each partition. */
  latestOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>>;
  /** The first offset whose timestamp is at or after `timestamp`, per partition (the end offset when none). */
  offsetsForTimestamp(partitions: readonly TopicPartition[], timestamp: number): Promise<Map<string, number>>;
  /** A group's committed offsets (undefined where the group has none). */
  committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number | undefined>>;
  /** Commits offsets (the next offset to read) for a group, without joining it. */
  commitOffsets(groupId: string, offsets: readonly (TopicPartition & { readonly offset: number })[]): Promise<void>;
  createFetcher(options: { readonly maxBufferedRecords: number }): PartitionFetcher;
  createProducer(options: { readonly idempotent: boolean; readonly transactionalId?: string }): KafkaProducer;
  /** Idempotent. */
  close(): Promise<void>;
}

/**
 * Creates clients (one per reader, writer and enumerator).
 *
 * @public
 */
export type KafkaClientFactory = (config: KafkaClientConfig) => KafkaClient;

/**
 * The key of a topic partition in maps: `topic-partition`, as Kafka prints it.
 *
 * @public
 */
export function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/**
 * A client error with Runnel's error kind: `retriable` (the connector retries), `fatal` (the job fails) or
 * `configuration` (the user must fix an option; the message says which).
 *
 * @public
 */
export class KafkaClientError extends Error {
  override readonly name = 'KafkaClientError';
  constructor(
    message: string,
    readonly kind: 'retriable' | 'fatal' | 'configuration',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
