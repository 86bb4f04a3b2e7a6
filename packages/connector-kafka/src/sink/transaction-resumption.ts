// Optional capabilities of a transactional `KafkaProducer` that the exactly-once sink uses when a client offers them,
// the two that Flink's `FlinkKafkaInternalProducer` gets from the Java client by reflection:
//   - the producer id and epoch the broker gave a transactional id (`InitProducerId`), recorded in the committable;
//     epoch 0 also tells that the id was never used, which bounds the search for lingering transactions;
//   - resuming a transaction begun by another producer (a previous run of the job) from that id and epoch, so that
//     the committer can commit it after a restore (`EndTxn` with the recorded id and epoch).
// `KafkaProducer` of `client/kafka-client.ts` does not declare them: kafkajs exposes neither (its transaction
// manager is private), so the kafkajs client cannot offer them. Without them, a transaction pre-committed by a run
// that died before committing it cannot be committed by the restored run (see the README's limits).
import type { KafkaProducer } from '../client/kafka-client.js';

/**
 * The broker's identity of a transactional producer session: producer id and epoch.
 *
 * @public
 */
export interface TransactionHandle {
  readonly producerId: number;
  readonly epoch: number;
}

/**
 * A transactional producer that reports its session and can resume another producer's transaction.
 *
 * @beta
 */
export interface ResumableTransactionalProducer extends KafkaProducer {
  /** After `connect()` (InitProducerId): the session; epoch 0 when the transactional id was never used before. */
  transactionHandle(): TransactionHandle;
  /**
   * Instead of `connect()`: takes over the transaction of `handle`, begun by another producer with the same
   * transactional id, so that `commitTransaction()` commits it. Committing a transaction that was committed already
   * succeeds (as Kafka's `EndTxn` retried); one that was aborted, or whose producer was fenced, fails with a
   * `KafkaClientError` of kind `fatal`.
   */
  resumeTransaction(handle: TransactionHandle): Promise<void>;
}

/**
 * Whether a producer offers {@link ResumableTransactionalProducer}'s capabilities.
 *
 * @beta
 */
export function isResumable(producer: KafkaProducer): producer is ResumableTransactionalProducer {
  const p = producer as Partial<ResumableTransactionalProducer>;
  return typeof p.transactionHandle === 'function' && typeof p.resumeTransaction === 'function';
}
