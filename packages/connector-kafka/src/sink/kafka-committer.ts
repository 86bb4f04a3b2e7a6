// The committer of the exactly-once Kafka sink: commits the transactions writers pre-committed, once their
// checkpoint completed. Commits are idempotent, because after a restore the runtime hands the restored checkpoint's
// committables over again:
//   - a transaction pre-committed in this thread is committed through the producer that wrote it (also after a
//     failure whose restart runs in this thread: the producer outlives the failed attempt, see
//     `live-transactions.ts`);
//   - one committed in this thread already is recognised and skipped;
//   - otherwise (a new process or worker thread), a client that can resume transactions commits it from the producer id and epoch
//     the committable recorded (committing a committed transaction again succeeds), as Flink's KafkaCommitter does;
//   - with a client that cannot, the transaction's fate is unknown: committed before the failure, or open until the
//     broker's transaction timeout aborts it. The committer says so on stderr and goes on (failing would fail every
//     restart the same way); the README names this limit.
// Retriable client errors are retried with backoff; a transaction the broker aborted or fenced is reported as lost
// (Flink logs it and goes on), other errors fail the commit, and with it the job. Closing waits for a commit in
// flight: a job torn down for a restart right after a checkpoint completed still commits it (a commit it cut short
// would leave the restored run, on new threads, unable to commit it with a client that cannot resume).
import type { CommitRequest, Committer } from '@runnel/api/connector';
import { KafkaClientError, type KafkaClientFactory, type KafkaProducer } from '../client/kafka-client.js';
import type { KafkaSinkSettings } from './kafka-sink-options.js';
import type { KafkaCommittable } from './kafka-sink-state.js';
import { liveTransactionKey, liveTransactions } from './live-transactions.js';
import { SharedClient } from './shared-client.js';
import { isResumable } from './transaction-resumption.js';

const RETRIES = 5;
const FIRST_BACKOFF_MS = 50;

async function commitRetrying(producer: KafkaProducer, id: string): Promise<void> {
  if (producer.commitTransaction === undefined) throw new Error(`kafka sink: the producer of transactional id '${id}' has no transactions`);
  for (let attempt = 0; ; attempt++) {
    try {
      await producer.commitTransaction();
      return;
    } catch (e) {
      if (!(e instanceof KafkaClientError && e.kind === 'retriable') || attempt >= RETRIES) throw e;
      await new Promise((resolve) => setTimeout(resolve, FIRST_BACKOFF_MS * 2 ** attempt));
    }
  }
}

/**
 * Commits pre-committed Kafka transactions.
 *
 * @internal
 */
export class KafkaCommitter implements Committer<KafkaCommittable> {
  private client: SharedClient | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  /** Problems reported (unknown fates, lost transactions), for tests and diagnostics. */
  readonly reports: string[] = [];

  constructor(
    private readonly settings: KafkaSinkSettings<unknown>,
    private readonly clientFactory: KafkaClientFactory,
    private readonly report: (message: string) => void = (m) => console.warn(m),
  ) {}

  /** Commits in request order (checkpoint order). */
  commit(requests: readonly CommitRequest<KafkaCommittable>[]): Promise<void> {
    const run = (async () => {
      for (const { checkpointId, committable } of requests) await this.commitOne(checkpointId, committable);
    })();
    this.inFlight = run.catch(() => undefined);
    return run;
  }

  /** Waits for a commit in flight, then releases the client. */
  async close(): Promise<void> {
    await this.inFlight;
    const c = this.client;
    this.client = undefined;
    await c?.release().catch(() => undefined);
  }

  private async commitOne(checkpointId: number, c: KafkaCommittable): Promise<void> {
    const id = c.transactionalId;
    const key = liveTransactionKey(this.settings.brokers, id);
    const held = liveTransactions.take(key);
    if (held !== undefined) {
      try {
        await commitRetrying(held.producer, id);
      } catch (e) {
        // Keep it: a restore in this thread commits it again.
        liveTransactions.hold(key, held, this.settings.transactionTimeoutMs);
        throw new Error(`kafka sink: cannot commit transaction '${id}' of checkpoint ${checkpointId}: ${(e as Error).message}`, { cause: e });
      }
      liveTransactions.markCommitted(key);
      await held.release().catch(() => undefined);
      return;
    }
    if (liveTransactions.wasCommitted(key)) return;
    if (c.producerId !== undefined && c.epoch !== undefined) {
      const resumed = await this.commitResumed(checkpointId, c, c.producerId, c.epoch);
      if (resumed) return;
    }
    this.warn(
      `kafka sink: transaction '${id}' of checkpoint ${checkpointId} was restored, but the Kafka client cannot resume ` +
        'transactions of another process: if it was not committed before the failure, its records are lost (the ' +
        "broker aborts it after 'transaction.timeout.ms')",
    );
  }

  /** Commits through a producer that resumes the transaction; false when the client cannot resume. */
  private async commitResumed(checkpointId: number, c: KafkaCommittable, producerId: number, epoch: number): Promise<boolean> {
    const id = c.transactionalId;
    const client = await this.clientOf();
    const producer = client.createProducer({ idempotent: true, transactionalId: id });
    try {
      if (!isResumable(producer)) return false;
      await producer.resumeTransaction({ producerId, epoch });
      await commitRetrying(producer, id);
      liveTransactions.markCommitted(liveTransactionKey(this.settings.brokers, id));
      return true;
    } catch (e) {
      if (e instanceof KafkaClientError && e.kind === 'fatal') {
        // Aborted (the transaction timed out) or fenced (another producer took the id): Flink logs and goes on.
        this.warn(`kafka sink: transaction '${id}' of checkpoint ${checkpointId} could not be committed after the restore, its records are lost: ${e.message}`);
        return true;
      }
      throw new Error(`kafka sink: cannot commit transaction '${id}' of checkpoint ${checkpointId}: ${(e as Error).message}`, { cause: e });
    } finally {
      await producer.close().catch(() => undefined);
    }
  }

  private async clientOf() {
    this.client ??= new SharedClient(
      this.clientFactory({
        brokers: this.settings.brokers,
        clientId: this.settings.properties['client.id'] ?? 'runnel-kafka-committer',
        properties: this.settings.properties,
      }),
    );
    return this.client.get();
  }

  private warn(message: string): void {
    this.reports.push(message);
    this.report(message);
  }
}
