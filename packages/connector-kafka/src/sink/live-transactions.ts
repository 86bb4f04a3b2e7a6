// The transactions pre-committed in this thread and not yet committed, with their live producers, and the ids
// committed lately. The writer hands a transaction over here at the barrier; the committer commits it when the
// checkpoint completes. It is per thread (module state), not per sink object, so that it outlives a failed attempt
// whose restart runs in the same thread (`execution.target` = `local`, embedded runtimes, tests): the restored
// committer finds the old producer here and commits its transaction, which a fresh producer could not do
// (`initTransactions` would abort it) unless the client can resume transactions. A restart on worker threads starts
// new threads, where this is empty: there only a client that resumes transactions can commit a restored one.
// A producer nobody commits (the job failed for good) is closed after the transaction timeout, when the broker has
// aborted its transaction anyway, so that it does not keep the process alive.
import type { KafkaProducer } from '../client/kafka-client.js';

/**
 * A pre-committed transaction's producer and how to let go of it (close the producer and whatever it needs, such as
 * the client it was made by).
 *
 * @internal
 */
export interface HeldTransaction {
  readonly producer: KafkaProducer;
  readonly release: () => Promise<void>;
}

interface Entry extends HeldTransaction {
  readonly timer: ReturnType<typeof setTimeout>;
}

/** How many committed ids are remembered, to recognise a re-commit after a restore in the same thread. */
const COMMITTED_MEMORY = 10_000;

/**
 * The key of a transaction among the live ones: the cluster and the transactional id.
 *
 * @internal
 */
export function liveTransactionKey(brokers: readonly string[], id: string): string {
  return `${brokers.join(',')}|${id}`;
}

/**
 * Pre-committed transactions by `<cluster>|<transactional id>`.
 *
 * @internal
 */
export class LiveTransactions {
  private readonly open = new Map<string, Entry>();
  private readonly committed = new Set<string>();

  /** Holds a pre-committed transaction; it is released after `timeoutMs` unless taken. */
  hold(key: string, held: HeldTransaction, timeoutMs: number): void {
    const previous = this.open.get(key);
    if (previous !== undefined) void release(previous);
    const timer = setTimeout(() => {
      const e = this.open.get(key);
      if (e?.producer !== held.producer) return;
      this.open.delete(key);
      void release(e);
    }, timeoutMs);
    timer.unref?.();
    this.open.set(key, { ...held, timer });
    this.committed.delete(key);
  }

  /** Takes a pre-committed transaction, if this thread holds it: the caller commits (or aborts) and releases it. */
  take(key: string): HeldTransaction | undefined {
    const e = this.open.get(key);
    if (e === undefined) return undefined;
    clearTimeout(e.timer);
    this.open.delete(key);
    return { producer: e.producer, release: e.release };
  }

  /** Records a commit, so that committing the same transaction again is recognised. */
  markCommitted(key: string): void {
    this.committed.add(key);
    if (this.committed.size > COMMITTED_MEMORY) this.committed.delete(this.committed.values().next().value!);
  }

  wasCommitted(key: string): boolean {
    return this.committed.has(key);
  }

  /** The keys of the held transactions (for tests and diagnostics). */
  keys(): string[] {
    return [...this.open.keys()];
  }

  /**
   * Forgets everything, closing the held producers without committing or aborting: what a process death does
   * (the broker keeps the transactions open until they time out). For tests of restores in a new process.
   */
  async clear(): Promise<void> {
    const entries = [...this.open.values()];
    this.open.clear();
    this.committed.clear();
    for (const e of entries) await release(e);
  }
}

async function release(e: Entry): Promise<void> {
  clearTimeout(e.timer);
  await e.release().catch(() => undefined);
}

/**
 * The live transactions of this thread.
 *
 * @internal
 */
export const liveTransactions = new LiveTransactions();
