// A KafkaClient over a synthetic topic whose records are computed from their offsets when fetched, for the memory
// benchmark at the size: Mokapi, the only Kafka-protocol server here, keeps ~4 KB of RAM per record (2.0 GB
// for 500 000 records, measured), so a real 10 M-record topic needs ~40 GB, more than the benchmark machine has.
// With this client the topic costs nothing, so the process's RSS is Runnel's: the source reader, its fetch
// buffer (bounded by `maxBufferedRecords` and by back-pressure, not by the topic) and the runtime. The real client's
// (kafkajs) share is measured against Mokapi on a smaller topic in the same benchmark.
//
// Records are the benchmark's ~200 B JSON events (the same `record(i)` as the real runs), spread over the partitions
// round robin; a fetch returns up to the buffer's room, after a `setImmediate` (a network round trip's turn of the
// event loop).
import type {
  FetchedBatch,
  KafkaClient,
  KafkaProducer,
  KafkaRecord,
  PartitionFetcher,
  TopicPartition,
} from '../src/client/kafka-client.js';
import { partitionKey } from '../src/client/kafka-client.js';

/** Record `i` of the topic as key and value text. */
export type RecordText = (i: number) => { key: string; value: string };

/** A client of one synthetic topic of `total` records over `partitions` partitions. */
export function syntheticKafkaClient(topic: string, partitions: number, total: number, record: RecordText): KafkaClient {
  const encoder = new TextEncoder();
  const size = (p: number): number => Math.floor(total / partitions) + (p < total % partitions ? 1 : 0);
  const offsets = (tps: readonly TopicPartition[], f: (tp: TopicPartition) => number): Promise<Map<string, number>> =>
    Promise.resolve(new Map(tps.map((tp) => [partitionKey(tp), f(tp)])));
  const unsupported = (what: string): never => {
    throw new Error(`the synthetic client has no ${what}`);
  };
  return {
    connect: () => Promise.resolve(),
    listTopics: () => Promise.resolve([topic]),
    partitionsFor: (topics) => {
      const unknown = topics.filter((t) => t !== topic);
      if (unknown.length > 0) return Promise.reject(new Error(`unknown topics ${unknown.join(', ')}`));
      return Promise.resolve(Array.from({ length: partitions }, (_, partition) => ({ topic, partition })));
    },
    earliestOffsets: (tps) => offsets(tps, () => 0),
    latestOffsets: (tps) => offsets(tps, (tp) => size(tp.partition)),
    offsetsForTimestamp: (tps) => offsets(tps, () => 0),
    committedOffsets: (_g, tps) => Promise.resolve(new Map(tps.map((tp) => [partitionKey(tp), undefined]))),
    commitOffsets: () => Promise.resolve(),
    createFetcher: ({ maxBufferedRecords }): PartitionFetcher => {
      const positions = new Map<string, TopicPartition & { offset: number }>();
      let next = 0;
      return {
        assign: (ps) => {
          for (const p of ps) positions.set(partitionKey(p), { topic: p.topic, partition: p.partition, offset: p.offset });
        },
        unassign: (ps) => {
          for (const p of ps) positions.delete(partitionKey(p));
        },
        poll: async (maxRecords) => {
          await new Promise((r) => setImmediate(r));
          const batches: FetchedBatch[] = [];
          let room = Math.min(maxRecords, maxBufferedRecords);
          const all = [...positions.values()];
          for (let k = 0; k < all.length && room > 0; k++) {
            const pos = all[(next + k) % all.length]!;
            const end = size(pos.partition);
            const n = Math.min(room, end - pos.offset, 500);
            if (n <= 0) continue;
            const records: KafkaRecord[] = new Array<KafkaRecord>(n);
            for (let j = 0; j < n; j++) {
              const offset = pos.offset + j;
              const r = record(offset * partitions + pos.partition);
              records[j] = {
                offset,
                timestamp: 1_700_000_000_000 + offset,
                timestampType: 'CreateTime',
                key: encoder.encode(r.key),
                value: encoder.encode(r.value),
                headers: [],
              };
            }
            pos.offset += n;
            room -= n;
            batches.push({ topic: pos.topic, partition: pos.partition, records, highWatermark: end });
          }
          next++;
          return batches;
        },
        close: () => Promise.resolve(),
      };
    },
    createProducer: (): KafkaProducer => unsupported('producer'),
    close: () => Promise.resolve(),
  };
}
