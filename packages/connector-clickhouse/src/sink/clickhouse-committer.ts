// Commits the exactly-once sink's checkpoints: inserts each committable's batches in order. Each batch carries the
// deduplication token `<prefix>:<subtask>:<checkpoint>:<shard>:<batch>` where the server has
// `insert_deduplication_token` (22.2+); a Replicated table, or a MergeTree with non_replicated_deduplication_window,
// then drops a batch it already has. Without tokens, Replicated tables deduplicate the byte-identical batch by its
// hash, and a ReplacingMergeTree holds the same rows with the same versions once after FINAL (or argMax). So a
// re-commit after a restore (the runtime commits the restored checkpoint's committables again) is invisible to
// the documented queries. Retriable failures are retried on other replicas; a commit that still fails fails the
// job, which restores and commits again.
import type { CommitRequest, Committer } from '@runnel/api/connector';
import type { ClickHouseSinkSettings } from './clickhouse-sink-options.js';
import type { ClickHouseCommittable } from './clickhouse-sink-state.js';
import { SinkConnection } from './sink-runtime.js';

/**
 * The exactly-once committer.
 *
 * @internal
 */
export class ClickHouseCommitter implements Committer<ClickHouseCommittable> {
  private connection: SinkConnection | undefined;

  constructor(private readonly s: ClickHouseSinkSettings<unknown>) {}

  async commit(requests: readonly CommitRequest<ClickHouseCommittable>[]): Promise<void> {
    if (requests.length === 0) return;
    this.connection ??= new SinkConnection(this.s, requests[0]!.committable.subtask);
    const meta = await this.connection.metadata;
    for (const { committable: c } of requests) {
      for (let i = 0; i < c.batches.length; i++) {
        const token = `${this.s.dedupTokenPrefix}:${c.subtask}:${c.checkpointId}:${c.shard}:${i}`;
        const settings: Record<string, string | number> = meta.hasDedupToken ? { insert_deduplication_token: token, insert_deduplicate: 1 } : {};
        await this.connection.insert(c.shard, c.batches[i]!, `batch ${i + 1} of ${c.batches.length} of checkpoint ${c.checkpointId}, subtask ${c.subtask}`, settings);
      }
    }
  }

  async close(): Promise<void> {
    await this.connection?.close();
  }
}
