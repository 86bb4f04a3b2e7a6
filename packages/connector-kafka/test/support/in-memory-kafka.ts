// An in-memory Kafka cluster behind the connector's own `KafkaClient` interface, for unit tests of the source, the
// sink and upsert-kafka without a broker: topics with partitions (more can be added while clients run), appended
// records with offsets, timestamps, keys and headers, offset lookups (earliest, latest, by timestamp), committed
// group offsets, fetchers that read assigned partitions from positions the caller sets (waiting for data without
// polling, never returning more than their buffer allows), and producers, idempotent or transactional (records of
// a transaction become visible together when it commits; a new producer with the same transactional id aborts the
// lingering transaction and fences the old producer, as `initTransactions` does).
//
// Clients find their cluster by the first bootstrap server (`cluster.bootstrap`, e.g. `in-memory-1:9092`), through a
// registry on `globalThis`: a SQL table with `'properties.bootstrap.servers' = '<cluster.bootstrap>'` and a factory
// made with `inMemoryKafkaClientFactory` reaches the cluster the test created, wherever the factory was imported.
// Everything runs in one thread (jobs under test run with `env.execute()` or `execution.target = local`).
//
// Faults: `failNext(operation, error, times)` makes the next calls of an operation fail (a `KafkaClientError`
// of kind `retriable` by default), to test retries and error paths. `stats` counts what clients did (fetches,
// records handed out, open clients and fetchers) so tests can check back-pressure and that everything is closed.
import {
  KafkaClientError,
  partitionKey,
  type FetchedBatch,
  type KafkaClient,
  type KafkaClientConfig,
  type KafkaClientFactory,
  type KafkaProducer,
  type KafkaRecord,
  type OutgoingRecord,
  type PartitionFetcher,
  type TopicPartition,
} from '../../src/client/kafka-client.js';

/** A record to append directly (as a producer would, without a client). */
export interface AppendedRecord {
  readonly key?: Uint8Array | string | null;
  /** Null: a tombstone. */
  readonly value: Uint8Array | string | null;
  readonly headers?: readonly (readonly [string, Uint8Array | string | null])[];
  /** Milliseconds since the epoch; default: the cluster's clock. */
  readonly timestamp?: number;
}

/** Operations that `failNext` can make fail. */
export type InMemoryKafkaOperation =
  | 'connect'
  | 'listTopics'
  | 'partitionsFor'
  | 'earliestOffsets'
  | 'latestOffsets'
  | 'offsetsForTimestamp'
  | 'committedOffsets'
  | 'commitOffsets'
  | 'poll'
  | 'send'
  | 'commitTransaction';

/** Settings of a cluster. */
export interface InMemoryKafkaOptions {
  /** The clock for record timestamps (default `Date.now`). */
  readonly now?: () => number;
  /** Default number of partitions of topics created by `createTopic` without a count. */
  readonly defaultPartitions?: number;
  /** `LogAppendTime` topics stamp records with the cluster's clock; default `CreateTime`. */
  readonly timestampType?: KafkaRecord['timestampType'];
}

/** What the cluster's clients did, for assertions. */
export interface InMemoryKafkaStats {
  clientsCreated: number;
  clientsOpen: number;
  fetchersOpen: number;
  producersOpen: number;
  /** `poll` calls that returned records. */
  fetches: number;
  /** Records handed out by all fetchers. */
  recordsFetched: number;
  /** The most records one `poll` returned. */
  maxRecordsPerPoll: number;
  /** `commitOffsets` calls that succeeded. */
  commits: number;
  /** Every client configuration seen, in order. */
  readonly configs: KafkaClientConfig[];
}

interface Partition {
  readonly records: KafkaRecord[];
  /** Offset of `records[0]` (records before it were deleted, as by retention). */
  base: number;
}

interface Topic {
  readonly partitions: Partition[];
}

interface OpenTransaction {
  readonly producer: InMemoryProducer;
  readonly records: OutgoingRecord[];
}

const encoder = new TextEncoder();
const bytes = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? encoder.encode(v) : v);

const REGISTRY_KEY = Symbol.for('runnel.test.in-memory-kafka');

/** Clusters by bootstrap server, shared by every copy of this module in the thread. */
function registry(): Map<string, InMemoryKafka> {
  const g = globalThis as unknown as Record<symbol, Map<string, InMemoryKafka> | undefined>;
  return (g[REGISTRY_KEY] ??= new Map());
}

let nextClusterId = 1;

/**
 * Kafka's default partitioner hash (murmur2 of the key bytes, as the Java client's `Utils.murmur2`).
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const words = length >> 2;
  for (let i = 0; i < words; i++) {
    const j = i * 4;
    let k = data[j]! | (data[j + 1]! << 8) | (data[j + 2]! << 16) | (data[j + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2]! << 16;
  if (rest >= 2) h ^= data[tail + 1]! << 8;
  if (rest >= 1) {
    h ^= data[tail]!;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

/**
 * A Kafka cluster in memory.
 */
export class InMemoryKafka {
  /** The bootstrap server clients name to reach this cluster (`properties.bootstrap.servers`). */
  readonly bootstrap: string;
  readonly stats: InMemoryKafkaStats = {
    clientsCreated: 0,
    clientsOpen: 0,
    fetchersOpen: 0,
    producersOpen: 0,
    fetches: 0,
    recordsFetched: 0,
    maxRecordsPerPoll: 0,
    commits: 0,
    configs: [],
  };
  /** Every successful group commit, in order. */
  readonly commitLog: { readonly groupId: string; readonly offsets: ReadonlyMap<string, number> }[] = [];
  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, Map<string, number>>();
  private readonly transactions = new Map<string, OpenTransaction>();
  private readonly producersById = new Map<string, InMemoryProducer>();
  private readonly faults = new Map<InMemoryKafkaOperation, { error: () => Error; times: number }>();
  private readonly waiters = new Set<() => void>();
  private readonly now: () => number;
  private readonly defaultPartitions: number;
  private readonly timestampType: KafkaRecord['timestampType'];
  private roundRobin = 0;

  constructor(options: InMemoryKafkaOptions = {}) {
    this.bootstrap = `in-memory-${nextClusterId++}:9092`;
    this.now = options.now ?? Date.now;
    this.defaultPartitions = options.defaultPartitions ?? 1;
    this.timestampType = options.timestampType ?? 'CreateTime';
    registry().set(this.bootstrap, this);
  }

  /** A client factory bound to this cluster (whatever bootstrap servers the configuration names). */
  readonly clientFactory: KafkaClientFactory = (config) => this.createClient(config);

  /** A client of this cluster. */
  createClient(config: KafkaClientConfig = { brokers: [this.bootstrap], clientId: 'test', properties: {} }): KafkaClient {
    this.stats.clientsCreated++;
    this.stats.configs.push(config);
    return new InMemoryClient(this, config);
  }

  /** Removes the cluster from the registry (clients made before keep working). */
  dispose(): void {
    registry().delete(this.bootstrap);
  }

  // ---- topics and records -------------------------------------------------------------------------------------

  /** Creates a topic (an error if it exists). */
  createTopic(name: string, partitions = this.defaultPartitions): this {
    if (this.topics.has(name)) throw new Error(`topic '${name}' exists`);
    if (!Number.isInteger(partitions) || partitions < 1) throw new RangeError(`partitions must be a positive integer, got ${partitions}`);
    this.topics.set(name, { partitions: Array.from({ length: partitions }, () => ({ records: [], base: 0 })) });
    this.wake();
    return this;
  }

  /** Grows a topic to `total` partitions (Kafka can only add partitions). */
  addPartitions(topic: string, total: number): this {
    const t = this.topic(topic);
    if (total <= t.partitions.length) throw new RangeError(`topic '${topic}' has ${t.partitions.length} partitions; cannot shrink or keep to ${total}`);
    while (t.partitions.length < total) t.partitions.push({ records: [], base: 0 });
    this.wake();
    return this;
  }

  /** Topic names, sorted. */
  topicNames(): string[] {
    return [...this.topics.keys()].sort();
  }

  /** The number of partitions of a topic. */
  partitionCount(topic: string): number {
    return this.topic(topic).partitions.length;
  }

  /** Appends records to a partition; returns their offsets. */
  append(topic: string, partition: number, records: readonly AppendedRecord[]): number[] {
    const p = this.partition(topic, partition);
    const offsets: number[] = [];
    for (const r of records) {
      const offset = p.base + p.records.length;
      p.records.push({
        offset,
        timestamp: this.timestampType === 'LogAppendTime' ? this.now() : (r.timestamp ?? this.now()),
        timestampType: this.timestampType,
        key: r.key === undefined || r.key === null ? null : bytes(r.key),
        value: r.value === null ? null : bytes(r.value),
        headers: (r.headers ?? []).map(([k, v]) => [k, v === null ? null : bytes(v)] as const),
        leaderEpoch: 0,
      });
      offsets.push(offset);
    }
    if (records.length > 0) this.wake();
    return offsets;
  }

  /** Appends values (JSON-encoded unless strings) to a partition, each with an optional timestamp. */
  appendValues(topic: string, partition: number, values: readonly unknown[], timestamp?: (value: unknown, i: number) => number): number[] {
    return this.append(
      topic,
      partition,
      values.map((v, i) => ({ value: typeof v === 'string' || v instanceof Uint8Array ? v : JSON.stringify(v), timestamp: timestamp?.(v, i) })),
    );
  }

  /** The records of a partition that are still retained. */
  records(topic: string, partition: number): readonly KafkaRecord[] {
    return this.partition(topic, partition).records;
  }

  /** Values of a partition's records as text (null for tombstones). */
  valuesOf(topic: string, partition: number): (string | null)[] {
    const d = new TextDecoder();
    return this.records(topic, partition).map((r) => (r.value === null ? null : d.decode(r.value)));
  }

  /** Deletes records before `offset` (as retention does): the partition's earliest offset moves there. */
  deleteRecordsBefore(topic: string, partition: number, offset: number): void {
    const p = this.partition(topic, partition);
    const drop = Math.min(Math.max(0, offset - p.base), p.records.length);
    p.records.splice(0, drop);
    p.base += drop;
  }

  earliestOffset(topic: string, partition: number): number {
    return this.partition(topic, partition).base;
  }

  endOffset(topic: string, partition: number): number {
    const p = this.partition(topic, partition);
    return p.base + p.records.length;
  }

  // ---- groups ---------------------------------------------------------------------------------------------------

  /** A group's committed offset of a partition. */
  committed(groupId: string, topic: string, partition: number): number | undefined {
    return this.groups.get(groupId)?.get(partitionKey({ topic, partition }));
  }

  /** Sets a group's committed offsets directly (as an earlier consumer would have). */
  setCommitted(groupId: string, offsets: readonly (TopicPartition & { readonly offset: number })[]): void {
    let g = this.groups.get(groupId);
    if (g === undefined) this.groups.set(groupId, (g = new Map()));
    for (const o of offsets) g.set(partitionKey(o), o.offset);
  }

  // ---- transactions ---------------------------------------------------------------------------------------------

  /** Transactional ids with an open transaction (begun, neither committed nor aborted). */
  openTransactions(): string[] {
    return [...this.transactions.keys()].sort();
  }

  // ---- faults ---------------------------------------------------------------------------------------------------

  /** The next `times` calls of `operation` fail with `error` (default: a retriable `KafkaClientError`). */
  failNext(operation: InMemoryKafkaOperation, error?: Error | (() => Error), times = 1): void {
    const make = typeof error === 'function' ? error : error === undefined ? () => new KafkaClientError(`injected failure of ${operation}`, 'retriable') : () => error;
    this.faults.set(operation, { error: make, times });
  }

  // ---- internals (used by clients) ------------------------------------------------------------------------------

  /** @internal Throws the injected fault of `operation`, if any. */
  fault(operation: InMemoryKafkaOperation): void {
    const f = this.faults.get(operation);
    if (f === undefined) return;
    if (--f.times <= 0) this.faults.delete(operation);
    throw f.error();
  }

  /** @internal */
  topic(name: string): Topic {
    const t = this.topics.get(name);
    if (t === undefined) throw new KafkaClientError(`unknown topic '${name}' (topics: ${this.topicNames().join(', ') || 'none'})`, 'configuration');
    return t;
  }

  /** @internal */
  partition(topic: string, partition: number): Partition {
    const p = this.topic(topic).partitions[partition];
    if (p === undefined) throw new KafkaClientError(`topic '${topic}' has no partition ${partition}`, 'configuration');
    return p;
  }

  /** @internal Whether a partition exists. */
  hasPartition(tp: TopicPartition): boolean {
    return this.topics.get(tp.topic)?.partitions[tp.partition] !== undefined;
  }

  /** @internal Commits a group's offsets. */
  commit(groupId: string, offsets: readonly (TopicPartition & { readonly offset: number })[]): void {
    this.setCommitted(groupId, offsets);
    this.stats.commits++;
    this.commitLog.push({ groupId, offsets: new Map(offsets.map((o) => [partitionKey(o), o.offset])) });
  }

  /** @internal The partition of an outgoing record: given, else murmur2 of the key, else round robin. */
  partitionFor(record: OutgoingRecord): number {
    const count = this.topic(record.topic).partitions.length;
    if (record.partition !== undefined) {
      if (record.partition < 0 || record.partition >= count) throw new KafkaClientError(`topic '${record.topic}' has no partition ${record.partition}`, 'fatal');
      return record.partition;
    }
    if (record.key !== null) return (murmur2(bytes(record.key)) & 0x7fffffff) % count;
    return this.roundRobin++ % count;
  }

  /** @internal Appends produced records. */
  appendProduced(records: readonly OutgoingRecord[]): void {
    // Validate all first: a batch is appended entirely or not at all.
    const placed = records.map((r) => [r, this.partitionFor(r)] as const);
    for (const [r, partition] of placed) {
      this.append(r.topic, partition, [{ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp }]);
    }
  }

  /** @internal Registers a transactional producer: aborts the lingering transaction and fences the older one. */
  registerTransactional(id: string, producer: InMemoryProducer): void {
    const old = this.producersById.get(id);
    if (old !== undefined && old !== producer) old.fenced = true;
    this.transactions.delete(id);
    this.producersById.set(id, producer);
  }

  /** @internal */
  beginTransaction(id: string, producer: InMemoryProducer): void {
    if (this.transactions.has(id)) throw new KafkaClientError(`transactional id '${id}' already has an open transaction`, 'fatal');
    this.transactions.set(id, { producer, records: [] });
  }

  /** @internal */
  transaction(id: string, producer: InMemoryProducer): OpenTransaction {
    const t = this.transactions.get(id);
    if (t === undefined || t.producer !== producer) throw new KafkaClientError(`transactional id '${id}' has no open transaction`, 'fatal');
    return t;
  }

  /** @internal */
  endTransaction(id: string, producer: InMemoryProducer, commit: boolean): void {
    const t = this.transaction(id, producer);
    this.transactions.delete(id);
    if (commit) this.appendProduced(t.records);
  }

  /** @internal Waits until something changes (records, partitions, assignments) or `ms` pass. */
  waitForChange(ms: number, signal: { cancel?: () => void }): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        signal.cancel = undefined;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
      signal.cancel = done;
    });
  }

  /** @internal Wakes every waiting fetcher. */
  wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** One hop of "network": client calls settle asynchronously, never in the caller's turn. */
const hop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class InMemoryClient implements KafkaClient {
  private connected = false;
  private closed = false;
  private readonly fetchers = new Set<InMemoryFetcher>();
  private readonly producers = new Set<InMemoryProducer>();

  constructor(
    private readonly cluster: InMemoryKafka,
    readonly config: KafkaClientConfig,
  ) {}

  private async call<R>(operation: InMemoryKafkaOperation, f: () => R): Promise<R> {
    await hop();
    if (this.closed) throw new KafkaClientError('the client is closed', 'fatal');
    if (!this.connected) throw new KafkaClientError(`${operation} before connect()`, 'fatal');
    this.cluster.fault(operation);
    return f();
  }

  async connect(): Promise<void> {
    await hop();
    if (this.closed) throw new KafkaClientError('the client is closed', 'fatal');
    this.cluster.fault('connect');
    if (!this.connected) {
      this.connected = true;
      this.cluster.stats.clientsOpen++;
    }
  }

  listTopics(): Promise<string[]> {
    return this.call('listTopics', () => this.cluster.topicNames());
  }

  partitionsFor(topics: readonly string[]): Promise<TopicPartition[]> {
    return this.call('partitionsFor', () => {
      const missing = topics.filter((t) => !this.cluster.topicNames().includes(t));
      if (missing.length > 0) throw new KafkaClientError(`unknown topic${missing.length > 1 ? 's' : ''} ${missing.map((t) => `'${t}'`).join(', ')}`, 'configuration');
      return topics.flatMap((topic) => Array.from({ length: this.cluster.partitionCount(topic) }, (_, partition) => ({ topic, partition })));
    });
  }

  earliestOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.call('earliestOffsets', () => new Map(partitions.map((tp) => [partitionKey(tp), this.cluster.earliestOffset(tp.topic, tp.partition)])));
  }

  latestOffsets(partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    return this.call('latestOffsets', () => new Map(partitions.map((tp) => [partitionKey(tp), this.cluster.endOffset(tp.topic, tp.partition)])));
  }

  offsetsForTimestamp(partitions: readonly TopicPartition[], timestamp: number): Promise<Map<string, number>> {
    return this.call('offsetsForTimestamp', () => {
      const out = new Map<string, number>();
      for (const tp of partitions) {
        const found = this.cluster.records(tp.topic, tp.partition).find((r) => r.timestamp >= timestamp);
        out.set(partitionKey(tp), found?.offset ?? this.cluster.endOffset(tp.topic, tp.partition));
      }
      return out;
    });
  }

  committedOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number | undefined>> {
    return this.call('committedOffsets', () => new Map(partitions.map((tp) => [partitionKey(tp), this.cluster.committed(groupId, tp.topic, tp.partition)])));
  }

  commitOffsets(groupId: string, offsets: readonly (TopicPartition & { readonly offset: number })[]): Promise<void> {
    return this.call('commitOffsets', () => {
      if (groupId === '') throw new KafkaClientError('commitOffsets needs a group id', 'configuration');
      for (const o of offsets) this.cluster.partition(o.topic, o.partition);
      this.cluster.commit(groupId, offsets);
    });
  }

  createFetcher(options: { readonly maxBufferedRecords: number }): PartitionFetcher {
    if (this.closed) throw new KafkaClientError('the client is closed', 'fatal');
    if (!this.connected) throw new KafkaClientError('createFetcher before connect()', 'fatal');
    const f = new InMemoryFetcher(this.cluster, options.maxBufferedRecords, (x) => this.fetchers.delete(x));
    this.fetchers.add(f);
    return f;
  }

  createProducer(options: { readonly idempotent: boolean; readonly transactionalId?: string }): KafkaProducer {
    if (this.closed) throw new KafkaClientError('the client is closed', 'fatal');
    const p = new InMemoryProducer(this.cluster, options.transactionalId, (x) => this.producers.delete(x));
    this.producers.add(p);
    return p;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const f of [...this.fetchers]) await f.close();
    for (const p of [...this.producers]) await p.close();
    if (this.connected) this.cluster.stats.clientsOpen--;
    this.connected = false;
  }
}

/** Reads assigned partitions from their positions; round robin over partitions so none starves. */
class InMemoryFetcher implements PartitionFetcher {
  private readonly positions = new Map<string, { tp: TopicPartition; offset: number }>();
  private closed = false;
  private polling = false;
  private readonly wait: { cancel?: () => void } = {};
  private start = 0;

  constructor(
    private readonly cluster: InMemoryKafka,
    private readonly maxBuffered: number,
    private readonly onClose: (f: InMemoryFetcher) => void,
  ) {
    if (!(maxBuffered >= 1)) throw new RangeError(`maxBufferedRecords must be at least 1, got ${maxBuffered}`);
    cluster.stats.fetchersOpen++;
  }

  /** The partitions assigned now, with their fetch positions (for assertions). */
  assignment(): Map<string, number> {
    return new Map([...this.positions].map(([k, v]) => [k, v.offset]));
  }

  assign(positions: readonly (TopicPartition & { readonly offset: number })[]): void {
    if (this.closed) throw new KafkaClientError('the fetcher is closed', 'fatal');
    for (const p of positions) {
      if (!Number.isSafeInteger(p.offset) || p.offset < 0) throw new RangeError(`fetch position of ${partitionKey(p)} must be a non-negative integer, got ${p.offset}`);
      this.positions.set(partitionKey(p), { tp: { topic: p.topic, partition: p.partition }, offset: p.offset });
    }
    this.wait.cancel?.();
  }

  unassign(partitions: readonly TopicPartition[]): void {
    for (const p of partitions) this.positions.delete(partitionKey(p));
  }

  async poll(maxRecords: number, timeoutMs: number): Promise<readonly FetchedBatch[]> {
    if (this.polling) throw new Error('poll() while another poll() of the same fetcher is pending');
    this.polling = true;
    try {
      await hop();
      this.cluster.fault('poll');
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (this.closed) return [];
        const batches = this.take(Math.min(maxRecords, this.maxBuffered));
        if (batches.length > 0) return batches;
        const left = deadline - Date.now();
        if (left <= 0) return [];
        await this.cluster.waitForChange(left, this.wait);
      }
    } finally {
      this.polling = false;
    }
  }

  private take(max: number): FetchedBatch[] {
    const entries = [...this.positions.values()];
    const out: FetchedBatch[] = [];
    let left = max;
    for (let i = 0; i < entries.length && left > 0; i++) {
      const e = entries[(this.start + i) % entries.length]!;
      if (!this.cluster.hasPartition(e.tp)) continue;
      const p = this.cluster.partition(e.tp.topic, e.tp.partition);
      // A position before the retained records reads from the earliest one (auto.offset.reset = earliest).
      const from = Math.max(e.offset, p.base);
      const end = p.base + p.records.length;
      if (from >= end) continue;
      const records = p.records.slice(from - p.base, Math.min(end, from + left) - p.base);
      e.offset = records[records.length - 1]!.offset + 1;
      left -= records.length;
      out.push({ topic: e.tp.topic, partition: e.tp.partition, records, highWatermark: end });
    }
    this.start = entries.length === 0 ? 0 : (this.start + 1) % entries.length;
    const n = max - left;
    if (n > 0) {
      this.cluster.stats.fetches++;
      this.cluster.stats.recordsFetched += n;
      this.cluster.stats.maxRecordsPerPoll = Math.max(this.cluster.stats.maxRecordsPerPoll, n);
    }
    return out;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wait.cancel?.();
    this.positions.clear();
    this.cluster.stats.fetchersOpen--;
    this.onClose(this);
    await Promise.resolve();
  }
}

class InMemoryProducer implements KafkaProducer {
  fenced = false;
  private connected = false;
  private closed = false;
  private inTransaction = false;
  // Declared, not defined: a producer without a transactional id has no such properties at all.
  declare readonly beginTransaction?: () => Promise<void>;
  declare readonly commitTransaction?: () => Promise<void>;
  declare readonly abortTransaction?: () => Promise<void>;

  constructor(
    private readonly cluster: InMemoryKafka,
    private readonly transactionalId: string | undefined,
    private readonly onClose: (p: InMemoryProducer) => void,
  ) {
    if (transactionalId !== undefined) {
      const id = transactionalId;
      this.beginTransaction = async () => {
        await this.ready();
        if (this.inTransaction) throw new KafkaClientError('a transaction is already open', 'fatal');
        cluster.beginTransaction(id, this);
        this.inTransaction = true;
      };
      this.commitTransaction = async () => {
        await this.ready();
        cluster.fault('commitTransaction');
        cluster.endTransaction(id, this, true);
        this.inTransaction = false;
      };
      this.abortTransaction = async () => {
        await this.ready();
        cluster.endTransaction(id, this, false);
        this.inTransaction = false;
      };
    }
  }

  private async ready(): Promise<void> {
    await hop();
    if (this.closed) throw new KafkaClientError('the producer is closed', 'fatal');
    if (!this.connected) throw new KafkaClientError('the producer is not connected', 'fatal');
    if (this.fenced) throw new KafkaClientError(`producer fenced: another producer with transactional id '${this.transactionalId}' started`, 'fatal');
  }

  async connect(): Promise<void> {
    await hop();
    if (this.closed) throw new KafkaClientError('the producer is closed', 'fatal');
    if (this.connected) return;
    this.connected = true;
    this.cluster.stats.producersOpen++;
    if (this.transactionalId !== undefined) this.cluster.registerTransactional(this.transactionalId, this);
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    await this.ready();
    this.cluster.fault('send');
    if (this.transactionalId !== undefined) {
      if (!this.inTransaction) throw new KafkaClientError('send outside a transaction by a transactional producer', 'fatal');
      // Checked now (as the broker would on produce); appended at commit.
      for (const r of records) this.cluster.partitionFor(r);
      this.cluster.transaction(this.transactionalId, this).records.push(...records);
      return;
    }
    this.cluster.appendProduced(records);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.connected) this.cluster.stats.producersOpen--;
    this.onClose(this);
    await Promise.resolve();
  }
}

/**
 * A client factory that finds the cluster by the first bootstrap server (`InMemoryKafka.bootstrap`), for factories
 * made where the test's cluster object is not at hand.
 */
export const inMemoryKafkaClientFactory: KafkaClientFactory = (config) => {
  const cluster = registry().get(config.brokers[0] ?? '');
  if (cluster === undefined) {
    const known = [...registry().keys()];
    throw new KafkaClientError(`no in-memory Kafka cluster at '${config.brokers.join(',')}' (clusters: ${known.join(', ') || 'none'})`, 'configuration');
  }
  return cluster.createClient(config);
};
