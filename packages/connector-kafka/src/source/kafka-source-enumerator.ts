// The split enumerator of the Kafka source (Flink's `KafkaSourceEnumerator`): discovers the partitions of the
// subscribed topics (a list, or every topic matching a pattern) on the coordinator, once or every discovery interval,
// resolves each new partition's starting offset (the startup mode for partitions of the first discovery, the
// earliest offset for partitions found later, as Flink does) and stopping offset (bounded reads), and assigns each
// split to the reader Flink's rule picks: the topic's hash gives a start index, partitions follow round robin from
// there (`kafkaSplitOwner`), so a partition always goes to the same reader at a given parallelism. Splits wait for
// their reader to register; splits of a failed reader come back and wait for it again. A bounded source discovers
// once and tells each reader "no more splits" after its splits; an unbounded one never does (a later discovery may
// find more). Discovery runs through `callAsync` (never twice at once); a retriable error of a periodic discovery is
// counted and retried at the next interval, any other error fails the job.
import type { SplitEnumerator, SplitEnumeratorContext } from '@runnel/api';
import { KafkaClientError, partitionKey, type KafkaClient, type KafkaClientConfig, type KafkaClientFactory, type TopicPartition } from '../client/kafka-client.js';
import type { KafkaEnumeratorState } from './kafka-enumerator-state.js';
import { kafkaPartitionSplit, type KafkaPartitionSplit } from './kafka-partition-split.js';
import { OffsetsInitializer, resolveOffsets } from './offsets-initializer.js';

/**
 * Which topics a source reads.
 *
 * @public
 */
export type KafkaSubscription = { readonly topics: readonly string[] } | { readonly topicPattern: RegExp };

/**
 * Settings of the {@link KafkaSourceEnumerator}.
 *
 * @public
 */
export interface KafkaSourceEnumeratorSettings {
  readonly clientFactory: KafkaClientFactory;
  readonly clientConfig: KafkaClientConfig;
  readonly subscription: KafkaSubscription;
  readonly groupId: string | undefined;
  readonly startingOffsets: OffsetsInitializer;
  /** Present for a bounded source. */
  readonly stoppingOffsets: OffsetsInitializer | undefined;
  /** 0 or undefined: discover once. Ignored by a bounded source, which discovers once. */
  readonly partitionDiscoveryIntervalMs: number | undefined;
}

/**
 * The reader (subtask) that reads a partition at a parallelism: Flink's `KafkaSourceEnumerator.getSplitOwner` —
 * `((hash(topic) * 31) & 0x7fffffff) % parallelism` is the topic's start index, partition `p` goes `p` readers on,
 * with Java's `String.hashCode`.
 *
 * @public
 */
export function kafkaSplitOwner(tp: TopicPartition, parallelism: number): number {
  let h = 0;
  for (let i = 0; i < tp.topic.length; i++) h = (Math.imul(h, 31) + tp.topic.charCodeAt(i)) | 0;
  const start = (Math.imul(h, 31) & 0x7fffffff) % parallelism;
  return (start + tp.partition) % parallelism;
}

/** The outcome of one discovery: the new splits, or nothing when one was still running. */
type Discovery = { readonly splits: readonly KafkaPartitionSplit[] } | { readonly skipped: true };

/**
 * Discovers and assigns the partitions of a Kafka source.
 *
 * @public
 */
export class KafkaSourceEnumerator implements SplitEnumerator<KafkaPartitionSplit, KafkaEnumeratorState> {
  /** Partitions handed to readers. */
  private readonly assigned = new Map<string, TopicPartition>();
  /** Discovered, not handed out yet, by owner. */
  private readonly pending = new Map<number, KafkaPartitionSplit[]>();
  private initialDiscoveryFinished: boolean;
  private client: KafkaClient | undefined;
  private connecting: Promise<KafkaClient> | undefined;
  private discovering = false;
  private closed = false;
  /** Discoveries that failed with a retriable error (retried at the next interval). */
  failedDiscoveries = 0;

  constructor(
    private readonly context: SplitEnumeratorContext<KafkaPartitionSplit>,
    private readonly settings: KafkaSourceEnumeratorSettings,
    restored?: KafkaEnumeratorState,
  ) {
    this.initialDiscoveryFinished = restored?.initialDiscoveryFinished ?? false;
    for (const tp of restored?.assignedPartitions ?? []) this.assigned.set(partitionKey(tp), { topic: tp.topic, partition: tp.partition });
    for (const s of restored?.pendingSplits ?? []) this.addPending(s);
  }

  private get bounded(): boolean {
    return this.settings.stoppingOffsets !== undefined;
  }

  private get periodic(): boolean {
    const interval = this.settings.partitionDiscoveryIntervalMs;
    return !this.bounded && interval !== undefined && interval > 0;
  }

  start(): void {
    const handler = (result: Discovery | undefined, error: unknown): void => this.onDiscovery(result, error);
    if (this.periodic) this.context.callAsync(() => this.discover(), handler, this.settings.partitionDiscoveryIntervalMs);
    else if (this.bounded && this.initialDiscoveryFinished) this.assignPending();
    else this.context.callAsync(() => this.discover(), handler);
  }

  handleSplitRequest(): void {
    // Splits are pushed to their owners; readers never need to ask.
  }

  addSplitsBack(splits: readonly KafkaPartitionSplit[], subtask: number): void {
    // A failed reader's splits since the last checkpoint: they wait for that reader to come back.
    for (const s of splits) {
      this.assigned.delete(s.splitId);
      this.addPending(s, subtask);
    }
    if (this.context.registeredReaders().includes(subtask)) this.assignPending([subtask]);
  }

  addReader(subtask: number): void {
    this.assignPending([subtask]);
  }

  snapshotState(): KafkaEnumeratorState {
    return {
      assignedPartitions: [...this.assigned.values()],
      pendingSplits: [...this.pending.values()].flat(),
      initialDiscoveryFinished: this.initialDiscoveryFinished,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const c = this.client ?? (await this.connecting?.catch(() => undefined));
    await c?.close();
  }

  /** Every partition the enumerator knows (assigned or pending). */
  knownPartitions(): string[] {
    return [...this.assigned.keys(), ...[...this.pending.values()].flat().map((s) => s.splitId)].sort();
  }

  private addPending(split: KafkaPartitionSplit, owner = kafkaSplitOwner(split, this.context.currentParallelism)): void {
    let list = this.pending.get(owner);
    if (list === undefined) this.pending.set(owner, (list = []));
    if (!list.some((s) => s.splitId === split.splitId)) list.push(split);
  }

  private connected(): Promise<KafkaClient> {
    if (this.client !== undefined) return Promise.resolve(this.client);
    this.connecting ??= (async () => {
      const c = this.settings.clientFactory(this.settings.clientConfig);
      try {
        await c.connect();
      } catch (e) {
        this.connecting = undefined;
        await c.close().catch(() => undefined);
        throw e;
      }
      this.client = c;
      return c;
    })();
    return this.connecting;
  }

  /** Lists the subscribed partitions and resolves the offsets of those not known yet (runs off the coordinator's turn). */
  private async discover(): Promise<Discovery> {
    if (this.discovering || this.closed) return { skipped: true };
    this.discovering = true;
    try {
      const client = await this.connected();
      const sub = this.settings.subscription;
      let topics: readonly string[];
      if ('topics' in sub) topics = sub.topics;
      else topics = (await client.listTopics()).filter((t) => sub.topicPattern.test(t)).sort();
      const all = topics.length === 0 ? [] : await client.partitionsFor(topics);
      const known = new Set(this.knownPartitions());
      const fresh = all.filter((tp) => !known.has(partitionKey(tp)));
      if (fresh.length === 0) return { splits: [] };
      // Partitions of the first discovery start where the startup mode says; later ones from their first record.
      const starting = this.initialDiscoveryFinished ? OffsetsInitializer.earliest() : this.settings.startingOffsets;
      const starts = await resolveOffsets(starting, fresh, client, this.settings.groupId, 'starting');
      const stopping = this.settings.stoppingOffsets;
      const stops = stopping === undefined ? undefined : await resolveOffsets(stopping, fresh, client, this.settings.groupId, 'stopping');
      const splits = fresh.map((tp) => {
        const key = partitionKey(tp);
        const start = starts.get(key);
        if (start === undefined) throw new KafkaClientError(`no starting offset was found for ${key}`, 'fatal');
        return kafkaPartitionSplit(tp, start, stops?.get(key));
      });
      return { splits };
    } finally {
      this.discovering = false;
    }
  }

  private onDiscovery(result: Discovery | undefined, error: unknown): void {
    if (this.closed) return;
    if (error !== undefined) {
      if (this.periodic && this.initialDiscoveryFinished && error instanceof KafkaClientError && error.kind === 'retriable') {
        this.failedDiscoveries++;
        return;
      }
      throw error instanceof Error ? error : new Error(String(error));
    }
    if (result === undefined || 'skipped' in result) return; // a discovery was still running
    // Partitions found meanwhile by another path (a split given back) are not added twice.
    const known = new Set(this.knownPartitions());
    for (const s of result.splits) if (!known.has(s.splitId)) this.addPending(s);
    this.initialDiscoveryFinished = true;
    this.assignPending();
  }

  /** Hands pending splits to their owners among `subtasks` (default: every registered reader). */
  private assignPending(subtasks: readonly number[] = this.context.registeredReaders()): void {
    const assignment = new Map<number, KafkaPartitionSplit[]>();
    for (const subtask of subtasks) {
      const splits = this.pending.get(subtask);
      if (splits === undefined || splits.length === 0) continue;
      this.pending.delete(subtask);
      for (const s of splits) this.assigned.set(s.splitId, { topic: s.topic, partition: s.partition });
      assignment.set(subtask, splits);
    }
    if (assignment.size > 0) this.context.assignSplits(assignment);
    // A bounded source has all its splits after the first discovery: each reader learns it once it has them.
    if (this.bounded && this.initialDiscoveryFinished) {
      for (const subtask of subtasks) if (!this.pending.has(subtask)) this.context.signalNoMoreSplits(subtask);
    }
  }
}
