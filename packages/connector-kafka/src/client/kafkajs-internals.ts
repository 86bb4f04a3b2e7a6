// Typed access to the few kafkajs 2.2.4 internals the client needs, in one place.
//
// Why internals at all: kafkajs's public consumer can only read partitions as a member of a consumer group (no
// `assign()`), and a group join costs a rebalance (3 s of `group.initial.rebalance.delay.ms` on a real broker, 3-4 s
// on Mokapi) every time a reader's partitions change, and disturbs every other member. A Flink-style source assigns
// partitions itself, so the fetcher talks to the brokers directly through kafkajs's `Cluster` (metadata, leaders,
// connections, SASL/SSL) and `Broker.fetch` (the Fetch API with kafkajs's record decoding), as kafkajs's own consumer
// does underneath. Committed offsets go through the coordinator's OffsetFetch/OffsetCommit the same way.
//
// The trade-off: these are not kafkajs's public API. The dependency is pinned to exactly 2.2.4 (and kafkajs has had
// no release since 2023), the accessors below check the shapes at first use so a different version fails with a
// clear message instead of misbehaving, and the client's tests exercise every path against a Kafka-protocol server.
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import type { Kafka } from 'kafkajs';

/** A message as kafkajs's record-batch decoder returns it (offsets and timestamps as decimal strings). */
export interface DecodedMessage {
  readonly offset: string;
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  /** A header key that occurs more than once maps to an array, in order. */
  readonly headers: Readonly<Record<string, Buffer | null | (Buffer | null)[]>>;
  readonly isControlRecord: boolean;
  readonly batchContext?: {
    readonly firstOffset: string;
    readonly lastOffsetDelta: number;
    readonly partitionLeaderEpoch: number;
    /** 0: CreateTime, 1: LogAppendTime. */
    readonly timestampType: number;
    readonly producerId: string;
    readonly inTransaction: boolean;
  };
}

/** One partition of a Fetch response, decoded. */
export interface FetchPartitionData {
  readonly partition: number;
  readonly errorCode: number;
  readonly highWatermark: string;
  readonly abortedTransactions: readonly { producerId: string; firstOffset: string }[];
  readonly messages: readonly DecodedMessage[];
}

/** The topic/partition entries of requests in kafkajs's shape. */
export interface PartitionRequest<P> {
  readonly topic: string;
  readonly partitions: readonly P[];
}

/** A connection to one broker (pooled by the cluster). */
export interface InternalBroker {
  readonly nodeId?: number;
  fetch(request: {
    maxWaitTime: number;
    minBytes: number;
    maxBytes: number;
    isolationLevel: number;
    topics: PartitionRequest<{ partition: number; fetchOffset: string; maxBytes: number }>[];
    rackId?: string;
  }): Promise<{ responses: { topicName: string; partitions: FetchPartitionData[] }[] }>;
  offsetFetch(request: {
    groupId: string;
    topics: PartitionRequest<{ partition: number }>[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; offset: string; errorCode: number }[] }[] }>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    topics: PartitionRequest<{ partition: number; offset: string }>[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number }[] }[] }>;
  describeGroups(request: { groupIds: string[] }): Promise<{ groups: { groupId: string; errorCode: number; state: string; members: unknown[] }[] }>;
  joinGroup(request: {
    groupId: string;
    sessionTimeout: number;
    rebalanceTimeout: number;
    memberId?: string;
    protocolType?: string;
    groupProtocols: { name: string; metadata: Buffer }[];
  }): Promise<{ generationId: number; memberId: string; leaderId: string }>;
  syncGroup(request: {
    groupId: string;
    generationId: number;
    memberId: string;
    groupAssignment: { memberId: string; memberAssignment: Buffer }[];
  }): Promise<unknown>;
}

/** kafkajs's cluster: metadata cache, broker pool, coordinators. */
export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  refreshMetadata(): Promise<void>;
  /** Adds topics to the metadata the cluster keeps, refreshing it when the set grew. */
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  /** A fresh Metadata request (all topics when `topics` is empty). */
  metadata(options?: { topics?: string[] }): Promise<{
    topicMetadata: { topic: string; topicErrorCode: number; partitionMetadata: { partitionId: number; leader: number }[] }[];
  }>;
  /** Leader node id (as a string key) to partitions, from the cached metadata. */
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(options: { nodeId: number | string }): Promise<InternalBroker>;
  findGroupCoordinator(options: { groupId: string }): Promise<InternalBroker>;
  fetchTopicsOffset(
    topics: { topic: string; partitions: { partition: number }[]; fromBeginning?: boolean; fromTimestamp?: number }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

type AbortedFilter = (options: {
  messages: readonly DecodedMessage[];
  abortedTransactions: FetchPartitionData['abortedTransactions'];
}) => DecodedMessage[];
type CreateCluster = (options: {
  metadataMaxAge?: number;
  allowAutoTopicCreation?: boolean;
  isolationLevel?: number;
}) => InternalCluster;

const require = createRequire(import.meta.url);
let abortedFilter: AbortedFilter | undefined;

/**
 * kafkajs's filter of the records of aborted transactions (src/consumer/filterAbortedMessages.js): given a fetch's
 * decoded messages, control records included (the abort markers end a transaction), and the response's aborted
 * transactions, keeps the rest.
 */
export function filterAbortedMessages(): AbortedFilter {
  abortedFilter ??= require('kafkajs/src/consumer/filterAbortedMessages.js') as AbortedFilter;
  if (typeof abortedFilter !== 'function') throw internalsMismatch('src/consumer/filterAbortedMessages.js is not a function');
  return abortedFilter;
}

/**
 * A `Cluster` configured like the `Kafka` instance's own (brokers, SSL, SASL, timeouts, retry, logger), through the
 * instance's private factory: the same path kafkajs's producer, consumer and admin take.
 */
export function createCluster(kafka: Kafka, options: Parameters<CreateCluster>[0]): InternalCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const factory = symbol === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[symbol];
  if (typeof factory !== 'function') throw internalsMismatch('Kafka has no private createCluster factory');
  const cluster = (factory as CreateCluster)(options);
  for (const method of ['connect', 'findLeaderForPartitions', 'findBroker', 'findGroupCoordinator', 'fetchTopicsOffset'] as const) {
    if (typeof cluster[method] !== 'function') throw internalsMismatch(`Cluster has no ${method}()`);
  }
  return cluster;
}

/** kafkajs's `AssignerProtocol` (public), typed for the one encoding the group-offset fallback needs. */
export const assignerProtocol = (kafkajs as unknown as {
  AssignerProtocol: {
    MemberMetadata: { encode(metadata: { version: number; topics: string[]; userData?: Buffer }): Buffer };
    MemberAssignment: { encode(assignment: { version: number; assignment: Record<string, number[]>; userData?: Buffer }): Buffer };
  };
}).AssignerProtocol;

function internalsMismatch(what: string): Error {
  return new Error(
    `@runnel/connector-kafka needs kafkajs 2.2.4 (it uses kafkajs internals for partition assignment): ${what}; ` +
      `check that the installed kafkajs is exactly 2.2.4`,
  );
}
