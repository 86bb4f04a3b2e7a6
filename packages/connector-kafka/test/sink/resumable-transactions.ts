// A test double of a Kafka client that can resume transactions (the optional capability of
// `src/sink/transaction-resumption.ts`), over the in-memory cluster: what the broker's transaction coordinator keeps
// (producer id and epoch per transactional id, the producer session that holds an open transaction, and how each
// session's transaction ended) lives in this object, so it survives the "death" of the client that began a
// transaction. Closing a producer whose transaction is open leaves the transaction open (the broker keeps it), and a
// producer of a later process resumes it from the producer id and epoch in the committable. A new `connect()` with
// the same transactional id bumps the epoch, aborts the open transaction and fences the older sessions, as
// `InitProducerId` does; epoch 0 tells that the id was never used.
import { KafkaClientError, type KafkaClient, type KafkaClientConfig, type KafkaClientFactory, type KafkaProducer, type OutgoingRecord } from '../../src/client/kafka-client.js';
import type { ResumableTransactionalProducer, TransactionHandle } from '../../src/sink/transaction-resumption.js';
import type { InMemoryKafka } from '../support/in-memory-kafka.js';

type Outcome = 'open' | 'committed' | 'aborted';

/** The coordinator's view of one producer session (a producer id and epoch of a transactional id). */
interface Session {
  readonly id: string;
  readonly handle: TransactionHandle;
  /** The in-memory producer that holds the session's transaction in the cluster. */
  readonly inner: KafkaProducer;
  outcome: Outcome | undefined;
}

/** The "transaction coordinator": ids, epochs and sessions, shared by all clients made by `factory`. */
export class ResumableTransactions {
  private nextProducerId = 1000;
  private readonly producerIds = new Map<string, number>();
  private readonly epochs = new Map<string, number>();
  private readonly sessions = new Map<string, Session>();
  /** How often `resumeTransaction` was called, and how often a commit went through a resumed session. */
  resumed = 0;
  committedAfterResume = 0;

  constructor(private readonly cluster: InMemoryKafka) {}

  /** Clients whose transactional producers can be resumed. */
  readonly factory: KafkaClientFactory = (config) => this.wrapClient(config);

  /** The epoch of a transactional id (undefined: never initialised). */
  epochOf(id: string): number | undefined {
    return this.epochs.get(id);
  }

  /** @internal A new session of `id` (InitProducerId): the epoch goes up, older sessions are fenced. */
  init(id: string, inner: KafkaProducer): Session {
    const epoch = (this.epochs.get(id) ?? -1) + 1;
    this.epochs.set(id, epoch);
    let producerId = this.producerIds.get(id);
    if (producerId === undefined) this.producerIds.set(id, (producerId = this.nextProducerId++));
    for (const s of this.sessions.values()) if (s.id === id && s.outcome === 'open') s.outcome = 'aborted';
    const session: Session = { id, handle: { producerId, epoch }, inner, outcome: undefined };
    this.sessions.set(key(id, session.handle), session);
    return session;
  }

  /** @internal */
  session(id: string, handle: TransactionHandle): Session | undefined {
    return this.sessions.get(key(id, handle));
  }

  private wrapClient(config: KafkaClientConfig): KafkaClient {
    return new Proxy(this.cluster.createClient(config), {
      get: (target, name, receiver) => {
        if (name === 'createProducer') {
          return (options: { readonly idempotent: boolean; readonly transactionalId?: string }) => {
            if (options.transactionalId === undefined) return target.createProducer(options);
            // Made by a client of its own that nobody closes: the session outlives the client that began it (the
            // broker's state), and closing the wrapping client must not end an open transaction.
            const inner = this.cluster.createClient(config).createProducer(options);
            return new ResumableProducer(this, options.transactionalId, inner);
          };
        }
        const v: unknown = Reflect.get(target, name, receiver);
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
  }
}

const key = (id: string, h: TransactionHandle): string => `${id}|${h.producerId}|${h.epoch}`;

class ResumableProducer implements ResumableTransactionalProducer {
  private session: Session | undefined;
  private closed = false;

  constructor(
    private readonly coordinator: ResumableTransactions,
    private readonly id: string,
    private readonly inner: KafkaProducer,
  ) {}

  async connect(): Promise<void> {
    await this.inner.connect();
    this.session = this.coordinator.init(this.id, this.inner);
  }

  transactionHandle(): TransactionHandle {
    if (this.session === undefined) throw new Error('transactionHandle() before connect()');
    return this.session.handle;
  }

  async resumeTransaction(handle: TransactionHandle): Promise<void> {
    await Promise.resolve();
    this.coordinator.resumed++;
    const s = this.coordinator.session(this.id, handle);
    if (s === undefined) throw new KafkaClientError(`no transaction of '${this.id}' with producer id ${handle.producerId}, epoch ${handle.epoch}`, 'fatal');
    this.session = s;
  }

  async send(records: readonly OutgoingRecord[]): Promise<void> {
    await this.current().send(records);
  }

  async beginTransaction(): Promise<void> {
    await this.current().beginTransaction!();
    this.session!.outcome = 'open';
  }

  async commitTransaction(): Promise<void> {
    const s = this.session;
    if (s === undefined) throw new KafkaClientError('commitTransaction() without a session', 'fatal');
    if (s.outcome === 'committed') return; // EndTxn retried: already complete
    if (s.outcome === 'aborted') throw new KafkaClientError(`the transaction of '${this.id}' was aborted (fenced by a newer producer)`, 'fatal');
    await s.inner.commitTransaction!();
    s.outcome = 'committed';
    if (s.inner !== this.inner) {
      this.coordinator.committedAfterResume++;
      await s.inner.close();
    }
  }

  async abortTransaction(): Promise<void> {
    const s = this.session;
    if (s === undefined || s.outcome !== 'open') return;
    await s.inner.abortTransaction!();
    s.outcome = 'aborted';
  }

  /** A producer whose transaction is open leaves it to the "broker": the session's producer stays alive. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.session?.inner === this.inner && this.session.outcome === 'open') return;
    await this.inner.close();
  }

  private current(): KafkaProducer {
    if (this.session === undefined) throw new KafkaClientError('not connected', 'fatal');
    return this.session.inner;
  }
}
