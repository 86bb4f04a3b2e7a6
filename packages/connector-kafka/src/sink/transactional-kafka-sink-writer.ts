// The writer of the exactly-once Kafka sink (Flink's KafkaWriter with EXACTLY_ONCE): the records between two
// checkpoint barriers go into one Kafka transaction, named `<prefix>-<subtask>-<checkpoint>` after the checkpoint
// that ends it. At the barrier the writer waits until every record is acknowledged and pre-commits: the transaction
// becomes a committable (committed by `KafkaCommitter` when the checkpoint completes) and the next records start
// the next transaction. A transaction starts with its first record, so an idle subtask opens none.
//
// Before its first transaction a writer aborts the transactions a previous run may have left open: every id after
// the restored checkpoint (after 0 on a fresh start, as Flink does, so a job restarted without its checkpoints does
// not leave a predecessor's transactions blocking `read_committed` readers) of its own subtask and of the subtasks a
// larger previous run had (`subtask + k * parallelism`), for its prefix and the prefixes in its restored state. A
// producer that initialises a transactional id aborts that id's open transaction (`initTransactions`). Flink
// probes ids until one was never used (producer epoch 0); a client that reports epochs lets this writer do the
// same, otherwise it aborts the next `lingeringTransactionsToAbort` ids. Lingering transactions are never committed
// (only restored committables are), so missing one costs latency for `read_committed` readers until the broker's
// transaction timeout aborts it, not correctness.
import type { SinkRecordContext, SinkWriter, SinkWriterContext } from '@runnel/api/connector';
import { END_OF_INPUT_CHECKPOINT_ID } from '@runnel/api';
import type { KafkaClientFactory, KafkaProducer } from '../client/kafka-client.js';
import { openPartitioner } from './kafka-partitioner.js';
import type { KafkaSinkSettings } from './kafka-sink-options.js';
import type { KafkaCommittable, KafkaWriterState } from './kafka-sink-state.js';
import { liveTransactionKey, liveTransactions } from './live-transactions.js';
import { outgoingRecord } from './outgoing-record.js';
import { RecordSender } from './record-sender.js';
import { SharedClient } from './shared-client.js';
import { TopicPartitions } from './topic-partitions.js';
import { isResumable, type TransactionHandle } from './transaction-resumption.js';
import { transactionalId } from './transactional-ids.js';

const METADATA_MAX_AGE_MS = 5 * 60_000;

interface OpenTransaction {
  readonly id: string;
  readonly producer: KafkaProducer;
  readonly handle: TransactionHandle | undefined;
}

/**
 * Writes the records of one subtask in a transaction per checkpoint.
 *
 * @internal
 */
export class TransactionalKafkaSinkWriter<T> implements SinkWriter<T, KafkaCommittable, KafkaWriterState> {
  private readonly client: SharedClient;
  private readonly ready: Promise<void>;
  private readonly sender: RecordSender;
  private readonly subtask: number;
  private readonly parallelism: number;
  private current: OpenTransaction | undefined;
  /** The checkpoint that ends the next transaction (the last part of its id). */
  private nextCheckpoint: number;
  private closing: Promise<void> | undefined;

  constructor(
    context: SinkWriterContext,
    private readonly settings: KafkaSinkSettings<T>,
    clientFactory: KafkaClientFactory,
    restoredState: readonly KafkaWriterState[] = [],
  ) {
    this.subtask = context.subtaskIndex;
    this.parallelism = context.parallelism;
    const restoredFrom = context.restoredCheckpointId ?? 0;
    this.nextCheckpoint = restoredFrom + 1;
    this.client = new SharedClient(
      clientFactory({
        brokers: settings.brokers,
        clientId: settings.properties['client.id'] ?? `runnel-kafka-sink-${context.subtaskIndex}`,
        properties: settings.properties,
      }),
    );
    this.ready = this.abortLingering(restoredFrom, restoredState);
    this.ready.catch(() => undefined); // reported by the first send or pre-commit
    const maxAge = Number(settings.properties['metadata.max.age.ms'] ?? METADATA_MAX_AGE_MS);
    this.sender = new RecordSender(
      settings,
      openPartitioner(settings.partitioner, { subtaskIndex: this.subtask, parallelism: this.parallelism }),
      new TopicPartitions(() => this.client.get(), Number.isFinite(maxAge) ? maxAge : METADATA_MAX_AGE_MS),
      async (records) => {
        const t = await this.transaction();
        await t.producer.send(records);
      },
      context.metricGroup,
    );
  }

  write(element: T, context?: SinkRecordContext): void {
    this.sender.add(outgoingRecord(this.settings.serializer, this.settings.topic, element, context));
  }

  isAvailable(): Promise<void> | undefined {
    return this.sender.isAvailable();
  }

  /** Waits until every record handed over is acknowledged (inside the open transaction). */
  async flush(_endOfInput: boolean): Promise<void> {
    await this.sender.drain();
  }

  /**
   * Pre-commit: the open transaction (if any records went into it) becomes the committable of `checkpointId`, held
   * with its producer until the committer commits it; records after the barrier start the transaction of the next
   * checkpoint.
   */
  async prepareCommit(checkpointId: number): Promise<KafkaCommittable[]> {
    await this.sender.drain();
    await this.ready;
    const t = this.current;
    this.current = undefined;
    if (checkpointId !== END_OF_INPUT_CHECKPOINT_ID) this.nextCheckpoint = Math.max(this.nextCheckpoint, checkpointId + 1);
    if (t === undefined) return [];
    this.client.retain();
    const client = this.client;
    liveTransactions.hold(
      liveTransactionKey(this.settings.brokers, t.id),
      {
        producer: t.producer,
        release: async () => {
          await t.producer.close().catch(() => undefined);
          await client.release();
        },
      },
      this.settings.transactionTimeoutMs,
    );
    return [t.handle === undefined ? { transactionalId: t.id } : { transactionalId: t.id, producerId: t.handle.producerId, epoch: t.handle.epoch }];
  }

  snapshotState(_checkpointId: number): KafkaWriterState[] {
    return [{ transactionalIdPrefix: this.settings.transactionalIdPrefix, subtask: this.subtask, parallelism: this.parallelism }];
  }

  /**
   * Drops unsent records and aborts the open transaction (records after the last barrier; the restored run writes
   * them again). Pre-committed transactions stay with the committer.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.sender.close();
      const t = this.current;
      this.current = undefined;
      if (t !== undefined) {
        await t.producer.abortTransaction?.().catch(() => undefined);
        await t.producer.close().catch(() => undefined);
      }
      await this.client.release().catch(() => undefined);
    })();
    return this.closing;
  }

  /** The open transaction, begun on first use. */
  private async transaction(): Promise<OpenTransaction> {
    await this.ready;
    if (this.current !== undefined) return this.current;
    const id = transactionalId(this.settings.transactionalIdPrefix, this.subtask, this.nextCheckpoint);
    const producer = (await this.client.get()).createProducer({ idempotent: true, transactionalId: id });
    try {
      if (producer.beginTransaction === undefined) {
        throw new Error(`kafka sink: the Kafka client made a producer without transactions for transactional id '${id}'`);
      }
      await producer.connect();
      const handle = isResumable(producer) ? producer.transactionHandle() : undefined;
      await producer.beginTransaction();
      this.current = { id, producer, handle };
      return this.current;
    } catch (e) {
      await producer.close().catch(() => undefined);
      throw e;
    }
  }

  private async abortLingering(restoredFrom: number, restored: readonly KafkaWriterState[]): Promise<void> {
    const client = await this.client.get();
    const prefixes = [...new Set([this.settings.transactionalIdPrefix, ...restored.map((s) => s.transactionalIdPrefix)])].filter((p) => p !== '');
    const previousParallelism = Math.max(this.parallelism, ...restored.map((s) => s.parallelism));
    const window = this.settings.lingeringTransactionsToAbort;
    for (const prefix of prefixes) {
      for (let s = this.subtask; s < previousParallelism; s += this.parallelism) {
        for (let c = restoredFrom + 1; ; c++) {
          const id = transactionalId(prefix, s, c);
          // A transaction a failed attempt in this thread pre-committed after the restored checkpoint.
          const held = liveTransactions.take(liveTransactionKey(this.settings.brokers, id));
          if (held !== undefined) {
            await held.producer.abortTransaction?.().catch(() => undefined);
            await held.release().catch(() => undefined);
          }
          const epoch = await this.fence(client.createProducer({ idempotent: true, transactionalId: id }));
          if (epoch !== undefined ? epoch === 0 : c >= restoredFrom + window) break;
        }
      }
    }
  }

  /**
   * Initialises a producer of the id (which aborts the id's open transaction and fences its producer) and closes it;
   * returns its epoch if known. Clients initialise the producer id at `connect()` (Kafka's `initTransactions`) or,
   * as kafkajs, at the first `beginTransaction()`: an empty transaction begun and aborted covers both.
   */
  private async fence(producer: KafkaProducer): Promise<number | undefined> {
    try {
      await producer.connect();
      const epoch = isResumable(producer) ? producer.transactionHandle().epoch : undefined;
      if (producer.beginTransaction !== undefined && producer.abortTransaction !== undefined) {
        await producer.beginTransaction();
        await producer.abortTransaction();
      }
      return epoch;
    } finally {
      await producer.close().catch(() => undefined);
    }
  }
}
