// The kafkajs `PartitionFetcher`: fetches exactly the partitions it is assigned, from the offsets it is given, without
// joining any consumer group (so it never triggers a rebalance, and each reader's assignment changes without the
// 3 s a group join costs). It sends Fetch requests straight to each partition's leader through kafkajs's `Cluster`
// and `Broker.fetch` (see kafkajs-internals.ts), one fetch loop per leader broker, as kafkajs's own consumer does.
//
// Back-pressure: every loop waits for room in the `FetchBuffer` before it sends a request, and keeps no more than
// the room of what a response brings (the rest is fetched again later), so the records held never exceed
// `maxBufferedRecords` however far the reader falls behind. No promise is created per record: per fetch, one request
// and at most one wait.
//
// Positions: each partition has the next offset to fetch and an epoch that `assign` bumps; a response is accepted for
// a partition only if the partition is still assigned at the same epoch and offset it was requested at (a response
// racing an `assign` that moved the partition, or an `unassign`, is dropped). Leadership changes and connection
// failures refresh the metadata and retry with backoff; an offset out of range moves the position as
// `auto.offset.reset` says (latest by default, as Kafka's); anything else fails the fetcher, and the next `poll`
// rejects with the translated error.
import type { Kafka } from 'kafkajs';
import type { FetchedBatch, KafkaRecord, PartitionFetcher, TopicPartition } from './kafka-client.js';
import { KafkaClientError, partitionKey } from './kafka-client.js';
import { FetchBuffer } from './fetch-buffer.js';
import { createCluster, filterAbortedMessages, type DecodedMessage, type FetchPartitionData, type InternalCluster } from './kafkajs-internals.js';
import { kafkajsErrorKind, toKafkaClientError } from './kafkajs-errors.js';
import type { KafkajsSettings } from './kafkajs-properties.js';

interface PartitionState extends TopicPartition {
  readonly key: string;
  /** The next offset to fetch. */
  offset: number;
  /** Bumped when the position is set from outside (assign) or reset: older responses are dropped. */
  epoch: number;
  /** The leader's node id, once metadata placed the partition. */
  leader: number | undefined;
  inFlight: boolean;
  /** An out-of-range position is being reset. */
  resetting: boolean;
}

interface Requested {
  readonly state: PartitionState;
  readonly epoch: number;
  readonly offset: number;
}

const NO_HEADERS: readonly (readonly [string, Uint8Array | null])[] = Object.freeze([]);
/** Bytes a record takes in a record batch besides its key and value (length, attributes, deltas, header count). */
const RECORD_OVERHEAD_BYTES = 12;
/** The smallest fetch size asked for (a broker returns at least one whole record batch anyway). */
const MIN_FETCH_BYTES = 16_384;
/** Consecutive failures of one broker's fetches (each followed by a metadata refresh and backoff) before failing. */
const MAX_FETCH_RETRIES = 10;

/** Fetches assigned partitions through kafkajs's broker connections. */
export class KafkajsPartitionFetcher implements PartitionFetcher {
  private readonly cluster: InternalCluster;
  private readonly buffer: FetchBuffer;
  private readonly states = new Map<string, PartitionState>();
  private readonly loops = new Map<number, Promise<void>>();
  private connecting: Promise<void> | undefined;
  private routing: Promise<void> = Promise.resolve();
  private failure: KafkaClientError | undefined;
  private closing: Promise<void> | undefined;
  private rotation = 0;
  /** Average bytes of a record's key and value (with a fixed overhead) in fetched data; 0 until the first fetch. */
  private recordBytes = 0;
  /** The last sized fetch returned nothing though data was there: ask with the configured sizes next. */
  private starved = false;

  constructor(
    kafka: Kafka,
    private readonly settings: KafkajsSettings,
    maxBufferedRecords: number,
    private readonly warn: (message: string) => void,
  ) {
    this.buffer = new FetchBuffer(maxBufferedRecords);
    this.cluster = createCluster(kafka, {
      metadataMaxAge: settings.metadataMaxAgeMs,
      allowAutoTopicCreation: false,
      isolationLevel: settings.fetch.isolationLevel,
    });
  }

  assign(positions: readonly (TopicPartition & { readonly offset: number })[]): void {
    if (this.closing !== undefined) throw new KafkaClientError('The fetcher is closed', 'fatal');
    for (const position of positions) {
      if (!Number.isSafeInteger(position.offset) || position.offset < 0) {
        throw new KafkaClientError(`Invalid fetch offset ${position.offset} for ${partitionKey(position)}`, 'fatal');
      }
      const key = partitionKey(position);
      let state = this.states.get(key);
      if (state === undefined) {
        state = { topic: position.topic, partition: position.partition, key, offset: 0, epoch: 0, leader: undefined, inFlight: false, resetting: false };
        this.states.set(key, state);
      }
      state.offset = position.offset;
      state.epoch++;
      this.buffer.drop(key);
    }
    if (positions.length > 0) this.route();
  }

  unassign(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) {
      const key = partitionKey(tp);
      this.states.delete(key);
      this.buffer.drop(key);
    }
  }

  async poll(maxRecords: number, timeoutMs: number): Promise<readonly FetchedBatch[]> {
    if (this.failure !== undefined) throw this.failure;
    if (this.closing !== undefined) return [];
    if (this.buffer.size === 0) await this.buffer.waitForRecords(timeoutMs);
    if (this.failure !== undefined) throw this.failure;
    return this.buffer.take(maxRecords);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.buffer.close();
      this.states.clear();
      // Disconnecting fails the requests in flight, so the loops end at once instead of after a long poll.
      await this.cluster.disconnect().catch(() => undefined);
      await Promise.allSettled([...this.loops.values()]);
    })();
    return this.closing;
  }

  /** Places assigned partitions on their leaders (serialized) and starts a loop per leader that has none. */
  private route(): void {
    this.routing = this.routing
      .then(() => this.placePartitions())
      .catch((error: unknown) =>
        this.fail(error, `Looking up the leaders of ${[...new Set([...this.states.values()].map((s) => `'${s.topic}'`))].join(', ')} for the fetcher`),
      );
  }

  private async placePartitions(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.closing !== undefined || this.failure !== undefined) return;
      try {
        this.connecting ??= this.cluster.connect();
        await this.connecting;
        const byTopic = new Map<string, PartitionState[]>();
        for (const state of this.states.values()) {
          let list = byTopic.get(state.topic);
          if (list === undefined) byTopic.set(state.topic, (list = []));
          list.push(state);
        }
        await this.cluster.addMultipleTargetTopics([...byTopic.keys()]);
        let missing = this.assignLeaders(byTopic);
        if (missing.length > 0) {
          // Partitions added since the metadata was cached (partition discovery found them elsewhere).
          await this.cluster.refreshMetadata();
          missing = this.assignLeaders(byTopic);
          if (missing.length > 0) {
            throw new KafkaClientError(`Partition(s) ${missing.join(', ')} do not exist (the fetcher was assigned them)`, 'configuration');
          }
        }
        for (const state of this.states.values()) {
          if (state.leader !== undefined && !this.loops.has(state.leader)) this.startLoop(state.leader);
        }
        return;
      } catch (error) {
        if (kafkajsErrorKind(error) !== 'retriable' || attempt >= MAX_FETCH_RETRIES) throw error;
        await delay(backoffMs(attempt));
      }
    }
  }

  /** Sets each state's leader from the cached metadata; returns the keys of partitions the metadata lacks. */
  private assignLeaders(byTopic: Map<string, PartitionState[]>): string[] {
    const missing: string[] = [];
    for (const [topic, states] of byTopic) {
      const leaders = this.cluster.findLeaderForPartitions(topic, states.map((s) => s.partition));
      const leaderOf = new Map<number, number>();
      for (const [nodeId, partitions] of Object.entries(leaders)) for (const p of partitions) leaderOf.set(p, Number(nodeId));
      for (const state of states) {
        state.leader = leaderOf.get(state.partition);
        if (state.leader === undefined) missing.push(state.key);
      }
    }
    return missing;
  }

  private startLoop(nodeId: number): void {
    const loop = this.fetchLoop(nodeId)
      .catch((error: unknown) => this.fail(error, `Fetching from broker ${nodeId}`))
      .finally(() => {
        if (this.loops.get(nodeId) === loop) this.loops.delete(nodeId);
      });
    this.loops.set(nodeId, loop);
  }

  private async fetchLoop(nodeId: number): Promise<void> {
    const { fetch } = this.settings;
    let failures = 0;
    for (;;) {
      await this.buffer.waitForRoom();
      if (this.closing !== undefined || this.failure !== undefined) return;
      const ready: PartitionState[] = [];
      let assigned = 0;
      for (const state of this.states.values()) {
        if (state.leader !== nodeId) continue;
        assigned++;
        if (!state.inFlight && !state.resetting) ready.push(state);
      }
      // Deciding to end and leaving `loops` happen in the same turn (no await between), so `route` either sees this
      // loop running or starts a new one.
      if (assigned === 0) return;
      if (ready.length === 0) {
        await delay(20);
        continue;
      }
      // Rotate the partition order so that a response's byte limit does not always favour the same partitions.
      const start = this.rotation++ % ready.length;
      const ordered = start === 0 ? ready : [...ready.slice(start), ...ready.slice(0, start)];
      // Ask for about as many bytes as the buffer has room for (by the average record size seen so far): records
      // beyond the room would be dropped and fetched again, which costs the broker and this process twice.
      // A broker returns at least one whole record batch however small the limit (KIP-74); Mokapi returns nothing
      // instead, so after an empty answer with data waiting the next request asks with the configured sizes.
      const maxBytes =
        this.recordBytes === 0 || this.starved
          ? fetch.maxBytes
          : Math.max(MIN_FETCH_BYTES, Math.min(fetch.maxBytes, Math.ceil(this.buffer.room * this.recordBytes * 1.1)));
      const partitionBytes = Math.min(fetch.maxPartitionBytes, maxBytes);
      const requested = new Map<string, Requested>();
      const topics = new Map<string, { partition: number; fetchOffset: string; maxBytes: number }[]>();
      for (const state of ordered) {
        state.inFlight = true;
        requested.set(state.key, { state, epoch: state.epoch, offset: state.offset });
        let list = topics.get(state.topic);
        if (list === undefined) topics.set(state.topic, (list = []));
        list.push({ partition: state.partition, fetchOffset: String(state.offset), maxBytes: partitionBytes });
      }
      const started = Date.now();
      let responses: Awaited<ReturnType<Awaited<ReturnType<InternalCluster['findBroker']>>['fetch']>>['responses'];
      try {
        const broker = await this.cluster.findBroker({ nodeId });
        ({ responses } = await broker.fetch({
          maxWaitTime: fetch.maxWaitMs,
          minBytes: fetch.minBytes,
          maxBytes,
          isolationLevel: fetch.isolationLevel,
          topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
          rackId: fetch.rackId,
        }));
        failures = 0;
      } catch (error) {
        for (const r of requested.values()) r.state.inFlight = false;
        if (this.closing !== undefined) return;
        await this.recover(error, ++failures);
        continue;
      }
      let accepted = 0;
      let waiting = false;
      const outOfRange: PartitionState[] = [];
      for (const { topicName, partitions } of responses) {
        for (const data of partitions) {
          const r = requested.get(partitionKey({ topic: topicName, partition: data.partition }));
          if (r === undefined) continue;
          r.state.inFlight = false;
          // Unassigned, or moved by assign/reset while the request was out: this answer is for an old position.
          if (this.states.get(r.state.key) !== r.state || r.state.epoch !== r.epoch || r.state.offset !== r.offset) continue;
          // Kafka answers OFFSET_OUT_OF_RANGE for a position past the end (handled in `recover`); Mokapi answers with
          // no records and no error, so the high watermark tells.
          if (r.offset > Number(data.highWatermark)) {
            outOfRange.push(r.state);
            continue;
          }
          accepted += this.accept(r.state, data, r.offset);
          if (Number(data.highWatermark) > r.state.offset) waiting = true;
        }
      }
      this.starved = accepted === 0 && waiting;
      for (const r of requested.values()) r.state.inFlight = false;
      for (const state of outOfRange) await this.resetPosition(state);
      if (accepted === 0 && !this.starved && outOfRange.length === 0) {
        // A broker that answers an empty fetch before `fetch.max.wait.ms` (Mokapi does, at times) must not make this
        // loop spin: wait out a short minimum.
        const rest = Math.min(fetch.maxWaitMs, 100) - (Date.now() - started);
        if (rest > 0) await delay(rest);
      }
    }
  }

  /** Buffers a partition's fetched records (at most the buffer's room) and advances its position. */
  private accept(state: PartitionState, data: FetchPartitionData, fetchOffset: number): number {
    const raw = data.messages;
    if (raw.length === 0) return 0;
    // Past the last complete record batch decoded: control records, aborted and compacted-away offsets included.
    const last = raw[raw.length - 1] as DecodedMessage;
    const context = last.batchContext;
    let next = context !== undefined ? Number(context.firstOffset) + context.lastOffsetDelta + 1 : Number(last.offset) + 1;
    if (next < fetchOffset) next = fetchOffset;
    // The records of aborted transactions (only listed for read_committed) go first: the filter needs the control
    // records that end them. Then records before the fetch offset (a batch, compressed or not, is returned whole)
    // and control records are skipped. This is what kafkajs's consumer Batch does, without its per-record Long
    // arithmetic.
    const messages = data.abortedTransactions.length > 0 ? filterAbortedMessages()({ messages: raw, abortedTransactions: data.abortedTransactions }) : raw;
    const room = this.buffer.room;
    const records: KafkaRecord[] = [];
    let bytes = 0;
    for (const m of messages) {
      if (m.isControlRecord) continue;
      const offset = Number(m.offset);
      if (offset < fetchOffset) continue;
      if (records.length === room) {
        next = offset;
        break;
      }
      bytes += (m.key === null ? 0 : m.key.length) + (m.value === null ? 0 : m.value.length) + RECORD_OVERHEAD_BYTES;
      records.push(toRecord(m, offset));
    }
    state.offset = next;
    if (records.length === 0) return 0;
    const average = bytes / records.length;
    this.recordBytes = this.recordBytes === 0 ? average : 0.8 * this.recordBytes + 0.2 * average;
    this.buffer.push({ topic: state.topic, partition: state.partition, highWatermark: Number(data.highWatermark), records });
    return records.length;
  }

  /** Handles a failed fetch: reset out-of-range positions, refresh metadata and back off on retriable errors. */
  private async recover(error: unknown, failures: number): Promise<void> {
    const e = error as { name?: string; topic?: string; partition?: number };
    if (e.name === 'KafkaJSOffsetOutOfRange' && e.topic !== undefined && e.partition !== undefined) {
      const state = this.states.get(partitionKey({ topic: e.topic, partition: e.partition }));
      if (state !== undefined) await this.resetPosition(state);
      return;
    }
    if (kafkajsErrorKind(error) !== 'retriable' || failures > MAX_FETCH_RETRIES) throw error;
    await this.cluster.refreshMetadata().catch(() => undefined);
    await delay(backoffMs(failures));
    this.route();
  }

  private async resetPosition(state: PartitionState): Promise<void> {
    const { autoOffsetReset } = this.settings.fetch;
    const from = state.offset;
    const epoch = state.epoch;
    if (autoOffsetReset === 'none') {
      throw new KafkaClientError(
        `Fetch offset ${from} of ${state.key} is out of range and 'properties.auto.offset.reset' is none`,
        'fatal',
      );
    }
    state.resetting = true;
    try {
      const [answer] = await this.cluster.fetchTopicsOffset([
        { topic: state.topic, partitions: [{ partition: state.partition }], fromBeginning: autoOffsetReset === 'earliest' },
      ]);
      const offset = Number(answer?.partitions.find((p) => p.partition === state.partition)?.offset);
      if (!Number.isSafeInteger(offset) || offset < 0) throw new KafkaClientError(`No ${autoOffsetReset} offset for ${state.key}`, 'retriable');
      // Unless `assign` moved the partition meanwhile.
      if (state.epoch === epoch && state.offset === from) {
        state.offset = offset;
        state.epoch++;
        this.warn(`Fetch offset ${from} of ${state.key} is out of range; moved to the ${autoOffsetReset} offset ${offset} ('properties.auto.offset.reset')`);
      }
    } finally {
      state.resetting = false;
    }
  }

  private fail(error: unknown, action: string): void {
    if (this.closing !== undefined || this.failure !== undefined) return;
    this.failure = toKafkaClientError(error, action, this.settings.secrets);
    this.buffer.interrupt();
  }
}

function toRecord(m: DecodedMessage, offset: number): KafkaRecord {
  const context = m.batchContext;
  return {
    offset,
    timestamp: Number(m.timestamp),
    timestampType: context !== undefined && context.timestampType === 1 ? 'LogAppendTime' : 'CreateTime',
    key: m.key,
    value: m.value,
    headers: headerPairs(m.headers),
    leaderEpoch: context !== undefined && context.partitionLeaderEpoch >= 0 ? context.partitionLeaderEpoch : undefined,
  };
}

/** kafkajs decodes headers into an object (a repeated key becomes an array); the interface has ordered pairs. */
function headerPairs(headers: DecodedMessage['headers']): readonly (readonly [string, Uint8Array | null])[] {
  let pairs: [string, Uint8Array | null][] | undefined;
  for (const key in headers) {
    pairs ??= [];
    const value = headers[key];
    if (Array.isArray(value)) for (const v of value) pairs.push([key, v]);
    else pairs.push([key, value ?? null]);
  }
  return pairs ?? NO_HEADERS;
}

function backoffMs(attempt: number): number {
  const base = Math.min(5_000, 100 * 2 ** Math.min(attempt, 10));
  return base / 2 + Math.random() * (base / 2);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
