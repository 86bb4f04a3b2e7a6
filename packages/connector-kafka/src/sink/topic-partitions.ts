// The number of partitions of each topic the sink writes to, looked up once per topic and again when the lookup is
// older than `metadata.max.age.ms` (Kafka's default five minutes), so that partitions added while the job runs get
// records, as a Kafka producer's metadata refresh does. Lookups happen on the send path (asynchronous), never in
// `write`.
import type { KafkaClient } from '../client/kafka-client.js';

/**
 * Partition counts by topic.
 *
 * @internal
 */
export class TopicPartitions {
  private readonly counts = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly client: () => Promise<KafkaClient>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The partition counts of `topics` (looked up where unknown or stale). */
  async of(topics: Iterable<string>): Promise<ReadonlyMap<string, number>> {
    const now = this.now();
    const stale = [...new Set(topics)].filter((t) => {
      const c = this.counts.get(t);
      return c === undefined || now - c.at >= this.maxAgeMs;
    });
    if (stale.length > 0) {
      const partitions = await (await this.client()).partitionsFor(stale);
      const found = new Map<string, number>();
      for (const p of partitions) found.set(p.topic, Math.max(found.get(p.topic) ?? 0, p.partition + 1));
      for (const t of stale) {
        const n = found.get(t);
        if (n === undefined || n < 1) throw new Error(`kafka sink: topic '${t}' has no partitions`);
        this.counts.set(t, { count: n, at: now });
      }
    }
    const out = new Map<string, number>();
    for (const [t, c] of this.counts) out.set(t, c.count);
    return out;
  }
}
