// The reader of the Kafka source (Flink's `KafkaSourceReader`): one client and one `PartitionFetcher` per subtask,
// fed the positions of its splits. A background loop keeps one `poll` of the fetcher outstanding and queues the
// batches it returns; `pollNext` (synchronous, as the runtime calls it) emits queued records up to a budget, each
// through its partition's own output (so watermarks are generated per partition and the runtime's idleness timeout
// applies per partition: a partition that receives nothing stops holding the watermark back) with the record's
// timestamp. The loop never asks for more than the queue's room (`maxBufferedRecords`) and pauses while the queue is
// over half full, so a slow job holds at most that much (plus the fetcher's own buffer) in memory: back-pressure,
// not the topic's size, bounds what is fetched. Nothing is allocated per record but what the deserializer makes.
//
// Positions: each split remembers the offset of the next record to emit, which is what a checkpoint stores; records
// below it (a batch fetched before a seek, or again after a restore) are skipped, so a record is emitted once per
// position. A bounded split ends at its stopping offset: its output is released and its partition unassigned.
// When a checkpoint completes, the offsets it stored are committed to `properties.group.id` (for monitoring, as
// Flink does: a failed commit is counted, never fatal; positions come from checkpoints, not from the group).
//
// A subtask without partitions (more subtasks than partitions) holds a placeholder split output while it has none,
// so that the runtime's idleness timeout (`table.exec.source.idle-timeout`, `WatermarkStrategy.withIdleness`) marks
// it idle: without the timeout it holds the watermark back, as Flink's Kafka source does.
import type { InputStatus, ReaderOutput, SourceReader, SourceReaderContext } from '@runnel/api';
import { FormatError } from '@runnel/api/table';
import {
  KafkaClientError,
  partitionKey,
  type FetchedBatch,
  type KafkaClient,
  type KafkaClientConfig,
  type KafkaClientFactory,
  type KafkaRecord,
  type PartitionFetcher,
  type TopicPartition,
} from '../client/kafka-client.js';
import { AvailabilitySignal } from './availability-signal.js';
import type { KafkaPartitionSplit } from './kafka-partition-split.js';
import type { KafkaRecordDeserializer } from './kafka-record-deserializer.js';

/**
 * Settings of the {@link KafkaSourceReader}.
 *
 * @public
 */
export interface KafkaSourceReaderSettings<T> {
  readonly clientFactory: KafkaClientFactory;
  readonly clientConfig: KafkaClientConfig;
  readonly deserializer: KafkaRecordDeserializer<T>;
  /** The group completed checkpoints' offsets are committed to; undefined: no commits. */
  readonly groupId: string | undefined;
  /** Commit offsets when a checkpoint completes (`commit.offsets.on.checkpoint`); default true with a group. */
  readonly commitOffsetsOnCheckpoint?: boolean;
  /** Records queued in the reader (and buffered by the fetcher) at most; default 10 000. */
  readonly maxBufferedRecords?: number;
  /** Records asked of the fetcher per poll; default 2 048. */
  readonly maxRecordsPerFetch?: number;
  /** Records emitted per `pollNext` at most; default 1 024. */
  readonly maxRecordsPerPoll?: number;
  /** How long one fetcher poll waits for records; default 500 ms. */
  readonly pollTimeoutMs?: number;
  /** Pause after a retriable fetch error; default 100 ms. */
  readonly retryBackoffMs?: number;
}

/** The placeholder output of a subtask without partitions (see the module comment). */
const NO_PARTITIONS = '<kafka: no partitions assigned>';

interface PartitionState<T> {
  readonly split: KafkaPartitionSplit;
  readonly tp: TopicPartition;
  readonly key: string;
  /** The next offset to emit (what a checkpoint stores). */
  next: number;
  readonly stop: number | undefined;
  /** Created in the first `pollNext` after the split arrived. */
  output: ReaderOutput<T> | undefined;
  /** Emits a value through `output` with the timestamp of the record being deserialized. */
  readonly emit: (value: T) => void;
  /** The timestamp of the record being deserialized. */
  timestamp: number;
  /** The partition's end offset at its last fetch (lag = highWatermark - next). */
  highWatermark: number | undefined;
  /** The offset last committed to the group. */
  committed: number | undefined;
}

interface QueuedBatch {
  readonly batch: FetchedBatch;
  /** Next record of `batch.records` to look at. */
  index: number;
  readonly fetchedAt: number;
}

/**
 * Reads the partitions assigned to one subtask.
 *
 * @public
 */
export class KafkaSourceReader<T> implements SourceReader<T, KafkaPartitionSplit> {
  private readonly partitions = new Map<string, PartitionState<T>>();
  /** Splits added and not yet given an output (that happens in `pollNext`, which has the output). */
  private readonly starting: PartitionState<T>[] = [];
  private readonly queue: QueuedBatch[] = [];
  private queuedRecords = 0;
  private noMoreSplits = false;
  private client: KafkaClient | undefined;
  private fetcher: PartitionFetcher | undefined;
  private readonly signal = new AvailabilitySignal();
  /** Wakes the fetch loop when the queue drained or the reader closes. */
  private readonly drained = new AvailabilitySignal();
  private failure: { error: unknown } | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;
  private placeholder = false;
  /** Offsets stored by each checkpoint not yet completed, by checkpoint id. */
  private readonly toCommit = new Map<number, Map<string, TopicPartition & { offset: number }>>();
  /** Final offsets of splits that ended, committed with the next completed checkpoint. */
  private readonly finishedOffsets = new Map<string, TopicPartition & { offset: number }>();
  private readonly commits = new Set<Promise<void>>();
  private readonly maxBuffered: number;
  /** Fetching resumes when the queue holds this many records or fewer. */
  private readonly resumeAt: number;
  private readonly maxPerFetch: number;
  private readonly maxPerPoll: number;
  private readonly pollTimeoutMs: number;
  private readonly backoffMs: number;
  private readonly commitEnabled: boolean;
  private readonly counters;
  private lastFetchLag = Number.NaN;
  private lastEmitLag = Number.NaN;

  constructor(
    private readonly context: SourceReaderContext,
    private readonly settings: KafkaSourceReaderSettings<T>,
  ) {
    this.maxBuffered = settings.maxBufferedRecords ?? 10_000;
    this.resumeAt = Math.floor(this.maxBuffered / 2);
    this.maxPerFetch = settings.maxRecordsPerFetch ?? 2048;
    this.maxPerPoll = settings.maxRecordsPerPoll ?? 1024;
    this.pollTimeoutMs = settings.pollTimeoutMs ?? 500;
    this.backoffMs = settings.retryBackoffMs ?? 100;
    for (const [name, v] of [['maxBufferedRecords', this.maxBuffered], ['maxRecordsPerFetch', this.maxPerFetch], ['maxRecordsPerPoll', this.maxPerPoll]] as const) {
      if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`kafka source: ${name} must be a positive integer, got ${v}`);
    }
    this.commitEnabled = settings.groupId !== undefined && settings.groupId !== '' && settings.commitOffsetsOnCheckpoint !== false;
    const g = context.metricGroup;
    const kafka = g.addGroup('KafkaSourceReader');
    this.counters = {
      commitsSucceeded: kafka.counter('commitsSucceeded'),
      commitsFailed: kafka.counter('commitsFailed'),
      fetchErrors: kafka.counter('fetchErrors'),
    };
    g.gauge('pendingRecords', () => this.pendingRecords());
    g.gauge('currentFetchEventTimeLag', () => this.lastFetchLag);
    g.gauge('currentEmitEventTimeLag', () => this.lastEmitLag);
  }

  /** Records behind the partitions' end offsets at their last fetch (Flink's `pendingRecords`). */
  pendingRecords(): number {
    let lag = 0;
    for (const p of this.partitions.values()) if (p.highWatermark !== undefined) lag += Math.max(0, p.highWatermark - p.next);
    return lag;
  }

  async start(): Promise<void> {
    const client = this.settings.clientFactory(this.settings.clientConfig);
    this.client = client;
    await client.connect();
    if (this.closed) return;
    this.fetcher = client.createFetcher({ maxBufferedRecords: this.maxBuffered });
    const positions = [...this.partitions.values()].filter((p) => p.stop === undefined || p.next < p.stop).map((p) => ({ ...p.tp, offset: p.next }));
    if (positions.length > 0) this.fetcher.assign(positions);
    void this.fetchLoop();
  }

  addSplits(splits: readonly KafkaPartitionSplit[]): void {
    const positions: (TopicPartition & { offset: number })[] = [];
    for (const split of splits) {
      const key = partitionKey(split);
      if (this.partitions.has(key)) continue; // already reading it (a duplicate assignment must not rewind)
      const state: PartitionState<T> = {
        split,
        tp: { topic: split.topic, partition: split.partition },
        key,
        next: split.startingOffset,
        stop: split.stoppingOffset,
        output: undefined,
        emit: (value: T) => state.output!.collect(value, state.timestamp),
        timestamp: 0,
        highWatermark: undefined,
        committed: undefined,
      };
      this.partitions.set(key, state);
      this.starting.push(state);
      if (state.stop === undefined || state.next < state.stop) positions.push({ ...state.tp, offset: state.next });
      this.registerPartitionMetrics(state);
    }
    if (positions.length > 0) this.fetcher?.assign(positions);
    this.signal.notify();
  }

  notifyNoMoreSplits(): void {
    this.noMoreSplits = true;
    this.signal.notify();
  }

  pollNext(output: ReaderOutput<T>): InputStatus {
    if (this.failure !== undefined) throw this.failure.error;
    if (this.starting.length > 0) this.startSplits(output);
    // The budget counts records read (not values emitted), so a run of dropped records cannot stall the task.
    let budget = this.maxPerPoll;
    while (this.queue.length > 0 && budget > 0) {
      const q = this.queue[0]!;
      const from = q.index;
      budget -= this.emitBatch(q, budget, output);
      this.queuedRecords -= q.index - from;
      if (q.index >= q.batch.records.length) this.queue.shift();
    }
    if (this.queuedRecords <= this.resumeAt) this.drained.notify();
    if (this.queue.length > 0) return 'more-available';
    if (this.partitions.size === 0) {
      if (this.noMoreSplits) {
        this.releasePlaceholder(output);
        return 'end-of-input';
      }
      this.holdPlaceholder(output);
    }
    return 'nothing-available';
  }

  isAvailable(): Promise<void> {
    if (this.failure !== undefined || this.closed || this.queue.length > 0 || this.starting.length > 0) return Promise.resolve();
    if (this.partitions.size === 0 && this.noMoreSplits) return Promise.resolve();
    return this.signal.promise();
  }

  snapshotState(checkpointId: number): KafkaPartitionSplit[] {
    const splits: KafkaPartitionSplit[] = [];
    const offsets = new Map(this.finishedOffsets);
    for (const p of this.partitions.values()) {
      splits.push(p.next === p.split.startingOffset ? p.split : { ...p.split, startingOffset: p.next });
      offsets.set(p.key, { ...p.tp, offset: p.next });
    }
    if (this.commitEnabled) this.toCommit.set(checkpointId, offsets);
    return splits;
  }

  notifyCheckpointComplete(checkpointId: number): void {
    if (!this.commitEnabled) return;
    // The newest checkpoint at or before this one wins; older pending ones are covered by it.
    let chosen: Map<string, TopicPartition & { offset: number }> | undefined;
    let chosenId = Number.NEGATIVE_INFINITY; // the final snapshot has id -1
    for (const [id, offsets] of this.toCommit) {
      if (id > checkpointId) continue;
      if (id > chosenId) {
        chosenId = id;
        chosen = offsets;
      }
      this.toCommit.delete(id);
    }
    if (chosen === undefined || chosen.size === 0 || this.client === undefined) return;
    const offsets = [...chosen.values()];
    const client = this.client;
    const commit = client.commitOffsets(this.settings.groupId!, offsets).then(
      () => {
        this.counters.commitsSucceeded.inc();
        for (const o of offsets) {
          const p = this.partitions.get(partitionKey(o));
          if (p !== undefined) p.committed = o.offset;
          const f = this.finishedOffsets.get(partitionKey(o));
          if (f !== undefined && f.offset === o.offset) this.finishedOffsets.delete(partitionKey(o));
        }
      },
      () => {
        // Offsets in the group are for monitoring: a failed commit is counted, and the next checkpoint's commit
        // carries newer offsets anyway.
        this.counters.commitsFailed.inc();
      },
    );
    this.commits.add(commit);
    void commit.finally(() => this.commits.delete(commit));
  }

  /** Commits in flight settle (tests, and `close`). */
  async flushCommits(): Promise<void> {
    await Promise.all([...this.commits]);
  }

  close(): Promise<void> {
    this.closing ??= this.closeNow();
    return this.closing;
  }

  private async closeNow(): Promise<void> {
    this.closed = true;
    this.signal.notify();
    this.drained.notify();
    // The fetch loop ends by itself: a pending poll settles when the fetcher closes, and the loop sees `closed`.
    await this.fetcher?.close().catch(() => undefined);
    await this.flushCommits();
    await this.client?.close().catch(() => undefined);
  }

  /** Gives new splits their outputs; splits that are already at their end finish at once. */
  private startSplits(output: ReaderOutput<T>): void {
    this.releasePlaceholder(output);
    for (const p of this.starting.splice(0)) {
      if (this.partitions.get(p.key) !== p) continue;
      p.output = output.createOutputForSplit(p.key);
      if (p.stop !== undefined && p.next >= p.stop) this.finish(p, output);
    }
  }

  /** Emits records of a queued batch, at most `budget` of them; returns how many were read. */
  private emitBatch(q: QueuedBatch, budget: number, output: ReaderOutput<T>): number {
    const batch = q.batch;
    const p = this.partitions.get(partitionKey(batch));
    const records = batch.records;
    if (p === undefined) {
      // Fetched for a partition this reader no longer reads (its split ended): dropped.
      const n = records.length - q.index;
      q.index = records.length;
      return n;
    }
    p.highWatermark = batch.highWatermark;
    const deserialize = this.settings.deserializer;
    const stop = p.stop ?? Number.POSITIVE_INFINITY;
    const end = Math.min(records.length, q.index + budget);
    const from = q.index;
    let i = from;
    let last: KafkaRecord | undefined;
    for (; i < end; i++) {
      const r = records[i]!;
      if (r.offset >= stop) {
        i = records.length;
        break;
      }
      if (r.offset < p.next) continue; // read already (fetched before a seek, or again after a restore)
      p.timestamp = r.timestamp;
      try {
        deserialize(r, batch, p.emit);
      } catch (error) {
        // The position stays at the bad record: this failure is the reader's state from now on.
        q.index = i;
        const e = error instanceof FormatError ? error : positioned(error, batch, r.offset);
        this.failure = { error: e };
        throw e;
      }
      p.next = r.offset + 1;
      last = r;
    }
    q.index = i;
    if (last !== undefined) this.lastEmitLag = Date.now() - last.timestamp;
    if (p.stop !== undefined && p.next >= p.stop) this.finish(p, output);
    return Math.max(1, Math.min(i, end) - from);
  }

  /** A bounded split reached its stopping offset. */
  private finish(p: PartitionState<T>, output: ReaderOutput<T>): void {
    this.partitions.delete(p.key);
    this.fetcher?.unassign([p.tp]);
    this.finishedOffsets.set(p.key, { ...p.tp, offset: p.next });
    output.releaseOutputForSplit(p.key);
  }

  private holdPlaceholder(output: ReaderOutput<T>): void {
    if (this.placeholder) return;
    this.placeholder = true;
    output.createOutputForSplit(NO_PARTITIONS);
  }

  private releasePlaceholder(output: ReaderOutput<T>): void {
    if (!this.placeholder) return;
    this.placeholder = false;
    output.releaseOutputForSplit(NO_PARTITIONS);
  }

  /** Keeps one fetcher poll outstanding while the queue has room. */
  private async fetchLoop(): Promise<void> {
    const fetcher = this.fetcher!;
    while (!this.closed) {
      // Hysteresis: once the queue passed half of its room, wait until the task drained it below half, so that
      // fetches stay large instead of topping the queue up a few records at a time.
      if (this.queuedRecords > this.resumeAt) {
        await this.drained.promise();
        continue;
      }
      let batches: readonly FetchedBatch[];
      try {
        batches = await fetcher.poll(Math.min(this.maxPerFetch, this.maxBuffered - this.queuedRecords), this.pollTimeoutMs);
      } catch (error) {
        if (this.closed) return;
        if (error instanceof KafkaClientError && error.kind === 'retriable') {
          this.counters.fetchErrors.inc();
          await new Promise((resolve) => setTimeout(resolve, this.backoffMs));
          continue;
        }
        this.failure = { error: error instanceof Error ? error : new Error(String(error)) };
        this.signal.notify();
        return;
      }
      if (this.closed) return;
      if (batches.length === 0) continue;
      const now = Date.now();
      for (const batch of batches) {
        if (batch.records.length === 0) {
          const p = this.partitions.get(partitionKey(batch));
          if (p !== undefined) p.highWatermark = batch.highWatermark;
          continue;
        }
        this.queue.push({ batch, index: 0, fetchedAt: now });
        this.queuedRecords += batch.records.length;
        this.lastFetchLag = now - batch.records[batch.records.length - 1]!.timestamp;
      }
      this.signal.notify();
    }
  }

  private registerPartitionMetrics(p: PartitionState<T>): void {
    // Flink's KafkaSourceReader.topic.<topic>.partition.<partition>.currentOffset / committedOffset.
    const g = this.context.metricGroup.addGroup('KafkaSourceReader').addGroup('topic', p.tp.topic).addGroup('partition', String(p.tp.partition));
    g.gauge('currentOffset', () => p.next);
    g.gauge('committedOffset', () => p.committed ?? -1);
  }
}

function positioned(error: unknown, tp: TopicPartition, offset: number): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`kafka source: cannot deserialize the record at ${tp.topic}/${tp.partition}, offset ${offset}: ${message}`, { cause: error });
}
